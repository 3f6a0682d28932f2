import Foundation

/// What `govshare archive verify PATH` found: every check made (in order) and every failure, each named.
public struct ArchiveVerification: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public let code: String
        public let message: LocalizedText
        public init(_ code: String, zh: String, en: String) { self.code = code; message = LocalizedText(zh: zh, en: en) }
    }
    public var manifest: ArchiveManifest?
    /// What was checked, one line each (English; the CLI prints them).
    public var checked: [String] = []
    public var failures: [Failure] = []
    /// Whether the root was given by the caller (else the package's own root was used).
    public var rootPinned = false
    public var signerSubject: String?
    public var signedAt: Date?
    public var ok: Bool { failures.isEmpty && manifest != nil }
    public init() {}
    mutating func fail(_ code: String, zh: String, en: String) { failures.append(Failure(code, zh: zh, en: en)) }
}

/// Checks a package with nothing but its own files (and, when given, a pinned root certificate): no database, no
/// network. Every listed file's size and SM3, no unlisted file, the Merkle root, the SES_Signature over the manifest
/// by the platform's own data seal (`PlatformSealIdentity`: chained to the root is not enough — every department's
/// seal is), and for an audit segment the hash chain re-walked from its first entry to
/// `last_hash` with every read's references against the digest its entry recorded.
public struct ArchivePackageVerifier: Sendable {
    let crypto: any NationalCrypto
    let codec: any ElectronicSealCodec
    let hashing: any AuditHashing

    public init(crypto: any NationalCrypto, codec: any ElectronicSealCodec, hashing: any AuditHashing) {
        self.crypto = crypto; self.codec = codec; self.hashing = hashing
    }

    static let reserved: Set<String> = [
        ArchivePackageBuilder.manifestName, ArchivePackageBuilder.signatureName, ArchivePackageBuilder.signerCertificateName,
        ArchivePackageBuilder.rootCertificateName,
    ]

    /// A relative path of plain components, no `.`/`..`, not one of the package's own files.
    public static func isSafe(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && path.utf8.count <= 512 && !path.hasPrefix("/") && !reserved.contains(path)
            && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." } && !path.hasPrefix("certificates/")
    }

    public func verify(directory: URL, pinnedRoot: Data?) -> ArchiveVerification {
        var report = ArchiveVerification()
        let fm = FileManager.default
        guard let manifestBytes = fm.contents(atPath: directory.appendingPathComponent(ArchivePackageBuilder.manifestName).path),
            let manifest = ArchiveManifest.decode(manifestBytes)
        else {
            report.fail(
                "manifest_unreadable", zh: "manifest.json 缺失或不是 \(ArchiveManifest.format) 格式",
                en: "manifest.json is missing or not a \(ArchiveManifest.format) manifest")
            return report
        }
        report.manifest = manifest
        report.checked.append(
            "manifest: \(manifest.kind.rawValue) package \(manifest.id) of node \(manifest.nodeId), \(manifest.files.count) files")
        checkFiles(manifest, in: directory, &report)
        let root = ArchiveMerkle.root(of: manifest.files, crypto: crypto)
        if root != manifest.merkleRoot || manifest.merkleConstruction != ArchiveManifest.merkleConstruction {
            report.fail(
                "merkle_root", zh: "Merkle 根不符：清单记载 \(manifest.merkleRoot)，按文件摘要重算为 \(root)",
                en: "Merkle root mismatch: the manifest says \(manifest.merkleRoot), the files' digests give \(root)")
        } else {
            report.checked.append(
                "merkle root \(root) recomputed from the \(manifest.files.count) files' SM3 (\(ArchiveManifest.merkleConstruction))")
        }
        checkSignature(manifestBytes, in: directory, pinnedRoot: pinnedRoot, &report)
        if manifest.kind == .auditSegment {
            AuditSegmentChainCheck(hashing: hashing).check(manifest, in: directory, &report)
        }
        return report
    }

    private func checkFiles(_ manifest: ArchiveManifest, in directory: URL, _ report: inout ArchiveVerification) {
        let fm = FileManager.default
        var listed = Set<String>()
        var bad = 0
        for file in manifest.files {
            listed.insert(file.path)
            guard Self.isSafe(file.path) else {
                report.fail("file_path", zh: "清单中的路径不安全：\(file.path)", en: "Unsafe path in the manifest: \(file.path)")
                bad += 1
                continue
            }
            let url = directory.appendingPathComponent(file.path)
            guard fm.fileExists(atPath: url.path), let digest = try? crypto.sm3(contentsOf: url) else {
                report.fail("file_missing", zh: "文件缺失：\(file.path)", en: "File missing: \(file.path)")
                bad += 1
                continue
            }
            let size = (try? fm.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? -1
            if size != file.size {
                report.fail(
                    "file_size", zh: "文件大小不符：\(file.path)（清单 \(file.size)，实际 \(size)）",
                    en: "File size differs: \(file.path) (manifest \(file.size), found \(size))")
                bad += 1
            } else if Hex.encode(digest) != file.sm3 {
                report.fail(
                    "file_digest", zh: "文件 SM3 摘要不符（文件被改动）：\(file.path)", en: "File SM3 differs (the file was changed): \(file.path)")
                bad += 1
            }
        }
        if let walker = fm.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) {
            let base = directory.standardizedFileURL.path + "/"
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let path = String(url.standardizedFileURL.path.dropFirst(base.count))
                if !listed.contains(path) && !Self.reserved.contains(path) {
                    report.fail("file_unlisted", zh: "文件不在清单中：\(path)", en: "File not in the manifest: \(path)")
                }
            }
        }
        if bad == 0 { report.checked.append("\(manifest.files.count) files: present, sizes and SM3 digests as listed") }
    }

    private func checkSignature(_ manifestBytes: Data, in directory: URL, pinnedRoot: Data?, _ report: inout ArchiveVerification) {
        let fm = FileManager.default
        let included = fm.contents(atPath: directory.appendingPathComponent(ArchivePackageBuilder.rootCertificateName).path)
        report.rootPinned = pinnedRoot != nil
        guard let rootBytes = pinnedRoot ?? included, let root = try? crypto.parseCertificate(rootBytes),
            root.isCertificateAuthority, root.subject == root.issuer, crypto.verifyCertificateSignature(root, issuerKey: root.publicKey)
        else {
            report.fail(
                "root_certificate", zh: "根证书缺失、无法解析或不是自签名的证书颁发机构证书",
                en: "The root certificate is missing, unreadable or not a self-signed certification authority")
            return
        }
        if pinnedRoot != nil, let included, (try? crypto.parseCertificate(included))?.der != root.der {
            report.fail(
                "root_certificate", zh: "文件包所附根证书与指定的根证书不同", en: "The package's root certificate is not the pinned root")
        }
        report.checked.append("root certificate \(root.subject) (\(pinnedRoot != nil ? "pinned" : "from the package: pin it with --root"))")
        guard let signature = fm.contents(atPath: directory.appendingPathComponent(ArchivePackageBuilder.signatureName).path) else {
            report.fail("signature_missing", zh: "缺少清单签章 manifest.sig", en: "manifest.sig (the manifest's signature) is missing")
            return
        }
        let (result, _, sealer) = ElectronicSealVerifier.check(
            documentHash: crypto.sm3(manifestBytes), signature: signature, root: root, crypto: crypto, codec: codec)
        for reason in result.reasons {
            report.fail("signature_" + reason.code, zh: "清单签章：\(reason.message.zh)", en: "Manifest signature: \(reason.message.en)")
        }
        report.signerSubject = result.signerSubject
        report.signedAt = result.signedAt
        guard result.valid else { return }
        report.checked.append(
            "signature: GB/T 38540 SM2 signature over manifest.json by \(result.signerSubject ?? "?") at \(result.signedAt.map(Timestamp.format) ?? "?"), certificate chained to the root"
        )
        // The certificate inside the signature, which the checks above chained to the root: any department's seal is
        // chained too, so the signer must also be the platform's own data seal.
        guard let sealer, PlatformSealIdentity.isPlatformSeal(signer: sealer, root: root) else {
            report.fail(
                "signer_not_platform_seal",
                zh: "清单不是由平台（省政务数据主管部门）的数据专用章签章，而是由「\(result.signerSubject ?? "?")」签章",
                en:
                    "The manifest was not sealed by the platform's data seal (the provincial data authority's) but by \(result.signerSubject ?? "?")"
            )
            return
        }
        report.checked.append(
            "the signer is the platform's data seal (\(PlatformSealIdentity.unit) of \(PlatformSealIdentity.authorityName(root: root) ?? "?"))"
        )
        guard let signerBytes = fm.contents(atPath: directory.appendingPathComponent(ArchivePackageBuilder.signerCertificateName).path),
            let signer = try? crypto.parseCertificate(signerBytes), signer.der == sealer.der
        else {
            report.fail(
                "signer_certificate", zh: "certificates/signer.pem 缺失或不是签章所用证书",
                en: "certificates/signer.pem is missing or is not the certificate that signed")
            return
        }
        report.checked.append("certificates/signer.pem is the signing certificate (serial \(signer.serialNumberHex))")
    }
}

import Foundation

/// `govshare restore`: checks a backup before anything is written — the manifest's SM2 signature by the node
/// certificate it names, that certificate's chain to the root it names, the encrypted file's size and SM3 — then
/// unwraps the backup key with the KEK the manifest names, decrypts, and loads the dump into an empty target (a
/// non-empty one is refused). The restored root must then be the manifest's (`BackupService.checkRestore`).
public struct BackupRestoreService: Sendable {
    let crypto: any NationalCrypto
    let custody: any KeyCustody
    let target: any BackupRestoreTarget

    public init(crypto: any NationalCrypto, custody: any KeyCustody, target: any BackupRestoreTarget) {
        self.crypto = crypto; self.custody = custody; self.target = target
    }

    /// The manifest and encrypted file of a backup given either path (`….gsbk` or `….json`).
    public static func locate(_ path: String) throws -> (manifest: String, file: String) {
        let base: String
        if path.hasSuffix(".gsbk") || path.hasSuffix(".json") { base = String(path.dropLast(5)) } else { base = path }
        let manifest = base + ".json", file = base + ".gsbk"
        guard FileManager.default.fileExists(atPath: manifest), FileManager.default.fileExists(atPath: file) else {
            throw problem(
                "backup_not_found", "找不到备份（需要 \(file) 与其清单 \(manifest)）",
                "No backup at \(path) (needs \(file) and its manifest \(manifest))")
        }
        return (manifest, file)
    }

    /// Checks signature, chain and digest; returns the manifest. Throws `backup_invalid` naming what failed.
    public func verify(_ path: String) throws -> (manifest: BackupManifest, file: String) {
        let located = try Self.locate(path)
        guard let data = FileManager.default.contents(atPath: located.manifest), data.count < 16 * 1024 * 1024,
            let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data), manifest.format == BackupManifest.formatName
        else { throw Self.problem("backup_invalid", "备份清单无法读取", "The backup manifest cannot be read") }
        guard let signatureText = manifest.signature, let signature = Data(base64Encoded: signatureText),
            let nodeDER = PEM.decode(manifest.nodeCertificate, label: "CERTIFICATE"),
            let rootDER = PEM.decode(manifest.rootCertificate, label: "CERTIFICATE"),
            let node = try? crypto.parseCertificate(nodeDER), let root = try? crypto.parseCertificate(rootDER)
        else { throw Self.problem("backup_invalid", "备份清单缺少签名或证书", "The backup manifest lacks its signature or certificates") }
        let signedAt = Timestamp.parse(manifest.finishedAt) ?? Date()
        guard PlatformKeyring.chains(node, to: root, at: signedAt, crypto: crypto) else {
            throw Self.problem("backup_invalid", "备份清单的节点证书不是由其根证书签发", "The manifest's node certificate does not chain to its root")
        }
        guard crypto.verify(signature, of: manifest.signedBytes, by: node.publicKey, id: SM2Parameters.defaultID) else {
            throw Self.problem(
                "backup_signature_invalid", "备份清单签名无效（清单被改动）", "The backup manifest's signature does not verify (it was altered)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: located.file)[.size]) as? NSNumber)?.int64Value ?? -1
        let digest = Hex.encode(try crypto.sm3(contentsOf: URL(fileURLWithPath: located.file)))
        guard size == manifest.sizeBytes, digest == manifest.sm3 else {
            throw Self.problem(
                "backup_digest_mismatch", "备份文件的大小或 SM3 摘要与签名清单不符（文件被改动或不完整）",
                "The backup file's size or SM3 digest differs from the signed manifest (altered or incomplete)")
        }
        return (manifest, located.file)
    }

    /// Verifies, then restores into the empty target; returns the manifest to compare the result with.
    public func restore(_ path: String, workDirectory: String) async throws -> BackupManifest {
        let (manifest, file) = try verify(path)
        guard manifest.databaseKind == target.databaseKind else {
            throw Self.problem(
                "backup_kind_mismatch", "该备份来自 \(manifest.databaseKind) 数据库，目标为 \(target.databaseKind)",
                "The backup is of a \(manifest.databaseKind) database; the target is \(target.databaseKind)")
        }
        if let reason = try await target.whyNotEmpty() {
            throw DomainError.conflict(
                code: "restore_target_not_empty", zh: "恢复目标不为空（\(reason)），拒绝覆盖",
                en: "The restore target is not empty (\(reason)); refusing to overwrite it")
        }
        guard let wrapped = Data(base64Encoded: manifest.wrappedKey) else {
            throw Self.problem("backup_invalid", "备份密钥无效", "The backup key is invalid")
        }
        let key = try custody.unwrap(wrapped, label: BackupManifest.keyLabel(manifest.id), keyEncryptionKeyId: manifest.keyEncryptionKeyId)
        try FileManager.default.createDirectory(
            atPath: workDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let plain = (workDirectory as NSString).appendingPathComponent(".restore-\(manifest.id).partial")
        defer { try? FileManager.default.removeItem(atPath: plain) }
        try BackupFile.decrypt(file, to: plain, id: manifest.id, key: key, crypto: crypto)
        try await target.load(dump: plain)
        return manifest
    }

    static func problem(_ code: String, _ zh: String, _ en: String) -> DomainError {
        DomainError(.invalid, code: code, message: LocalizedText(zh: zh, en: en))
    }
}

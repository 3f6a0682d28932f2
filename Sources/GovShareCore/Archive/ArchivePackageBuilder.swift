import Foundation

/// What signs a package's manifest: the data authority's data seal (`SealService.signArchiveManifest`).
public struct ArchiveSignature: Sendable {
    /// GB/T 38540 SES_Signature (DER) over the manifest's bytes.
    public let signatureDER: Data
    public let signerCertificateDER: Data
    public let rootCertificateDER: Data
    public init(signatureDER: Data, signerCertificateDER: Data, rootCertificateDER: Data) {
        self.signatureDER = signatureDER; self.signerCertificateDER = signerCertificateDER; self.rootCertificateDER = rootCertificateDER
    }
}

/// Writes a package into `<final>.partial`, then moves it to `<final>` in one rename once everything — files,
/// manifest, signature, certificates — is on disk: a package directory without the suffix is always whole.
public final class ArchivePackageBuilder {
    public static let manifestName = "manifest.json"
    public static let signatureName = "manifest.sig"
    public static let signerCertificateName = "certificates/signer.pem"
    public static let rootCertificateName = "certificates/root.pem"

    public let finalURL: URL
    let staging: URL
    let crypto: any NationalCrypto
    private var handles: [String: FileHandle] = [:]
    private var paths: [String] = []

    public init(directory: URL, crypto: any NationalCrypto) throws {
        finalURL = directory
        staging = URL(fileURLWithPath: directory.path + ".partial")
        self.crypto = crypto
        let fm = FileManager.default
        if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Adds a whole file (`path` relative, below `data/`).
    public func add(_ path: String, _ bytes: Data) throws {
        let url = try prepare(path)
        try bytes.write(to: url)
    }

    /// Appends one JSON line to a file, creating it on first use.
    public func appendLine<T: Encodable>(_ path: String, _ value: T) throws {
        if handles[path] == nil {
            // A file `touch` made is opened at its end; any other is new.
            let url = paths.contains(path) ? staging.appendingPathComponent(path) : try prepare(path)
            if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            handles[path] = handle
        }
        var line = Self.lineEncoder.encodeOrEmpty(value)
        line.append(0x0A)
        try handles[path]!.write(contentsOf: line)
    }

    /// Creates an empty file (a JSON-lines file with no lines still belongs in the manifest).
    public func touch(_ path: String) throws {
        if handles[path] == nil, !paths.contains(path) { try add(path, Data()) }
    }

    static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    private func prepare(_ path: String) throws -> URL {
        guard ArchivePackageVerifier.isSafe(path), !paths.contains(path) else {
            throw NationalCryptoError.invalidInput("archive path \(path)")
        }
        paths.append(path)
        let url = staging.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return url
    }

    /// Closes the files, computes each one's SM3 and the Merkle root, has the manifest signed, writes the manifest,
    /// its signature and the certificates, and renames the package into place.
    public func finish(
        id: String, kind: ArchiveKind, nodeId: String, createdAt: String, createdBy: String, periodFrom: String?, periodTo: String?,
        boundary: AuditSegmentBoundary?, sign: (Data) async throws -> ArchiveSignature
    ) async throws -> (manifest: ArchiveManifest, manifestBytes: Data, sizeBytes: Int64) {
        for handle in handles.values { try handle.close() }
        handles = [:]
        var entries: [ArchiveFileEntry] = []
        var total: Int64 = 0
        for path in paths {
            let url = staging.appendingPathComponent(path)
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
            entries.append(ArchiveFileEntry(path: path, size: size, sm3: Hex.encode(try crypto.sm3(contentsOf: url))))
            total += size
        }
        let manifest = ArchiveManifest(
            id: id, kind: kind, nodeId: nodeId, createdAt: createdAt, createdBy: createdBy, periodFrom: periodFrom, periodTo: periodTo,
            boundary: boundary, files: entries, merkleRoot: ArchiveMerkle.root(of: entries, crypto: crypto))
        let bytes = manifest.encoded()
        let signed = try await sign(bytes)
        try bytes.write(to: staging.appendingPathComponent(Self.manifestName))
        try signed.signatureDER.write(to: staging.appendingPathComponent(Self.signatureName))
        let certificates = staging.appendingPathComponent("certificates")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        try Data(PEM.encode(signed.signerCertificateDER, label: "CERTIFICATE").utf8)
            .write(to: staging.appendingPathComponent(Self.signerCertificateName))
        try Data(PEM.encode(signed.rootCertificateDER, label: "CERTIFICATE").utf8)
            .write(to: staging.appendingPathComponent(Self.rootCertificateName))
        try FileManager.default.moveItem(at: staging, to: finalURL)
        return (manifest, bytes, total)
    }

    /// Removes the staging directory of a package that was not finished.
    public func discard() {
        for handle in handles.values { try? handle.close() }
        handles = [:]
        try? FileManager.default.removeItem(at: staging)
    }
}

extension JSONEncoder {
    func encodeOrEmpty<T: Encodable>(_ value: T) -> Data { (try? encode(value)) ?? Data("null".utf8) }
}

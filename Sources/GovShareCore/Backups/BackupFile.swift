import Foundation

/// The signed description of a backup (`<name>.json` beside `<name>.gsbk`): what, from which node and schema, the
/// audit head and row counts of the copy, the SM3 of the encrypted file, the backup key wrapped by the KEK, and the
/// node's SM2 signature over all of it (the JSON with sorted keys and no `signature`).
public struct BackupManifest: Sendable, Equatable, Codable {
    public static let formatName = "govshare-backup/1"
    public var format = BackupManifest.formatName
    public let id: String
    public let nodeId: String
    public let databaseKind: String
    public let schemaVersion: Int
    public let startedAt: String
    public let finishedAt: String
    public let createdBy: String
    public let auditSeq: Int64
    public let auditHash: String
    public let rowCounts: [String: Int64]
    public let file: String
    public let sizeBytes: Int64
    public let sm3: String
    public let plainSizeBytes: Int64
    public let encryption: String
    public let wrappedKey: String
    public let keyEncryptionKeyId: String
    public let nodeCertificate: String
    public let rootCertificate: String
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case format, id, file, sm3, encryption, signature
        case nodeId = "node_id", databaseKind = "database_kind", schemaVersion = "schema_version", startedAt = "started_at"
        case finishedAt = "finished_at", createdBy = "created_by", auditSeq = "audit_seq", auditHash = "audit_hash"
        case rowCounts = "row_counts", sizeBytes = "size_bytes", plainSizeBytes = "plain_size_bytes"
        case wrappedKey = "wrapped_key", keyEncryptionKeyId = "kek_id", nodeCertificate = "node_certificate"
        case rootCertificate = "root_certificate"
    }

    public static let encryptionName = "SM4-GCM, 4 MiB chunks, 16-byte key wrapped by the KEK (label backup:<id>)"

    /// The bytes the node signs: the manifest without its signature, keys sorted.
    public var signedBytes: Data {
        var unsigned = self
        unsigned.signature = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(unsigned)) ?? Data()
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return try encoder.encode(self)
    }

    public static func keyLabel(_ id: String) -> String { "backup:\(id)" }
}

/// The encrypted backup file: `GSBK1\n`, then chunks of `u32 length (big-endian) ‖ SM4-GCM(nonce ‖ data ‖ tag)`, each
/// sealed with `govshare-backup:<id>:<index>:<last>` as associated data, so chunks cannot be reordered, dropped or cut.
public enum BackupFile {
    static let magic = Data("GSBK1\n".utf8)
    public static let chunkSize = 4 * 1024 * 1024

    static func associatedData(id: String, index: Int, last: Bool) -> Data {
        Data("govshare-backup:\(id):\(index):\(last ? 1 : 0)".utf8)
    }

    /// Encrypts `plain` into `encrypted` (created, 0600); returns its size.
    public static func encrypt(plain: String, to encrypted: String, id: String, key: Data, crypto: any NationalCrypto) throws -> Int64 {
        guard let input = FileHandle(forReadingAtPath: plain) else { throw problem("无法读取备份副本", "Cannot read the dump \(plain)") }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: encrypted, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: encrypted)
        else { throw problem("无法写入备份文件", "Cannot write the backup file \(encrypted)") }
        defer { try? output.close() }
        try output.write(contentsOf: magic)
        var size = Int64(magic.count)
        var index = 0
        var chunk = try input.read(upToCount: chunkSize) ?? Data()
        repeat {
            let next = try input.read(upToCount: chunkSize) ?? Data()
            let sealed = try crypto.sm4GCMSeal(chunk, key: key, associatedData: associatedData(id: id, index: index, last: next.isEmpty))
            var length = UInt32(sealed.count).bigEndian
            try output.write(contentsOf: Data(bytes: &length, count: 4))
            try output.write(contentsOf: sealed)
            size += 4 + Int64(sealed.count)
            index += 1
            chunk = next
        } while !chunk.isEmpty
        try output.synchronize()
        return size
    }

    /// Decrypts into `plain`; throws on any changed, missing or reordered chunk.
    public static func decrypt(_ encrypted: String, to plain: String, id: String, key: Data, crypto: any NationalCrypto) throws {
        guard let input = FileHandle(forReadingAtPath: encrypted) else { throw problem("无法读取备份文件", "Cannot read \(encrypted)") }
        defer { try? input.close() }
        guard try input.read(upToCount: magic.count) == magic else { throw problem("不是 GovShare 备份文件", "Not a GovShare backup file") }
        guard FileManager.default.createFile(atPath: plain, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: plain)
        else { throw problem("无法写入恢复文件", "Cannot write \(plain)") }
        defer { try? output.close() }
        var index = 0
        var sawLast = false
        while let header = try input.read(upToCount: 4), !header.isEmpty {
            guard header.count == 4, !sawLast else { throw problem("备份文件已截断或被改动", "The backup file is cut or altered") }
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            guard length > 28, length <= chunkSize + 28, let sealed = try input.read(upToCount: length), sealed.count == length else {
                throw problem("备份文件已截断或被改动", "The backup file is cut or altered")
            }
            let plainChunk: Data
            if let opened = try? crypto.sm4GCMOpen(sealed, key: key, associatedData: associatedData(id: id, index: index, last: false)) {
                plainChunk = opened
            } else {
                plainChunk = try crypto.sm4GCMOpen(sealed, key: key, associatedData: associatedData(id: id, index: index, last: true))
                sawLast = true
            }
            try output.write(contentsOf: plainChunk)
            index += 1
        }
        guard sawLast else { throw problem("备份文件已截断", "The backup file is cut short") }
        try output.synchronize()
    }

    public static func problem(_ zh: String, _ en: String) -> DomainError {
        DomainError(.invalid, code: "backup_invalid", message: LocalizedText(zh: zh, en: en))
    }
}

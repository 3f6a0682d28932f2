import Crypto
import Foundation
import GovShareCore

/// File contents under `<data dir>/files/<sha256>`, written to a temporary name and renamed, checked on every read.
public struct LocalFileStore: FileStore {
    let directory: String
    public init(directory: String) { self.directory = directory }

    public func put(_ bytes: [UInt8]) async throws -> (sha256: String, size: Int) {
        let digest = Hex.encode(SHA256.hash(data: bytes))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(digest)
        if !FileManager.default.fileExists(atPath: path) {
            let temporary = path + ".partial-" + UUID().uuidString
            try Data(bytes).write(to: URL(fileURLWithPath: temporary), options: .atomic)
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        }
        return (digest, bytes.count)
    }

    public func get(sha256: String) async throws -> [UInt8] {
        guard sha256.range(of: "^[0-9a-f]{64}$", options: .regularExpression) != nil,
            let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(sha256))
        else {
            throw DomainError.notFound("File content", zh: "文件内容")
        }
        guard Hex.encode(SHA256.hash(data: data)) == sha256 else {
            throw DomainError(
                .unavailable, code: "checksum_mismatch",
                message: LocalizedText(zh: "文件校验和不符，文件可能已损坏或被篡改", en: "The file does not match its checksum; it may be damaged or altered"))
        }
        return Array(data)
    }
}

import Foundation
import GovShareCore

/// Key custody with the key-encryption key (KEK) in a file outside the data directory (`key_file`, default
/// `<data_dir>-keys/govshare.kek`): 16 random bytes, hex, mode 0600, created on the first start. Wrapped keys are
/// SM4-GCM with the label as associated data. A copied database holds only wrapped keys; the KEK file is backed up
/// separately (docs/seals.md). PKCS#11 (SoftHSM2, an HSM) is not implemented: see docs/seals.md.
public struct FileKeyCustody: KeyCustody {
    public let path: String
    private let kek: Data
    private let crypto: any NationalCrypto
    public let keyEncryptionKeyId: String

    public var custodyDescription: String { "file:\(path)" }

    /// Reads the KEK, creating it (and its directory, 0700) when `create` and the file does not exist.
    public init(path: String, crypto: any NationalCrypto, create: Bool) throws {
        self.path = path
        self.crypto = crypto
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard create else { throw Self.problem("密钥加密密钥文件不存在：\(path)", "The key-encryption key file does not exist: \(path)") }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let hex = Hex.encode(crypto.randomBytes(16)) + "\n"
            // O_EXCL: two processes starting at once keep the first key.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
                close(fd)
                guard written == hex.utf8.count else {
                    try? manager.removeItem(atPath: path)
                    throw Self.problem("无法写入密钥加密密钥文件：\(path)", "Could not write the key-encryption key file: \(path)")
                }
            }
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 16
        else {
            throw Self.problem(
                "密钥加密密钥文件无效（应为 32 个十六进制字符）：\(path)", "The key-encryption key file is invalid (expected 32 hex characters): \(path)")
        }
        if let attributes = try? manager.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
        {
            throw Self.problem(
                "密钥加密密钥文件权限过宽（应为 0600）：\(path)", "The key-encryption key file is readable by others (chmod 600): \(path)")
        }
        kek = Data(bytes)
        keyEncryptionKeyId = "sm3:" + Hex.encode(crypto.sm3(Data("govshare-kek".utf8) + kek).prefix(8))
    }

    public func wrap(_ secret: Data, label: String) throws -> Data {
        try crypto.sm4GCMSeal(secret, key: kek, associatedData: Data(label.utf8))
    }

    public func unwrap(_ wrapped: Data, label: String) throws -> Data {
        try crypto.sm4GCMOpen(wrapped, key: kek, associatedData: Data(label.utf8))
    }

    static func problem(_ zh: String, _ en: String) -> DomainError {
        DomainError(.unavailable, code: "key_custody", message: LocalizedText(zh: zh, en: en))
    }
}

import Foundation
import GovShareCore
import Synchronization

/// Key custody with the key-encryption key (KEK) in a file outside the data directory (`key_file`, default
/// `<data_dir>-keys/govshare.kek`): 16 random bytes, hex, mode 0600, created on the first start. Wrapped keys are
/// SM4-GCM with the label as associated data. A copied database holds only wrapped keys; the KEK file is backed up
/// separately (docs/seals.md). PKCS#11 (SoftHSM2, an HSM) is not implemented: see docs/seals.md.
public struct FileKeyCustody: RotatableKeyCustody {
    public let path: String
    private let crypto: any NationalCrypto
    /// The current KEK and every retired one met so far, by id; re-read from the directory when a row names an id
    /// not held (another process rotated) and when the key file was replaced (checked by inode and size before a wrap).
    private let state: LockedState

    struct State {
        var currentId: String
        var keys: [String: Data]
        var fileStamp: String
    }

    /// The state behind a `Mutex` (a class, so the custody stays a copyable struct that shares one state).
    final class LockedState: Sendable {
        private let value: Mutex<State>
        init(_ value: State) { self.value = Mutex(value) }
        func withLock<R: Sendable>(_ body: (inout State) throws -> R) rethrows -> R {
            try value.withLock { try body(&$0) }
        }
    }

    public var custodyDescription: String { "file:\(path)" }
    /// The current KEK's id, re-read when another process (a rotation) replaced the key file.
    public var keyEncryptionKeyId: String {
        if Self.stamp(path) != state.withLock({ $0.fileStamp }) { try? reload() }
        return state.withLock { $0.currentId }
    }
    /// Where a rotation prepares the next KEK before making it current.
    var nextPath: String { path + ".next" }

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
            try Self.createKeyFile(path, content: crypto.randomBytes(16))
        }
        let kek = try Self.readKeyFile(path)
        let id = Self.identifier(of: kek, crypto: crypto)
        state = LockedState(State(currentId: id, keys: [id: kek], fileStamp: Self.stamp(path)))
    }

    public func wrap(_ secret: Data, label: String) throws -> Data {
        if Self.stamp(path) != state.withLock({ $0.fileStamp }) { try reload() }
        let kek = state.withLock { $0.keys[$0.currentId] ?? Data() }
        return try crypto.sm4GCMSeal(secret, key: kek, associatedData: Data(label.utf8))
    }

    public func unwrap(_ wrapped: Data, label: String, keyEncryptionKeyId id: String) throws -> Data {
        var kek = state.withLock { $0.keys[id] }
        if kek == nil {
            try reload()
            kek = state.withLock { $0.keys[id] }
        }
        guard let kek else {
            throw DomainError(
                .unavailable, code: "key_encryption_key_missing",
                message: LocalizedText(
                    zh: "密钥加密密钥 \(id) 不在密钥目录中（应为 \(retiredPath(id)) 或 \(path)）：由它加密的密钥无法解开",
                    en:
                        "The key-encryption key \(id) is not in the key directory (expected \(retiredPath(id)) or \(path)); keys it wrapped cannot be opened"
                ))
        }
        do {
            return try crypto.sm4GCMOpen(wrapped, key: kek, associatedData: Data(label.utf8))
        } catch {
            // A key wrapped while another process switched the KEK may name the new id but be under the old key (or
            // the reverse): GCM tells which key is right, so try the others held before failing.
            let others = state.withLock { $0.keys.filter { $0.key != id }.map(\.value) }
            for other in others {
                if let opened = try? crypto.sm4GCMOpen(wrapped, key: other, associatedData: Data(label.utf8)) { return opened }
            }
            throw error
        }
    }

    /// Crash-safe at every step: (1) the next KEK is written to `<key_file>.next` (kept if it exists: a rerun reuses it),
    /// (2) the current one is copied to `<key_file>.retired-<id>`, (3) `.next` is renamed over the key file. A kill
    /// leaves either the old key current with `.next` waiting, or the new one current with the old one retired.
    public func rotateKeyEncryptionKey() throws -> (previous: String, current: String) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: nextPath) { try Self.createKeyFile(nextPath, content: crypto.randomBytes(16)) }
        let next = try Self.readKeyFile(nextPath)
        let nextId = Self.identifier(of: next, crypto: crypto)
        let old = try Self.readKeyFile(path)
        let oldId = Self.identifier(of: old, crypto: crypto)
        if oldId != nextId {
            let retired = retiredPath(oldId)
            if !manager.fileExists(atPath: retired) {
                let temporary = retired + ".tmp"
                try? manager.removeItem(atPath: temporary)
                try Self.createKeyFile(temporary, content: old)
                guard rename(temporary, retired) == 0 else {
                    throw Self.problem("无法保存旧密钥加密密钥：\(retired)", "Could not keep the previous key-encryption key: \(retired)")
                }
            }
        }
        guard rename(nextPath, path) == 0 else {
            throw Self.problem("无法启用新密钥加密密钥：\(path)", "Could not make the new key-encryption key current: \(path)")
        }
        Self.syncDirectory(of: path)
        try reload()
        return (oldId, nextId)
    }

    public func retiredKeyEncryptionKeyIds() throws -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".retired-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && !$0.hasSuffix(".tmp") }.sorted().map { "sm3:" + $0.dropFirst(prefix.count) }
    }

    public func rotationPending() -> Bool { FileManager.default.fileExists(atPath: nextPath) }

    /// `<key_file>.retired-<hex of the id>`.
    func retiredPath(_ id: String) -> String { path + ".retired-" + id.replacingOccurrences(of: "sm3:", with: "") }

    /// Re-reads the current key file and every retired one beside it.
    private func reload() throws {
        let kek = try Self.readKeyFile(path)
        let currentId = Self.identifier(of: kek, crypto: crypto)
        var keys = [currentId: kek]
        for id in try retiredKeyEncryptionKeyIds() {
            if let retired = try? Self.readKeyFile(retiredPath(id)), Self.identifier(of: retired, crypto: crypto) == id {
                keys[id] = retired
            }
        }
        let stamp = Self.stamp(path)
        state.withLock { state in
            state.currentId = currentId
            state.fileStamp = stamp
            state.keys.merge(keys) { $1 }
        }
    }

    static func identifier(of kek: Data, crypto: any NationalCrypto) -> String {
        "sm3:" + Hex.encode(crypto.sm3(Data("govshare-kek".utf8) + kek).prefix(8))
    }

    /// Inode and size: a rename over the key file changes the inode.
    static func stamp(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "" }
        return "\(info.st_ino):\(info.st_size)"
    }

    /// Writes 16 random bytes (or `content`) in hex, 0600, O_EXCL (two processes at once keep the first), fsynced.
    static func createKeyFile(_ path: String, content: Data) throws {
        let hex = Hex.encode(content) + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { return }
            throw problem("无法创建密钥加密密钥文件：\(path)", "Could not create the key-encryption key file: \(path)")
        }
        let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        fsync(fd)
        close(fd)
        guard written == hex.utf8.count else {
            try? FileManager.default.removeItem(atPath: path)
            throw problem("无法写入密钥加密密钥文件：\(path)", "Could not write the key-encryption key file: \(path)")
        }
    }

    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func readKeyFile(_ path: String) throws -> Data {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 16
        else {
            throw problem(
                "密钥加密密钥文件无效（应为 32 个十六进制字符）：\(path)", "The key-encryption key file is invalid (expected 32 hex characters): \(path)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
        {
            throw problem(
                "密钥加密密钥文件权限过宽（应为 0600）：\(path)", "The key-encryption key file is readable by others (chmod 600): \(path)")
        }
        return Data(bytes)
    }

    static func problem(_ zh: String, _ en: String) -> DomainError {
        DomainError(.unavailable, code: "key_custody", message: LocalizedText(zh: zh, en: en))
    }
}

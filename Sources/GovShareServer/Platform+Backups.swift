import Foundation
import GovShareCore
import GovShareCrypto
import GovShareStore
import Logging

/// Which process makes a backup (`host:pid`), and whether a recorded one still runs on this host.
enum ProcessOwner {
    static var current: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// A process on another host is taken as alive (only its own host can tell); on this host, `kill(pid, 0)`.
    @Sendable static func isAlive(_ owner: String) -> Bool {
        guard let colon = owner.lastIndex(of: ":"), let pid = Int32(owner[owner.index(after: colon)...]) else { return false }
        guard String(owner[..<colon]) == ProcessInfo.processInfo.hostName else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

extension Platform {
    /// `govshare restore`: verifies the backup and loads it into the empty target the configuration names (its data
    /// directory, or its PostgreSQL database), before any platform is opened on it; returns the manifest.
    public static func restoreBackup(_ path: String, config: GovShareConfig, logger: Logger) async throws -> BackupManifest {
        let crypto = OpenSSLNationalCrypto()
        let custody = try FileKeyCustody(path: config.keyFilePath, crypto: crypto, create: false)
        let target = SQLBackupRestoreTarget(
            sqlitePath: config.databaseURL == nil ? config.sqlitePath : nil, postgresURL: config.databaseURL,
            schema: config.databaseSchema, logger: logger)
        let work = config.databaseURL == nil ? config.dataDirectory : NSTemporaryDirectory()
        return try await BackupRestoreService(crypto: crypto, custody: custody, target: target).restore(path, workDirectory: work)
    }

    /// Checks a backup's signature and digest without restoring it (`govshare restore --verify-only`).
    public static func verifyBackup(_ path: String) throws -> BackupManifest {
        let crypto = OpenSSLNationalCrypto()
        struct NoCustody: KeyCustody {
            var keyEncryptionKeyId: String { "" }
            var custodyDescription: String { "none" }
            func wrap(_ secret: Data, label: String) throws -> Data { throw BackupFile.problem("无密钥", "No key") }
            func unwrap(_ wrapped: Data, label: String, keyEncryptionKeyId: String) throws -> Data {
                throw BackupFile.problem("无密钥", "No key")
            }
        }
        struct NoTarget: BackupRestoreTarget {
            var databaseKind: String { "" }
            func whyNotEmpty() async throws -> String? { "verification only" }
            func load(dump path: String) async throws {}
        }
        return try BackupRestoreService(crypto: crypto, custody: NoCustody(), target: NoTarget()).verify(path).manifest
    }
}

import Foundation

/// One registered backup (Art. 26): who made it, when, how large, its SM3 digest and where it is. A row is `running`
/// while the backup is made, then `completed` or `failed`; a backup killed mid-way is marked `failed` by the next start.
public struct BackupRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case running, completed, failed
        public var name: LocalizedText {
            switch self {
            case .running: LocalizedText(zh: "进行中", en: "running")
            case .completed: LocalizedText(zh: "已完成", en: "completed")
            case .failed: LocalizedText(zh: "失败", en: "failed")
            }
        }
    }
    public let id: String
    public let nodeId: String
    public var status: Status
    public let startedAt: String
    public var finishedAt: String?
    public var sizeBytes: Int64?
    public var sm3: String?
    /// The encrypted file's path on the node that made it.
    public let location: String
    public let createdBy: String
    public let databaseKind: String
    public var schemaVersion: Int
    public var auditSeq: Int64?
    public var auditHash: String?
    public var keyEncryptionKeyId: String?
    public var error: String?
    /// `host:pid` of the process making it, so a later start can tell a killed backup from one still running.
    public let owner: String

    public init(
        id: String, nodeId: String, status: Status, startedAt: String, finishedAt: String? = nil, sizeBytes: Int64? = nil,
        sm3: String? = nil, location: String, createdBy: String, databaseKind: String, schemaVersion: Int,
        auditSeq: Int64? = nil, auditHash: String? = nil, keyEncryptionKeyId: String? = nil, error: String? = nil, owner: String
    ) {
        self.id = id; self.nodeId = nodeId; self.status = status; self.startedAt = startedAt; self.finishedAt = finishedAt
        self.sizeBytes = sizeBytes; self.sm3 = sm3; self.location = location; self.createdBy = createdBy
        self.databaseKind = databaseKind; self.schemaVersion = schemaVersion; self.auditSeq = auditSeq
        self.auditHash = auditHash; self.keyEncryptionKeyId = keyEncryptionKeyId; self.error = error; self.owner = owner
    }
}

/// What a consistent dump holds, read from the same snapshot as the dump itself.
public struct BackupSnapshot: Sendable, Equatable, Codable {
    public let databaseKind: String
    public let schemaVersion: Int
    public let auditSeq: Int64
    public let auditHash: String
    public let rowCounts: [String: Int64]
    public init(databaseKind: String, schemaVersion: Int, auditSeq: Int64, auditHash: String, rowCounts: [String: Int64]) {
        self.databaseKind = databaseKind; self.schemaVersion = schemaVersion; self.auditSeq = auditSeq
        self.auditHash = auditHash; self.rowCounts = rowCounts
    }
}

public protocol BackupRepository: Sendable {
    func insert(_ record: BackupRecord, audit: AuditRecord) async throws
    /// Updates the row (status, finish, digest …) with its audit entry in one transaction.
    func update(_ record: BackupRecord, audit: AuditRecord) async throws
    /// Newest first.
    func list(limit: Int) async throws -> [BackupRecord]
    func running(nodeId: String) async throws -> [BackupRecord]
}

/// The database side of a backup (the store): a consistent dump and its snapshot, and a restore into an empty target.
public protocol BackupDumper: Sendable {
    var databaseKind: String { get }
    /// Writes a consistent copy of the whole database to `path` (SQLite `VACUUM INTO`, PostgreSQL `pg_dump -Fc`) and
    /// returns the row counts and audit head of that same copy.
    func dump(to path: String) async throws -> BackupSnapshot
    /// What the live database holds now (after a restore, to compare with the manifest).
    func snapshot() async throws -> BackupSnapshot
}

/// Where the CLI restores to (opened before any platform exists, so nothing is created in it first).
public protocol BackupRestoreTarget: Sendable {
    var databaseKind: String { get }
    /// Nil when empty; else why it is not (a refused restore changes nothing).
    func whyNotEmpty() async throws -> String?
    func load(dump path: String) async throws
}

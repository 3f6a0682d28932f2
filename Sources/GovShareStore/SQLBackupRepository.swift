import Foundation
import GovShareCore
import SQLKit

/// The `backups` registry (migration 34).
public struct SQLBackupRepository: BackupRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insert(_ r: BackupRecord, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                INSERT INTO backups (id, node_id, status, started_at, location, created_by, database_kind, schema_version, owner)
                VALUES (\(bind: r.id), \(bind: r.nodeId), \(bind: r.status.rawValue), \(bind: r.startedAt), \(bind: r.location),
                \(bind: r.createdBy), \(bind: r.databaseKind), \(bind: r.schemaVersion), \(bind: r.owner))
                """
            ).run()
        }
    }

    public func update(_ r: BackupRecord, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                UPDATE backups SET status = \(bind: r.status.rawValue), finished_at = \(bind: r.finishedAt), size_bytes = \(bind: r.sizeBytes),
                sm3 = \(bind: r.sm3), schema_version = \(bind: r.schemaVersion), audit_seq = \(bind: r.auditSeq),
                audit_hash = \(bind: r.auditHash), kek_id = \(bind: r.keyEncryptionKeyId), error = \(bind: r.error)
                WHERE id = \(bind: r.id)
                """
            ).run()
        }
    }

    public func list(limit: Int) async throws -> [BackupRecord] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM backups ORDER BY started_at DESC, id DESC LIMIT \(bind: limit)").all().map(Self.record)
        }
    }

    public func running(nodeId: String) async throws -> [BackupRecord] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM backups WHERE status = 'running' AND node_id = \(bind: nodeId)").all().map(Self.record)
        }
    }

    static func record(_ row: any SQLRow) throws -> BackupRecord {
        BackupRecord(
            id: try row.string("id"), nodeId: try row.string("node_id"),
            status: BackupRecord.Status(rawValue: try row.string("status")) ?? .failed, startedAt: try row.string("started_at"),
            finishedAt: try row.optionalString("finished_at"), sizeBytes: try row.decode(column: "size_bytes", as: Int64?.self),
            sm3: try row.optionalString("sm3"), location: try row.string("location"), createdBy: try row.string("created_by"),
            databaseKind: try row.string("database_kind"), schemaVersion: try row.decode(column: "schema_version", as: Int.self),
            auditSeq: try row.decode(column: "audit_seq", as: Int64?.self), auditHash: try row.optionalString("audit_hash"),
            keyEncryptionKeyId: try row.optionalString("kek_id"), error: try row.optionalString("error"),
            owner: try row.optionalString("owner") ?? "")
    }
}

/// Every row holding a key wrapped by the KEK, by kind (`WrappedKeyKind`), for `govshare keys status` and `rotate`.
public struct SQLWrappedKeyRepository: WrappedKeyRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    /// Table, id column and wrapped columns of each kind.
    static func layout(_ kind: WrappedKeyKind) -> (table: String, id: String, columns: [String]) {
        switch kind {
        case .platformSigningKey: ("platform_signing_keys", "id", ["wrapped_private_key"])
        case .platformSymmetricKey: ("platform_keys", "name", ["wrapped_key"])
        case .seal: ("seals", "id", ["wrapped_private_key"])
        case .datasetKey: ("dataset_keys", "id", ["wrapped_key", "wrapped_index_key"])
        }
    }

    func existingKinds(on db: any SQLDatabase) async throws -> [WrappedKeyKind] {
        let tables = Set(try await SQLBackupDumper.tables(on: db, kind: context.database.kind))
        return WrappedKeyKind.allCases.filter { tables.contains(Self.layout($0).table) }
    }

    public func counts() async throws -> [WrappedKeyCount] {
        try await context.database.withConnection { db in
            var out: [WrappedKeyCount] = []
            for kind in try await existingKinds(on: db) {
                let layout = Self.layout(kind)
                let rows = try await db.raw(
                    """
                    SELECT kek_id, COUNT(*) AS n FROM \(unsafeRaw: layout.table) WHERE kek_id IS NOT NULL GROUP BY kek_id ORDER BY kek_id
                    """
                ).all()
                for row in rows {
                    out.append(
                        WrappedKeyCount(
                            kind: kind, keyEncryptionKeyId: try row.string("kek_id"), rows: try row.decode(column: "n", as: Int.self)))
                }
            }
            return out
        }
    }

    public func rowsNotUnder(_ currentId: String, limit: Int) async throws -> [WrappedKeyRow] {
        try await context.database.withConnection { db in
            var out: [WrappedKeyRow] = []
            for kind in try await existingKinds(on: db) where out.count < limit {
                let layout = Self.layout(kind)
                let columns = ([layout.id + " AS row_id", "kek_id"] + layout.columns).joined(separator: ", ")
                let rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: layout.table)
                    WHERE kek_id IS NOT NULL AND kek_id <> \(bind: currentId) ORDER BY \(unsafeRaw: layout.id) LIMIT \(bind: limit - out.count)
                    """
                ).all()
                for row in rows {
                    var wrapped: [String: Data] = [:]
                    for column in layout.columns { wrapped[column] = try row.decode(column: column, as: Data.self) }
                    out.append(
                        WrappedKeyRow(
                            kind: kind, id: try row.string("row_id"), wrapped: wrapped, keyEncryptionKeyId: try row.string("kek_id")))
                }
            }
            return out
        }
    }

    public func rewrap(_ rows: [(row: WrappedKeyRow, wrapped: [String: Data])], to newId: String, audit: AuditRecord) async throws -> Int {
        let context = self.context
        return try await context.database.transaction { db in
            var changed = 0
            for (row, wrapped) in rows {
                let layout = Self.layout(row.kind)
                var sets: [SQLQueryString] = []
                for column in layout.columns {
                    guard let bytes = wrapped[column] else { continue }
                    sets.append("\(unsafeRaw: column) = \(bind: bytes)")
                }
                sets.append("kek_id = \(bind: newId)")
                let assignment = sets.joined(separator: ", ")
                let updated = try await db.raw(
                    """
                    UPDATE \(unsafeRaw: layout.table) SET \(assignment)
                    WHERE \(unsafeRaw: layout.id) = \(bind: row.id) AND kek_id = \(bind: row.keyEncryptionKeyId) RETURNING \(unsafeRaw: layout.id)
                    """
                ).all()
                changed += updated.count
            }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return changed
        }
    }

    public func backupCounts() async throws -> [String: Int] {
        try await context.database.withConnection { db in
            var out: [String: Int] = [:]
            for row in try await db.raw(
                "SELECT kek_id, COUNT(*) AS n FROM backups WHERE status = 'completed' AND kek_id IS NOT NULL GROUP BY kek_id"
            ).all() {
                out[try row.string("kek_id")] = try row.decode(column: "n", as: Int.self)
            }
            return out
        }
    }
}

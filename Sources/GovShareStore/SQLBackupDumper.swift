import Foundation
import GovShareCore
import Logging
import SQLKit

/// Consistent online copies of the whole database (Art. 26). SQLite: `VACUUM INTO` on the writer connection (one
/// transaction's view), then the row counts and audit head are read from the copy itself. PostgreSQL: a REPEATABLE READ
/// transaction exports its snapshot, reads the counts and head, and `pg_dump --snapshot` dumps exactly that snapshot.
public struct SQLBackupDumper: BackupDumper {
    let context: StoreContext
    /// PostgreSQL only: the connection URL and schema `pg_dump` reads.
    let postgresURL: String?
    let schema: String?

    public init(context: StoreContext, postgresURL: String?, schema: String?) {
        self.context = context; self.postgresURL = postgresURL; self.schema = schema
    }

    public var databaseKind: String { context.database.kind.rawValue }

    public func dump(to path: String) async throws -> BackupSnapshot {
        try? FileManager.default.removeItem(atPath: path)
        switch context.database.kind {
        case .sqlite:
            try await context.database.withWriter { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
            chmod(path, 0o600)
            let copy = try GovShareDatabase.sqlite(path: path, logger: context.database.logger, readersPerLoop: 1)
            do {
                // Only the read-only connections are opened: the copy is read, never changed.
                let snapshot = try await copy.withConnection { db in try await Self.snapshot(on: db, kind: .sqlite) }
                await copy.shutdown()
                return snapshot
            } catch {
                await copy.shutdown()
                throw error
            }
        case .postgres:
            guard let postgresURL else { throw BackupFile.problem("未配置 PostgreSQL 地址", "No PostgreSQL URL for pg_dump") }
            let (url, password) = ExternalTool.connection(postgresURL)
            let schema = self.schema
            return try await context.database.transaction { db in
                try await db.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                guard let row = try await db.raw("SELECT pg_export_snapshot() AS snapshot").first() else {
                    throw BackupFile.problem("无法导出快照", "Could not export a snapshot")
                }
                let snapshotId = try row.decode(column: "snapshot", as: String.self)
                let snapshot = try await Self.snapshot(on: db, kind: .postgres)
                var arguments = ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshotId)", "--file=\(path)"]
                if let schema { arguments.append("--schema=\(schema)") }
                arguments.append("--dbname=\(url)")
                try await ExternalTool.run("pg_dump", arguments: arguments, password: password)
                chmod(path, 0o600)
                return snapshot
            }
        }
    }

    public func snapshot() async throws -> BackupSnapshot {
        let kind = context.database.kind
        return try await context.database.withConnection { db in try await Self.snapshot(on: db, kind: kind) }
    }

    /// Schema version, audit head and the row count of every table, read on one connection (in the caller's snapshot).
    static func snapshot(on db: any SQLDatabase, kind: GovShareDatabase.Kind) async throws -> BackupSnapshot {
        let tables = try await Self.tables(on: db, kind: kind)
        var counts: [String: Int64] = [:]
        for table in tables {
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            counts[table] =
                try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: quoted)").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
        let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
        let version = try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()
        return BackupSnapshot(
            databaseKind: kind.rawValue, schemaVersion: try version?.decode(column: "v", as: Int.self) ?? 0,
            auditSeq: try head?.decode(column: "seq", as: Int64.self) ?? 0,
            auditHash: try head?.decode(column: "hash", as: String.self) ?? "",
            rowCounts: counts)
    }

    static func tables(on db: any SQLDatabase, kind: GovShareDatabase.Kind) async throws -> [String] {
        let sql: SQLQueryString =
            kind == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        return try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
    }
}

/// Where `govshare restore` writes: an empty SQLite data directory, or an empty PostgreSQL database (or schema).
public struct SQLBackupRestoreTarget: BackupRestoreTarget {
    let sqlitePath: String?
    let postgresURL: String?
    let schema: String?
    let logger: Logger

    public init(sqlitePath: String?, postgresURL: String?, schema: String?, logger: Logger) {
        self.sqlitePath = sqlitePath; self.postgresURL = postgresURL; self.schema = schema; self.logger = logger
    }

    public var databaseKind: String { postgresURL == nil ? "sqlite" : "postgres" }

    public func whyNotEmpty() async throws -> String? {
        if let postgresURL {
            let database = try GovShareDatabase.postgres(url: postgresURL, schema: schema, logger: logger, connectionsPerLoop: 1)
            do {
                let count = try await database.withConnection { db in
                    try await db.raw(
                        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
                    ).first()?.decode(column: "n", as: Int64.self) ?? 0
                }
                await database.shutdown()
                return count > 0 ? "\(count) tables in the database" : nil
            } catch {
                await database.shutdown()
                throw error
            }
        }
        guard let sqlitePath else { return "no target" }
        let directory = (sqlitePath as NSString).deletingLastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.isEmpty ? nil : "\(directory) holds \(entries.count) entries"
    }

    public func load(dump path: String) async throws {
        if let postgresURL {
            if let schema {
                // The dump creates its schema itself; an empty one of that name is dropped first.
                let database = try GovShareDatabase.postgres(url: postgresURL, logger: logger, connectionsPerLoop: 1)
                let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                try? await database.withConnection { db in try await db.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: quoted) RESTRICT").run() }
                await database.shutdown()
            }
            let (url, password) = ExternalTool.connection(postgresURL)
            try await ExternalTool.run(
                "pg_restore",
                arguments: ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=\(url)", path],
                password: password)
            return
        }
        guard let sqlitePath else { return }
        try FileManager.default.createDirectory(
            atPath: (sqlitePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard rename(path, sqlitePath) == 0 else { throw BackupFile.problem("无法写入数据库文件", "Cannot write \(sqlitePath)") }
    }
}

import AsyncKit
import Foundation
import GovShareCore
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The one database the platform runs on: an embedded SQLite file or a PostgreSQL server, behind SQLKit.
/// Repositories never see which; the few places where the dialects differ ask `kind`.
/// `@unchecked Sendable`: the AsyncKit pools are thread-safe (they hop to their event loop) but predate Sendable.
public final class GovShareDatabase: @unchecked Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let kind: Kind
    public let logger: Logger
    let pool: Pool
    let lookups = LookupCache()

    enum Pool {
        case sqlite(
            writer: EventLoopConnectionPool<SQLiteConnectionSourceWithPragmas>,
            readers: EventLoopGroupConnectionPool<SQLiteConnectionSourceWithPragmas>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    /// SQLite gets one writer connection for every transaction — SQLite serialises writers anyway, and one connection
    /// makes every transaction exclusive without busy retries — and read-only connections (`query_only`) for
    /// everything else, which WAL lets run while the writer commits. Other processes (the CLI) wait on the busy timeout.
    public static func sqlite(
        path: String, logger: Logger, readersPerLoop: Int = 2,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws -> GovShareDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let base = SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true))
        let writer = EventLoopConnectionPool(
            source: SQLiteConnectionSourceWithPragmas(base: base, readOnly: false), maxConnections: 1,
            requestTimeout: .seconds(30), logger: logger, on: group.any())
        let readers = EventLoopGroupConnectionPool(
            source: SQLiteConnectionSourceWithPragmas(base: base, readOnly: true),
            maxConnectionsPerEventLoop: readersPerLoop, requestTimeout: .seconds(30),
            logger: logger, on: group)
        return GovShareDatabase(kind: .sqlite, pool: .sqlite(writer: writer, readers: readers), logger: logger)
    }

    /// `readURLs`: streaming replicas of this primary for the reads that may lag (ReplicaSet says which and when).
    public static func postgres(
        url: String, schema: String? = nil, logger: Logger, connectionsPerLoop: Int = 8, readURLs: [String] = [],
        replicaCheckInterval: Duration = .milliseconds(250), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws -> GovShareDatabase {
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema { configuration.searchPath = [schema] }
        let source = PostgresConnectionSource(sqlConfiguration: configuration)
        let pool = EventLoopGroupConnectionPool(
            source: source, maxConnectionsPerEventLoop: connectionsPerLoop,
            requestTimeout: .seconds(30), logger: logger, on: group)
        let replicas =
            readURLs.isEmpty
            ? nil
            : try ReplicaSet(
                urls: readURLs, schema: schema, connectionsPerLoop: connectionsPerLoop, interval: replicaCheckInterval, logger: logger,
                group: group)
        let database = GovShareDatabase(kind: .postgres, pool: .postgres(pool), logger: logger, replicas: replicas)
        replicas?.start { [weak database] in
            guard let database else { throw CancellationError() }
            return try await database.withConnection { db in
                try await db.raw("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn").first()?.decode(
                    column: "lsn", as: Int64.self) ?? 0
            }
        }
        return database
    }

    let replicas: ReplicaSet?

    private init(kind: Kind, pool: Pool, logger: Logger, replicas: ReplicaSet? = nil) {
        self.kind = kind; self.pool = pool; self.logger = logger; self.replicas = replicas
    }

    /// Whether each read replica is serving reads now (empty without replicas); /healthz shows it.
    public var replicaFreshness: [Bool] { replicas?.freshness ?? [] }

    /// Runs `body` on one connection, outside a transaction, to read: on SQLite a read-only connection (a write there
    /// fails loudly); writes go through `transaction`.
    public func withConnection<R: Sendable>(_ body: @Sendable @escaping (any SQLDatabase) async throws -> R) async throws -> R {
        switch pool {
        case .sqlite(_, let readers):
            let connection = try await readers.requestConnection().get()
            defer { readers.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace))
        case .postgres(let pool):
            let connection = try await pool.requestConnection().get()
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    /// The connection behind a writer's `SQLDatabase`, for what SQLKit's statement builder costs too much on.
    enum DriverConnection: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)

        var postgres: PostgresConnection? { if case .postgres(let c) = self { c } else { nil } }
        var sqlite: SQLiteConnection? { if case .sqlite(let c) = self { c } else { nil } }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<R: Sendable>(_ body: @Sendable @escaping (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction { db, _ in try await body(db) }
    }

    /// A transaction that also gets the driver's connection behind `db`, for the bulk paths below SQLKit: `COPY … FROM
    /// STDIN` on PostgreSQL, statements bound straight from `SQLiteData` on SQLite.
    func transaction<R: Sendable>(_ body: @Sendable @escaping (any SQLDatabase, DriverConnection) async throws -> R) async throws -> R {
        let begin = kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        defer { LookupScope.current?.end() }
        return try await withWriter { db, postgres in
            try await db.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(db, postgres)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The connection that writes (on PostgreSQL any pooled connection).
    func withWriter<R: Sendable>(_ body: @Sendable @escaping (any SQLDatabase) async throws -> R) async throws -> R {
        try await withWriter { db, _ in try await body(db) }
    }

    func withWriter<R: Sendable>(_ body: @Sendable @escaping (any SQLDatabase, DriverConnection) async throws -> R) async throws -> R {
        switch pool {
        case .sqlite(let writer, _):
            let connection = try await writer.requestConnection().get()
            defer { writer.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace), .sqlite(connection))
        case .postgres(let pool):
            let connection = try await pool.requestConnection().get()
            defer { pool.releaseConnection(connection) }
            return try await body(connection.sql(queryLogLevel: .trace), .postgres(connection))
        }
    }

    /// On SQLite, copies the write-ahead log into the database file and empties it, so pages it held before (clear
    /// values a re-encryption replaced) are gone from disk; nothing on PostgreSQL.
    public func truncateWriteAheadLog() async throws {
        guard kind == .sqlite else { return }
        _ = try await withWriter { db in try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").all().count }
    }

    /// Runs `body` only while this process holds the lease `key`, and returns nil at once when another process holds
    /// it: on PostgreSQL a session advisory lock (`pg_try_advisory_lock`) held on one pooled connection for the whole
    /// of `body` and released after it (or by the server when this process dies). Several servers on one database
    /// schema thereby take turns at work meant to run once; nodes in other schemas of the same server have leases of
    /// their own (`AdvisoryLock`). On SQLite (one server per file) `body` always runs.
    public func withLease<R: Sendable>(_ key: Int32, _ body: @Sendable () async throws -> R) async throws -> R? {
        guard case .postgres(let pool) = self.pool else { return try await body() }
        let connection = try await pool.requestConnection().get()
        defer { pool.releaseConnection(connection) }
        let db = connection.sql()
        guard try await db.raw("SELECT \(AdvisoryLock.tryLock(key)) AS held").first()?.decode(column: "held", as: Bool.self) == true
        else { return nil }
        do {
            let result = try await body()
            _ = try await db.raw("SELECT \(AdvisoryLock.unlock(key)) AS released").all()
            return result
        } catch {
            _ = try? await db.raw("SELECT \(AdvisoryLock.unlock(key)) AS released").all()
            throw error
        }
    }

    /// Whether the database answers; used by /healthz.
    public func ping() async -> Bool {
        do {
            return try await withConnection { db in
                try await db.raw("SELECT 1 AS ok").first() != nil
            }
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await replicas?.shutdown()
        switch pool {
        case .sqlite(let writer, let readers):
            try? await writer.close().get()
            try? await readers.shutdownAsync()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }
}

/// Opens SQLite in WAL mode with full fsync on commit (durable), and a busy timeout (set first, so the other pragmas
/// wait for a busy writer instead of failing). Readers are `query_only`: WAL is a property of the file, set by the writer.
struct SQLiteConnectionSourceWithPragmas: ConnectionPoolSource {
    let base: SQLiteConnectionSource
    let readOnly: Bool

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            let pragmas =
                readOnly
                ? ["PRAGMA busy_timeout = 10000", "PRAGMA query_only = 1"]
                // secure_delete: a value overwritten or deleted (a clear value re-encrypted in place) is zeroed in the
                // file, not left in a free page a copied database would still show (docs/encryption-at-rest.md).
                : [
                    "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                    "PRAGMA secure_delete = ON",
                ]
            return pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { chain, pragma in
                chain.flatMap { connection.query(pragma).map { _ in } }
            }.map { connection }
        }
    }
}

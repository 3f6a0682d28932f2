import Foundation
import GovShareCore
import Logging
import NIOPosix
import PostgresKit
import SQLKit

/// Reads a department's PostgreSQL table for a pull: one short-lived connection per fetch, identifiers checked and
/// quoted, values as text (the platform validates them against the items), the watermark compared in its own type.
///
/// Each connection goes only where the outbound policy allows: the host is resolved and every address checked right
/// before connecting, and the connection is made to the checked address (TLS still verifies the name). Every failure
/// to read the source reads the same to the department (`PullSource.unreachable`); the cause is logged at debug level
/// without the URL, password or any value.
public struct PostgresSourceReader: SourceReader {
    let logger: Logger
    let outbound: OutboundPolicy
    let resolver: any HostResolver

    public init(logger: Logger, outbound: OutboundPolicy = OutboundPolicy(), resolver: any HostResolver = SystemResolver()) {
        self.logger = logger; self.outbound = outbound; self.resolver = resolver
    }

    static let watermarkTypes: Set<String> = [
        "smallint", "integer", "bigint", "numeric", "date", "timestamp without time zone",
        "timestamp with time zone", "text", "character varying",
    ]

    static func quoted(_ identifier: String) -> String {
        identifier.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
    }

    public func fetch(_ source: PullSource, keyColumn: String, after cursor: PullCursor?, limit: Int) async throws -> [SourceRow] {
        try await withConnection(source) { db in
            try await read(db, source: source, keyColumn: keyColumn, after: cursor, limit: limit)
        }
    }

    public func countWithoutWatermark(_ source: PullSource) async throws -> Int {
        try await withConnection(source) { db in
            let sql = "SELECT COUNT(*) AS n FROM \(Self.quoted(source.sourceTable)) WHERE \(Self.quoted(source.watermarkColumn)) IS NULL"
            return try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    private func withConnection<R: Sendable>(_ source: PullSource, _ body: (any SQLDatabase) async throws -> R) async throws -> R {
        guard PullSource.isIdentifier(source.sourceTable), PullSource.isIdentifier(source.watermarkColumn),
            source.columnMap.values.allSatisfy(PullSource.isIdentifier)
        else {
            throw DomainError.invalid(field: "source", rule: "identifier", zh: "数据源标识符无效", en: "The source identifiers are not valid")
        }
        do {
            let connection = try await connect(source)
            do {
                let result = try await body(connection.sql())
                try? await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            logger.debug(
                "pull source not read", metadata: ["source": "\(source.id)", "host": "\(source.host)", "cause": "\(Self.describe(error))"])
            throw PullSource.unreachable
        }
    }

    /// A connection to the checked address of the URL's host.
    func connect(_ source: PullSource) async throws -> PostgresConnection {
        guard let scheme = URLComponents(string: source.connectionURL)?.scheme?.lowercased(), ["postgres", "postgresql"].contains(scheme)
        else {
            throw OutboundPolicy.Refused(host: source.host, reason: "not a postgres:// URL")
        }
        let core = try SQLPostgresConfiguration(url: source.connectionURL).coreConfiguration
        guard let rawHost = core.host, let port = core.port else { throw OutboundPolicy.Refused(host: source.host, reason: "no TCP host") }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let address = try await outbound.checkedAddress(host: host, resolver: resolver)
        var pinned = PostgresConnection.Configuration(
            host: address.description, port: port, username: core.username,
            password: core.password, database: core.database, tls: core.tls)
        pinned.options = core.options
        if IPAddress(numeric: host) == nil { pinned.options.tlsServerName = host }
        // The driver's own debug and trace logs may carry statements and values: it logs from info up only.
        var driverLogger = logger
        if driverLogger.logLevel < .info { driverLogger.logLevel = .info }
        return try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: pinned, id: 1,
            logger: driverLogger)
    }

    /// What went wrong, for the log: error codes and kinds, never the server's message text (it can quote values).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            var parts = ["PSQLError \(error.code)"]
            if let state = error.serverInfo?[.sqlState] { parts.append("sqlstate \(state)") }
            if let underlying = error.underlying { parts.append(describe(underlying)) }
            return parts.joined(separator: ", ")
        case let error as OutboundPolicy.Refused: return error.description
        case let error as DomainError: return "\(error.code): \(error.message.en)"
        case let error as IOError: return "IOError errno \(error.errnoCode)"
        default: return String(describing: type(of: error))
        }
    }

    /// Keyset over (watermark in its own type, key as text in byte order): each row is read once however many share
    /// a watermark.
    func read(_ db: some SQLDatabase, source: PullSource, keyColumn: String, after cursor: PullCursor?, limit: Int) async throws
        -> [SourceRow]
    {
        guard PullSource.isIdentifier(keyColumn), !keyColumn.contains(".") else {
            throw DomainError.invalid(field: "column_map", rule: "identifier", zh: "主键源列名无效", en: "The key's source column is not valid")
        }
        let parts = source.sourceTable.split(separator: ".").map(String.init)
        let (schema, table) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
        guard
            let typeRow = try await db.raw(
                """
                SELECT data_type FROM information_schema.columns
                WHERE table_name = \(bind: table) AND column_name = \(bind: source.watermarkColumn)
                  AND (\(bind: schema) = '' OR table_schema = \(bind: schema))
                LIMIT 1
                """
            ).first()
        else {
            throw DomainError.invalid(
                field: "watermark_column", rule: "exists", zh: "源表或水位列不存在", en: "The source table or watermark column does not exist")
        }
        let type = try typeRow.decode(column: "data_type", as: String.self)
        guard Self.watermarkTypes.contains(type) else {
            throw DomainError.invalid(
                field: "watermark_column", rule: "type", zh: "水位列类型不受支持：\(type)", en: "Unsupported watermark type: \(type)")
        }
        let items = source.columnMap.sorted { $0.key < $1.key }
        let selected = items.enumerated().map { "\(Self.quoted($0.element.value))::text AS c\($0.offset)" }.joined(separator: ", ")
        let wm = Self.quoted(source.watermarkColumn)
        let key = "(\(Self.quoted(keyColumn))::text COLLATE \"C\")"
        let select =
            "SELECT \(wm)::text AS _wm, \(key) AS _key, \(selected) FROM \(Self.quoted(source.sourceTable)) WHERE \(wm) IS NOT NULL"
        let order = " ORDER BY \(wm), \(key) LIMIT \(max(1, limit))"
        let rows: [any SQLRow]
        if let cursor {
            rows = try await db.raw(
                """
                \(unsafeRaw: select) AND (\(unsafeRaw: wm) > CAST(\(bind: cursor.watermark) AS \(unsafeRaw: type))
                  OR (\(unsafeRaw: wm) = CAST(\(bind: cursor.watermark) AS \(unsafeRaw: type)) AND \(unsafeRaw: key) > \(bind: cursor.key ?? "")))\(unsafeRaw: order)
                """
            ).all()
        } else {
            rows = try await db.raw(SQLQueryString(select + order)).all()
        }
        return try rows.map { row in
            var values: [String: String?] = [:]
            for (index, item) in items.enumerated() { values[item.key] = try row.decode(column: "c\(index)", as: String?.self) }
            return SourceRow(
                watermark: try row.decode(column: "_wm", as: String.self), key: try row.decode(column: "_key", as: String?.self) ?? "",
                values: values)
        }
    }
}

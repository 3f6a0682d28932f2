import Foundation
import GovShareCore
import PostgresKit
import SQLKit
import SQLiteKit

extension GovShareDatabase {
    /// Runs a read built with SQLKit and returns each row's values by position, read straight from the driver's row
    /// instead of through SQLKit's row model (a dictionary lookup and a `Decoder` per value): the exchange API's pages,
    /// up to 1,000 rows of up to dozens of items per request. `numeric[i]` says how column `i` is read.
    /// `replica`: the rows may come from a fresh streaming replica (ReplicaSet), when there is one.
    public func readCells(
        numeric: [Bool], replica: Bool = false, _ build: @Sendable @escaping (any SQLDatabase) throws -> any SQLExpression
    ) async throws -> [[CellValue]] {
        switch pool {
        case .sqlite(_, let readers):
            let connection = try await readers.requestConnection().get()
            defer { readers.releaseConnection(connection) }
            let (sql, binds) = connection.sql().serialize(try build(connection.sql()))
            let rows = try await connection.query(sql, try binds.map(Self.sqliteValue))
            return rows.map { row in
                row.columns.map { column -> CellValue in
                    switch column.data {
                    case .text(let s): .text(s)
                    case .float(let d): .number(d)
                    case .integer(let i): .number(Double(i))
                    case .null, .blob: .null
                    }
                }
            }
        case .postgres(let primary):
            if replica, let replicas, let chosen = replicas.pick() {
                do {
                    let rows = try await postgresCells(on: chosen.pool, numeric: numeric, build)
                    replicas.recordServed()
                    return rows
                } catch {
                    // A read: answering it again from the primary is safe. The replica serves nothing until the
                    // monitor finds it fresh again.
                    replicas.markStale(chosen)
                }
            }
            return try await postgresCells(on: primary, numeric: numeric, build)
        }
    }

    private func postgresCells(
        on pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, numeric: [Bool],
        _ build: @Sendable @escaping (any SQLDatabase) throws -> any SQLExpression
    ) async throws -> [[CellValue]] {
        let connection = try await pool.requestConnection().get()
        defer { pool.releaseConnection(connection) }
        let (sql, binds) = connection.sql().serialize(try build(connection.sql()))
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case let s as String: bindings.append(s)
            case let d as Double: bindings.append(d)
            case let i as Int: bindings.append(i)
            default: throw DomainError.invalid(field: "filters", rule: "type", zh: "不支持的筛选值类型", en: "Unsupported filter value type")
            }
        }
        var out: [[CellValue]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
            var cells: [CellValue] = []
            cells.reserveCapacity(numeric.count)
            for (i, cell) in row.enumerated() {
                // Integer columns (`_kv`, the key version) come in binary; read as text they would be raw bytes.
                if cell.dataType == .int2 || cell.dataType == .int4 || cell.dataType == .int8 {
                    cells.append(try cell.decode(Int?.self).map { CellValue.number(Double($0)) } ?? .null)
                } else if i < numeric.count, numeric[i] {
                    cells.append(try cell.decode(Double?.self).map(CellValue.number) ?? .null)
                } else {
                    cells.append(try cell.decode(String?.self).map(CellValue.text) ?? .null)
                }
            }
            out.append(cells)
        }
        return out
    }

    private static func sqliteValue(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        switch bind {
        case let s as String: .text(s)
        case let d as Double: .float(d)
        case let i as Int: .integer(i)
        default: try SQLiteDataEncoder().encode(bind)
        }
    }
}

import Foundation
import GovShareCore
import Logging
import NIOCore
import PostgresKit
import SQLKit
import SQLiteKit

/// A streamed batch (issue 19, part 1): rows go into a temporary staging table as they are read — `COPY … FROM
/// STDIN` on PostgreSQL, multi-row inserts on SQLite — then keys repeated within the batch are found with one
/// `GROUP BY`, and the rows land with one `INSERT … SELECT … ON CONFLICT`, all in the import's transaction (a kill
/// leaves nothing behind; the staging table goes with the transaction).
extension SQLDatasetRepository {
    static let stage = "govshare_stage"

    /// What a batch writes: the target's columns (sealed values and blind indexes under encryption at rest).
    struct StagePlan: Sendable {
        let dataset: Dataset
        let keySet: DatasetKeySet?
        let encrypted: [DatasetColumn]
        let keyEncrypted: Bool
        let batchId: String
        let createdAt: String
        /// `_pk, _batch, _updated_at[, _kv]`, then the items, then the blind indexes.
        let columns: [String]

        init(dataset: Dataset, keySet: DatasetKeySet?, batchId: String, createdAt: String) {
            self.dataset = dataset
            self.keySet = keySet
            self.batchId = batchId
            self.createdAt = createdAt
            encrypted = keySet.map { k in dataset.columns.filter { k.encryptedColumns.contains($0.column) } } ?? []
            keyEncrypted = keySet?.encryptedColumns.contains(dataset.keyColumn.column) ?? false
            let meta = keySet == nil ? ["_pk", "_batch", "_updated_at"] : ["_pk", "_batch", "_updated_at", "_kv"]
            columns = meta + dataset.columns.map(\.column) + encrypted.map { SQLDatasetRepository.blindColumn($0.column) }
        }

        /// A row as stored: key (its blind index when the key is encrypted), then values in `columns` order.
        func stored(_ row: ValidRow) throws -> (key: String, cells: [CellValue]) {
            guard let keySet else { return (row.key, [.text(row.key), .text(batchId), .text(createdAt)] + row.values) }
            let sealed = try SQLDatasetRepository.sealRow(row, dataset: dataset, keys: keySet, encrypted: encrypted)
            return (
                sealed.key,
                [.text(sealed.key), .text(batchId), .text(createdAt), .number(Double(keySet.current))] + sealed.values
                    + sealed.indexes.map { $0.map(CellValue.text) ?? .null }
            )
        }

        /// Many rows as stored, sealed on every core at once when the dataset has encrypted items (sealing is most of
        /// a streamed import's work then; the reader goes on with the next chunk meanwhile).
        func stored(_ rows: [(number: Int, row: ValidRow)]) async throws -> [(number: Int, cells: [CellValue])] {
            let parts = keySet == nil ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, rows.count / 250))
            if parts == 1 { return try rows.map { ($0.number, try stored($0.row).cells) } }
            let size = (rows.count + parts - 1) / parts
            return try await withThrowingTaskGroup(of: (Int, [(number: Int, cells: [CellValue])]).self) { group in
                for part in 0..<parts {
                    let slice = Array(rows[min(rows.count, part * size)..<min(rows.count, (part + 1) * size)])
                    group.addTask { (part, try slice.map { ($0.number, try stored($0.row).cells) }) }
                }
                var done = [[(number: Int, cells: [CellValue])]](repeating: [], count: parts)
                for try await (part, cells) in group { done[part] = cells }
                return done.flatMap { $0 }
            }
        }

        func storedKey(_ key: String) -> String {
            keyEncrypted ? keySet!.blindIndex(key, column: dataset.keyColumn.column) : key
        }
    }

    public func applyStreamed(
        to dataset: Dataset, batchId: String, createdAt: String, fill: @escaping @Sendable (any ReportRowSink) async throws -> Void,
        finish: @escaping @Sendable (StagedConflicts) async throws -> (ReportBatch, AuditRecord)
    ) async throws {
        let context = self.context
        let table = dataset.tableName, stage = Self.stage
        let staged = try await context.database.transaction { db, driver -> Int in
            // The page cache of SQLite's one writer connection is 2 MB; a load gets 32 MB for its transaction.
            let sqlite = context.database.kind == .sqlite
            if sqlite { try await db.raw("PRAGMA cache_size = -32768").run() }
            do {
                let plan = StagePlan(dataset: dataset, keySet: try await writeKeys(dataset, on: db), batchId: batchId, createdAt: createdAt)
                // Rows whose key is still in clear form (a re-encryption under way): a sealed row for the same key must
                // replace them, which needs a statement per chunk beside the staging inserts, so no COPY then.
                var clearRows = false
                if let keySet = plan.keySet, plan.keyEncrypted, dataset.encryptionPending {
                    clearRows =
                        try await db.select().column(SQLLiteral.numeric("1"), as: "x").from(table)
                        .where { Self.storedInClear(dataset.keyColumn.column, keys: keySet, $0) }
                        .limit(1).first() != nil
                }
                try await db.raw(
                    sqlite
                        ? "CREATE TEMP TABLE \(unsafeRaw: stage) AS SELECT 0 AS _row, 0 AS _del, * FROM \(unsafeRaw: table) WHERE 0"
                        : "CREATE TEMP TABLE \(unsafeRaw: stage) (_row BIGINT NOT NULL, _del SMALLINT NOT NULL, LIKE \(unsafeRaw: table)) ON COMMIT DROP"
                ).run()
                let sink: StageSink
                if let connection = driver.postgres, !clearRows {
                    let copy = CopyStageSink(plan: plan)
                    try await connection.copyFrom(table: stage, columns: ["_row", "_del"] + plan.columns, logger: context.database.logger) {
                        writer in
                        copy.writer = writer
                        try await fill(copy)
                        try await copy.flush()
                    }
                    sink = copy
                } else {
                    let insert = InsertStageSink(plan: plan, db: db, sqlite: driver.sqlite, table: table, deleteClearForms: clearRows)
                    do {
                        try await fill(insert)
                    } catch {
                        // Nothing may run on the connection after the rollback: wait for the insert under way.
                        try? await insert.finishWrites()
                        throw error
                    }
                    try await insert.finishWrites()
                    sink = insert
                }
                let conflicts = try await Self.conflicts(plan: plan, deletes: sink.deletes, on: db)
                let (batch, audit) = try await finish(conflicts)
                try await Self.land(plan: plan, rows: sink.rows, deletes: sink.deletes, conflicts: conflicts, sqlite: sqlite, on: db)
                try await Self.record(batch, of: dataset, audit: audit, context: context, on: db)
                return sink.rows
            } catch {
                if sqlite { try? await db.raw("PRAGMA cache_size = -2000").run() }
                throw error
            }
        }
        // After a large batch the planner needs fresh statistics (see `apply`).
        if staged >= 10_000 {
            try await context.database.transaction { db in try await db.raw(SQLQueryString("ANALYZE \(table)")).run() }
        }
    }

    /// Moves the staged rows into the dataset's table, in the batch's transaction: drops the rows a row-by-row batch
    /// refused (all or nothing has thrown before this), deletes what the batch deletes, then one upsert.
    static func land(
        plan: StagePlan, rows: Int, deletes: Int, conflicts: StagedConflicts, sqlite: Bool, on db: any SQLDatabase
    ) async throws {
        let table = plan.dataset.tableName, stage = Self.stage
        if conflicts.total > 0 {
            // The first row of a repeated key lands; later ones and rows whose key is deleted in the batch do not.
            try await db.raw(
                """
                DELETE FROM \(unsafeRaw: stage) WHERE _del = 0 AND (
                  _row > (SELECT MIN(f._row) FROM \(unsafeRaw: stage) f WHERE f._del = 0 AND f._pk = \(unsafeRaw: stage)._pk)
                  OR _pk IN (SELECT _pk FROM \(unsafeRaw: stage) WHERE _del = 1))
                """
            ).run()
        }
        if deletes > 0 {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE _pk IN (SELECT _pk FROM \(unsafeRaw: stage) WHERE _del = 1)").run()
        }
        let columns = plan.columns.joined(separator: ", ")
        let updates = plan.columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        // SQLite: a batch at least as large as the table is loaded without its secondary indexes, which are then built
        // again by sorting (random inserts into five blind-index trees far larger than the page cache cost most of the
        // load), in key order, with a larger page cache for this transaction. Readers keep their snapshot meanwhile
        // (WAL). Not on PostgreSQL, where dropping an index would block the dataset's readers.
        var rebuild: [String] = []
        if sqlite, rows >= 10_000, rows >= plan.dataset.rowCount {
            for index in try await db.raw(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL"
            ).all() {
                try await db.raw("DROP INDEX \(ident: try index.decode(column: "name", as: String.self))").run()
                rebuild.append(try index.decode(column: "sql", as: String.self))
            }
        }
        // `WHERE` before `ON CONFLICT` also keeps SQLite from reading the clause as part of a join.
        try await db.raw(
            """
            INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: stage) WHERE _del = 0
            \(unsafeRaw: sqlite ? "ORDER BY _pk" : "") ON CONFLICT (_pk) DO UPDATE SET \(unsafeRaw: updates)
            """
        ).run()
        for sql in rebuild { try await db.raw(SQLQueryString(sql)).run() }
        if sqlite {
            try await db.raw("DROP TABLE temp.\(unsafeRaw: stage)").run()
            try await db.raw("PRAGMA cache_size = -2000").run()
        }
    }

    /// Staged rows whose key repeats an earlier staged row's or is deleted in the batch. The common case — no repeated
    /// key, no deletes — costs one grouping pass; the detailed query runs only when there is something to find.
    static func conflicts(plan: StagePlan, deletes: Int, on db: any SQLDatabase) async throws -> StagedConflicts {
        let stage = Self.stage
        let repeated =
            try await db.raw(
                "SELECT COUNT(*) AS n FROM (SELECT _pk FROM \(unsafeRaw: stage) WHERE _del = 0 GROUP BY _pk HAVING COUNT(*) > 1) d"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard repeated > 0 || deletes > 0 else { return StagedConflicts(total: 0, first: []) }
        try await db.raw("CREATE INDEX \(unsafeRaw: stage)_pk ON \(unsafeRaw: stage) (_pk, _del, _row)").run()
        let rows = try await db.raw(
            """
            WITH firsts AS (SELECT _pk, MIN(_row) AS first FROM \(unsafeRaw: stage) WHERE _del = 0 GROUP BY _pk),
            conflicts AS (
              SELECT s._row AS rn, s._pk AS pk, CASE WHEN s._row > f.first THEN f.first END AS first_row
              FROM \(unsafeRaw: stage) s JOIN firsts f ON f._pk = s._pk
              WHERE s._del = 0 AND (s._row > f.first OR EXISTS (SELECT 1 FROM \(unsafeRaw: stage) d WHERE d._del = 1 AND d._pk = s._pk)))
            SELECT rn, pk, first_row, (SELECT COUNT(*) FROM conflicts) AS total FROM conflicts ORDER BY rn LIMIT 1000
            """
        ).all()
        let total = try rows.first?.decode(column: "total", as: Int.self) ?? 0
        return StagedConflicts(
            total: total,
            first: try rows.map { row in
                StagedConflicts.Conflict(
                    row: try row.decode(column: "rn", as: Int.self),
                    key: plan.keyEncrypted ? nil : try row.decode(column: "pk", as: String.self),
                    firstRow: try row.decode(column: "first_row", as: Int?.self))
            })
    }
}

/// Counts what a staging sink took.
class StageSink: @unchecked Sendable {
    let plan: SQLDatasetRepository.StagePlan
    var rows = 0
    var deletes = 0
    init(plan: SQLDatasetRepository.StagePlan) { self.plan = plan }
}

/// Rows sent to the staging table with `COPY … FROM STDIN` in PostgreSQL's text format, about 1 MiB per message.
/// Used by the import's one task, hence `@unchecked Sendable`.
final class CopyStageSink: StageSink, ReportRowSink {
    var writer: PostgresCopyFromWriter?
    private var buffer = ByteBuffer()

    func upsert(_ rows: [(number: Int, row: ValidRow)]) async throws {
        for (number, cells) in try await plan.stored(rows) {
            buffer.writeString("\(number)\t0")
            for cell in cells { append(cell) }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        self.rows += rows.count
        if buffer.readableBytes >= 1 << 20 { try await flush() }
    }

    func delete(_ keys: [(number: Int, key: String)]) async throws {
        for (number, key) in keys {
            buffer.writeString("\(number)\t1")
            append(.text(plan.storedKey(key)))
            append(.text(plan.batchId))
            append(.text(plan.createdAt))
            for _ in 0..<(plan.columns.count - 3) { buffer.writeString("\t\\N") }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        deletes += keys.count
    }

    func flush() async throws {
        guard buffer.readableBytes > 0, let writer else { return }
        try await writer.write(buffer)
        buffer.clear()
    }

    /// A tab, then the value with `\`, tab, line feed and carriage return escaped; `\N` for null.
    private func append(_ cell: CellValue) {
        buffer.writeInteger(UInt8(ascii: "\t"))
        switch cell {
        case .null: buffer.writeString("\\N")
        case .number(let d): buffer.writeString(d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : "\(d)")
        case .text(let s):
            if !s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.writeString(s)
                return
            }
            for byte in s.utf8 {
                switch byte {
                case 0x5C: buffer.writeString("\\\\")
                case 0x09: buffer.writeString("\\t")
                case 0x0A: buffer.writeString("\\n")
                case 0x0D: buffer.writeString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }
}

/// Rows sent to the staging table as multi-row inserts (SQLite, and PostgreSQL while clear-form keys remain).
extension SQLDatasetRepository {
    static func cellCountMismatch(_ datasetId: String) -> DomainError {
        DomainError(
            .unavailable, code: "stage_columns",
            message: LocalizedText(
                zh: "数据集 \(datasetId) 的行与其列数不符，批次未写入",
                en: "A row of dataset \(datasetId) does not match its columns; the batch was not written"))
    }
}

final class InsertStageSink: StageSink, ReportRowSink {
    let db: any SQLDatabase
    /// On SQLite, the connection behind `db`: the staging inserts bind `SQLiteData` straight into one statement text
    /// made once per row count, instead of building, serialising and re-encoding a SQLKit insert of a thousand rows
    /// (a tenth of an import's work, measured).
    let sqlite: SQLiteConnection?
    let table: String
    let deleteClearForms: Bool

    init(plan: SQLDatasetRepository.StagePlan, db: any SQLDatabase, sqlite: SQLiteConnection?, table: String, deleteClearForms: Bool) {
        self.db = db; self.sqlite = sqlite; self.table = table; self.deleteClearForms = deleteClearForms
        super.init(plan: plan)
    }

    /// `INSERT INTO stage (_row, _del, columns…) VALUES (?, 0, ?, …), …` for `rows` rows, kept for the next chunk.
    private var statementText: (rows: Int, sql: String)?
    private func insertText(rows: Int, columns: [String]) -> String {
        if let made = statementText, made.rows == rows { return made.sql }
        let tuple = "(?, 0" + String(repeating: ", ?", count: columns.count - 2) + ")"
        let sql =
            "INSERT INTO \(SQLDatasetRepository.stage) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
        statementText = (rows, sql)
        return sql
    }

    static func sqliteData(_ value: CellValue) -> SQLiteData {
        switch value {
        case .text(let s): .text(s)
        case .number(let d): .float(d)
        case .null: .null
        }
    }

    /// The previous chunk's insert, still running on the database's thread while the next chunk is read and sealed.
    private var pending: Task<Void, any Error>?

    func upsert(_ rows: [(number: Int, row: ValidRow)]) async throws {
        // A statement binds (items + 6) values per row: stay under SQLite's 32,766 binds for wide datasets.
        let perStatement = max(1, min(1000, 30_000 / (plan.columns.count + 2)))
        let columns = ["_row", "_del"] + plan.columns
        let stored = try await plan.stored(rows)
        if let sqlite {
            // SQLite leaves a parameter without a value NULL: a row with too few cells would shift silently.
            guard stored.allSatisfy({ $0.cells.count == plan.columns.count }) else {
                throw SQLDatasetRepository.cellCountMismatch(plan.dataset.id)
            }
            let direct = zip(rows.chunked(perStatement), stored.chunked(perStatement)).map { clear, sealed in
                (
                    keys: clear.map(\.row.key), sql: insertText(rows: sealed.count, columns: columns),
                    binds: sealed.flatMap { number, cells in [SQLiteData.integer(number)] + cells.map(Self.sqliteData) }
                )
            }
            try await finishWrites()
            let db = self.db, table = self.table, deleteClearForms = self.deleteClearForms
            pending = Task {
                for statement in direct {
                    if deleteClearForms { try await db.delete(from: table).where("_pk", .in, statement.keys).run() }
                    _ = try await sqlite.query(statement.sql, statement.binds)
                }
            }
            self.rows += rows.count
            return
        }
        let statements = zip(rows.chunked(perStatement), stored.chunked(perStatement)).map { clear, sealed in
            (
                keys: clear.map(\.row.key),
                values: sealed.map { number, cells -> [any SQLExpression] in
                    [SQLBind(number), SQLLiteral.numeric("0")] + cells.map(SQLDatasetRepository.expression(_:))
                }
            )
        }
        try await finishWrites()
        let db = self.db, table = self.table, deleteClearForms = self.deleteClearForms
        pending = Task {
            for statement in statements {
                if deleteClearForms { try await db.delete(from: table).where("_pk", .in, statement.keys).run() }
                try await db.insert(into: SQLDatasetRepository.stage).columns(columns).rows(statement.values).run()
            }
        }
        self.rows += rows.count
    }

    /// Waits for the insert under way (and reports its failure).
    func finishWrites() async throws {
        let running = pending
        pending = nil
        try await running?.value
    }

    func delete(_ keys: [(number: Int, key: String)]) async throws {
        try await finishWrites()
        if deleteClearForms { try await db.delete(from: table).where("_pk", .in, keys.map(\.key)).run() }
        let nulls = [any SQLExpression](repeating: SQLLiteral.null, count: plan.columns.count - 3)
        for chunk in keys.chunked(SQLDatasetRepository.rowsPerStatement) {
            let values = chunk.map { number, key -> [any SQLExpression] in
                [SQLBind(number), SQLLiteral.numeric("1"), SQLBind(plan.storedKey(key)), SQLBind(plan.batchId), SQLBind(plan.createdAt)]
                    + nulls
            }
            try await db.insert(into: SQLDatasetRepository.stage).columns(["_row", "_del"] + plan.columns).rows(values).run()
        }
        deletes += keys.count
    }
}

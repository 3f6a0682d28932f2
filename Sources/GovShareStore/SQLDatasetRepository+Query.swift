import Crypto
import Foundation
import GovShareCore
import SQLKit

extension SQLDatasetRepository {
    public func query(_ dataset: Dataset, columns: [DatasetColumn], _ q: DatasetQuery) async throws -> StoredPage {
        let kind = context.database.kind
        let table = dataset.tableName
        let sortColumn = q.sortItem.flatMap { dataset.column(item: $0) }
        return try await context.database.withConnection { db in
            let symmetricKey = try await loadKey(on: db)
            let cursor = try q.after.map { try Cursor.decode($0, using: symmetricKey) }
            func filtered(_ select: SQLSelectBuilder) {
                for f in q.filters {
                    guard let c = dataset.column(item: f.item) else { continue }
                    let binds: [any SQLExpression] = f.values.map { c.isNumeric ? SQLBind(Double($0) ?? 0) : SQLBind($0) }
                    let column = SQLColumn(c.column)
                    switch f.op {
                    case .eq: select.where(column, .equal, binds[0])
                    case .in: select.where(column, .in, SQLGroupExpression(binds))
                    case .gte: select.where(column, .greaterThanOrEqual, binds[0])
                    case .lte: select.where(column, .lessThanOrEqual, binds[0])
                    case .gt: select.where(column, .greaterThan, binds[0])
                    case .lt: select.where(column, .lessThan, binds[0])
                    case .prefix:
                        select.where(SQLFunction("SUBSTR", args: column, SQLLiteral.numeric("1"), SQLLiteral.numeric(String(f.values[0].count))),
                                     .equal, SQLBind(f.values[0]))
                    }
                }
                if let text = q.text, !text.isEmpty {
                    let textColumns = columns.filter { !$0.isNumeric }
                    select.where { group in
                        textColumns.reduce(group) { g, c in
                            let found: any SQLExpression = kind == .postgres
                                ? SQLFunction("STRPOS", args: SQLColumn(c.column), SQLBind(text))
                                : SQLFunction("INSTR", args: SQLColumn(c.column), SQLBind(text))
                            return g.orWhere(found, .greaterThan, SQLLiteral.numeric("0"))
                        }
                    }
                }
            }
            let select = db.select().column("_pk").columns(columns.map { SQLColumn($0.column) }).from(table)
            filtered(select)
            let direction: SQLDirection = q.descending ? .descending : .ascending
            let sortKey: (any SQLExpression)? = sortColumn.map { c in
                SQLFunction("COALESCE", args: SQLColumn(c.column), c.isNumeric ? SQLLiteral.numeric("-1e300") : SQLLiteral.string(""))
            }
            if let cursor {
                let after: SQLBinaryOperator = q.descending ? .lessThan : .greaterThan
                if let sortKey, let c = sortColumn {
                    let value: any SQLExpression = c.isNumeric ? SQLBind(Double(cursor.value ?? "") ?? -1e300) : SQLBind(cursor.value ?? "")
                    select.where { g in
                        g.where(sortKey, after, value).orWhere { inner in
                            inner.where(sortKey, .equal, value).where(SQLColumn("_pk"), after, SQLBind(cursor.key))
                        }
                    }
                } else {
                    select.where(SQLColumn("_pk"), after, SQLBind(cursor.key))
                }
            }
            if let sortKey { select.orderBy(SQLOrderBy(expression: sortKey, direction: direction)) }
            select.orderBy(SQLOrderBy(expression: SQLColumn("_pk"), direction: direction)).limit(q.limit + 1)
            if let offset = q.offset, offset > 0, cursor == nil { select.offset(offset) }
            let found = try await select.all()
            var keys: [String] = []
            var rows: [[CellValue]] = []
            for row in found.prefix(q.limit) {
                keys.append(try row.string("_pk"))
                rows.append(try columns.map { c in
                    if c.isNumeric { return try row.decode(column: c.column, as: Double?.self).map(CellValue.number) ?? .null }
                    return try row.decode(column: c.column, as: String?.self).map(CellValue.text) ?? .null
                })
            }
            var next: String?
            if found.count > q.limit, let lastKey = keys.last {
                let sortIndex = sortColumn.flatMap { s in columns.firstIndex { $0.itemCode == s.itemCode } }
                next = try Cursor(value: sortIndex.map { rows[rows.count - 1][$0].text ?? "" }, key: lastKey).encoded(using: symmetricKey)
            }
            var total: Int?
            if q.withTotal {
                let count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                filtered(count)
                total = try await count.first()?.decode(column: "n", as: Int.self)
            }
            return StoredPage(keys: keys, rows: rows, nextCursor: next, total: total)
        }
    }

    /// The keyed reference of one record: HMAC-SHA256 over dataset and primary key with the node's read-ref key.
    static func reference(datasetId: String, key: String, using symmetricKey: SymmetricKey) -> Data {
        RecordReferencer(key: symmetricKey).reference(datasetId: datasetId, key: key)
    }

    func loadKey(on db: any SQLDatabase) async throws -> SymmetricKey { try await refKey.load(on: db) }

    public func recordRead(_ read: DataRead, keys: [String], audit: AuditRecord) async throws -> DataRead {
        try await batcher.submit(ReadAuditBatcher.Job(read: read, keys: keys, audit: audit))
    }

    /// Writes a group of reads in one transaction: per read its audit entry, the read row and its record references.
    static func writeReads(_ jobs: [ReadAuditBatcher.Job], context: StoreContext, keyFor: @escaping @Sendable (any SQLDatabase) async throws -> SymmetricKey) async throws -> [DataRead] {
        try await context.database.transaction { db in
            let referencer = RecordReferencer(key: try await keyFor(db))
            var written: [DataRead] = []
            var readRows: [[any SQLExpression]] = []
            var refRows: [[any SQLExpression]] = []
            for job in jobs {
                let event = try await AuditChain.append(job.audit, context: context, on: db)
                var read = job.read
                read.auditSeq = event.seq
                written.append(read)
                readRows.append([
                    SQLBind(read.auditSeq), SQLBind(read.datasetId), SQLBind(read.entryCode), SQLBind(read.actorId),
                    SQLBind(read.actorName), SQLBind(read.departmentId), SQLBind(read.purposeId),
                    SQLBind(read.items.joined(separator: ",")), SQLBind(read.filter), SQLBind(read.rows), SQLBind(read.readAt),
                    SQLBind(read.requestId),
                ])
                for key in Set(job.keys) {
                    refRows.append([SQLBind(referencer.reference(datasetId: read.datasetId, key: key)), SQLBind(read.auditSeq)])
                }
            }
            for chunk in readRows.chunked(200) {
                try await db.insert(into: "data_reads").columns(
                    "audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id", "items",
                    "filter", "row_count", "read_at", "request_id"
                ).rows(Array(chunk)).run()
            }
            for chunk in refRows.chunked(rowsPerStatement * 2) {
                try await db.insert(into: "data_read_refs").columns("ref", "audit_seq").rows(Array(chunk)).run()
            }
            return written
        }
    }

    public func reads(_ q: ReadTraceQuery) async throws -> [DataRead] {
        // Record references are per dataset: look the datasets up only when a record is asked for.
        let datasetIds: [String]
        if q.recordKey == nil { datasetIds = [] }
        else if let id = q.datasetId { datasetIds = [id] }
        else { datasetIds = try await list().map(\.id) }
        return try await context.database.withConnection { db in
            let select = db.select().column("*").from("data_reads")
            if let key = q.recordKey {
                let symmetricKey = try await loadKey(on: db)
                let refs = datasetIds.map { SQLBind(Self.reference(datasetId: $0, key: key, using: symmetricKey)) as any SQLExpression }
                if refs.isEmpty { return [] }
                select.where(SQLColumn("audit_seq"), .in,
                             SQLSubquery.select { $0.column("audit_seq").from("data_read_refs").where("ref", .in, SQLGroupExpression(refs)) })
            }
            if let d = q.datasetId { select.where(SQLColumn("dataset_id"), .equal, SQLBind(d)) }
            if let d = q.departmentId { select.where(SQLColumn("department_id"), .equal, SQLBind(d)) }
            if let purpose = q.purposeId { select.where(SQLColumn("purpose_id"), .equal, SQLBind(purpose)) }
            if let from = q.from { select.where(SQLColumn("read_at"), .greaterThanOrEqual, SQLBind(from)) }
            if let to = q.to { select.where(SQLColumn("read_at"), .lessThan, SQLBind(to)) }
            return try await select.orderBy("audit_seq", .descending).limit(min(max(q.limit, 1), 100_000)).all().map { row in
                DataRead(auditSeq: try row.decode(column: "audit_seq", as: Int64.self), datasetId: try row.string("dataset_id"),
                         entryCode: try row.string("entry_code"), actorId: try row.string("actor_id"),
                         actorName: try row.string("actor_name"), departmentId: try row.string("department_id"),
                         purposeId: try row.string("purpose_id"),
                         items: try row.string("items").split(separator: ",").map(String.init), filter: try row.string("filter"),
                         rows: try row.int("row_count"), readAt: try row.string("read_at"), requestId: try row.string("request_id"))
            }
        }
    }
}

/// The keyed reference of a returned record: HMAC-SHA256(node key, dataset id ‖ 0x01 ‖ primary key). The keyed state
/// is set up once and copied per record (a read returns up to 1,000 records).
struct RecordReferencer {
    private let keyed: HMAC<SHA256>
    init(key: SymmetricKey) { keyed = HMAC<SHA256>(key: key) }

    func reference(datasetId: String, key: String) -> Data {
        var mac = keyed
        mac.update(data: Data("\(datasetId)\u{1}\(key)".utf8))
        return Data(mac.finalize())
    }
}

/// A keyset cursor: the last row's sort value and primary key, sealed (ChaCha20-Poly1305) with the node's key so a
/// reader who sees the key masked cannot read it from the cursor, and cannot forge one.
struct Cursor: Codable {
    let value: String?
    let key: String

    func encoded(using symmetricKey: SymmetricKey) throws -> String {
        let sealed = try ChaChaPoly.seal(Data(AuditJSON.encode(self).utf8), using: symmetricKey).combined
        return sealed.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String, using symmetricKey: SymmetricKey) throws -> Cursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let box = try? ChaChaPoly.SealedBox(combined: data),
              let plain = try? ChaChaPoly.open(box, using: symmetricKey),
              let cursor = try? JSONDecoder().decode(Cursor.self, from: plain) else {
            throw DomainError.invalid(field: "after", rule: "cursor", zh: "after 不是上一页返回的游标", en: "after is not a cursor returned by a previous page")
        }
        return cursor
    }
}

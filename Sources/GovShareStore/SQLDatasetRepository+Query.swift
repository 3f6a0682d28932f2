import Crypto
import Foundation
import GovShareCore
import SQLKit

extension SQLDatasetRepository {
    public func query(_ dataset: Dataset, columns: [DatasetColumn], _ q: DatasetQuery) async throws -> StoredPage {
        let kind = context.database.kind
        let table = dataset.tableName
        let sortColumn = q.sortItem.flatMap { dataset.column(item: $0) }
        let symmetricKey = try await refKey.load(from: context.database)
        // Encryption at rest: the row's key version and stored key come first; an encrypted key item is read (and
        // opened) for the clear keys; only the rows of this page are opened.
        var keySet = try await readKeys(dataset)
        let encrypted = keySet?.encryptedColumns ?? []
        if let c = sortColumn, encrypted.contains(c.column) { throw Self.refused(c.itemCode, field: "sort") }
        let keyColumn = dataset.keyColumn
        let keyEncrypted = encrypted.contains(keyColumn.column)
        let binding = Cursor.binding(dataset, q)
        let cursor = try q.after.map { try Cursor.decode($0, using: symmetricKey, boundTo: binding) }
        let direction: SQLDirection = q.descending ? .descending : .ascending
        let sortKey: (any SQLExpression)? = sortColumn.map { c in
            SQLFunction("COALESCE", args: SQLColumn(c.column), c.isNumeric ? SQLLiteral.numeric("-1e300") : SQLLiteral.string(""))
        }
        // The cursor carries the last row's sort value, so the sort column is read even when it is not selected.
        let sortSelected = sortColumn.flatMap { s in columns.firstIndex { $0.itemCode == s.itemCode } }
        // An encrypted key is opened from the selected columns when the reader asked for it (not read and opened twice).
        let keySelected = keyEncrypted ? columns.firstIndex { $0.column == keyColumn.column } : nil
        let keyAppended = keyEncrypted && keySelected == nil
        let read = columns + (sortColumn != nil && sortSelected == nil ? [sortColumn!] : []) + (keyAppended ? [keyColumn] : [])
        let meta = keySet == nil ? ["_pk"] : ["_pk", "_kv"]
        let filterKeys = keySet
        try Self.checkEncrypted(q, dataset: dataset, encrypted: encrypted)
        let found = try await context.database.readCells(
            numeric: meta.map { _ in false } + read.map { $0.isNumeric && !encrypted.contains($0.column) }, replica: q.mayLag
        ) { db in
            let select = db.select().columns(meta.map { SQLColumn($0) }).columns(read.map { SQLColumn($0.column) }).from(table)
            Self.filter(select, q, dataset: dataset, columns: columns, kind: kind, keys: filterKeys)
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
            return select.query
        }
        var keys: [String] = []
        var storedKeys: [String] = []
        var rows: [[CellValue]] = []
        keys.reserveCapacity(min(found.count, q.limit))
        rows.reserveCapacity(min(found.count, q.limit))
        let page = found.prefix(q.limit)
        if keySet != nil, page.contains(where: { r in r[1].text.flatMap(Int.init).map { keySet?.versions[$0] == nil } ?? false }) {
            keySet = try await reloadKeys(dataset)  // a version made since (another process's new data key)
        }
        var opener = PageOpener(columns: read, keys: keySet)
        for row in page {
            let stored = row[0].text ?? ""
            storedKeys.append(stored)
            if keySet == nil {
                keys.append(stored)
                rows.append(Array(row.dropFirst()))
                continue
            }
            var values = try opener.open(row, from: 2, version: row[1].text.flatMap(Int.init), rowKey: stored)
            keys.append(keyEncrypted ? (values[keySelected ?? values.count - 1].text ?? stored) : stored)
            if keyAppended { values.removeLast() }
            rows.append(values)
        }
        var next: String?
        if found.count > q.limit, let lastKey = storedKeys.last {
            let sortIndex = sortColumn.map { _ in sortSelected ?? columns.count }
            next = try Cursor(value: sortIndex.map { rows[rows.count - 1][$0].text ?? "" }, key: lastKey).encoded(
                using: symmetricKey, boundTo: binding)
        }
        if read.count > columns.count { rows = rows.map { Array($0.prefix(columns.count)) } }
        var total: Int?
        if q.withTotal {
            total = try await context.database.withConnection { db in
                let count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                Self.filter(count, q, dataset: dataset, columns: columns, kind: kind, keys: filterKeys)
                return try await count.first()?.decode(column: "n", as: Int.self)
            }
        }
        return StoredPage(keys: keys, rows: rows, nextCursor: next, total: total)
    }

    /// The reader's filters and free-text search, shared by the page and its count.
    static func filter(
        _ select: SQLSelectBuilder, _ q: DatasetQuery, dataset: Dataset, columns: [DatasetColumn],
        kind: GovShareDatabase.Kind, keys: DatasetKeySet?
    ) {
        for f in q.filters {
            guard let c = dataset.column(item: f.item) else { continue }
            if let keys, keys.encryptedColumns.contains(c.column) {
                encryptedFilter(select, f, column: c, dataset: dataset, keys: keys, kind: kind)
                continue
            }
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
                select.where(
                    SQLFunction("SUBSTR", args: column, SQLLiteral.numeric("1"), SQLLiteral.numeric(String(f.values[0].count))),
                    .equal, SQLBind(f.values[0]))
            }
        }
        if let text = q.text, !text.isEmpty {
            let textColumns = q.searchItems.compactMap { dataset.column(item: $0) }
                .filter { !$0.isNumeric && !(keys?.encryptedColumns.contains($0.column) ?? false) }
            // Nothing to search in matches nothing (an empty OR group would be dropped and match everything).
            guard !textColumns.isEmpty else { select.where(SQLLiteral.numeric("0"), .equal, SQLLiteral.numeric("1")); return }
            select.where { group in
                textColumns.reduce(group) { g, c in
                    let found: any SQLExpression =
                        kind == .postgres
                        ? SQLFunction("STRPOS", args: SQLColumn(c.column), SQLBind(text))
                        : SQLFunction("INSTR", args: SQLColumn(c.column), SQLBind(text))
                    return g.orWhere(found, .greaterThan, SQLLiteral.numeric("0"))
                }
            }
        }
    }

    /// An exact match on an encrypted item: its blind index. While a re-encryption still has rows written before
    /// the column was encrypted, those rows are matched as they are stored (in clear).
    static func encryptedFilter(
        _ select: SQLSelectBuilder, _ f: ItemFilter, column c: DatasetColumn, dataset: Dataset, keys: DatasetKeySet,
        kind: GovShareDatabase.Kind
    ) {
        let texts = f.values.map { v in c.isNumeric ? (Double(v).flatMap { CellValue.number($0).text } ?? v) : v }
        let indexes = SQLGroupExpression(texts.map { SQLBind(keys.blindIndex($0, column: c.column)) as any SQLExpression })
        let bi = SQLColumn(blindColumn(c.column))
        guard dataset.encryptionPending else {
            select.where(bi, .in, indexes)
            return
        }
        let isKey = c.itemCode == dataset.primaryKey
        let clear = SQLGroupExpression(
            texts.map { t -> any SQLExpression in c.isNumeric && kind == .sqlite && !isKey ? SQLBind(Double(t) ?? 0) : SQLBind(t) })
        select.where { g in
            g.where(bi, .in, indexes).orWhere { inner in
                inner.where { storedInClear(c.column, keys: keys, $0) }.where(SQLColumn(isKey ? "_pk" : c.column), .in, clear)
            }
        }
    }

    /// Rows whose `column` is stored in clear: written before encryption at rest (no key version) or under a key
    /// version that did not seal the column — what a re-encryption under way has still to reach.
    static func storedInClear<W: SQLPredicateBuilder>(_ column: String, keys: DatasetKeySet, _ w: W) -> W {
        let versions = keys.versions.values.filter { !$0.columns.contains(column) }.map { SQLBind($0.version) as any SQLExpression }
        let none = w.where(SQLColumn("_kv"), .is, SQLLiteral.null)
        return versions.isEmpty ? none : none.orWhere(SQLColumn("_kv"), .in, SQLGroupExpression(versions))
    }

    /// The store's own check (the exchange service refuses first, with the same answer): an encrypted item answers
    /// exact matches only.
    static func checkEncrypted(_ q: DatasetQuery, dataset: Dataset, encrypted: Set<String>) throws {
        for f in q.filters where ![.eq, .in].contains(f.op) {
            if let c = dataset.column(item: f.item), encrypted.contains(c.column) { throw refused(f.item, field: "filters.\(f.item)") }
        }
    }

    static func refused(_ item: String, field: String) -> DomainError {
        DomainError.invalid(
            field: field, rule: "encrypted_item", zh: "信息项「\(item)」加密存储，只能按等值（eq、in）筛选，不能排序、范围或前缀筛选",
            en: "Item '\(item)' is stored encrypted: exact match (eq, in) only, no sort, range or prefix")
    }

    func loadKey(on db: any SQLDatabase) async throws -> SymmetricKey { try await refKey.load(on: db) }
}

/// A keyset cursor: the last row's sort value and primary key, sealed (ChaCha20-Poly1305) with the node's key so a
/// reader who sees the key masked cannot read it from the cursor, and cannot forge one. It is sealed together with what
/// it is a position in (`binding`: dataset, sort and direction, filters and search text, purpose and reader) as
/// associated data, so it opens only for the same query by the same reader under the same purpose: a cursor taken to
/// another dataset, sort, filter, purpose or reader is refused like a forged one.
struct Cursor: Codable {
    let value: String?
    let key: String

    /// The longest cursor accepted: a sort value and a key, sealed and base64-encoded, fit well within it.
    static let maxLength = 16 * 1024

    /// SHA-256 over the length-prefixed parts, so that no two different queries give the same bytes.
    static func binding(_ dataset: Dataset, _ q: DatasetQuery) -> Data {
        var parts = [
            "govshare-cursor-v2", dataset.id, q.sortItem ?? "", q.descending ? "desc" : "asc", q.text ?? "",
            String(q.filters.count),
        ]
        for f in q.filters { parts += [f.item, f.op.rawValue, String(f.values.count)] + f.values }
        parts += [String(q.cursorBinding.count)] + q.cursorBinding
        var hash = SHA256()
        for part in parts {
            hash.update(data: Data("\(part.utf8.count):".utf8))
            hash.update(data: Data(part.utf8))
        }
        return Data(hash.finalize())
    }

    func encoded(using symmetricKey: SymmetricKey, boundTo binding: Data) throws -> String {
        let sealed = try ChaChaPoly.seal(Data(AuditJSON.encode(self).utf8), using: symmetricKey, authenticating: binding).combined
        return sealed.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String, using symmetricKey: SymmetricKey, boundTo binding: Data) throws -> Cursor {
        let refused = DomainError.invalid(
            field: "after", rule: "cursor", zh: "after 不是本次查询上一页返回的游标",
            en: "after is not a cursor returned by the previous page of this query")
        guard text.utf8.count <= maxLength else { throw refused }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(box, using: symmetricKey, authenticating: binding),
            let cursor = try? JSONDecoder().decode(Cursor.self, from: plain)
        else {
            throw refused
        }
        return cursor
    }
}

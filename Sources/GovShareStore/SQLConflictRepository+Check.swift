import Foundation
import GovShareCore
import SQLKit

/// The conflict check (docs/conflicts.md). Where the key and the compared item are clear on both sides, one SQL join
/// on the key lists the records whose values differ; the database does the work and nothing leaves it but the row
/// keys. Where any of them is encrypted at rest (SM4-GCM under per-dataset keys, docs/encryption-at-rest.md) SQL
/// cannot compare — ciphertexts are randomised and each dataset's blind index uses its own key — so each side is read
/// once in key order, its key and item opened in memory (both sides at once, on two cores), and the two are
/// hash-joined on the clear key. Clear values exist only in this process's memory for the length of the check: the
/// findings hold each side's stored row key (for an encrypted key its blind index), never a value.
extension SQLConflictRepository {
    public func compare(_ pair: FactPair, left: Dataset, right: Dataset, keep: Int) async throws -> ConflictComparison {
        let l = try await plan(left, keyItem: pair.left.keyItem, item: pair.left.item)
        let r = try await plan(right, keyItem: pair.right.keyItem, item: pair.right.item)
        if !l.encrypted, !r.encrypted, l.value.isNumeric == r.value.isNumeric, !l.key.isNumeric, !r.key.isNumeric {
            return try await joinInSQL(left, l, right, r, keep: keep)
        }
        async let leftRows = read(left, l)
        async let rightRows = read(right, r)
        return try await Self.hashJoin(try await leftRows, try await rightRows, keep: keep)
    }

    struct Side {
        var key: DatasetColumn
        var value: DatasetColumn
        var keyIsPrimary: Bool
        var keys: DatasetKeySet?
        /// Whether the key or the item may hold sealed values (or clear values still awaiting re-encryption).
        var encrypted: Bool
    }

    func plan(_ dataset: Dataset, keyItem: String, item: String) async throws -> Side {
        guard let key = dataset.column(item: keyItem), let value = dataset.column(item: item) else {
            throw DomainError.notFound("Item of \(dataset.entryCode)", zh: "数据资源 \(dataset.entryCode) 的信息项")
        }
        let records = try await context.database.withConnection { db in
            try await SQLDatasetRepository.keyRecords(datasetId: dataset.id, on: db)
        }
        let keySet = try keys.keySet(datasetId: dataset.id, records: records)
        let sealedSomewhere = Set(records.flatMap(\.columns)).union(dataset.encryptedColumns)
        let encrypted =
            dataset.encryptionPending || sealedSomewhere.contains(key.column) || sealedSomewhere.contains(value.column)
            || (keyItem == dataset.primaryKey && sealedSomewhere.contains(dataset.keyColumn.column))
        return Side(key: key, value: value, keyIsPrimary: keyItem == dataset.primaryKey, keys: keySet, encrypted: encrypted)
    }

    /// Both sides clear: the join runs in the database (indexed on `_pk` when the key item is the primary key).
    func joinInSQL(_ left: Dataset, _ l: Side, _ right: Dataset, _ r: Side, keep: Int) async throws -> ConflictComparison {
        let lk = l.keyIsPrimary ? "l._pk" : "l.\(l.key.column)", rk = r.keyIsPrimary ? "r._pk" : "r.\(r.key.column)"
        let lv = "l.\(l.value.column)", rv = "r.\(r.value.column)"
        let from = "FROM \(left.tableName) l JOIN \(right.tableName) r ON \(lk) = \(rk)"
        let differ = "\(lv) IS NOT NULL AND \(rv) IS NOT NULL AND \(lv) <> \(rv)"
        return try await context.database.withConnection { db in
            // Table and column names come from dataset ids and `cN` column names, never from input.
            let countSQL: String = "SELECT COUNT(*) AS matched, SUM(CASE WHEN \(differ) THEN 1 ELSE 0 END) AS differ \(from)"
            let listSQL: String = "SELECT l._pk AS lref, r._pk AS rref \(from) WHERE \(differ) ORDER BY l._pk, r._pk LIMIT \(keep)"
            let counts = try await db.raw(SQLQueryString(countSQL)).first()
            let refs = try await db.raw(SQLQueryString(listSQL)).all().map { (left: try $0.string("lref"), right: try $0.string("rref")) }
            return ConflictComparison(
                count: try counts?.decode(column: "differ", as: Int?.self) ?? 0, refs: refs,
                matched: try counts?.decode(column: "matched", as: Int.self) ?? 0)
        }
    }

    /// One side, read once in key order and opened: (stored row key, clear key, canonical value).
    func read(_ dataset: Dataset, _ s: Side) async throws -> [(ref: String, key: String, value: String?)] {
        let meta = s.keys == nil ? ["_pk"] : ["_pk", "_kv"]
        let sealed = s.keys?.versions.values.reduce(into: Set<String>()) { $0.formUnion($1.columns) } ?? []
        let numeric = meta.map { _ in false } + [s.key, s.value].map { $0.isNumeric && !sealed.contains($0.column) }
        let table = dataset.tableName
        let cells = try await context.database.readCells(numeric: numeric) { db in
            db.select().columns(meta.map { SQLColumn($0) }).columns(SQLColumn(s.key.column), SQLColumn(s.value.column)).from(table)
                .orderBy("_pk").query
        }
        var out: [(ref: String, key: String, value: String?)] = []
        out.reserveCapacity(cells.count)
        let offset = meta.count
        for row in cells {
            let stored = row[0].text ?? ""
            let version = offset == 2 ? row[1].text.flatMap(Int.init) : nil
            let key = try SQLDatasetRepository.openCell(row[offset], column: s.key, rowVersion: version, rowKey: stored, keys: s.keys)
            guard let keyText = key.text else { continue }
            let value = try SQLDatasetRepository.openCell(
                row[offset + 1], column: s.value, rowVersion: version, rowKey: stored, keys: s.keys)
            out.append((stored, keyText, value.text))
        }
        return out
    }

    /// Joins on the clear key: the right side in a dictionary, the left side walked in its key order.
    static func hashJoin(
        _ left: [(ref: String, key: String, value: String?)], _ right: [(ref: String, key: String, value: String?)], keep: Int
    ) -> ConflictComparison {
        var index: [String: [(ref: String, value: String?)]] = [:]
        index.reserveCapacity(right.count)
        for row in right { index[row.key, default: []].append((row.ref, row.value)) }
        var count = 0, matched = 0
        var refs: [(left: String, right: String)] = []
        for row in left {
            guard let others = index[row.key] else { continue }
            for other in others {
                matched += 1
                guard let a = row.value, let b = other.value, a != b else { continue }
                count += 1
                if refs.count < keep { refs.append((row.ref, other.ref)) }
            }
        }
        return ConflictComparison(count: count, refs: refs, matched: matched)
    }

    public func open(refs: [String], in dataset: Dataset, keyItem: String, item: String, audit: AuditRecord) async throws
        -> [String: OpenedRecord]
    {
        guard !refs.isEmpty else { return [:] }
        let s = try await plan(dataset, keyItem: keyItem, item: item)
        let meta = s.keys == nil ? ["_pk"] : ["_pk", "_kv"]
        let table = dataset.tableName
        let wanted = Array(Set(refs)).sorted()
        let rows = try await context.database.readCells(numeric: meta.map { _ in false } + [false, false]) { db in
            db.select().columns(meta.map { SQLColumn($0) }).columns(SQLColumn(s.key.column), SQLColumn(s.value.column)).from(table)
                .where(SQLColumn("_pk"), .in, SQLBind.group(wanted)).query
        }
        var out: [String: OpenedRecord] = [:]
        for row in rows {
            let stored = row[0].text ?? ""
            let version = meta.count == 2 ? row[1].text.flatMap(Int.init) : nil
            let key = try SQLDatasetRepository.openCell(row[meta.count], column: s.key, rowVersion: version, rowKey: stored, keys: s.keys)
            let value = try SQLDatasetRepository.openCell(
                row[meta.count + 1], column: s.value, rowVersion: version, rowKey: stored, keys: s.keys)
            out[stored] = OpenedRecord(key: key.text, value: value.text)
        }
        // Opening values is a read of the providers' data: recorded like one.
        try await context.write(audit) { _ in }
        return out
    }
}

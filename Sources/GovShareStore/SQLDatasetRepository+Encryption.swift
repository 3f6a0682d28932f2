import Foundation
import GovShareCore
import SQLKit

/// Encryption at rest in the dataset tables (docs/encryption-at-rest.md). An encrypted column `cN` holds
/// `v<version>:<base64 SM4-GCM>` text and has a blind-index column `cN_bi` (indexed); `_kv` is the key version a row was
/// written with (NULL: a row mounted before encryption, clear until the re-encryption reaches it). When the key item
/// is encrypted, `_pk` holds its blind index instead of the value.
extension SQLDatasetRepository {
    static func blindColumn(_ column: String) -> String { column + "_bi" }

    static func keyRecords(datasetId: String, on db: any SQLDatabase) async throws -> [DatasetKeyRecord] {
        try await db.select().column("*").from("dataset_keys").where("dataset_id", .equal, datasetId).orderBy("version").all()
            .map(keyRecord(from:))
    }

    static func keyRecord(from row: any SQLRow) throws -> DatasetKeyRecord {
        DatasetKeyRecord(
            id: try row.string("id"), datasetId: try row.string("dataset_id"), version: try row.int("version"),
            wrappedKey: try row.decode(column: "wrapped_key", as: Data.self),
            wrappedIndexKey: try row.decode(column: "wrapped_index_key", as: Data.self),
            keyEncryptionKeyId: try row.string("kek_id"), state: DatasetKeyRecord.State(rawValue: try row.string("state")) ?? .previous,
            columns: (try? JSONDecoder().decode([String].self, from: Data(try row.string("columns").utf8))) ?? [],
            createdAt: try row.string("created_at"), nodeId: try row.string("node_id"))
    }

    /// Stores a new key version; older versions of the dataset become `previous`.
    static func insertKey(_ r: DatasetKeyRecord, on db: any SQLDatabase) async throws {
        try await db.update("dataset_keys").set("state", to: DatasetKeyRecord.State.previous.rawValue)
            .where("dataset_id", .equal, r.datasetId).run()
        try await db.insert(into: "dataset_keys").columns(
            "id", "dataset_id", "version", "wrapped_key", "wrapped_index_key", "kek_id", "state", "columns", "created_at", "node_id"
        ).values(
            SQLBind(r.id), SQLBind(r.datasetId), SQLBind(r.version), SQLBind(r.wrappedKey), SQLBind(r.wrappedIndexKey),
            SQLBind(r.keyEncryptionKeyId), SQLBind(r.state.rawValue), SQLBind(AuditJSON.encode(r.columns)), SQLBind(r.createdAt),
            SQLBind(r.nodeId)
        ).run()
        try await db.update("datasets").set("encrypted_columns", to: AuditJSON.encode(r.columns)).where("id", .equal, r.datasetId).run()
    }

    /// The key set for a read: from memory, else from the database once.
    func readKeys(_ dataset: Dataset) async throws -> DatasetKeySet? {
        guard !dataset.encryptedColumns.isEmpty else { return nil }
        if let cached = keys.cached(dataset.id) { return cached }
        let records = try await context.database.withConnection { db in try await Self.keyRecords(datasetId: dataset.id, on: db) }
        return try keys.keySet(datasetId: dataset.id, records: records)
    }

    /// The key set for a write, checked against the newest stored version inside the writer's transaction (another
    /// process may have made a new data key).
    func writeKeys(_ dataset: Dataset, on db: any SQLDatabase) async throws -> DatasetKeySet? {
        let newest = try await db.raw("SELECT MAX(version) AS v FROM dataset_keys WHERE dataset_id = \(bind: dataset.id)").first()
            .flatMap { try $0.decode(column: "v", as: Int?.self) }
        guard let newest else { return nil }
        if let cached = keys.cached(dataset.id), cached.current == newest { return cached }
        return try keys.keySet(datasetId: dataset.id, records: try await Self.keyRecords(datasetId: dataset.id, on: db))
    }

    /// Reloads the key set when a stored value names a version the cached set does not know.
    func reloadKeys(_ dataset: Dataset) async throws -> DatasetKeySet? {
        let records = try await context.database.withConnection { db in try await Self.keyRecords(datasetId: dataset.id, on: db) }
        return try keys.keySet(datasetId: dataset.id, records: records)
    }

    /// Gives columns that become encrypted their blind index (and, on PostgreSQL, text type for numbers); drops the
    /// clear-value index an identifier column had.
    static func prepareEncrypted(_ columns: [DatasetColumn], table: String, kind: GovShareDatabase.Kind, on db: any SQLDatabase)
        async throws
    {
        for c in columns {
            let bi = blindColumn(c.column)
            try await db.raw(SQLQueryString("DROP INDEX IF EXISTS \(table)_\(c.column)")).run()
            try await db.raw(SQLQueryString("ALTER TABLE \(table) ADD COLUMN \(bi) TEXT")).run()
            try await db.raw(SQLQueryString("CREATE INDEX \(table)_\(bi) ON \(table)(\(bi))")).run()
            if kind == .postgres, c.isNumeric {
                try await db.raw(SQLQueryString("ALTER TABLE \(table) ALTER COLUMN \(c.column) TYPE TEXT USING \(c.column)::text")).run()
            }
        }
    }

    /// The canonical text of a stored value, the one sealed and indexed (a number as `CellValue.text` writes it).
    static func canonical(_ value: CellValue, numeric: Bool) -> String? {
        switch value {
        case .null: return nil
        case .number: return value.text
        case .text(let s): return numeric ? Double(s).map { CellValue.number($0).text ?? s } ?? s : s
        }
    }

    /// One row as written under `keys`: the stored key, the values (sealed where encrypted) and the blind indexes.
    static func sealRow(_ row: ValidRow, dataset: Dataset, keys: DatasetKeySet, encrypted: [DatasetColumn]) throws
        -> (key: String, values: [CellValue], indexes: [String?])
    {
        try sealRow(key: row.key, values: row.values, dataset: dataset, keys: keys, encrypted: encrypted)
    }

    static func sealRow(key: String, values rowValues: [CellValue], dataset: Dataset, keys: DatasetKeySet, encrypted: [DatasetColumn])
        throws -> (key: String, values: [CellValue], indexes: [String?])
    {
        let row = (key: key, values: rowValues)
        let set = keys.encryptedColumns
        let keyColumn = dataset.keyColumn.column
        let stored = set.contains(keyColumn) ? keys.blindIndex(row.key, column: keyColumn) : row.key
        var values = row.values
        for (i, c) in dataset.columns.enumerated() where set.contains(c.column) && i < values.count {
            if let text = canonical(values[i], numeric: c.isNumeric) {
                values[i] = .text(try keys.seal(text, column: c.column, rowKey: stored))
            }
        }
        let indexes = encrypted.map { c -> String? in
            guard let i = dataset.columns.firstIndex(where: { $0.column == c.column }), i < row.values.count,
                let text = canonical(row.values[i], numeric: c.isNumeric)
            else { return nil }
            return keys.blindIndex(text, column: c.column)
        }
        return (stored, values, indexes)
    }

    /// A stored value as the reader gets it: opened when the row's version encrypted the column, a number again
    /// for a numeric item. Throws (fails closed) when a ciphertext does not open.
    static func openCell(_ value: CellValue, column c: DatasetColumn, rowVersion: Int?, rowKey: String, keys: DatasetKeySet?)
        throws -> CellValue
    {
        guard case .text(let text) = value else { return value }
        var sealed = false
        if let v = rowVersion {
            guard let keys, let version = keys.versions[v] else { throw DatasetKeySet.unavailable(c.column) }
            sealed = version.columns.contains(c.column)
        }
        return try PageOpener.clearValue(text, sealed: sealed, column: c.column, numeric: c.isNumeric, rowKey: rowKey, keys: keys)
    }
}

extension Dataset {
    func encrypted(columns: [String], pending: Bool) -> Dataset {
        var d = self
        d.encryptedColumns = columns
        d.encryptionPending = pending
        return d
    }
}

extension DatasetKeyring {
    /// The key set of a reserved owner that is not a dataset (`licences`, `objections`): loaded from `dataset_keys`
    /// (cached while current), or made (version 1, for `columns`) inside the caller's transaction when `create` and
    /// there is none yet. Wrapped by the key-encryption key and re-wrapped by `govshare keys rotate` like a dataset's.
    func ownKeySet(owner: String, columns: [String], context: StoreContext, on db: any SQLDatabase, create: Bool) async throws
        -> DatasetKeySet?
    {
        let records = try await SQLDatasetRepository.keyRecords(datasetId: owner, on: db)
        if let newest = records.map(\.version).max() {
            if let cached = cached(owner), cached.current == newest { return cached }
            return try keySet(datasetId: owner, records: records)
        }
        guard create else { return nil }
        let record = try newKey(
            datasetId: owner, version: 1, columns: columns, carrying: nil, at: context.clock.now(), nodeId: context.nodeId)
        try await SQLDatasetRepository.insertKey(record, on: db)
        return try keySet(datasetId: owner, records: [record])
    }
}

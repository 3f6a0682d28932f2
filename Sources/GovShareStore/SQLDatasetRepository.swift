import Crypto
import Foundation
import GovShareCore
import SQLKit
import Synchronization

/// Mounted datasets, one table each (like CKAN's DataStore): `_pk` holds the primary key, `c0…cn` the items.
public struct SQLDatasetRepository: DatasetRepository {
    let context: StoreContext
    let refKey: KeyCache
    let batcher: ReadAuditBatcher
    /// Each dataset's data and index keys (encryption at rest), unwrapped once and kept in memory.
    let keys: DatasetKeyring

    public init(context: StoreContext, keys: DatasetKeyring) {
        self.context = context
        self.keys = keys
        let cache = KeyCache(custody: context.custody)
        refKey = cache
        batcher = ReadAuditBatcher { jobs in
            try await Self.writeReads(jobs, context: context) { db in try await cache.load(on: db) }
        }
    }

    static let rowsPerStatement = 400

    public func mount(_ dataset: Dataset, audit: AuditRecord) async throws {
        let context = self.context
        // Graded items are stored encrypted (text) with a blind index, under the dataset's first key version.
        let graded = Set(keys.gradedColumns(of: dataset))
        let key = try keys.newKey(
            datasetId: dataset.id, version: 1, columns: Array(graded), carrying: nil, at: context.clock.now(), nodeId: dataset.nodeId)
        try await context.database.transaction { db in
            let columns =
                (dataset.columns.map { "\($0.column) \($0.isNumeric && !graded.contains($0.column) ? "DOUBLE PRECISION" : "TEXT")" }
                + dataset.columns.filter { graded.contains($0.column) }.map { "\(Self.blindColumn($0.column)) TEXT" })
                .joined(separator: ", ")
            // On SQLite the table is clustered on the key (WITHOUT ROWID): pages come in key order, which is the
            // order every query returns, so no plan needs a sort or a second lookup per row.
            let clustered = context.database.kind == .sqlite ? " WITHOUT ROWID" : ""
            try await db.raw(
                SQLQueryString(
                    """
                    CREATE TABLE \(dataset.tableName) (_pk TEXT PRIMARY KEY, _batch TEXT NOT NULL, _updated_at TEXT NOT NULL, _kv INTEGER, \(columns))\(clustered)
                    """)
            ).run()
            // Identifiers are what readers match on (核验), so each gets an index.
            // Encrypted items are matched on their blind index instead.
            for c in dataset.columns where c.rule != nil && c.itemCode != dataset.primaryKey && !graded.contains(c.column) {
                try await db.raw(SQLQueryString("CREATE INDEX \(dataset.tableName)_\(c.column) ON \(dataset.tableName)(\(c.column))")).run()
            }
            for c in dataset.columns where graded.contains(c.column) {
                let bi = Self.blindColumn(c.column)
                try await db.raw(SQLQueryString("CREATE INDEX \(dataset.tableName)_\(bi) ON \(dataset.tableName)(\(bi))")).run()
            }
            try await db.insert(into: "datasets").columns(
                "id", "entry_id", "entry_code", "entry_version", "provider_id", "columns", "primary_key", "update_cycle",
                "row_count", "last_updated_at", "node_id", "created_at"
            ).values(
                SQLBind(dataset.id), SQLBind(dataset.entryId), SQLBind(dataset.entryCode), SQLBind(dataset.entryVersion),
                SQLBind(dataset.providerId), SQLBind(AuditJSON.encode(dataset.columns)), SQLBind(dataset.primaryKey),
                SQLBind(dataset.updateCycle.rawValue), SQLBind(0), SQLLiteral.null, SQLBind(dataset.nodeId), SQLBind(dataset.createdAt)
            ).run()
            try await Self.insertKey(key, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
            _ = try await AuditChain.append(
                AuditRecord(
                    actor: audit.actor, action: "dataset_key.create", objectType: "dataset", objectId: dataset.id,
                    after: AuditJSON.encode([
                        "version": "1", "kek_id": key.keyEncryptionKeyId, "columns": key.columns.joined(separator: ","),
                    ]),
                    origin: audit.origin),
                context: context, on: db)
        }
    }

    public func find(entryId: String) async throws -> Dataset? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("datasets").where("entry_id", .equal, entryId).first().map(Self.dataset(from:))
        }
    }

    public func findPublished(reference: String) async throws -> (Dataset, Int)? {
        try await context.database.lookups.value("published-dataset:\(reference)") { try await loadPublished(reference: reference) }
    }

    private func loadPublished(reference: String) async throws -> (Dataset, Int)? {
        try await context.database.withConnection { db in
            let row = try await db.raw(
                """
                SELECT d.*, e.published_version AS published_version FROM datasets d JOIN catalog_entries e ON e.id = d.entry_id
                WHERE (e.id = \(bind: reference) OR e.code = \(bind: reference))
                  AND e.published_version IS NOT NULL AND e.status <> 'withdrawn'
                """
            ).first()
            guard let row else { return nil }
            return (try Self.dataset(from: row), try row.int("published_version"))
        }
    }

    public func refresh(_ dataset: Dataset, added: [DatasetColumn]) async throws {
        let kind = context.database.kind
        let context = self.context
        try await context.database.transaction { db in
            // Two first reads after a republication both refresh: the second finds the work done (the writer, or the row
            // lock on PostgreSQL, puts it after the first) and leaves it.
            let lock = kind == .postgres ? " FOR UPDATE" : ""
            let stored = try await db.raw("SELECT entry_version FROM datasets WHERE id = \(bind: dataset.id)\(unsafeRaw: lock)").first()
            if let stored, try stored.decode(column: "entry_version", as: Int.self) >= dataset.entryVersion { return }
            let graded = Set(keys.gradedColumns(of: dataset))
            let records = try await Self.keyRecords(datasetId: dataset.id, on: db)
            for c in added {
                let encrypted = graded.contains(c.column) && !records.isEmpty
                try await db.raw(
                    SQLQueryString(
                        "ALTER TABLE \(dataset.tableName) ADD COLUMN \(c.column) \(c.isNumeric && !encrypted ? "DOUBLE PRECISION" : "TEXT")"
                    )
                ).run()
            }
            // New graded items are encrypted from the start: a new key version that names them (every row holds none
            // of their values yet, so nothing needs re-encrypting).
            let newlyEncrypted = added.filter { graded.contains($0.column) }
            if !newlyEncrypted.isEmpty, let active = records.last {
                try await Self.prepareEncrypted(newlyEncrypted, table: dataset.tableName, kind: kind, on: db)
                let key = try keys.newKey(
                    datasetId: dataset.id, version: active.version + 1, columns: active.columns + newlyEncrypted.map(\.column),
                    carrying: active, at: context.clock.now(), nodeId: context.nodeId)
                try await Self.insertKey(key, on: db)
                _ = try await AuditChain.append(
                    AuditRecord(
                        actor: .system("encryption"), action: "dataset_key.create", objectType: "dataset", objectId: dataset.id,
                        after: AuditJSON.encode([
                            "version": String(key.version), "kek_id": key.keyEncryptionKeyId, "columns": key.columns.joined(separator: ","),
                        ]),
                        origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "republication")),
                    context: context, on: db)
            }
            try await db.update("datasets").set("columns", to: AuditJSON.encode(dataset.columns))
                .set("entry_version", to: dataset.entryVersion).set("update_cycle", to: dataset.updateCycle.rawValue)
                .where("id", .equal, dataset.id).run()
        }
    }

    public func list() async throws -> [Dataset] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("datasets").orderBy("entry_code").all().map(Self.dataset(from:))
        }
    }

    static func dataset(from row: any SQLRow) throws -> Dataset {
        let columns = try JSONDecoder().decode([DatasetColumn].self, from: Data(try row.string("columns").utf8))
        return Dataset(
            id: try row.string("id"), entryId: try row.string("entry_id"), entryCode: try row.string("entry_code"),
            entryVersion: try row.int("entry_version"), providerId: try row.string("provider_id"), columns: columns,
            primaryKey: try row.string("primary_key"),
            updateCycle: UpdateCycle(rawValue: try row.string("update_cycle")) ?? .irregular,
            rowCount: try row.int("row_count"), lastUpdatedAt: try row.optionalString("last_updated_at"),
            nodeId: try row.string("node_id"), createdAt: try row.string("created_at")
        )
        .encrypted(
            columns: (try? row.optionalString("encrypted_columns")).flatMap { $0 }
                .flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [],
            pending: ((try? row.decode(column: "encryption_pending", as: Int?.self)) ?? nil ?? 0) != 0)
    }

    public func batch(datasetId: String, clientBatchId: String) async throws -> ReportBatch? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("dataset_batches").where("dataset_id", .equal, datasetId)
                .where("client_batch_id", .equal, clientBatchId).first().map(Self.batch(from:))
        }
    }

    public func batches(datasetId: String, limit: Int) async throws -> [ReportBatch] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("dataset_batches").where("dataset_id", .equal, datasetId)
                .orderBy("created_at", .descending).limit(limit).all().map(Self.batch(from:))
        }
    }

    public func digest(mode: ReportBatch.Mode, rows: [(row: Int, values: [String: String?])], deletes: [String]) -> String {
        let digest = SHA256BatchDigest(mode: mode)
        for (number, values) in rows {
            digest.add(row: number, values: values.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) })
        }
        return digest.finish(deletes: deletes)
    }

    public func contentDigest(mode: ReportBatch.Mode) -> any BatchContentDigest { SHA256BatchDigest(mode: mode) }

    static func batch(from row: any SQLRow) throws -> ReportBatch {
        var batch = ReportBatch(
            id: try row.string("id"), datasetId: try row.string("dataset_id"),
            clientBatchId: try row.optionalString("client_batch_id"),
            source: ReportBatch.Source(rawValue: try row.string("source")) ?? .api,
            mode: ReportBatch.Mode(rawValue: try row.string("mode")) ?? .allOrNothing,
            received: try row.int("received"), accepted: try row.int("accepted"), rejected: try row.int("rejected"),
            deleted: try row.int("deleted"), createdBy: try row.string("created_by"),
            departmentId: try row.string("department_id"), createdAt: try row.string("created_at"))
        batch.contentDigest = try row.optionalString("content_sha256")
        batch.problems =
            try row.optionalString("rejected_rows").flatMap { try? JSONDecoder().decode([RowProblem].self, from: Data($0.utf8)) } ?? []
        return batch
    }

    public func apply(
        _ batch: ReportBatch, to dataset: Dataset, upserts: [ValidRow], deletes: [String], audit: AuditRecord,
        progress: (@Sendable (Int) -> Void)?
    ) async throws {
        let context = self.context
        let table = dataset.tableName
        try await context.database.transaction { db in
            // Encryption at rest: graded values sealed, their blind indexes beside them, the row's key version in _kv;
            // an encrypted key is stored as its blind index (its clear form is deleted too: a row not yet re-encrypted).
            let keySet = try await writeKeys(dataset, on: db)
            let encrypted = keySet.map { k in dataset.columns.filter { k.encryptedColumns.contains($0.column) } } ?? []
            let keyEncrypted = keySet?.encryptedColumns.contains(dataset.keyColumn.column) ?? false
            let names = dataset.columns.map(\.column) + encrypted.map { Self.blindColumn($0.column) }
            let meta = keySet == nil ? ["_pk", "_batch", "_updated_at"] : ["_pk", "_batch", "_updated_at", "_kv"]
            let storedDeletes = keyEncrypted ? deletes.map { keySet!.blindIndex($0, column: dataset.keyColumn.column) } + deletes : deletes
            for chunk in storedDeletes.chunked(Self.rowsPerStatement) {
                try await db.delete(from: table).where("_pk", .in, Array(chunk)).run()
            }
            var written = 0
            // A statement binds (items + 4) values per row: stay under SQLite's 32,766 and PostgreSQL's 65,535 binds
            // for datasets with many items.
            let rowsPerInsert = max(1, min(Self.rowsPerStatement, 30_000 / (names.count + meta.count)))
            for chunk in upserts.chunked(rowsPerInsert) {
                let rows: [[any SQLExpression]]
                if let keySet {
                    if keyEncrypted { try await db.delete(from: table).where("_pk", .in, chunk.map(\.key)).run() }
                    rows = try chunk.map { row in
                        let sealed = try Self.sealRow(row, dataset: dataset, keys: keySet, encrypted: encrypted)
                        return [SQLBind(sealed.key), SQLBind(batch.id), SQLBind(batch.createdAt), SQLBind(keySet.current)]
                            + sealed.values.map(Self.expression(_:))
                            + sealed.indexes.map { $0.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null }
                    }
                } else {
                    rows = chunk.map { row in
                        [SQLBind(row.key), SQLBind(batch.id), SQLBind(batch.createdAt)] + row.values.map(Self.expression(_:))
                    }
                }
                try await db.insert(into: table).columns(meta + names).rows(rows)
                    .onConflict(with: ["_pk"]) { update in
                        (meta.dropFirst() + names).reduce(update) { $0.set(excludedValueOf: $1) }
                    }.run()
                written += chunk.count
                progress?(written)
            }
            try await Self.record(batch, of: dataset, audit: audit, context: context, on: db)
        }
        // After a large batch the planner needs fresh statistics, or it may sort the whole table for a filtered,
        // key-ordered page instead of walking the key index (seen on PostgreSQL after the demo load).
        if upserts.count >= 10_000 {
            try await context.database.transaction { db in try await db.raw(SQLQueryString("ANALYZE \(table)")).run() }
        }
    }

    /// The dataset's row count and time, the batch record and the audit entry: the end of every applied batch.
    static func record(_ batch: ReportBatch, of dataset: Dataset, audit: AuditRecord, context: StoreContext, on db: any SQLDatabase)
        async throws
    {
        try await db.raw(
            """
            UPDATE datasets SET row_count = (SELECT COUNT(*) FROM \(unsafeRaw: dataset.tableName)), last_updated_at = \(bind: batch.createdAt)
            WHERE id = \(bind: dataset.id)
            """
        ).run()
        try await db.insert(into: "dataset_batches").columns(
            "id", "dataset_id", "client_batch_id", "source", "mode", "received", "accepted", "rejected", "deleted",
            "created_by", "department_id", "created_at", "content_sha256", "rejected_rows"
        ).values(
            SQLBind(batch.id), SQLBind(batch.datasetId),
            batch.clientBatchId.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
            SQLBind(batch.source.rawValue), SQLBind(batch.mode.rawValue), SQLBind(batch.received), SQLBind(batch.accepted),
            SQLBind(batch.rejected), SQLBind(batch.deleted), SQLBind(batch.createdBy), SQLBind(batch.departmentId),
            SQLBind(batch.createdAt), SQLBind(batch.contentDigest),
            SQLBind(batch.problems.isEmpty ? nil : AuditJSON.encode(batch.problems))
        ).run()
        _ = try await AuditChain.append(audit, context: context, on: db)
    }

    static func expression(_ value: CellValue) -> any SQLExpression {
        switch value {
        case .text(let s): SQLBind(s)
        case .number(let d): SQLBind(d)
        case .null: SQLLiteral.null
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// The node's read-reference and cursor key, loaded once from the database and unwrapped with the key custody by the
/// KEK id stored beside it (migration 34).
final class KeyCache: Sendable {
    private let key = Mutex<SymmetricKey?>(nil)
    let name: String
    let custody: (any KeyCustody)?
    init(name: String = "read_ref", custody: (any KeyCustody)?) { self.name = name; self.custody = custody }

    /// The cached key, or one read on a pooled connection.
    func load(from database: GovShareDatabase) async throws -> SymmetricKey {
        if let key = key.withLock({ $0 }) { return key }
        return try await database.withConnection { db in try await self.load(on: db) }
    }

    func load(on db: any SQLDatabase) async throws -> SymmetricKey {
        if let key = key.withLock({ $0 }) { return key }
        guard let row = try await db.raw("SELECT wrapped_key, kek_id FROM platform_keys WHERE name = \(bind: name)").first(),
            let wrapped = try row.decodeNil(column: "wrapped_key") ? nil : row.decode(column: "wrapped_key", as: Data.self),
            let kekId = try row.decodeNil(column: "kek_id") ? nil : row.decode(column: "kek_id", as: String.self)
        else {
            throw DomainError(
                .unavailable, code: "audit_unavailable",
                message: LocalizedText(zh: "平台密钥 \(name) 缺失，操作未执行", en: "The platform key \(name) is missing; nothing was done"))
        }
        guard let custody else {
            throw DomainError(
                .unavailable, code: "key_custody",
                message: LocalizedText(zh: "未配置密钥托管，无法解开平台密钥 \(name)", en: "No key custody to unwrap the platform key \(name)"))
        }
        let loaded = SymmetricKey(data: try custody.unwrap(wrapped, label: Migrator.platformKeyLabel(name), keyEncryptionKeyId: kekId))
        key.withLock { $0 = loaded }
        return loaded
    }
}

/// SHA-256 over the mode, each row's number and sorted values, then the deletes, with separators: the same content
/// gives the same digest whether it came as JSON or as a file read in one piece or streamed.
final class SHA256BatchDigest: BatchContentDigest {
    private var hash = SHA256()

    init(mode: ReportBatch.Mode) { add(mode.rawValue) }

    private func add(_ text: String) {
        var text = text  // native UTF-8 storage is contiguous: hashed in place, without a copy per value
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hash.update(data: [0])
    }

    /// One row's bytes, gathered and hashed at once (the same bytes as `add` per part: a streamed import digests
    /// every row, and a hash update and a string per value cost more than the hashing).
    private var row: [UInt8] = []

    func add(row number: Int, values: [(name: String, value: String?)]) {
        row.removeAll(keepingCapacity: true)
        append(String(number))
        row.append(0)
        for (name, value) in values {
            append(name)
            row.append(0)
            if let value {
                row.append(UInt8(ascii: "="))
                append(value)
            }
            row.append(0)
        }
        row.append(1)
        row.withUnsafeBytes { hash.update(bufferPointer: $0) }
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { row.append(contentsOf: $0) }
    }

    func finish(deletes: [String]) -> String {
        hash.update(data: [2])
        deletes.forEach(add)
        return Hex.encode(hash.finalize())
    }
}

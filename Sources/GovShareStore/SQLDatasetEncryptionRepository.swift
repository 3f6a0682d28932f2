import Foundation
import GovShareCore
import SQLKit

/// Dataset keys and re-encryption jobs (docs/encryption-at-rest.md). A job's batch reads the rows after its cursor
/// that are on an older key version (or clear), opens them, seals them under the active version and writes them back
/// with the new cursor in one transaction.
public struct SQLDatasetEncryptionRepository: DatasetEncryptionRepository {
    let context: StoreContext
    let keys: DatasetKeyring

    public init(context: StoreContext, keys: DatasetKeyring) { self.context = context; self.keys = keys }

    public func keyRecords(datasetId: String) async throws -> [DatasetKeyRecord] {
        try await context.database.withConnection { db in try await SQLDatasetRepository.keyRecords(datasetId: datasetId, on: db) }
    }

    public func jobs(datasetId: String, limit: Int) async throws -> [ReencryptionJob] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("dataset_reencryptions").where("dataset_id", .equal, datasetId)
                .orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all().map(Self.job(from:))
        }
    }

    public func job(id: String) async throws -> ReencryptionJob? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("dataset_reencryptions").where("id", .equal, id).first().map(Self.job(from:))
        }
    }

    public func runningJobs() async throws -> [ReencryptionJob] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("dataset_reencryptions").where("state", .equal, "running").orderBy("created_at")
                .all().map(Self.job(from:))
        }
    }

    public func datasetsWithoutKeys() async throws -> [Dataset] {
        try await context.database.withConnection { db in
            try await db.raw(
                "SELECT * FROM datasets d WHERE NOT EXISTS (SELECT 1 FROM dataset_keys k WHERE k.dataset_id = d.id) ORDER BY d.id"
            )
            .all().map(SQLDatasetRepository.dataset(from:))
        }
    }

    public func begin(_ dataset: Dataset, key: DatasetKeyRecord, job: ReencryptionJob, audit: AuditRecord) async throws {
        let context = self.context
        let kind = context.database.kind
        try await context.database.transaction { db in
            let running = try await db.select().column("id").from("dataset_reencryptions").where("dataset_id", .equal, dataset.id)
                .where("state", .equal, "running").first()
            if running != nil {
                throw DomainError.conflict(
                    code: "reencryption_running", zh: "该数据集已有正在进行的重新加密任务", en: "The dataset already has a re-encryption running")
            }
            let records = try await SQLDatasetRepository.keyRecords(datasetId: dataset.id, on: db)
            if records.isEmpty {
                try await db.raw(SQLQueryString("ALTER TABLE \(dataset.tableName) ADD COLUMN _kv INTEGER")).run()
            }
            let before = Set(records.last?.columns ?? [])
            let newly = dataset.columns.filter { key.columns.contains($0.column) && !before.contains($0.column) }
            try await SQLDatasetRepository.prepareEncrypted(newly, table: dataset.tableName, kind: kind, on: db)
            try await SQLDatasetRepository.insertKey(key, on: db)
            if records.isEmpty || !newly.isEmpty {
                try await db.update("datasets").set("encryption_pending", to: 1).where("id", .equal, dataset.id).run()
            }
            try await db.insert(into: "dataset_reencryptions").columns(
                "id", "dataset_id", "target_version", "cursor", "rows_done", "rows_total", "state", "reason", "created_by",
                "created_at", "updated_at", "finished_at", "node_id"
            ).values(
                SQLBind(job.id), SQLBind(job.datasetId), SQLBind(job.targetVersion), SQLLiteral.null, SQLBind(0),
                SQLBind(job.rowsTotal), SQLBind(job.state.rawValue), SQLBind(job.reason.rawValue), SQLBind(job.createdBy),
                SQLBind(job.createdAt), SQLBind(job.updatedAt), SQLLiteral.null, SQLBind(job.nodeId)
            ).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func step(jobId: String, limit: Int, finished: AuditRecord) async throws -> ReencryptionJob {
        let context = self.context
        let keys = self.keys
        let kind = context.database.kind
        let job = try await context.database.transaction { db -> ReencryptionJob in
            let lock = kind == .postgres ? " FOR UPDATE" : ""
            guard
                var job = try await db.raw("SELECT * FROM dataset_reencryptions WHERE id = \(bind: jobId)\(unsafeRaw: lock)").first()
                    .map(Self.job(from:))
            else { throw DomainError.notFound("Re-encryption \(jobId)", zh: "重新加密任务 \(jobId)") }
            guard job.state == .running,
                let dataset = try await db.select().column("*").from("datasets").where("id", .equal, job.datasetId).first()
                    .map(SQLDatasetRepository.dataset(from:)),
                let keySet = try keys.keySet(
                    datasetId: dataset.id, records: try await SQLDatasetRepository.keyRecords(datasetId: dataset.id, on: db))
            else { return job }
            let table = dataset.tableName
            let columns = dataset.columns
            let encrypted = columns.filter { keySet.encryptedColumns.contains($0.column) }
            let target = job.targetVersion
            let casts = (["_pk", "_batch", "_updated_at", "_kv"] + columns.map(\.column)).map { "CAST(\($0) AS TEXT) AS \($0)" }
                .joined(separator: ", ")
            let found =
                try await
                (job.cursor.map { after in
                    db.raw(
                        """
                        SELECT \(unsafeRaw: casts) FROM \(unsafeRaw: table) WHERE _pk > \(bind: after) AND (_kv IS NULL OR _kv < \(bind: target))
                        ORDER BY _pk LIMIT \(bind: limit)
                        """)
                }
                ?? db.raw(
                    """
                    SELECT \(unsafeRaw: casts) FROM \(unsafeRaw: table) WHERE _kv IS NULL OR _kv < \(bind: target)
                    ORDER BY _pk LIMIT \(bind: limit)
                    """)).all()
            var olds: [String] = []
            var rows: [[any SQLExpression]] = []
            let keyIndex = columns.firstIndex { $0.itemCode == dataset.primaryKey }
            for row in found {
                let stored = try row.string("_pk")
                let version = try row.optionalString("_kv").flatMap(Int.init)
                var values: [CellValue] = []
                for c in columns {
                    let cell = try row.optionalString(c.column).map(CellValue.text) ?? .null
                    values.append(try SQLDatasetRepository.openCell(cell, column: c, rowVersion: version, rowKey: stored, keys: keySet))
                }
                let key = keyIndex.flatMap { values[$0].text } ?? stored
                let sealed = try SQLDatasetRepository.sealRow(
                    key: key, values: values, dataset: dataset, keys: keySet, encrypted: encrypted)
                olds.append(stored)
                rows.append(
                    [
                        SQLBind(sealed.key), SQLBind(try row.string("_batch")), SQLBind(try row.string("_updated_at")),
                        SQLBind(keySet.current),
                    ] + sealed.values.map(SQLDatasetRepository.expression(_:))
                        + sealed.indexes.map { $0.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null })
            }
            let names =
                ["_pk", "_batch", "_updated_at", "_kv"] + columns.map(\.column)
                + encrypted.map { SQLDatasetRepository.blindColumn($0.column) }
            let perInsert = max(1, 30_000 / names.count)
            // Only rows still on an older version are replaced: a row a report rewrote meanwhile is newer and stays.
            for chunk in olds.chunked(SQLDatasetRepository.rowsPerStatement) {
                try await db.raw(
                    "DELETE FROM \(unsafeRaw: table) WHERE _pk IN (\(binds: Array(chunk))) AND (_kv IS NULL OR _kv < \(bind: target))"
                ).run()
            }
            for chunk in rows.chunked(perInsert) {
                try await db.insert(into: table).columns(names).rows(Array(chunk)).ignoringConflicts(with: ["_pk"]).run()
            }
            job.rowsDone += olds.count
            job.cursor = olds.last ?? job.cursor
            job.updatedAt = context.now
            if found.count < limit {
                let remaining =
                    try await db.raw(
                        "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE _kv IS NULL OR _kv < \(bind: target)"
                    ).first()?.decode(column: "n", as: Int.self) ?? 0
                if remaining > 0 {
                    job.cursor = nil  // rows behind the cursor still to do: one more pass
                } else {
                    job.state = .done
                    job.finishedAt = context.now
                    try await db.update("datasets").set("encryption_pending", to: 0).where("id", .equal, dataset.id).run()
                    _ = try await AuditChain.append(finished, context: context, on: db)
                }
            }
            job.rowsTotal = max(job.rowsTotal, job.rowsDone, dataset.rowCount)
            try await db.update("dataset_reencryptions")
                .set("cursor", to: job.cursor.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                .set("rows_done", to: job.rowsDone).set("rows_total", to: job.rowsTotal).set("state", to: job.state.rawValue)
                .set("updated_at", to: job.updatedAt)
                .set("finished_at", to: job.finishedAt.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                .where("id", .equal, job.id).run()
            return job
        }
        // The pages that held clear values leave the write-ahead log too.
        if job.state == .done { try await context.database.truncateWriteAheadLog() }
        return job
    }

    static func job(from row: any SQLRow) throws -> ReencryptionJob {
        ReencryptionJob(
            id: try row.string("id"), datasetId: try row.string("dataset_id"), targetVersion: try row.int("target_version"),
            cursor: try row.optionalString("cursor"), rowsDone: try row.int("rows_done"), rowsTotal: try row.int("rows_total"),
            state: ReencryptionJob.State(rawValue: try row.string("state")) ?? .running,
            reason: ReencryptionJob.Reason(rawValue: try row.string("reason")) ?? .initial, createdBy: try row.string("created_by"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"),
            finishedAt: try row.optionalString("finished_at"), nodeId: try row.string("node_id"))
    }
}

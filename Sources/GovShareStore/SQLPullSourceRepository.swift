import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Pull sources, with the connection URL sealed (ChaCha20-Poly1305) under the node's source key.
public struct SQLPullSourceRepository: PullSourceRepository {
    let context: StoreContext
    let key: KeyCache

    public init(context: StoreContext) {
        self.context = context
        key = KeyCache(name: "source_key", custody: context.custody)
    }

    public func insert(_ s: PullSource, audit: AuditRecord) async throws {
        let context = self.context
        let key = self.key
        try await context.database.transaction { db in
            let sealed = try ChaChaPoly.seal(Data(s.connectionURL.utf8), using: try await key.load(on: db)).combined.base64EncodedString()
            try await db.insert(into: "pull_sources").columns(
                "id", "dataset_id", "connection_sealed", "source_table", "watermark_column", "column_map", "interval_seconds",
                "last_watermark", "last_run_at", "last_error", "rows_pulled", "enabled", "created_by", "created_at", "node_id"
            ).values(
                SQLBind(s.id), SQLBind(s.datasetId), SQLBind(sealed), SQLBind(s.sourceTable), SQLBind(s.watermarkColumn),
                SQLBind(AuditJSON.encode(s.columnMap)), SQLBind(s.intervalSeconds), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null,
                SQLBind(0), SQLBind(s.enabled), SQLBind(s.createdBy), SQLBind(s.createdAt), SQLBind(s.nodeId)
            ).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func find(id: String) async throws -> PullSource? {
        try await select { $0.where("id", .equal, id) }.first
    }

    public func list(datasetId: String?) async throws -> [PullSource] {
        try await select { query in if let datasetId { query.where("dataset_id", .equal, datasetId) } }
    }

    func select(_ filter: @escaping @Sendable (SQLSelectBuilder) -> Void) async throws -> [PullSource] {
        let key = self.key
        return try await context.database.withConnection { db in
            let query = db.select().column("*").from("pull_sources")
            filter(query)
            let symmetricKey = try await key.load(on: db)
            return try await query.orderBy("created_at").all().map { row in
                guard let data = Data(base64Encoded: try row.string("connection_sealed")),
                    let url = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: symmetricKey)
                else {
                    throw DomainError(
                        .unavailable, code: "source_unreadable",
                        message: LocalizedText(zh: "数据源连接信息无法解密", en: "The source connection cannot be unsealed"))
                }
                let map = (try? JSONDecoder().decode([String: String].self, from: Data(try row.string("column_map").utf8))) ?? [:]
                var source = PullSource(
                    id: try row.string("id"), datasetId: try row.string("dataset_id"), connectionURL: String(decoding: url, as: UTF8.self),
                    sourceTable: try row.string("source_table"), watermarkColumn: try row.string("watermark_column"), columnMap: map,
                    intervalSeconds: try row.int("interval_seconds"), lastWatermark: try row.optionalString("last_watermark"),
                    lastRunAt: try row.optionalString("last_run_at"), lastError: try row.optionalString("last_error"),
                    rowsPulled: try row.int("rows_pulled"), enabled: try row.decode(column: "enabled", as: Bool.self),
                    createdBy: try row.string("created_by"), createdAt: try row.string("created_at"), nodeId: try row.string("node_id"))
                source.lastKey = try row.optionalString("last_key")
                return source
            }
        }
    }

    public func recordRun(id: String, cursor: PullCursor?, at: String, error: String?, rows: Int) async throws {
        try await context.database.transaction { db in
            try await db.raw(
                """
                UPDATE pull_sources SET last_watermark = \(bind: cursor?.watermark), last_key = \(bind: cursor?.key), last_run_at = \(bind: at), last_error = \(bind: error),
                    rows_pulled = rows_pulled + \(bind: rows) WHERE id = \(bind: id)
                """
            ).run()
        }
    }
}

import Foundation
import GovShareCore
import SQLKit

/// The demo's planted records (`DemoData+Anomalies.swift` says what and why), each committed with its audit entry.
extension SQLDemoDataRepository {
    public func replaceContent(entryId: String, version: Int, content: CatalogContent, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                UPDATE catalog_versions SET content = \(bind: AuditJSON.encode(content))
                WHERE entry_id = \(bind: entryId) AND version = \(bind: version)
                """
            ).run()
        }
    }

    public func insertRead(_ read: DataRead, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            let event = try await AuditChain.append(audit, context: context, on: db)
            try await db.insert(into: "data_reads").columns(
                "audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id", "items",
                "filter", "row_count", "read_at", "request_id"
            ).values(
                SQLBind(event.seq), SQLBind(read.datasetId), SQLBind(read.entryCode), SQLBind(read.actorId), SQLBind(read.actorName),
                SQLBind(read.departmentId), SQLBind(read.purposeId), SQLBind(read.items.joined(separator: ",")), SQLBind(read.filter),
                SQLBind(read.rows), SQLBind(read.readAt), SQLBind(read.requestId)
            ).run()
        }
    }
}

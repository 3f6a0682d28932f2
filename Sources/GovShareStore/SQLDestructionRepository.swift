import Foundation
import GovShareCore
import SQLKit

/// Destruction requests and records (migration 36); the deletion itself runs here, in one transaction with its
/// record and audit entry.
public struct SQLDestructionRepository: DestructionRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insert(_ r: DestructionRequest, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "destruction_requests").columns(
                "id", "dataset_id", "entry_id", "entry_code", "provider_id", "scope", "before_date", "basis", "status",
                "requested_by", "requested_by_name", "requested_at", "node_id"
            ).values(
                SQLBind(r.id), SQLBind(r.datasetId), SQLBind(r.entryId), SQLBind(r.entryCode), SQLBind(r.providerId),
                SQLBind(r.scope.rawValue), SQLBind(r.before), SQLBind(r.basis), SQLBind(r.status.rawValue), SQLBind(r.requestedBy),
                SQLBind(r.requestedByName), SQLBind(r.requestedAt), SQLBind(r.nodeId)
            ).run()
        }
    }

    public func request(id: String) async throws -> DestructionRequest? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM destruction_requests WHERE id = \(bind: id)").first().map(Self.request)
        }
    }

    public func requests(providerIds: Set<String>?, limit: Int) async throws -> [DestructionRequest] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("destruction_requests")
            if let providerIds { select.where("provider_id", .in, SQLBind.group(Array(providerIds).sorted())) }
            return try await select.orderBy("requested_at", .descending).limit(limit).all().map(Self.request)
        }
    }

    public func records(providerIds: Set<String>?, limit: Int) async throws -> [DestructionRecord] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("destruction_records")
            if let providerIds { select.where("provider_id", .in, SQLBind.group(Array(providerIds).sorted())) }
            return try await select.orderBy("executed_at", .descending).limit(limit).all().map(Self.record)
        }
    }

    public func decide(_ r: DestructionRequest, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE destruction_requests SET status = \(bind: r.status.rawValue), decided_by = \(bind: r.decidedBy),
                    decided_by_name = \(bind: r.decidedByName), decided_at = \(bind: r.decidedAt),
                    decision_note = \(bind: r.decisionNote)
                WHERE id = \(bind: r.id) AND status = 'pending' RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { return false }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func execute(
        _ r: DestructionRequest, dataset: Dataset, cutoff: String?, digest: DestructionDigest,
        record: @escaping @Sendable (Int, String) -> DestructionRecord,
        audit: @escaping @Sendable (DestructionRecord) -> AuditRecord
    ) async throws -> DestructionRecord? {
        let context = self.context
        let table = dataset.tableName
        let columns = dataset.columns
        return try await context.database.transaction { db -> DestructionRecord? in
            let claimed = try await db.raw(
                "UPDATE destruction_requests SET status = 'executed' WHERE id = \(bind: r.id) AND status = 'approved' RETURNING id"
            ).all()
            guard !claimed.isEmpty else { return nil }
            let names = (["_pk", "_updated_at"] + columns.map(\.column)).joined(separator: ", ")
            let scope: SQLQueryString = cutoff.map { " WHERE _updated_at < \(bind: $0)" } ?? ""
            let rows = try await db.raw(
                "SELECT \(unsafeRaw: names) FROM \(unsafeRaw: table)" + scope + " ORDER BY _pk"
            ).all()
            var digest = digest
            for row in rows {
                var fields: [String?] = [try row.string("_pk"), try row.string("_updated_at")]
                for c in columns {
                    // An encrypted numeric item is stored as text (`v<version>:<sealed>`): the stored form is digested.
                    if c.isNumeric, let number = try? row.decode(column: c.column, as: Double?.self) {
                        fields.append(DestructionDigest.number(number))
                    } else {
                        fields.append(try row.decode(column: c.column, as: String?.self))
                    }
                }
                digest.add(fields)
            }
            try await db.raw("DELETE FROM \(unsafeRaw: table)" + scope).run()
            try await db.raw(
                """
                UPDATE datasets SET row_count = (SELECT COUNT(*) FROM \(unsafeRaw: table)) WHERE id = \(bind: dataset.id)
                """
            ).run()
            let done = record(digest.count, digest.hex)
            try await db.insert(into: "destruction_records").columns(
                "id", "request_id", "dataset_id", "entry_code", "provider_id", "scope", "before_date", "basis", "requested_by",
                "approved_by", "executed_by", "row_count", "sm3", "executed_at", "node_id"
            ).values(
                SQLBind(done.id), SQLBind(done.requestId), SQLBind(done.datasetId), SQLBind(done.entryCode),
                SQLBind(done.providerId), SQLBind(done.scope.rawValue), SQLBind(done.before), SQLBind(done.basis),
                SQLBind(done.requestedBy), SQLBind(done.approvedBy), SQLBind(done.executedBy), SQLBind(done.rowCount),
                SQLBind(done.sm3), SQLBind(done.executedAt), SQLBind(done.nodeId)
            ).run()
            _ = try await AuditChain.append(audit(done), context: context, on: db)
            return done
        }
    }

    static func request(_ row: any SQLRow) throws -> DestructionRequest {
        DestructionRequest(
            id: try row.string("id"), datasetId: try row.string("dataset_id"), entryId: try row.string("entry_id"),
            entryCode: try row.string("entry_code"), providerId: try row.string("provider_id"),
            scope: DestructionScope(rawValue: try row.string("scope")) ?? .dataset, before: try row.optionalString("before_date"),
            basis: try row.string("basis"), status: DestructionStatus(rawValue: try row.string("status")) ?? .pending,
            requestedBy: try row.string("requested_by"), requestedByName: try row.string("requested_by_name"),
            requestedAt: try row.string("requested_at"), decidedBy: try row.optionalString("decided_by"),
            decidedByName: try row.optionalString("decided_by_name"), decidedAt: try row.optionalString("decided_at"),
            decisionNote: try row.optionalString("decision_note"), nodeId: try row.string("node_id"))
    }

    static func record(_ row: any SQLRow) throws -> DestructionRecord {
        DestructionRecord(
            id: try row.string("id"), requestId: try row.string("request_id"), datasetId: try row.string("dataset_id"),
            entryCode: try row.string("entry_code"), providerId: try row.string("provider_id"),
            scope: DestructionScope(rawValue: try row.string("scope")) ?? .dataset, before: try row.optionalString("before_date"),
            basis: try row.string("basis"), requestedBy: try row.string("requested_by"), approvedBy: try row.string("approved_by"),
            executedBy: try row.string("executed_by"), rowCount: try row.int("row_count"), sm3: try row.string("sm3"),
            executedAt: try row.string("executed_at"), nodeId: try row.string("node_id"))
    }
}

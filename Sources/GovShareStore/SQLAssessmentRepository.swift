import Foundation
import GovShareCore
import SQLKit

/// Assessment periods (migration 41) and the facts they are computed from: each fact one aggregate query grouped by
/// provider, so a year of records over hundreds of departments is read in a few statements.
public struct SQLAssessmentRepository: AssessmentRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func mountedEntryIds(before: String) async throws -> Set<String> {
        try await context.database.withConnection { db in
            Set(
                try await db.raw(
                    """
                    SELECT entry_id FROM datasets WHERE created_at < \(bind: before)
                    UNION SELECT entry_id FROM resource_files WHERE uploaded_at < \(bind: before)
                    UNION SELECT entry_id FROM service_mounts WHERE created_at < \(bind: before)
                    """
                ).all().map { try $0.string("entry_id") })
        }
    }

    public func datasetUpdates(before: String) async throws -> [DatasetUpdateFact] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT d.id, d.entry_code, d.provider_id, d.update_cycle, d.created_at,
                    (SELECT MAX(b.created_at) FROM dataset_batches b WHERE b.dataset_id = d.id AND b.created_at < \(bind: before))
                    AS last_batch_at
                FROM datasets d WHERE d.created_at < \(bind: before)
                """
            ).all().map {
                DatasetUpdateFact(
                    datasetId: try $0.string("id"), entryCode: try $0.string("entry_code"), providerId: try $0.string("provider_id"),
                    updateCycle: try $0.string("update_cycle"), createdAt: try $0.string("created_at"),
                    lastBatchAt: try $0.optionalString("last_batch_at"))
            }
        }
    }

    public func reportedRecords(from: String, to: String) async throws -> [String: AssessmentCount] {
        try await context.database.withConnection { db in
            var result: [String: AssessmentCount] = [:]
            for row in try await db.raw(
                """
                SELECT d.provider_id, SUM(b.received) AS received, SUM(b.accepted) AS accepted
                FROM dataset_batches b JOIN datasets d ON d.id = b.dataset_id
                WHERE b.created_at >= \(bind: from) AND b.created_at < \(bind: to) GROUP BY d.provider_id
                """
            ).all() {
                result[try row.string("provider_id")] = AssessmentCount(
                    total: Int(try row.decode(column: "received", as: Int64?.self) ?? 0),
                    passed: Int(try row.decode(column: "accepted", as: Int64?.self) ?? 0))
            }
            return result
        }
    }

    public func deadlinesDue(subjectType: String, dueFrom: String, dueTo: String) async throws -> [String: AssessmentCount] {
        let table: String, department: String
        switch subjectType {
        case "application": (table, department) = ("share_applications", "provider_id")
        case "objection": (table, department) = ("objections", "provider_id")
        case "rectification_order": (table, department) = ("rectification_orders", "department_id")
        default: return [:]
        }
        return try await context.database.withConnection { db in
            var result: [String: AssessmentCount] = [:]
            // Met on time: the deadline was closed (its last change) before the due day ended in China Standard Time
            // (16:00 UTC of the due date).
            for row in try await db.raw(
                """
                SELECT s.\(unsafeRaw: department) AS provider_id, COUNT(*) AS due,
                    SUM(CASE WHEN t.status = 'met' AND t.updated_at < (t.due_on || 'T16:00:00')
                        THEN 1 ELSE 0 END) AS on_time
                FROM deadlines t JOIN \(unsafeRaw: table) s ON s.id = t.subject_id
                WHERE t.subject_type = \(bind: subjectType) AND t.status <> 'cancelled'
                    AND t.due_on >= \(bind: dueFrom) AND t.due_on <= \(bind: dueTo)
                GROUP BY s.\(unsafeRaw: department)
                """
            ).all() {
                result[try row.string("provider_id")] = AssessmentCount(
                    total: Int(try row.decode(column: "due", as: Int64.self)),
                    passed: Int(try row.decode(column: "on_time", as: Int64?.self) ?? 0))
            }
            return result
        }
    }

    public func datasetsReadByOthers(from: String, to: String) async throws -> [String: Int] {
        try await context.database.withConnection { db in
            var result: [String: Int] = [:]
            for row in try await db.raw(
                """
                SELECT d.provider_id, COUNT(DISTINCT r.dataset_id) AS n FROM data_reads r JOIN datasets d ON d.id = r.dataset_id
                WHERE r.read_at >= \(bind: from) AND r.read_at < \(bind: to) AND r.department_id <> d.provider_id
                GROUP BY d.provider_id
                """
            ).all() {
                result[try row.string("provider_id")] = Int(try row.decode(column: "n", as: Int64.self))
            }
            return result
        }
    }

    public func saveDraft(_ a: Assessment, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            if try await db.raw(
                "SELECT id FROM assessments WHERE period = \(bind: a.period) AND status = 'published'"
            ).first() != nil {
                return false
            }
            try await db.raw("DELETE FROM assessments WHERE period = \(bind: a.period) AND status = 'draft'").run()
            try await db.insert(into: "assessments").columns(
                "id", "period", "period_from", "period_to", "as_of", "scheme_version", "status", "department_count", "computed_by",
                "computed_by_name", "computed_at", "document", "document_sm3", "node_id"
            ).values(
                SQLBind(a.id), SQLBind(a.period), SQLBind(a.periodFrom), SQLBind(a.periodTo), SQLBind(a.asOf),
                SQLBind(a.schemeVersion), SQLBind(a.status.rawValue), SQLBind(a.departmentCount), SQLBind(a.computedBy),
                SQLBind(a.computedByName), SQLBind(a.computedAt), SQLBind(a.document), SQLBind(a.documentSM3Hex), SQLBind(a.nodeId)
            ).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func publish(
        id: String, by: String, byName: String, at: String, signature: Data, sealId: String, documentSM3Hex: String,
        audits: [AuditRecord]
    ) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let updated = try await db.raw(
                """
                UPDATE assessments SET status = 'published', published_by = \(bind: by), published_by_name = \(bind: byName),
                    published_at = \(bind: at), signature = \(bind: signature), seal_id = \(bind: sealId)
                WHERE id = \(bind: id) AND status = 'draft' AND document_sm3 = \(bind: documentSM3Hex) RETURNING id
                """
            ).first()
            guard updated != nil else { return false }
            _ = try await AuditChain.appendAll(audits, context: context, on: db)
            return true
        }
    }

    public func find(id: String) async throws -> Assessment? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM assessments WHERE id = \(bind: id)").first().map { try Self.assessment($0, full: true) }
        }
    }

    public func list(status: AssessmentStatus?, limit: Int, withDocuments: Bool) async throws -> [Assessment] {
        let columns =
            withDocuments
            ? "*"
            : """
            id, period, period_from, period_to, as_of, scheme_version, status, department_count, computed_by, computed_by_name,
            computed_at, published_by_name, published_at, document_sm3, seal_id, node_id
            """
        return try await context.database.withConnection { db in
            let rows: [any SQLRow]
            if let status {
                rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: columns) FROM assessments WHERE status = \(bind: status.rawValue)
                    ORDER BY period_to DESC, period_from DESC, id DESC LIMIT \(bind: limit)
                    """
                ).all()
            } else {
                rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: columns) FROM assessments ORDER BY period_to DESC, period_from DESC, id DESC LIMIT \(bind: limit)
                    """
                ).all()
            }
            return try rows.map { try Self.assessment($0, full: withDocuments) }
        }
    }

    public func published(period: String) async throws -> Assessment? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM assessments WHERE period = \(bind: period) AND status = 'published'").first()
                .map { try Self.assessment($0, full: true) }
        }
    }

    static func assessment(_ row: any SQLRow, full: Bool) throws -> Assessment {
        Assessment(
            id: try row.string("id"), period: try row.string("period"), periodFrom: try row.string("period_from"),
            periodTo: try row.string("period_to"), asOf: try row.string("as_of"), schemeVersion: try row.string("scheme_version"),
            status: AssessmentStatus(rawValue: try row.string("status")) ?? .draft, departmentCount: try row.int("department_count"),
            computedBy: try row.string("computed_by"), computedByName: try row.string("computed_by_name"),
            computedAt: try row.string("computed_at"), publishedByName: try row.optionalString("published_by_name"),
            publishedAt: try row.optionalString("published_at"),
            document: full ? try row.decode(column: "document", as: Data.self) : Data(),
            documentSM3Hex: try row.string("document_sm3"),
            signature: full ? try row.decode(column: "signature", as: Data?.self) : nil, sealId: try row.optionalString("seal_id"),
            nodeId: try row.string("node_id"))
    }
}

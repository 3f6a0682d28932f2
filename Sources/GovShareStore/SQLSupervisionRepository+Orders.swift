import Foundation
import GovShareCore
import SQLKit

extension SQLSupervisionRepository {
    public func insert(_ o: RectificationOrder, deadline: Deadline, notifications: [InboxMessage], audits: [AuditRecord]) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await SQLDeadlineRepository.insert(deadline, context: context, on: db)
            try await db.insert(into: "rectification_orders").columns(
                "id", "finding_id", "rule", "department_id", "authority_id", "what", "basis", "working_days", "issued_on", "due_on",
                "deadline_id", "status", "issued_by", "issued_by_name", "issued_at", "document", "signature", "seal_id",
                "document_sm3", "updated_at", "node_id"
            ).values(
                SQLBind(o.id), SQLBind(o.findingId), SQLBind(o.rule.rawValue), SQLBind(o.departmentId), SQLBind(o.authorityId),
                SQLBind(o.what), SQLBind(o.basis), SQLBind(o.workingDays), SQLBind(o.issuedOn.description),
                SQLBind(o.dueOn.description), SQLBind(o.deadlineId), SQLBind(o.status.rawValue), SQLBind(o.issuedBy),
                SQLBind(o.issuedByName), SQLBind(o.issuedAt), SQLBind(o.document), SQLBind(o.signature), SQLBind(o.sealId),
                SQLBind(o.documentSM3Hex), SQLBind(o.updatedAt), SQLBind(o.nodeId)
            ).run()
            try await SQLApplicationRepository.insert(notifications, on: db)
            _ = try await AuditChain.appendAll(audits, context: context, on: db)
        }
    }

    public func update(
        _ o: RectificationOrder, expected: RectificationOrder.Status, notifications: [InboxMessage], audit: AuditRecord
    ) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let changed = try await db.raw(
                """
                UPDATE rectification_orders SET status = \(bind: o.status.rawValue), response = \(bind: o.response),
                    responded_by_name = \(bind: o.respondedByName), responded_at = \(bind: o.respondedAt),
                    decision_note = \(bind: o.decisionNote), decided_by_name = \(bind: o.decidedByName),
                    decided_at = \(bind: o.decidedAt), escalated_at = \(bind: o.escalatedAt), updated_at = \(bind: o.updatedAt)
                WHERE id = \(bind: o.id) AND status = \(bind: expected.rawValue) RETURNING id
                """
            ).first()
            guard changed != nil else { return false }
            // The order's clock: met when the authority accepts the correction; while the department's turn it stays open.
            if o.status == .accepted {
                try await db.update("deadlines").set("status", to: Deadline.Status.met.rawValue).set("updated_at", to: o.updatedAt)
                    .where("id", .equal, o.deadlineId).run()
            }
            try await SQLApplicationRepository.insert(notifications, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func order(id: String) async throws -> RectificationOrder? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM rectification_orders WHERE id = \(bind: id)").first().map(Self.order)
        }
    }

    public func orders(departmentIds: Set<String>?, limit: Int) async throws -> [RectificationOrder] {
        if let ids = departmentIds, ids.isEmpty { return [] }
        return try await context.database.withConnection { db in
            var query = db.select().column("*").from("rectification_orders")
            if let ids = departmentIds {
                query = query.where { $0.where("department_id", .in, Array(ids)).orWhere("authority_id", .in, Array(ids)) }
            }
            return try await query.orderBy("issued_at", .descending).orderBy("id", .descending).limit(limit).all().map(Self.order)
        }
    }

    static func order(_ row: any SQLRow) throws -> RectificationOrder {
        RectificationOrder(
            id: try row.string("id"), findingId: try row.string("finding_id"),
            rule: SupervisionRule(rawValue: try row.string("rule")) ?? .inspection, departmentId: try row.string("department_id"),
            authorityId: try row.string("authority_id"), what: try row.string("what"), basis: try row.string("basis"),
            workingDays: try row.int("working_days"), issuedOn: CivilDate(try row.string("issued_on")) ?? CivilDate(dayNumber: 0),
            dueOn: CivilDate(try row.string("due_on")) ?? CivilDate(dayNumber: 0), deadlineId: try row.string("deadline_id"),
            status: RectificationOrder.Status(rawValue: try row.string("status")) ?? .issued, issuedBy: try row.string("issued_by"),
            issuedByName: try row.string("issued_by_name"), issuedAt: try row.string("issued_at"),
            document: try row.decode(column: "document", as: Data.self), signature: try row.decode(column: "signature", as: Data.self),
            sealId: try row.string("seal_id"), documentSM3Hex: try row.string("document_sm3"),
            response: try row.optionalString("response"), respondedByName: try row.optionalString("responded_by_name"),
            respondedAt: try row.optionalString("responded_at"), decisionNote: try row.optionalString("decision_note"),
            decidedByName: try row.optionalString("decided_by_name"), decidedAt: try row.optionalString("decided_at"),
            escalatedAt: try row.optionalString("escalated_at"), updatedAt: try row.string("updated_at"), nodeId: try row.string("node_id"))
    }
}

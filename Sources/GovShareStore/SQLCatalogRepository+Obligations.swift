import Foundation
import GovShareCore
import SQLKit

/// Catalog update obligations (Art. 9): a row per obligation, its clock in `deadlines`, notices into the same
/// `notifications` inbox applications use.
extension SQLCatalogRepository {
    public func insertObligation(_ obligation: CatalogObligation, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            let deadlineId = Identifier.make(at: context.clock.now())
            try await db.insert(into: "deadlines")
                .columns(
                    "id", "subject_type", "subject_id", "received_on", "working_days", "due_on", "provisional",
                    "status", "node_id", "created_at", "updated_at"
                )
                .values(
                    SQLBind(deadlineId), SQLBind("catalog_obligation"), SQLBind(obligation.id),
                    SQLBind(obligation.triggerDate.description),
                    SQLBind(obligation.workingDays), SQLBind(obligation.dueOn.description),
                    SQLBind(obligation.provisional), SQLBind(obligation.status.rawValue), SQLBind(context.nodeId),
                    SQLBind(context.now), SQLBind(context.now)
                )
                .run()
            try await db.insert(into: "catalog_obligations")
                .columns(
                    "id", "trigger_kind", "trigger_date", "reference", "department_id", "deadline_id", "met_by_entry_id",
                    "met_at", "created_at", "entry_id"
                )
                .values(
                    SQLBind(obligation.id), SQLBind(obligation.trigger.rawValue), SQLBind(obligation.triggerDate.description),
                    SQLBind(obligation.reference), SQLBind(obligation.departmentId), SQLBind(deadlineId),
                    SQLBind(obligation.metByEntryId), SQLBind(String?.none), SQLBind(obligation.createdAt),
                    SQLBind(obligation.entryId)
                )
                .run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func obligations(departmentIds: [String]?, openOnly: Bool) async throws -> [CatalogObligation] {
        try await context.database.withConnection { db in
            var sql = Self.obligationSelect
            if openOnly { sql.appendLiteral(" AND d.status = 'open'") }
            if let departmentIds {
                sql.appendLiteral(" AND o.department_id IN (")
                sql.appendInterpolation(binds: departmentIds.isEmpty ? [""] : departmentIds)
                sql.appendLiteral(")")
            }
            sql.appendLiteral(" ORDER BY d.due_on, o.id")
            return try await db.raw(sql).all().map(Self.obligation(from:))
        }
    }

    public func obligation(id: String) async throws -> CatalogObligation? {
        try await context.database.withConnection { db in
            var sql = Self.obligationSelect
            sql.appendLiteral(" AND o.id = ")
            sql.appendInterpolation(bind: id)
            return try await db.raw(sql).first().map(Self.obligation(from:))
        }
    }

    public func linkObligation(id: String, entryId: String, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let linked = try await db.raw(
                """
                UPDATE catalog_obligations SET entry_id = \(bind: entryId)
                WHERE id = \(bind: id) AND deadline_id IN (SELECT id FROM deadlines WHERE status = 'open') RETURNING id
                """
            ).all()
            guard !linked.isEmpty else { return false }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func noteObligation(
        id: String, notice: CatalogObligation.Notice, notifications: [InboxMessage],
        audit: AuditRecord
    ) async throws -> Bool {
        let context = self.context
        let column = notice == .reminded ? "reminded_at" : "escalated_at"
        return try await context.database.transaction { db in
            // The condition is the claim: a second scheduler on the same database finds the column set and sends nothing.
            let claimed = try await db.raw(
                """
                UPDATE catalog_obligations SET \(ident: column) = \(bind: context.now)
                WHERE id = \(bind: id) AND \(ident: column) IS NULL
                AND deadline_id IN (SELECT id FROM deadlines WHERE status = 'open') RETURNING id
                """
            ).all()
            guard !claimed.isEmpty else { return false }
            try await SQLApplicationRepository.insert(notifications, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    /// On publication: the department's open obligations linked to this entry are met by it; no other.
    static func closeObligations(
        of departmentId: String, linkedTo entryId: String, context: StoreContext,
        on db: any SQLDatabase
    ) async throws {
        let open = try await db.raw(
            """
            SELECT o.id AS id, o.deadline_id AS deadline_id FROM catalog_obligations o
            JOIN deadlines d ON d.id = o.deadline_id
            WHERE o.department_id = \(bind: departmentId) AND o.entry_id = \(bind: entryId) AND d.status = 'open'
            """
        ).all()
        for row in open {
            try await db.update("catalog_obligations").set("met_by_entry_id", to: entryId).set("met_at", to: context.now)
                .where("id", .equal, try row.string("id")).run()
            try await db.update("deadlines").set("status", to: Deadline.Status.met.rawValue).set("updated_at", to: context.now)
                .where("id", .equal, try row.string("deadline_id")).run()
        }
    }

    static var obligationSelect: SQLQueryString {
        SQLQueryString(
            """
            SELECT o.*, d.working_days AS working_days, d.due_on AS due_on, d.provisional AS provisional, d.status AS status
            FROM catalog_obligations o JOIN deadlines d ON d.id = o.deadline_id WHERE 1 = 1
            """)
    }

    static func obligation(from row: any SQLRow) throws -> CatalogObligation {
        CatalogObligation(
            id: try row.string("id"),
            trigger: CatalogObligation.Trigger(rawValue: try row.string("trigger_kind")) ?? .lawRevised,
            triggerDate: CivilDate(try row.string("trigger_date")) ?? CivilDate(dayNumber: 0),
            reference: try row.string("reference"), departmentId: try row.string("department_id"),
            workingDays: try row.int("working_days"), dueOn: CivilDate(try row.string("due_on")) ?? CivilDate(dayNumber: 0),
            provisional: try row.decode(column: "provisional", as: Bool.self),
            status: Deadline.Status(rawValue: try row.string("status")) ?? .open,
            metByEntryId: try row.optionalString("met_by_entry_id"), createdAt: try row.string("created_at"),
            entryId: try row.optionalString("entry_id"), remindedAt: try row.optionalString("reminded_at"),
            escalatedAt: try row.optionalString("escalated_at"))
    }
}

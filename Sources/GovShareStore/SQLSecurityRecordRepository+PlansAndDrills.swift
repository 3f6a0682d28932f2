import Foundation
import GovShareCore
import SQLKit

/// Emergency plans with numbered versions, drills with follow-ups, and the drill reminders sent.
extension SQLSecurityRecordRepository {
    public func insertPlan(_ p: EmergencyPlan, version: EmergencyPlanVersion, audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in
            try await db.raw(
                """
                INSERT INTO emergency_plans (id, node_id, department_id, title, current_version, effective_on, created_at, updated_at)
                VALUES (\(bind: p.id), \(bind: p.nodeId), \(bind: p.departmentId), \(bind: p.title), \(bind: p.currentVersion),
                \(bind: p.effectiveOn.description), \(bind: Timestamp.format(p.createdAt)), \(bind: Timestamp.format(p.updatedAt)))
                """
            ).run()
            try await Self.insert(version, nodeId: context.nodeId, on: db)
        }
    }

    public func insertPlanVersion(_ v: EmergencyPlanVersion, audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in
            // Only the editor who read the current version moves it on; the other gets 409 (the unique index on
            // (plan_id, version) holds even without the condition).
            let moved = try await db.raw(
                """
                UPDATE emergency_plans SET current_version = \(bind: v.version), title = \(bind: v.title),
                effective_on = \(bind: v.effectiveOn.description), updated_at = \(bind: Timestamp.format(v.createdAt))
                WHERE id = \(bind: v.planId) AND current_version = \(bind: v.version - 1) RETURNING id
                """
            ).all()
            guard !moved.isEmpty else {
                throw DomainError.conflict(
                    code: "plan_version_changed", zh: "预案已被他人修订，请刷新后重试", en: "The plan was revised meanwhile; reload and try again")
            }
            try await Self.insert(v, nodeId: context.nodeId, on: db)
        }
    }

    static func insert(_ v: EmergencyPlanVersion, nodeId: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO emergency_plan_versions (id, plan_id, node_id, version, title, body, effective_on, approved_by, recorded_by,
            recorded_by_name, created_at)
            VALUES (\(bind: v.id), \(bind: v.planId), \(bind: nodeId), \(bind: v.version), \(bind: v.title), \(bind: v.body),
            \(bind: v.effectiveOn.description), \(bind: v.approvedBy), \(bind: v.recordedBy), \(bind: v.recordedByName),
            \(bind: Timestamp.format(v.createdAt)))
            """
        ).run()
    }

    public func plan(id: String) async throws -> EmergencyPlan? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("emergency_plans").where("id", .equal, id).first().map(Self.plan)
        }
    }

    public func plans(departmentId: String?) async throws -> [EmergencyPlan] {
        try await context.database.withConnection { db in
            let q = db.select().column("*").from("emergency_plans")
            if let departmentId { q.where("department_id", .equal, departmentId) }
            return try await q.orderBy("updated_at", .descending).orderBy("id", .descending).limit(1000).all().map(Self.plan)
        }
    }

    public func planVersions(planId: String) async throws -> [EmergencyPlanVersion] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("emergency_plan_versions").where("plan_id", .equal, planId)
                .orderBy("version", .descending).all().map { r in
                    EmergencyPlanVersion(
                        id: try r.string("id"), planId: try r.string("plan_id"), version: try r.int("version"),
                        title: try r.string("title"),
                        body: try r.string("body"), effectiveOn: try Self.civil(r, "effective_on"), approvedBy: try r.string("approved_by"),
                        recordedBy: try r.string("recorded_by"), recordedByName: try r.string("recorded_by_name"),
                        createdAt: try Self.date(r, "created_at"))
                }
        }
    }

    static func plan(_ r: any SQLRow) throws -> EmergencyPlan {
        EmergencyPlan(
            id: try r.string("id"), nodeId: try r.string("node_id"), departmentId: try r.string("department_id"),
            title: try r.string("title"),
            currentVersion: try r.int("current_version"), effectiveOn: try civil(r, "effective_on"), createdAt: try date(r, "created_at"),
            updatedAt: try date(r, "updated_at"))
    }

    // MARK: - Drills

    public func insertDrill(_ d: Drill, audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in
            try await db.raw(
                """
                INSERT INTO drills (id, node_id, department_id, held_on, scenario, plan_id, plan_version, participants, findings,
                recorded_by, created_at)
                VALUES (\(bind: d.id), \(bind: d.nodeId), \(bind: d.departmentId), \(bind: d.heldOn.description), \(bind: d.scenario),
                \(bind: d.planId), \(bind: d.planVersion), \(bind: AuditJSON.encode(d.participants)), \(bind: d.findings),
                \(bind: d.recordedBy), \(bind: Timestamp.format(d.createdAt)))
                """
            ).run()
            for f in d.followUps { try await Self.insert(f, nodeId: context.nodeId, at: d.createdAt, on: db) }
        }
    }

    static func insert(_ f: DrillFollowUp, nodeId: String, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO drill_follow_ups (id, drill_id, node_id, description, owner, done, done_at, done_by, created_at)
            VALUES (\(bind: f.id), \(bind: f.drillId), \(bind: nodeId), \(bind: f.description), \(bind: f.owner), 0, NULL, NULL,
            \(bind: Timestamp.format(at)))
            """
        ).run()
    }

    public func drill(id: String) async throws -> Drill? {
        try await context.database.withConnection { db in
            guard let row = try await db.select().column("*").from("drills").where("id", .equal, id).first() else { return nil }
            return try await Self.drill(row, on: db)
        }
    }

    public func drills(departmentId: String?) async throws -> [Drill] {
        try await context.database.withConnection { db in
            let q = db.select().column("*").from("drills")
            if let departmentId { q.where("department_id", .equal, departmentId) }
            var out: [Drill] = []
            for row in try await q.orderBy("held_on", .descending).orderBy("id", .descending).limit(1000).all() {
                out.append(try await Self.drill(row, on: db))
            }
            return out
        }
    }

    static func drill(_ r: any SQLRow, on db: any SQLDatabase) async throws -> Drill {
        let id = try r.string("id")
        let followUps = try await db.select().column("*").from("drill_follow_ups").where("drill_id", .equal, id)
            .orderBy("created_at").orderBy("id").all().map { f in
                DrillFollowUp(
                    id: try f.string("id"), drillId: id, description: try f.string("description"), owner: try f.string("owner"),
                    done: try f.int("done") != 0, doneAt: try f.optionalString("done_at").flatMap(Timestamp.parse),
                    doneBy: try f.optionalString("done_by"))
            }
        return Drill(
            id: id, nodeId: try r.string("node_id"), departmentId: try r.string("department_id"), heldOn: try civil(r, "held_on"),
            scenario: try r.string("scenario"), planId: try r.optionalString("plan_id"),
            planVersion: try r.decode(column: "plan_version", as: Int?.self),
            participants: (try? JSONDecoder().decode([String].self, from: Data(try r.string("participants").utf8))) ?? [],
            findings: try r.string("findings"), recordedBy: try r.string("recorded_by"), createdAt: try date(r, "created_at"),
            followUps: followUps)
    }

    public func insertFollowUp(_ f: DrillFollowUp, audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in try await Self.insert(f, nodeId: context.nodeId, at: context.clock.now(), on: db) }
    }

    public func markDone(followUpId: String, drillId: String, by actorId: String, at: Date, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        do {
            try await context.write(audit) { db in
                let changed = try await db.raw(
                    """
                    UPDATE drill_follow_ups SET done = 1, done_at = \(bind: Timestamp.format(at)), done_by = \(bind: actorId)
                    WHERE id = \(bind: followUpId) AND drill_id = \(bind: drillId) AND done = 0 RETURNING id
                    """
                ).all()
                // Nothing changed: roll back so no audit entry claims a change.
                if changed.isEmpty { throw SecurityRecordUnchanged() }
            }
            return true
        } catch is SecurityRecordUnchanged {
            return false
        }
    }

    public func lastDrills() async throws -> [String: CivilDate] {
        try await context.database.withConnection { db in
            var out: [String: CivilDate] = [:]
            for r in try await db.raw("SELECT department_id, MAX(held_on) AS last FROM drills GROUP BY department_id").all() {
                if let d = CivilDate(try r.string("last")) { out[try r.string("department_id")] = d }
            }
            return out
        }
    }

    public func recordReminder(_ reminder: DrillReminder, notification: InboxMessage, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        do {
            try await context.write(audit) { db in
                // Two schedulers at once: the primary key lets one insert; the other inserts nothing and rolls back.
                let inserted = try await db.raw(
                    """
                    INSERT INTO drill_reminders (department_id, kind, due_on, node_id, sent_at)
                    VALUES (\(bind: reminder.departmentId), \(bind: reminder.kind.rawValue), \(bind: reminder.dueOn),
                    \(bind: context.nodeId), \(bind: notification.createdAt))
                    ON CONFLICT DO NOTHING RETURNING department_id
                    """
                ).all()
                if inserted.isEmpty { throw SecurityRecordUnchanged() }
                try await SQLApplicationRepository.insert([notification], on: db)
            }
            return true
        } catch is SecurityRecordUnchanged {
            return false
        }
    }
}

/// Nothing to do: the transaction is rolled back and the caller told so.
struct SecurityRecordUnchanged: Error {}

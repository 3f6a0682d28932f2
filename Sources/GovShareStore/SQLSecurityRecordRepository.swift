import Foundation
import GovShareCore
import SQLKit

/// Incidents and their handling log (Art. 27); plans and drills in `+PlansAndDrills`.
public struct SQLSecurityRecordRepository: SecurityRecordRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insertIncident(_ i: Incident, log: IncidentLogEntry, notifications: [InboxMessage], audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in
            try await db.raw(
                """
                INSERT INTO incidents (id, node_id, department_id, level, status, occurred_at, reported_at, report_due_at,
                reported_late, close_due_at, closed_at, title, description, reported_by, reporter_name, affected_entries, updated_at)
                VALUES (\(bind: i.id), \(bind: i.nodeId), \(bind: i.departmentId), \(bind: i.level.rawValue), \(bind: i.status.rawValue),
                \(bind: Timestamp.format(i.occurredAt)), \(bind: Timestamp.format(i.reportedAt)), \(bind: Timestamp.format(i.reportDueAt)),
                \(bind: i.reportedLate ? 1 : 0), \(bind: Timestamp.format(i.closeDueAt)), \(bind: i.closedAt.map(Timestamp.format)),
                \(bind: i.title), \(bind: i.description), \(bind: i.reportedBy), \(bind: i.reporterName),
                \(bind: AuditJSON.encode(i.affectedEntryIds)), \(bind: Timestamp.format(i.reportedAt)))
                """
            ).run()
            for d in i.affectedDepartmentIds {
                try await db.raw("INSERT INTO incident_departments (incident_id, department_id) VALUES (\(bind: i.id), \(bind: d))").run()
            }
            try await Self.insert(log, nodeId: context.nodeId, on: db)
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    static func insert(_ e: IncidentLogEntry, nodeId: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO incident_log (id, incident_id, node_id, at, actor_id, actor_name, action, note)
            VALUES (\(bind: e.id), \(bind: e.incidentId), \(bind: nodeId), \(bind: Timestamp.format(e.at)), \(bind: e.actorId),
            \(bind: e.actorName), \(bind: e.action.rawValue), \(bind: e.note))
            """
        ).run()
    }

    public func incident(id: String) async throws -> Incident? {
        try await context.database.withConnection { db in
            guard let row = try await db.raw("SELECT * FROM incidents WHERE id = \(bind: id)").first() else { return nil }
            return try await Self.incident(row, on: db)
        }
    }

    public func incidents(departmentId: String?, openOnly: Bool) async throws -> [Incident] {
        try await context.database.withConnection { db in
            let query = db.select().column("*").from("incidents")
            if let departmentId {
                let named = try await db.select().column("incident_id").from("incident_departments")
                    .where("department_id", .equal, departmentId).all().map { try $0.string("incident_id") }
                if named.isEmpty {
                    query.where("department_id", .equal, departmentId)
                } else {
                    query.where { g in g.where("department_id", .equal, departmentId).orWhere("id", .in, named) }
                }
            }
            if openOnly { query.where("status", .notEqual, IncidentStatus.closed.rawValue) }
            query.orderBy("reported_at", .descending).orderBy("id", .descending).limit(1000)
            var out: [Incident] = []
            for row in try await query.all() { out.append(try await Self.incident(row, on: db)) }
            return out
        }
    }

    public func log(incidentId: String) async throws -> [IncidentLogEntry] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM incident_log WHERE incident_id = \(bind: incidentId) ORDER BY at, id").all().map { row in
                IncidentLogEntry(
                    id: try row.string("id"), incidentId: try row.string("incident_id"), actorId: try row.string("actor_id"),
                    actorName: try row.string("actor_name"), at: try Self.date(row, "at"),
                    action: IncidentLogEntry.Action(rawValue: try row.string("action")) ?? .note, note: try row.optionalString("note"))
            }
        }
    }

    public func append(_ entry: IncidentLogEntry, saving i: Incident, expected: IncidentStatus, audit: AuditRecord) async throws {
        let context = self.context
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        try await context.write(audit) { db in
            guard let row = try await db.raw("SELECT status FROM incidents WHERE id = \(bind: i.id)\(unsafeRaw: lock)").first(),
                try row.string("status") == expected.rawValue
            else {
                throw DomainError.conflict(
                    code: "incident_changed", zh: "事件状态已被他人更改，请刷新后重试", en: "The incident was changed meanwhile; reload and try again")
            }
            try await db.update("incidents")
                .set("status", to: i.status.rawValue).set("closed_at", to: i.closedAt.map(Timestamp.format))
                .set("closure_cause", to: i.closure?.cause).set("closure_impact", to: i.closure?.impact)
                .set("closure_measures", to: i.closure?.measures).set("updated_at", to: Timestamp.format(entry.at))
                .where("id", .equal, i.id).run()
            try await Self.insert(entry, nodeId: context.nodeId, on: db)
        }
    }

    static func incident(_ row: any SQLRow, on db: any SQLDatabase) async throws -> Incident {
        let id = try row.string("id")
        let affected = try await db.raw(
            "SELECT department_id FROM incident_departments WHERE incident_id = \(bind: id) ORDER BY department_id"
        )
        .all().map { try $0.string("department_id") }
        let entries = (try? JSONDecoder().decode([String].self, from: Data(try row.string("affected_entries").utf8))) ?? []
        var closure: IncidentClosure?
        if let cause = try row.optionalString("closure_cause") {
            closure = IncidentClosure(
                cause: cause, impact: try row.optionalString("closure_impact") ?? "",
                measures: try row.optionalString("closure_measures") ?? "")
        }
        guard let level = IncidentLevel(rawValue: try row.string("level")) else { throw invalid("level") }
        return Incident(
            id: id, nodeId: try row.string("node_id"), departmentId: try row.string("department_id"), level: level,
            status: IncidentStatus(rawValue: try row.string("status")) ?? .open, title: try row.string("title"),
            description: try row.string("description"), occurredAt: try date(row, "occurred_at"), reportedAt: try date(row, "reported_at"),
            reportDueAt: try date(row, "report_due_at"), closeDueAt: try date(row, "close_due_at"),
            closedAt: try row.optionalString("closed_at").flatMap(Timestamp.parse), reportedBy: try row.string("reported_by"),
            reporterName: try row.string("reporter_name"), affectedEntryIds: entries, affectedDepartmentIds: affected, closure: closure)
    }

    static func date(_ row: any SQLRow, _ column: String) throws -> Date {
        guard let date = Timestamp.parse(try row.string(column)) else { throw invalid(column) }
        return date
    }

    static func civil(_ row: any SQLRow, _ column: String) throws -> CivilDate {
        guard let date = CivilDate(try row.string(column)) else { throw invalid(column) }
        return date
    }

    static func invalid(_ column: String) -> DomainError {
        DomainError(
            .unavailable, code: "security_record_invalid",
            message: LocalizedText(zh: "安全管理记录无法读取（\(column)）", en: "A security record cannot be read (\(column))"))
    }
}

import Foundation

/// Security operations (Art. 27): incidents reported to the data authority with deadlines per level, escalated to the
/// authority and the operations centre, handled with an append-only log and closed with a closure report; a
/// department's emergency plans (versioned) and drills (with follow-ups and a yearly reminder).
///
/// Scope: a department's security officer sees its own department's records (and incidents naming it as affected);
/// the data authority's security officers, and those holding `security.read_all`, see every department's.
public struct SecurityOperationsService: Sendable {
    let records: any SecurityRecordRepository
    let departments: any DepartmentRepository
    let accounts: any AccountRepository
    let catalog: any CatalogRepository
    let clock: any WallClock
    let nodeId: String
    public let settings: SecurityOperationsSettings

    public enum Limits {
        public static let title = 200
        public static let text = 10_000
        public static let planBody = 200_000
        public static let note = 2_000
        public static let affected = 50
        public static let participants = 100
        public static let participant = 100
        public static let followUps = 50
        public static let person = 100
        /// An incident may be reported up to this long after it occurred (older ones belong in an archive, not here).
        public static let longestDelayDays = 3_650
    }

    public init(
        records: any SecurityRecordRepository, departments: any DepartmentRepository, accounts: any AccountRepository,
        catalog: any CatalogRepository, clock: any WallClock, nodeId: String, settings: SecurityOperationsSettings
    ) {
        self.records = records; self.departments = departments; self.accounts = accounts; self.catalog = catalog
        self.clock = clock; self.nodeId = nodeId; self.settings = settings
    }

    /// The same service on another clock: the demo seeder records incidents reported weeks ago.
    public func on(clock: any WallClock) -> SecurityOperationsService {
        SecurityOperationsService(
            records: records, departments: departments, accounts: accounts, catalog: catalog, clock: clock, nodeId: nodeId,
            settings: settings)
    }

    // MARK: - Scope

    /// Whether the actor sees every department's records: `security.read_all`, the console, or a security officer of
    /// the provincial data authority (the authority supervises every department's security, Art. 27).
    public func seesAll(_ actor: Principal) async throws -> Bool {
        if actor.kind == .system || Policy.readAllSecurityRecords.allows(actor) { return true }
        guard actor.roles.contains(.securityOfficer), let d = try await departments.find(id: actor.departmentId) else { return false }
        return d.kind == .dataAuthority && d.level == .province
    }

    /// The department whose records the actor reads: every one (nil) for those who see all, else its own.
    func scope(_ actor: Principal, policy: Policy) async throws -> String? {
        try policy.check(actor)
        return try await seesAll(actor) ? nil : actor.departmentId
    }

    /// The department a new record is for: one's own, or (for those who see all) the one named.
    func department(named: String?, for actor: Principal, policy: Policy) async throws -> Department {
        let named = named?.trimmingCharacters(in: .whitespaces) ?? ""
        if named.isEmpty || named == actor.departmentId {
            guard let own = try await departments.find(id: actor.departmentId) else {
                throw DomainError.invalid(
                    field: "department_id", rule: "required", zh: "请指定 department_id（所属部门）",
                    en: "department_id is required")
            }
            return own
        }
        guard try await seesAll(actor) else { throw DomainError.forbidden(policy: policy) }
        var found = named.count <= 64 ? try await departments.find(id: named) : nil
        if found == nil, named.count <= 64 { found = try await departments.find(code: named) }
        guard let d = found else {
            throw DomainError.invalid(
                field: "department_id", rule: "exists", zh: "department_id 不是已登记的部门", en: "department_id is not a registered department")
        }
        return d
    }

    /// Reporting, log entries and closure: the incident's own department, or anyone who sees all.
    public func mayAct(on incident: Incident, _ actor: Principal) async throws -> Bool {
        guard Policy.reportIncidents.allows(actor) else { return false }
        if incident.departmentId == actor.departmentId { return true }
        return try await seesAll(actor)
    }

    // MARK: - Incidents: reading

    public func incidents(openOnly: Bool = false, by actor: Principal) async throws -> [Incident] {
        let scope = try await scope(actor, policy: .readSecurityRecords)
        return try await records.incidents(departmentId: scope, openOnly: openOnly)
    }

    /// One incident and its log; 404 outside the actor's scope, so its existence is not revealed.
    public func incident(id: String, by actor: Principal) async throws -> (incident: Incident, log: [IncidentLogEntry]) {
        let incident = try await visibleIncident(id, actor)
        return (incident, try await records.log(incidentId: incident.id))
    }

    func visibleIncident(_ id: String, _ actor: Principal) async throws -> Incident {
        let scope = try await scope(actor, policy: .readSecurityRecords)
        guard Identifier.isValid(id), let incident = try await records.incident(id: id),
            scope == nil || incident.departmentId == scope || incident.affectedDepartmentIds.contains(scope!)
        else { throw DomainError.notFound("Incident", zh: "安全事件") }
        return incident
    }

    // MARK: - Handling

    public struct LogInput: Sendable {
        public var note: String?
        /// `handling` starts handling an open incident; nil adds a note.
        public var status: String?
        public init(note: String?, status: String? = nil) { self.note = note; self.status = status }
    }

    /// Appends a line to the handling log; `status: handling` moves an open incident to handling.
    public func addLogEntry(incidentId: String, _ input: LogInput, by actor: Principal, origin: RequestOrigin) async throws
        -> IncidentLogEntry
    {
        try Policy.reportIncidents.check(actor)
        var incident = try await visibleIncident(incidentId, actor)
        guard try await mayAct(on: incident, actor) else { throw DomainError.forbidden(policy: .reportIncidents) }
        var v = Validator()
        v.require(input.note, field: "note", maxLength: Limits.note)
        var action = IncidentLogEntry.Action.note
        if let status = input.status, !status.isEmpty {
            if status == IncidentStatus.handling.rawValue {
                action = .handling
            } else {
                v.fail(
                    "status", "enum", zh: "status 只能为 handling（关闭请用关闭报告）", en: "status may only be handling (close with a closure report)")
            }
        }
        try v.check()
        guard incident.status != .closed else { throw Self.closedConflict }
        if action == .handling, incident.status != .open {
            throw DomainError.conflict(code: "incident_status", zh: "事件已在处置中", en: "The incident is already being handled")
        }
        let expected = incident.status
        if action == .handling { incident.status = .handling }
        let entry = logEntry(incident.id, actor, action, input.note)
        try await records.append(
            entry, saving: incident, expected: expected,
            audit: AuditRecord(
                actor: actor, action: "security.incident.\(action == .handling ? "handle" : "log")", objectType: "incident",
                objectId: incident.id, after: AuditJSON.encode(["action": action.rawValue, "status": incident.status.rawValue]),
                detail: entry.note, origin: origin))
        return entry
    }

    public struct ClosureInput: Sendable {
        public var cause, impact, measures: String?
        public init(cause: String?, impact: String?, measures: String?) {
            self.cause = cause; self.impact = impact; self.measures = measures
        }
    }

    /// Closes an incident with its closure report (cause, impact, measures — each required).
    public func close(incidentId: String, _ input: ClosureInput, by actor: Principal, origin: RequestOrigin) async throws -> Incident {
        try Policy.reportIncidents.check(actor)
        var incident = try await visibleIncident(incidentId, actor)
        guard try await mayAct(on: incident, actor) else { throw DomainError.forbidden(policy: .reportIncidents) }
        var v = Validator()
        v.require(input.cause, field: "cause", maxLength: Limits.text)
        v.require(input.impact, field: "impact", maxLength: Limits.text)
        v.require(input.measures, field: "measures", maxLength: Limits.text)
        try v.check()
        guard incident.status != .closed else { throw Self.closedConflict }
        let before = AuditJSON.encode(incident.auditSummary)
        let expected = incident.status
        let trim = { (s: String?) in s!.trimmingCharacters(in: .whitespacesAndNewlines) }
        incident.status = .closed
        incident.closedAt = clock.now()
        incident.closure = IncidentClosure(cause: trim(input.cause), impact: trim(input.impact), measures: trim(input.measures))
        try await records.append(
            logEntry(incident.id, actor, .closed, incident.closure?.measures), saving: incident, expected: expected,
            audit: AuditRecord(
                actor: actor, action: "security.incident.close", objectType: "incident", objectId: incident.id, before: before,
                after: AuditJSON.encode(incident.auditSummary), origin: origin))
        return incident
    }

    func logEntry(_ incidentId: String, _ actor: Principal, _ action: IncidentLogEntry.Action, _ note: String?) -> IncidentLogEntry {
        IncidentLogEntry(
            id: Identifier.make(at: clock.now()), incidentId: incidentId, actorId: actor.id, actorName: actor.name, at: clock.now(),
            action: action, note: note?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static let closedConflict = DomainError.conflict(
        code: "incident_closed", zh: "事件已关闭，不能再办理", en: "The incident is closed; nothing more can be done on it")
}

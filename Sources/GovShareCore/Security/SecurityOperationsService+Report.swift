import Foundation

extension SecurityOperationsService {
    public struct IncidentInput: Sendable {
        public var departmentId: String?
        public var level: String?
        public var title: String?
        public var description: String?
        public var occurredAt: Date?
        /// Catalog entries by id or code.
        public var affectedEntries: [String]?
        /// Departments by id or code.
        public var affectedDepartments: [String]?

        public init(
            departmentId: String? = nil, level: String?, title: String?, description: String?, occurredAt: Date?,
            affectedEntries: [String]? = nil, affectedDepartments: [String]? = nil
        ) {
            self.departmentId = departmentId; self.level = level; self.title = title; self.description = description
            self.occurredAt = occurredAt; self.affectedEntries = affectedEntries; self.affectedDepartments = affectedDepartments
        }
    }

    /// Reports an incident (Art. 27). The deadline is `occurred_at` plus the hours configured for its level; a report
    /// made after it is flagged late. The data authority is notified at once (its inbox, webhook and mail), and for
    /// the top two levels the operations centre too, marked urgent — in the same transaction as the record.
    public func report(_ input: IncidentInput, by actor: Principal, origin: RequestOrigin) async throws -> Incident {
        try Policy.reportIncidents.check(actor)
        var v = Validator()
        v.require(input.title, field: "title", maxLength: Limits.title)
        v.require(input.description, field: "description", maxLength: Limits.text)
        v.limit(input.affectedEntries, field: "affected_entries", maxCount: Limits.affected, maxLength: 64)
        v.limit(input.affectedDepartments, field: "affected_departments", maxCount: Limits.affected, maxLength: 64)
        v.limit(input.departmentId, field: "department_id", maxLength: 64)
        let level = input.level.flatMap(IncidentLevel.init(rawValue:))
        if level == nil {
            v.fail(
                "level", "enum", zh: "level 应为 \(IncidentLevel.allowedValues) 之一",
                en: "level must be one of \(IncidentLevel.allowedValues)")
        }
        let now = clock.now()
        if let occurred = input.occurredAt {
            if occurred > now.addingTimeInterval(300) || occurred < now.addingTimeInterval(-Double(Limits.longestDelayDays) * 86_400) {
                v.fail(
                    "occurred_at", "range", zh: "occurred_at 不能晚于当前时间，也不能早于十年前",
                    en: "occurred_at must not lie in the future nor more than ten years back")
            }
        } else {
            v.fail("occurred_at", "required", zh: "occurred_at 为必填项（ISO 8601 时间）", en: "occurred_at is required (ISO 8601 time)")
        }
        try v.check()
        let department = try await department(named: input.departmentId, for: actor, policy: .reportIncidents)
        let entries = try await resolveEntries(input.affectedEntries ?? [])
        let affected = try await resolveDepartments(input.affectedDepartments ?? [], excluding: department.id)
        let occurred = min(input.occurredAt!, now)
        let incident = Incident(
            id: Identifier.make(at: now), nodeId: nodeId, departmentId: department.id, level: level!, status: .open,
            title: input.title!.trimmingCharacters(in: .whitespacesAndNewlines),
            description: input.description!.trimmingCharacters(in: .whitespacesAndNewlines), occurredAt: occurred,
            reportedAt: now, reportDueAt: occurred.addingTimeInterval(Double(settings.reportHours(level!)) * 3600),
            closeDueAt: now.addingTimeInterval(Double(settings.incidentCloseDays) * 86_400), closedAt: nil,
            reportedBy: actor.id, reporterName: actor.name, affectedEntryIds: entries, affectedDepartmentIds: affected,
            closure: nil)
        try await records.insertIncident(
            incident, log: logEntry(incident.id, actor, .reported, incident.reportedLate ? "逾期报告 / reported late" : nil),
            notifications: try await escalation(incident, department: department),
            audit: AuditRecord(
                actor: actor, action: "security.incident.report", objectType: "incident", objectId: incident.id,
                after: AuditJSON.encode(incident.auditSummary), origin: origin))
        return incident
    }

    /// Who learns of a new incident: the provincial data authority (its security officers and reviewers read its inbox), and
    /// for the top two levels every operations centre; each department once, never the reporting one itself.
    func escalation(_ incident: Incident, department: Department) async throws -> [InboxMessage] {
        let all = try await departments.list(DepartmentFilter())
        var targets = all.filter { $0.kind == .dataAuthority && $0.level == .province }.map(\.id)
        if incident.level.isUrgent { targets += all.filter { $0.kind == .operationsCentre }.map(\.id) }
        var seen: Set<String> = [department.id]
        let late = incident.reportedLate ? "（逾期报告）" : ""
        let lateEn = incident.reportedLate ? " (reported late)" : ""
        let urgent = incident.level.isUrgent ? "【紧急】" : ""
        let urgentEn = incident.level.isUrgent ? "[URGENT] " : ""
        let message = LocalizedText(
            zh: "\(urgent)\(department.nameZh)报告\(incident.level.name.zh)安全事件「\(incident.title)」\(late)，请立即研判处置",
            en:
                "\(urgentEn)\(department.nameEn ?? department.nameZh) reported a \(incident.level.name.en.lowercased()) security incident '\(incident.title)'\(lateEn)"
        )
        return targets.filter { seen.insert($0).inserted }.map {
            InboxMessage(
                id: Identifier.make(at: clock.now()), departmentId: $0,
                kind: incident.level.isUrgent ? "incident_urgent" : "incident_reported", subjectType: "incident",
                subjectId: incident.id, message: message, createdAt: Timestamp.format(clock.now()))
        }
    }

    func resolveEntries(_ keys: [String]) async throws -> [String] {
        var ids: [String] = []
        for (i, key) in keys.enumerated() {
            let k = key.trimmingCharacters(in: .whitespaces)
            let entry =
                Identifier.isValid(k)
                ? try await catalog.entry(id: k) : try await catalog.entry(code: k.replacingOccurrences(of: "-", with: "/"))
            guard let entry else {
                throw DomainError.invalid(
                    field: "affected_entries[\(i)]", rule: "exists", zh: "affected_entries[\(i)] 不是已编目的目录条目",
                    en: "affected_entries[\(i)] is not a catalog entry")
            }
            if !ids.contains(entry.id) { ids.append(entry.id) }
        }
        return ids
    }

    func resolveDepartments(_ keys: [String], excluding own: String) async throws -> [String] {
        var ids: [String] = []
        for (i, key) in keys.enumerated() {
            let k = key.trimmingCharacters(in: .whitespaces)
            var found = try await departments.find(id: k)
            if found == nil { found = try await departments.find(code: k) }
            guard let d = found else {
                throw DomainError.invalid(
                    field: "affected_departments[\(i)]", rule: "exists", zh: "affected_departments[\(i)] 不是已登记的部门",
                    en: "affected_departments[\(i)] is not a registered department")
            }
            if d.id != own, !ids.contains(d.id) { ids.append(d.id) }
        }
        return ids
    }
}

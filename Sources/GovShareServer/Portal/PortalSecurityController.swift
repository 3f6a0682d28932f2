import Foundation
import GovShareCore
import Hummingbird

/// 安全事件 (Art. 27): the incidents list with the report form, and one incident with its handling log and closure
/// form. Plans and drills in `PortalSecurityController+Records`. The same rules as the API (`SecurityOperationsService`).
struct PortalSecurityController {
    let platform: Platform
    let pages: PageRenderer
    var service: SecurityOperationsService { platform.security }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("security/incidents", use: incidentsPage)
        router.post("security/incidents", use: report)
        router.get("security/incidents/{id}", use: incidentPage)
        router.post("security/incidents/{id}/log", use: log)
        router.post("security/incidents/{id}/close", use: close)
        router.get("security/plans", use: plansPage)
        router.post("security/plans", use: createPlan)
        router.get("security/plans/{id}", use: planPage)
        router.post("security/plans/{id}/versions", use: revisePlan)
        router.get("security/drills", use: drillsPage)
        router.post("security/drills", use: recordDrill)
        router.post("security/drills/{id}/follow-ups/{followUpId}/done", use: completeFollowUp)
    }

    @Sendable func incidentsPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderIncidents(context: context)
    }

    func renderIncidents(context: AppRequestContext, error: String? = nil, form: PortalForm? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let incidents = try await service.incidents(by: actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let now = platform.clock.now()
        let seesAll = try await service.seesAll(actor)
        let page = SecurityIncidentsPage(
            incidents: incidents.map { i in
                .init(
                    id: i.id, title: i.title, level: i.level.name.text(language), status: i.status.name.text(language),
                    department: names[i.departmentId] ?? i.departmentId, occurredAt: Self.time(i.occurredAt),
                    reportDueAt: Self.time(i.reportDueAt), closeDueAt: Self.time(i.closeDueAt), late: i.reportedLate,
                    overdue: i.isOverdue(at: now), urgent: i.level.isUrgent)
            },
            canReport: Policy.reportIncidents.allows(actor),
            levels: IncidentLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.name.text(language), selected: form?["level"] == $0.rawValue)
            },
            departments: seesAll
                ? names.sorted { $0.value < $1.value }.map {
                    .init(value: $0.key, label: $0.value, selected: (form?["department_id"] ?? actor.departmentId) == $0.key)
                } : [],
            chooseDepartment: seesAll,
            formTitle: form?["title"] ?? "", formDescription: form?["description"] ?? "", formOccurredAt: form?["occurred_at"] ?? "",
            formAffected: form?["affected_entries"] ?? "", error: error)
        return pages.render(
            page, title: Strings.text("nav_security", language), context: context, path: "/security/incidents",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let incident = try await service.report(
                .init(
                    departmentId: form["department_id"], level: form["level"], title: form["title"], description: form["description"],
                    occurredAt: try Self.localTime(form["occurred_at"]), affectedEntries: Self.list(form["affected_entries"]),
                    affectedDepartments: Self.list(form["affected_departments"])),
                by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/security/incidents/\(incident.id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderIncidents(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func incidentPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderIncident(id: try context.parameters.require("id"), context: context)
    }

    func renderIncident(id: String, context: AppRequestContext, error: String? = nil, form: PortalForm? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let (i, log) = try await service.incident(id: id, by: actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let canAct = try await service.mayAct(on: i, actor) && i.status != .closed
        let page = SecurityIncidentPage(
            id: i.id, title: i.title, level: i.level.name.text(language), status: i.status.name.text(language),
            department: names[i.departmentId] ?? i.departmentId, description: i.description, occurredAt: Self.time(i.occurredAt),
            reportedAt: Self.time(i.reportedAt), reportDueAt: Self.time(i.reportDueAt), closeDueAt: Self.time(i.closeDueAt),
            reporter: i.reporterName, closedAt: i.closedAt.map(Self.time), late: i.reportedLate,
            overdue: i.isOverdue(at: platform.clock.now()), closed: i.status == .closed, canAct: canAct,
            canStartHandling: canAct && i.status == .open,
            affectedEntries: i.affectedEntryIds.isEmpty ? nil : i.affectedEntryIds.joined(separator: "、"),
            affectedDepartments: i.affectedDepartmentIds.isEmpty
                ? nil : i.affectedDepartmentIds.map { names[$0] ?? $0 }.joined(separator: "、"),
            cause: i.closure?.cause, impact: i.closure?.impact, measures: i.closure?.measures,
            log: log.map { .init(at: Self.time($0.at), actor: $0.actorName, action: $0.action.name.text(language), note: $0.note) },
            formCause: form?["cause"] ?? "", formImpact: form?["impact"] ?? "", formMeasures: form?["measures"] ?? "", error: error)
        return pages.render(
            page, title: i.title, context: context, path: "/security/incidents/\(i.id)", status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func log(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(id, context, form) {
            _ = try await service.addLogEntry(
                incidentId: id, .init(note: form["note"], status: form["status"]), by: actor, origin: context.origin)
        }
    }

    @Sendable func close(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(id, context, form) {
            _ = try await service.close(
                incidentId: id, .init(cause: form["cause"], impact: form["impact"], measures: form["measures"]), by: actor,
                origin: context.origin)
        }
    }

    func act(_ id: String, _ context: AppRequestContext, _ form: PortalForm, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/security/incidents/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderIncident(id: id, context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    static func time(_ date: Date) -> String { PortalFormat.time(Timestamp.format(date)) }

    /// A `datetime-local` value is China Standard Time.
    static func localTime(_ text: String?) throws -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let full = text.count == 16 ? "\(text):00+08:00" : text
        guard text.count <= 40, let date = Timestamp.parse(full) else {
            throw DomainError.invalid(
                field: "occurred_at", rule: "date_time", zh: "occurred_at 应为日期时间", en: "occurred_at must be a date and time")
        }
        return date
    }

    /// Codes separated by commas, spaces or 、.
    static func list(_ text: String?) -> [String]? {
        guard let text, !text.isEmpty else { return nil }
        return text.components(separatedBy: CharacterSet(charactersIn: ",，、 \n\r\t")).filter { !$0.isEmpty }
    }
}

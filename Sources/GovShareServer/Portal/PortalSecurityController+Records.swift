import Foundation
import GovShareCore
import Hummingbird

/// 应急预案 and 应急演练 (Art. 27): plans with their versions, drills with follow-ups and the drills due.
extension PortalSecurityController {
    @Sendable func plansPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderPlans(selected: nil, context: context)
    }

    @Sendable func planPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderPlans(selected: try context.parameters.require("id"), context: context)
    }

    func renderPlans(selected id: String?, context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        var selected: SecurityPlansPage.Selected?
        if let id {
            let (plan, versions) = try await service.plan(id: id, by: actor)
            selected = .init(
                id: plan.id, title: plan.title, department: names[plan.departmentId] ?? plan.departmentId,
                currentVersion: plan.currentVersion,
                versions: versions.map {
                    .init(
                        version: $0.version, title: $0.title, body: $0.body, effectiveOn: $0.effectiveOn.description,
                        approvedBy: $0.approvedBy, recordedBy: $0.recordedByName, recordedAt: Self.time($0.createdAt))
                })
        }
        let page = SecurityPlansPage(
            plans: try await service.plans(by: actor).map {
                .init(
                    id: $0.id, title: $0.title, department: names[$0.departmentId] ?? $0.departmentId,
                    effectiveOn: $0.effectiveOn.description, version: $0.currentVersion)
            },
            selected: selected, canManage: Policy.manageEmergencyPlans.allows(actor), error: error)
        return pages.render(
            page, title: Strings.text("security_plans", language), context: context,
            path: id.map { "/security/plans/\($0)" } ?? "/security/plans",
            status: error == nil ? .ok : .unprocessableContent)
    }

    static func planInput(_ form: PortalForm) -> SecurityOperationsService.PlanInput {
        .init(title: form["title"], body: form["body"], effectiveOn: form["effective_on"], approvedBy: form["approved_by"])
    }

    @Sendable func createPlan(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let plan = try await service.createPlan(Self.planInput(form), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/security/plans/\(plan.id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderPlans(selected: nil, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func revisePlan(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.revisePlan(id: id, Self.planInput(form), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/security/plans/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderPlans(selected: id, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func drillsPage(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderDrills(context: context)
    }

    func renderDrills(context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let seesAll = try await service.seesAll(actor)
        let mayManage = Policy.manageDrills.allows(actor)
        let plans = try await service.plans(by: actor)
        let planTitles = Dictionary(plans.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let due = try await service.drillsDue(by: actor).filter { $0.state != .current }
        let page = SecurityDrillsPage(
            due: due.map {
                .init(
                    department: names[$0.departmentId] ?? $0.departmentId,
                    state: Strings.text("drill_\($0.state.rawValue)", language), lastHeldOn: $0.lastHeldOn?.description,
                    dueOn: $0.dueOn?.description, overdue: $0.state == .overdue)
            },
            hasDue: !due.isEmpty,
            drills: try await service.drills(by: actor).map { d in
                .init(
                    id: d.id, department: names[d.departmentId] ?? d.departmentId, heldOn: d.heldOn.description, scenario: d.scenario,
                    participants: d.participants.joined(separator: "、"), findings: d.findings,
                    plan: d.planId.map { "\(planTitles[$0] ?? $0) v\(d.planVersion ?? 0)" },
                    followUps: d.followUps.map {
                        .init(
                            id: $0.id, drillId: d.id, description: $0.description, owner: $0.owner, done: $0.done,
                            doneAt: $0.doneAt.map(Self.time))
                    },
                    canManage: mayManage && (seesAll || d.departmentId == actor.departmentId))
            },
            canManage: mayManage,
            plans: plans.filter { $0.departmentId == actor.departmentId }.map {
                .init(value: $0.id, label: "\($0.title) v\($0.currentVersion)")
            },
            error: error)
        return pages.render(
            page, title: Strings.text("security_drills", language), context: context, path: "/security/drills",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func recordDrill(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            // One follow-up a line, "owner: what" (or only what, then the owner is asked for).
            let followUps = (form["follow_ups"] ?? "").split(whereSeparator: \.isNewline).prefix(
                SecurityOperationsService.Limits.followUps + 1
            )
            .compactMap { line -> SecurityOperationsService.FollowUpInput? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return nil }
                let parts = text.split(separator: "：", maxSplits: 1).flatMap { $0.split(separator: ":", maxSplits: 1) }
                return parts.count == 2
                    ? .init(description: String(parts[1]), owner: String(parts[0])) : .init(description: text, owner: nil)
            }
            _ = try await service.recordDrill(
                .init(
                    heldOn: form["held_on"], scenario: form["scenario"], planId: form["plan_id"].flatMap { $0.isEmpty ? nil : $0 },
                    participants: Self.list(form["participants"]), findings: form["findings"], followUps: followUps),
                by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/security/drills"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderDrills(context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func completeFollowUp(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        do {
            _ = try await service.completeFollowUp(
                drillId: try context.parameters.require("id"), followUpId: try context.parameters.require("followUpId"), by: actor,
                origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/security/drills"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderDrills(context: context, error: error.pageMessage(context.language))
        }
    }
}

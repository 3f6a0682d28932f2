import Foundation
import GovShareCore
import Hummingbird

/// 督查整改 (Art. 29–30): the supervision home — open findings by rule, the latest assessment, the findings and the
/// orders the viewer sees — and an order's page with the department's response and the authority's decision.
struct PortalSupervisionController {
    let platform: Platform
    let pages: PageRenderer
    var service: SupervisionService { platform.supervision }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("supervision", use: page)
        router.post("supervision/checks", use: check)
        router.post("supervision/orders", use: issue)
        router.get("supervision/orders/{id}", use: order)
        router.post("supervision/orders/{id}/respond", use: respond)
        router.post("supervision/orders/{id}/decide", use: decide)
        router.post("supervision/samples", use: createPlan)
        router.get("supervision/samples/{id}", use: plan)
        router.post("supervision/samples/{id}/draw", use: draw)
        router.post("supervision/samples/{id}/inspections", use: inspect)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request: request, context: context)
    }

    func render(request: Request, context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let rule = request.uri.queryParameters.get("rule").flatMap { SupervisionRule(rawValue: String($0)) }
        let o = try await service.overview(rule: rule, status: .open, by: actor)
        let today = CivilDate(instant: platform.clock.now())
        let name = { (id: String) in o.departmentNames[id] ?? id }
        let latest = try await platform.assessments.trend().last
        let page = SupervisionPage(
            lastRun: o.lastRun.map {
                "\(PortalFormat.time($0.startedAt)) · \($0.startedBy) · \(PortalFormat.number($0.found)) · \($0.milliseconds) ms"
            },
            canCheck: o.mayRunChecks, error: error,
            rules: SupervisionRule.allCases.map {
                .init(
                    code: $0.rawValue, name: $0.name.text(language), article: $0.article, open: PortalFormat.number(o.openCounts[$0] ?? 0),
                    selected: $0 == rule)
            },
            findingsChart: PortalCharts.bars(
                id: "chart-findings-by-rule", title: Strings.text("sup_findings_by_rule", language),
                SupervisionRule.allCases.map { ($0.name.text(language), o.openCounts[$0] ?? 0) }),
            findings: o.findings.map { f in
                .init(
                    id: f.id, rule: f.rule.name.text(language), severity: f.severity.name.text(language), severityCode: f.severity.rawValue,
                    department: name(f.departmentId), object: f.objectLabel, evidence: f.evidence,
                    seen: "\(PortalFormat.time(f.firstSeenAt)) – \(PortalFormat.time(f.lastSeenAt))",
                    canOrder: o.orderable.contains(f.departmentId))
            },
            orders: o.orders.map { order in
                .init(
                    id: order.id, department: name(order.departmentId), what: order.what, due: order.dueOn.description,
                    status: order.status.name.text(language), statusCode: order.status.rawValue, overdue: order.isOverdue(on: today))
            },
            defaultWorkingDays: String(service.settings.orderWorkingDays),
            plans: try await (service.mayReadPlans(actor) ? service.plans(by: actor) : []).map {
                .init(
                    id: $0.id, name: $0.name, population: $0.population.name.text(language), size: String($0.size),
                    drawn: $0.drawnAt.map(PortalFormat.time))
            },
            populations: SamplingPopulation.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language)) },
            assessmentPeriod: latest?.period,
            assessmentChart: latest.map {
                PortalCharts.distribution($0.departments.map(\.total), title: Strings.text("assess_distribution", language))
            } ?? "")
        return pages.render(
            page, title: Strings.text("nav_supervision", language), context: context, path: "/supervision",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        _ = try await service.runChecks(by: actor, origin: context.origin)
        return Response(status: .seeOther, headers: [.location: "/supervision"])
    }

    @Sendable func issue(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let o = try await service.issueOrder(
                .init(
                    findingId: form["finding_id"], what: form["what"], basis: form["basis"],
                    workingDays: form["working_days"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }),
                by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/supervision/orders/\(o.id)"])
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(request: request, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func order(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderOrder(id: try context.parameters.require("id"), context: context, error: nil)
    }

    func renderOrder(id: String, context: AppRequestContext, error: String?) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let o = try await service.order(id: id, by: actor)
        let check = try await service.verify(order: o)
        let today = CivilDate(instant: platform.clock.now())
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let page = RectificationOrderPage(
            id: o.id, rule: o.rule.name.text(language), article: o.rule.article, department: names[o.departmentId] ?? o.departmentId,
            authority: names[o.authorityId] ?? o.authorityId, what: o.what, basis: o.basis,
            issued: "\(o.issuedOn) · \(o.issuedByName)", due: o.dueOn.description, workingDays: String(o.workingDays),
            status: o.status.name.text(language), overdue: o.isOverdue(on: today), escalatedAt: o.escalatedAt.map(PortalFormat.time),
            response: o.response, responded: o.respondedAt.map { "\(PortalFormat.time($0)) · \(o.respondedByName ?? "")" },
            decisionNote: o.decisionNote, decided: o.decidedAt.map { "\(PortalFormat.time($0)) · \(o.decidedByName ?? "")" },
            signatureValid: check.valid, reasons: check.reasons.map { $0.text(language) }, sm3: o.documentSM3Hex,
            canRespond: o.status.awaitsDepartment && Policy.respondRectification.allows(actor) && actor.departmentId == o.departmentId,
            canDecide: o.status == .responded && actor.departmentId == o.authorityId
                && Impartiality.mayDecide(actor, parties: [o.departmentId], policy: .orderRectification),
            error: error)
        return pages.render(
            page, title: Strings.text("sup_order", language), context: context, path: "/supervision/orders/\(o.id)",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func respond(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.respond(orderId: id, response: form["response"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/supervision/orders/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderOrder(id: id, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func decide(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.decide(
                orderId: id, accept: form["decision"] == "accept", note: form["note"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/supervision/orders/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderOrder(id: id, context: context, error: error.pageMessage(context.language))
        }
    }
}

extension PortalSupervisionController {
    @Sendable func createPlan(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let plan = try await service.createPlan(
                .init(
                    name: form["name"], population: form["population"], departmentCode: form["department_code"],
                    size: form["size"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/supervision/samples/\(plan.id)"])
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(request: request, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func plan(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderPlan(id: try context.parameters.require("id"), context: context, error: nil)
    }

    func renderPlan(id: String, context: AppRequestContext, error: String?) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let plan = try await service.plan(id: id, by: actor)
        let inspections = Dictionary(
            try await service.inspections(planId: id, by: actor).map { ($0.objectId, $0) }, uniquingKeysWith: { a, _ in a })
        let verification = plan.drawnAt == nil ? nil : try await service.verify(planId: id, by: actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let page = SamplingPlanPage(
            id: plan.id, name: plan.name, population: plan.population.name.text(language), planId: plan.id,
            department: plan.departmentFilter.map { names[$0] ?? $0 }, size: String(plan.size), seed: plan.seedHex,
            head: "\(plan.headSeq) · \(plan.headHash)", created: "\(PortalFormat.time(plan.createdAt)) · \(plan.createdBy)",
            drawn: plan.drawnAt.map(PortalFormat.time), populationCount: PortalFormat.number(plan.populationObjects.count),
            reproduced: verification?.valid ?? false, reasons: verification?.reasons.map { $0.text(language) } ?? [],
            canDraw: plan.drawnAt == nil && service.mayWork(on: plan, by: actor),
            canInspect: service.mayWork(on: plan, by: actor),
            sample: plan.sample.enumerated().map { n, object in
                let inspection = inspections[object.id]
                return .init(
                    n: String(n + 1), id: object.id, label: object.label, department: names[object.departmentId] ?? object.departmentId,
                    result: inspection.map { $0.ok ? Strings.text("sampling_ok", language) : Strings.text("sampling_problem", language) },
                    note: inspection?.note)
            }, error: error)
        return pages.render(
            page, title: Strings.text("sampling_plan", language), context: context, path: "/supervision/samples/\(plan.id)",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func draw(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.draw(planId: id, by: actor, origin: context.origin)
        } catch let error as DomainError where error.kind == .conflict {
            return try await renderPlan(id: id, context: context, error: error.pageMessage(context.language))
        }
        return Response(status: .seeOther, headers: [.location: "/supervision/samples/\(id)"])
    }

    @Sendable func inspect(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.inspect(
                planId: id, objectId: form["object_id"], ok: form["result"] != "problem", note: form["note"], by: actor,
                origin: context.origin)
        } catch let error as DomainError where error.kind == .invalid {
            return try await renderPlan(id: id, context: context, error: error.pageMessage(context.language))
        }
        return Response(status: .seeOther, headers: [.location: "/supervision/samples/\(id)"])
    }
}

/// `sampling_plan.mustache`: a plan — its seed and where it came from, the draw, the sample with each inspection.
struct SamplingPlanPage: PortalPage {
    static let template = PageTemplate.samplingPlan
    struct Object: Encodable {
        var n, id, label, department: String
        var result, note: String?
    }
    var id, name, population: String
    /// The plan's id again, for forms inside the sample's rows (where `id` is the object's).
    var planId: String
    var department: String?
    var size, seed, head, created: String
    var drawn: String?
    var populationCount: String
    var reproduced: Bool
    var reasons: [String]
    var canDraw, canInspect: Bool
    var sample: [Object]
    var error: String?
}

/// `supervision.mustache`: open findings by rule (chart and filter), the latest assessment's distribution, the findings
/// with the order form where the viewer oversees the department, and the orders.
struct SupervisionPage: PortalPage {
    static let template = PageTemplate.supervision
    struct Rule: Encodable { var code, name, article, open: String; var selected: Bool }
    struct Finding: Encodable {
        var id, rule, severity, severityCode, department, object, evidence, seen: String
        var canOrder: Bool
    }
    struct Order: Encodable {
        var id, department, what, due, status, statusCode: String
        var overdue: Bool
    }
    var lastRun: String?
    var canCheck: Bool
    var error: String?
    var rules: [Rule]
    /// SVG made by `PortalCharts` (every label escaped there).
    var findingsChart: String
    var findings: [Finding]
    var orders: [Order]
    var defaultWorkingDays: String
    struct Plan: Encodable { var id, name, population, size: String; var drawn: String? }
    struct Option: Encodable { var value, label: String }
    var plans: [Plan]
    var populations: [Option]
    var assessmentPeriod: String?
    var assessmentChart: String
}

/// `rectification_order.mustache`: one order — what, basis, due date, its signature check, the response and decision.
struct RectificationOrderPage: PortalPage {
    static let template = PageTemplate.rectificationOrder
    var id, rule, article, department, authority, what, basis, issued, due, workingDays, status: String
    var overdue: Bool
    var escalatedAt, response, responded, decisionNote, decided: String?
    var signatureValid: Bool
    var reasons: [String]
    var sm3: String
    var canRespond, canDecide: Bool
    var error: String?
}

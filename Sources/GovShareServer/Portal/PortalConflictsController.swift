import Foundation
import GovShareCore
import Hummingbird

/// 数据冲突 (Art. 13): the queue (escalated first, then negotiating by due date), the fact pairs with the declare form,
/// the check on demand, and each case's page (disagreeing records, messages, propose/agree, escalate, arbitrate).
/// The same rules as the API (`ConflictService`); buttons show only where the service's predicates allow.
struct PortalConflictsController {
    let platform: Platform
    let pages: PageRenderer
    var service: ConflictService { platform.conflicts }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("conflicts", use: queue)
        router.post("conflicts/check", use: check)
        router.post("conflicts/pairs", use: declare)
        router.post("conflicts/pairs/{id}/retire", use: retire)
        router.get("conflicts/{id}", use: show)
        router.post("conflicts/{id}/messages", use: message)
        router.post("conflicts/{id}/propose", use: propose)
        router.post("conflicts/{id}/agree", use: agree)
        router.post("conflicts/{id}/escalate", use: escalate)
        router.post("conflicts/{id}/arbitrate", use: arbitrate)
    }

    @Sendable func queue(request: Request, context: AppRequestContext) async throws -> Response {
        // Only the check's own summary ("pairs / disagreements / cases / ms") is shown back: no text of a link's choosing.
        let checked = request.uri.queryParameters.get("checked").flatMap { Self.isCheckSummary($0) ? $0 : nil }
        return try await renderQueue(context: context, notice: checked.map { "✓ \($0)" })
    }

    func renderQueue(context: AppRequestContext, error: String? = nil, notice: String? = nil, form: [String: String] = [:]) async throws
        -> Response
    {
        let actor = try context.requirePrincipal()
        let language = context.language
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let today = CivilDate(instant: platform.clock.now()).description
        let page = ConflictsPage(
            cases: try await service.cases(status: nil, by: actor).map { c, p in
                .init(
                    id: c.id, label: Self.label(p),
                    providers: "\(names[c.leftProviderId] ?? c.leftProviderId) ↔ \(names[c.rightProviderId] ?? c.rightProviderId)",
                    status: c.status.name.text(language), statusCode: c.status.rawValue, dueOn: c.status == .negotiating ? c.dueOn : nil,
                    overdue: c.status == .negotiating && c.dueOn < today, disagreements: PortalFormat.number(c.disagreements))
            },
            pairs: try await service.pairs(by: actor).map { p in
                .init(
                    id: p.id, left: "\(p.left.entryName)（\(p.left.entryCode)）.\(p.left.item)",
                    right: "\(p.right.entryName)（\(p.right.entryCode)）.\(p.right.item)", key: "\(p.left.keyItem) / \(p.right.keyItem)",
                    note: p.note, canRetire: service.mayDeclare(actor) && p.authorityId == actor.departmentId)
            },
            statistics: try await service.statistics(by: actor).map {
                .init(provider: names[$0.providerId] ?? $0.providerId, open: $0.open, resolved: $0.resolved)
            },
            canDeclare: service.mayDeclare(actor), canCheck: service.mayCheck(actor),
            form: ["left_entry", "left_item", "left_key", "right_entry", "right_item", "right_key", "note"].map {
                .init(name: $0, value: form[$0] ?? "")
            },
            error: error, notice: notice)
        return pages.render(
            page, title: Strings.text("nav_conflicts", language), context: context, path: "/conflicts",
            status: error == nil ? .ok : .unprocessableContent)
    }

    static func isCheckSummary(_ text: String) -> Bool {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        return parts.count == 8 && parts[1] == "/" && parts[3] == "/" && parts[5] == "/" && parts[7] == "ms"
            && [parts[0], parts[2], parts[4], parts[6]].allSatisfy {
                !$0.isEmpty && $0.count <= 12 && $0.allSatisfy(\.isASCII) && Int($0) != nil
            }
    }

    static func label(_ p: FactPair) -> String { "\(p.left.entryName).\(p.left.item) ↔ \(p.right.entryName).\(p.right.item)" }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let run = try await service.check(trigger: .onDemand, by: actor, origin: context.origin)
        let summary = "\(run.pairsChecked) / \(run.disagreements) / \(run.casesOpened) / \(run.milliseconds) ms"
        let query = summary.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Response(status: .seeOther, headers: [.location: "/conflicts?checked=\(query)"])
    }

    @Sendable func declare(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let fields = ["left_entry", "left_item", "left_key", "right_entry", "right_item", "right_key", "note"]
            .reduce(into: [String: String]()) { $0[$1] = form[$1].map { String($0.prefix(2_000)) } }
        do {
            _ = try await service.declare(
                .init(
                    leftEntry: form["left_entry"], leftItem: form["left_item"], leftKey: form["left_key"], rightEntry: form["right_entry"],
                    rightItem: form["right_item"], rightKey: form["right_key"], note: form["note"]), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/conflicts"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderQueue(context: context, error: error.pageMessage(context.language), form: fields)
        }
    }

    @Sendable func retire(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        _ = try await service.retire(pairId: try context.parameters.require("id"), by: actor, origin: context.origin)
        return Response(status: .seeOther, headers: [.location: "/conflicts"])
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderCase(try context.parameters.require("id"), context: context)
    }

    func renderCase(_ id: String, context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let d = try await service.detail(id: id, by: actor, origin: context.origin)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        let c = d.conflict, p = d.pair
        let withheld = Strings.text("conflict_withheld", language)
        func source(_ side: ConflictSide?) -> String? { side.map { "\(p.side($0).entryName).\(p.side($0).item)" } }
        let page = ConflictPage(
            id: c.id, label: Self.label(p), leftName: "\(p.left.entryName).\(p.left.item)",
            rightName: "\(p.right.entryName).\(p.right.item)",
            leftProvider: names[c.leftProviderId] ?? c.leftProviderId, rightProvider: names[c.rightProviderId] ?? c.rightProviderId,
            status: c.status.name.text(language), statusCode: c.status.rawValue, dueOn: c.dueOn,
            disagreements: PortalFormat.number(c.disagreements),
            proposed: source(c.proposedSide), resolved: source(c.resolvedSide), reasons: c.reasons,
            findings: d.findings.map {
                .init(
                    leftKey: $0.leftWithheld ? withheld : ($0.leftKey ?? "—"),
                    leftValue: $0.leftWithheld ? withheld : ($0.leftValue ?? "—"),
                    rightKey: $0.rightWithheld ? withheld : ($0.rightKey ?? "—"),
                    rightValue: $0.rightWithheld ? withheld : ($0.rightValue ?? "—"))
            },
            messages: d.messages.map {
                .init(
                    author: $0.authorName, department: names[$0.departmentId] ?? "", kind: $0.kind.rawValue, body: $0.body,
                    at: PortalFormat.time($0.createdAt))
            },
            canNegotiate: d.mayNegotiate, canAgree: d.mayAgree, canArbitrate: d.mayArbitrate,
            canMessage: d.mayNegotiate
                || (c.status == .escalated && c.side(of: actor.departmentId) != nil && Policy.negotiateConflicts.allows(actor)),
            sides: [
                .init(value: "left", label: "\(p.left.entryName).\(p.left.item)（\(names[c.leftProviderId] ?? "")）"),
                .init(value: "right", label: "\(p.right.entryName).\(p.right.item)（\(names[c.rightProviderId] ?? "")）"),
            ], error: error)
        return pages.render(
            page, title: Strings.text("conflict_case", language), context: context, path: "/conflicts/\(c.id)",
            status: error == nil ? .ok : .unprocessableContent)
    }

    func act(_ request: Request, _ context: AppRequestContext, _ body: ([String: String], Principal, String) async throws -> Void)
        async throws
        -> Response
    {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            try await body(form.fields, actor, id)
            return Response(status: .seeOther, headers: [.location: "/conflicts/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await renderCase(id, context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func message(request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { f, a, id in _ = try await service.post(caseId: id, body: f["body"], by: a, origin: context.origin)
        }
    }

    @Sendable func propose(request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { f, a, id in
            _ = try await service.propose(caseId: id, side: f["side"], note: f["note"], by: a, origin: context.origin)
        }
    }

    @Sendable func agree(request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { _, a, id in _ = try await service.agree(caseId: id, by: a, origin: context.origin) }
    }

    @Sendable func escalate(request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { f, a, id in
            _ = try await service.escalate(caseId: id, note: f["note"], by: a, origin: context.origin)
        }
    }

    @Sendable func arbitrate(request: Request, context: AppRequestContext) async throws -> Response {
        try await act(request, context) { f, a, id in
            _ = try await service.arbitrate(caseId: id, side: f["side"], reasons: f["reasons"], by: a, origin: context.origin)
        }
    }
}

import Foundation
import GovShareCore
import Hummingbird

/// The sharing workflow in the portal: my applications with their clock, the reviewer's queue (overdue first), the
/// application form, and the decision form that requires reasons and a legal basis for a refusal (Art. 16, 19).
struct PortalApplicationsController {
    let platform: Platform
    let pages: PageRenderer
    var service: ApplicationService { platform.applications }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("applications", use: list)
        router.get("applications/new", use: newForm)
        router.post("applications/new", use: apply)
        router.get("applications/{id}", use: show)
        router.post("applications/{id}/review", use: review)
    }

    func row(_ a: ShareApplication, names: [String: String], language: Language) async throws -> [String: Any] {
        let deadline = try await service.deadline(of: a)
        let today = CivilDate(instant: platform.clock.now())
        return ["id": a.id, "code": a.entryCode, "items": a.items.joined(separator: "、"), "applicant": names[a.applicantDepartmentId] ?? "",
                "received": a.receivedOn, "due": deadline?.dueOn.description ?? "", "provisional": deadline?.provisional ?? false,
                "overdue": deadline.map { a.isOverdue($0, on: today) } ?? false, "status": a.status.name.text(language),
                "silent": a.status.isOpen && a.providerSilentAt != nil && a.decision(.provider) == nil]
    }

    func names() async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await platform.departments.list(DepartmentFilter()).map { ($0.id, $0.nameZh) })
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let names = try await names()
        var mine: [[String: Any]] = []
        for a in try await platform.applicationRepository.list(departmentIds: [actor.departmentId], openOnly: false)
        where a.applicantDepartmentId == actor.departmentId {
            mine.append(try await row(a, names: names, language: context.language))
        }
        var queue: [[String: Any]] = []
        for (a, _) in try await service.queue(for: actor) { queue.append(try await row(a, names: names, language: context.language)) }
        let reviewer = actor.roles.contains(.authorityReviewer) || actor.roles.contains(.departmentReviewer)
        let stats = try await replyChart(names: names, language: context.language)
        return pages.render("applications", title: Strings.dictionary(context.language)["nav_applications"]!,
                            model: ["mine": mine, "queue": queue, "show_queue": reviewer, "stats": stats, "has_stats": !stats.isEmpty],
                            context: context, path: "/applications")
    }

    /// Reply statistics (Art. 19) as bars: answered on time and late per department and role, longest first, so the
    /// authority sees at a glance who holds applications up (the provider until its silence point, itself after).
    func replyChart(names: [String: String], language: Language) async throws -> [[String: Any]] {
        let rows = try await service.statistics().filter { $0.received > 0 }
        let top = max(1, rows.map(\.received).max() ?? 1)
        return rows.sorted { ($0.late, $0.received) > ($1.late, $1.received) }.prefix(12).map { s in
            let role = s.role == .authority ? LocalizedText(zh: "主管部门", en: "authority") : LocalizedText(zh: "提供部门", en: "provider")
            return ["label": "\(names[s.departmentId] ?? s.departmentId) · \(role.text(language))", "received": s.received,
                    "on_time": s.answeredOnTime, "late": s.late, "open": s.open, "silent": s.silent, "has_silent": s.silent > 0,
                    "on_time_width": s.answeredOnTime * 10 / top, "late_width": s.late * 10 / top,
                    "average": s.averageWorkingDays.map { String(format: "%.1f", $0) } ?? "—"] as [String: Any]
        }
    }

    func renderForm(code: String, context: AppRequestContext, error: DomainError? = nil) async throws -> Response {
        let (_, content) = try await platform.exchange.publishedEntry(code: code)
        // Not-shared items cannot be applied for (Art. 18): the form says so and cites the catalog's basis.
        func basis(_ b: LegalBasis?) -> String { [b?.instrument, b?.article].compactMap { $0 }.joined() }
        let items = (content.items ?? []).map { item -> [String: Any] in
            let share = item.shareType.flatMap(ShareType.init(rawValue:)) ?? .notShared
            return ["code": item.code ?? "", "name": item.name ?? "", "share": share.name.text(context.language),
                    "disabled": share == .notShared, "basis": share == .notShared ? basis(item.legalBasis ?? content.legalBasis) : "",
                    "masked": share != .notShared && MaskRule.masksByDefault(item)]
        }
        var model: [String: Any] = ["code": code, "items": items]
        if content.derivedShareType == .notShared {
            model["not_shared"] = context.language == .en
                ? "This resource is not shared (basis: \(basis(content.legalBasis))) and cannot be applied for."
                : "本资源不予共享（依据：\(basis(content.legalBasis))），不能申请。"
        }
        if let error { model["error"] = Self.errorModel(error, context.language) }
        return pages.render("application_new", title: Strings.dictionary(context.language)["apply_title"]!, model: model,
                            context: context, path: "/applications/new", status: error == nil ? .ok : .unprocessableContent)
    }

    static func errorModel(_ error: DomainError, _ language: Language) -> [String: Any] {
        ["message": error.message.text(language), "problems": error.problems.map { $0.message.text(language) }]
    }

    @Sendable func newForm(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readData)
        guard let code = request.uri.queryParameters["entry"].map(String.init) else {
            throw DomainError.invalid(field: "entry", rule: "required", zh: "缺少资源代码", en: "entry is required")
        }
        return try await renderForm(code: code, context: context)
    }

    @Sendable func apply(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let code = form["entry_code"] ?? ""
        let items = form.fields.keys.filter { $0.hasPrefix("item_") }.map { String($0.dropFirst(5)) }.sorted()
        let clear = form.fields.keys.filter { $0.hasPrefix("clear_") && !$0.hasPrefix("clear_reason_") }.map { String($0.dropFirst(6)) }.sorted()
            .map { ClearNeed(item: $0, reason: form["clear_reason_\($0)"] ?? "") }
        do {
            let (a, _) = try await service.apply(.init(entryCode: code, items: items, purpose: form["purpose"], business: form["business"],
                                                       basis: form["basis"], users: [], contact: form["contact"],
                                                       dataManager: form["data_manager"], shareMethod: nil, validUntil: form["valid_until"],
                                                       clearNeeds: clear),
                                                 by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/applications/\(a.id)"])
        } catch let error as DomainError where error.kind == .invalid {
            return try await renderForm(code: code, context: context, error: error)
        }
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(id: try context.parameters.require("id"), context: context)
    }

    func render(id: String, context: AppRequestContext, error: DomainError? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let a = try await service.load(id: id, for: actor)
        var model = try await row(a, names: try await names(), language: language)
        let (_, content) = try await platform.exchange.publishedEntry(code: a.entryId)
        let itemNames = Dictionary(uniqueKeysWithValues: (content.items ?? []).compactMap { i in i.code.map { ($0, i.name ?? $0) } })
        model["purpose"] = a.purpose; model["business"] = a.business; model["basis"] = a.basis; model["valid_until"] = a.validUntil
        model["grant_id"] = a.grantId
        model["decisions"] = a.decisions.map { d -> [String: Any] in
            ["role": d.role == .authority ? "主管部门" : "提供部门", "reviewer": d.reviewerName, "approved": d.approvedItems.joined(separator: "、"),
             "overruled": d.overruledBy != nil, "alone": d.withoutProvider == true,
             "clear": d.approvedClear.isEmpty ? nil : d.approvedClear.map { itemNames[$0] ?? $0 }.joined(separator: "、") as Any?,
             "refusals": d.refusals.map { ["item": $0.item, "reason": $0.reason ?? "",
                                          "basis": "\($0.basis?.instrument ?? "")\($0.basis?.article ?? "")"] }]
        }
        let role = service.role(of: actor, on: a)
        model["can_review"] = role != nil && a.status == .underReview && a.decision(role!) == nil
        let needs = Dictionary(a.clearRequests.map { ($0.item, $0.reason) }, uniquingKeysWith: { first, _ in first })
        model["review_items"] = a.items.map { code -> [String: Any] in
            ["code": code, "name": itemNames[code] ?? code, "clear_asked": needs[code] != nil, "clear_reason": needs[code] ?? ""]
        }
        model["clear_needs"] = a.clearRequests.map { ["name": itemNames[$0.item] ?? $0.item, "reason": $0.reason] }
        model["provider_silent"] = a.providerSilentAt != nil && a.decision(.provider) == nil
        if a.status.isOpen, let deadline = try await service.deadline(of: a) {
            let point = try await service.silencePoint(of: deadline)
            model["silence_point"] = point.description
            model["may_decide_alone"] = role == .authority && a.decision(.provider) == nil && !a.providerOverruled
                && CivilDate(instant: platform.clock.now()) >= point
        }
        model["attachments"] = try await platform.accountability.attachments(of: a).map {
            ["id": $0.id, "application_id": a.id, "name": $0.fileName, "size": $0.size, "sha256": $0.sha256] as [String: Any]
        }
        model["can_attach"] = a.applicantDepartmentId == actor.departmentId && a.status.isOpen
        if let error { model["error"] = Self.errorModel(error, language) }
        return pages.render("application", title: Strings.dictionary(language)["application"]!, model: model, context: context,
                            path: "/applications/\(a.id)", status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        let a = try await service.load(id: id, for: actor)
        var approved: [String] = []
        var refusals: [Refusal] = []
        for item in a.items {
            if form["decision_\(item)"] == "refuse" {
                let blank = { (s: String?) in s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
                refusals.append(Refusal(item: item, reason: blank(form["reason_\(item)"]),
                                        basis: LegalBasis(instrument: blank(form["instrument_\(item)"]), article: blank(form["article_\(item)"]))))
            } else {
                approved.append(item)
            }
        }
        do {
            let clear = a.clearRequests.map(\.item).filter { form["clear_\($0)"] != nil && approved.contains($0) }
            _ = try await service.review(id: id, decision: .init(approvedItems: approved, refusals: refusals, conditions: form["conditions"],
                                                                 validUntil: nil, clearItems: clear), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/applications/\(id)"])
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(id: id, context: context, error: error)
        }
    }
}

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
        router.get("applications/{id}/decision-letter.json", use: decisionLetterDocument)
        router.get("applications/{id}/decision-letter.sig", use: decisionLetterSignature)
        router.post("applications/{id}/review", use: review)
    }

    func row(_ a: ShareApplication, names: [String: String], language: Language) async throws -> ApplicationRow {
        let deadline = try await service.deadline(of: a)
        let today = CivilDate(instant: platform.clock.now())
        return ApplicationRow(
            id: a.id, code: a.entryCode, items: a.items.joined(separator: "、"), applicant: names[a.applicantDepartmentId] ?? "",
            received: a.receivedOn, due: deadline?.dueOn.description ?? "", provisional: deadline?.provisional ?? false,
            overdue: deadline.map { a.isOverdue($0, on: today) } ?? false, status: a.status.name.text(language),
            silent: a.status.isOpen && a.providerSilentAt != nil && a.decision(.provider) == nil)
    }

    func names(for viewer: Principal) async throws -> [String: String] {
        try await platform.directory.departmentNames(by: viewer)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let names = try await names(for: actor)
        var mine: [ApplicationRow] = []
        for a in try await service.applications(of: actor) { mine.append(try await row(a, names: names, language: context.language)) }
        var queue: [ApplicationRow] = []
        for (a, _) in try await service.queue(for: actor) { queue.append(try await row(a, names: names, language: context.language)) }
        let stats = try await replyChart(names: names, language: context.language)
        let page = ApplicationsPage(
            mine: mine, queue: queue, showQueue: Policy.reviewApplications.allows(actor), stats: stats,
            hasStats: !stats.isEmpty)
        return pages.render(page, title: Strings.dictionary(context.language)["nav_applications"]!, context: context, path: "/applications")
    }

    /// Reply statistics (Art. 19) as bars: answered on time and late per department and role, longest first, so the
    /// authority sees at a glance who holds applications up (the provider until its silence point, itself after).
    func replyChart(names: [String: String], language: Language) async throws -> [ApplicationsPage.Stat] {
        let rows = try await service.statistics().filter { $0.received > 0 }
        let top = max(1, rows.map(\.received).max() ?? 1)
        return rows.sorted { ($0.late, $0.received) > ($1.late, $1.received) }.prefix(12).map { s in
            let role = s.role == .authority ? LocalizedText(zh: "主管部门", en: "authority") : LocalizedText(zh: "提供部门", en: "provider")
            return ApplicationsPage.Stat(
                label: "\(names[s.departmentId] ?? s.departmentId) · \(role.text(language))", received: s.received,
                onTime: s.answeredOnTime, late: s.late, open: s.open, silent: s.silent, hasSilent: s.silent > 0,
                onTimeWidth: s.answeredOnTime * 10 / top, lateWidth: s.late * 10 / top,
                average: s.averageWorkingDays.map { String(format: "%.1f", $0) } ?? "—")
        }
    }

    func renderForm(code: String, context: AppRequestContext, error: DomainError? = nil) async throws -> Response {
        let (_, content) = try await platform.exchange.publishedEntry(code: code)
        // Not-shared items cannot be applied for (Art. 18): the form says so and cites the catalog's basis.
        func basis(_ b: LegalBasis?) -> String { [b?.instrument, b?.article].compactMap { $0 }.joined() }
        let items = (content.items ?? []).map { item in
            let share = item.shareType.flatMap(ShareType.init(rawValue:)) ?? .notShared
            return ApplicationNewPage.Item(
                code: item.code ?? "", name: item.name ?? "", share: share.name.text(context.language),
                disabled: share == .notShared,
                basis: share == .notShared ? basis(item.legalBasis ?? content.legalBasis) : "",
                masked: share != .notShared && MaskRule.masksByDefault(item))
        }
        var page = ApplicationNewPage(code: code, items: items)
        if content.derivedShareType == .notShared {
            page.notShared =
                context.language == .en
                ? "This resource is not shared (basis: \(basis(content.legalBasis))) and cannot be applied for."
                : "本资源不予共享（依据：\(basis(content.legalBasis))），不能申请。"
        }
        page.error = error.map { FormErrors($0, context.language) }
        return pages.render(
            page, title: Strings.dictionary(context.language)["apply_title"]!, context: context,
            path: "/applications/new", status: error == nil ? .ok : .unprocessableContent)
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
        let clear = form.fields.keys.filter { $0.hasPrefix("clear_") && !$0.hasPrefix("clear_reason_") }.map { String($0.dropFirst(6)) }
            .sorted()
            .map { ClearNeed(item: $0, reason: form["clear_reason_\($0)"] ?? "") }
        do {
            let (a, _) = try await service.apply(
                .init(
                    entryCode: code, items: items, purpose: form["purpose"], business: form["business"],
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
        var page = ApplicationPage(try await row(a, names: try await names(for: actor), language: language))
        let (_, content) = try await platform.exchange.publishedEntry(code: a.entryId)
        let itemNames = Dictionary(uniqueKeysWithValues: (content.items ?? []).compactMap { i in i.code.map { ($0, i.name ?? $0) } })
        page.purpose = a.purpose; page.business = a.business; page.basis = a.basis; page.validUntil = a.validUntil
        page.grantId = a.grantId
        page.decided = a.status == .approved || a.status == .refused
        page.decisions = a.decisions.map { d in
            ApplicationPage.Decision(
                role: d.role == .authority ? "主管部门" : "提供部门", reviewer: d.reviewerName, approved: d.approvedItems.joined(separator: "、"),
                overruled: d.overruledBy != nil, alone: d.withoutProvider == true,
                clear: d.approvedClear.isEmpty ? nil : d.approvedClear.map { itemNames[$0] ?? $0 }.joined(separator: "、"),
                refusals: d.refusals.map {
                    ApplicationPage.Refusal(
                        item: $0.item, reason: $0.reason ?? "", basis: "\($0.basis?.instrument ?? "")\($0.basis?.article ?? "")")
                })
        }
        let role = service.role(of: actor, on: a)
        page.canReview = role != nil && a.status == .underReview && a.decision(role!) == nil
        let needs = Dictionary(a.clearRequests.map { ($0.item, $0.reason) }, uniquingKeysWith: { first, _ in first })
        page.reviewItems = a.items.map { code in
            ApplicationPage.ReviewItem(
                code: code, name: itemNames[code] ?? code, clearAsked: needs[code] != nil, clearReason: needs[code] ?? "")
        }
        page.clearNeeds = a.clearRequests.map { ApplicationPage.ClearNeed(name: itemNames[$0.item] ?? $0.item, reason: $0.reason) }
        page.providerSilent = a.providerSilentAt != nil && a.decision(.provider) == nil
        if a.status.isOpen, let deadline = try await service.deadline(of: a) {
            let point = try await service.silencePoint(of: deadline)
            page.silencePoint = point.description
            page.mayDecideAlone =
                role == .authority && a.decision(.provider) == nil && !a.providerOverruled
                && CivilDate(instant: platform.clock.now()) >= point
        }
        page.attachments = try await platform.accountability.attachments(of: a).map {
            ApplicationPage.Attachment(id: $0.id, applicationId: a.id, name: $0.fileName, size: $0.size, sha256: $0.sha256)
        }
        page.canAttach = a.applicantDepartmentId == actor.departmentId && a.status.isOpen
        page.error = error.map { FormErrors($0, language) }
        return pages.render(
            page, title: Strings.dictionary(language)["application"]!, context: context,
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
                refusals.append(
                    Refusal(
                        item: item, reason: blank(form["reason_\(item)"]),
                        basis: LegalBasis(instrument: blank(form["instrument_\(item)"]), article: blank(form["article_\(item)"]))))
            } else {
                approved.append(item)
            }
        }
        do {
            let clear = a.clearRequests.map(\.item).filter { form["clear_\($0)"] != nil && approved.contains($0) }
            _ = try await service.review(
                id: id,
                decision: .init(
                    approvedItems: approved, refusals: refusals, conditions: form["conditions"],
                    validUntil: nil, clearItems: clear), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/applications/\(id)"])
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(id: id, context: context, error: error)
        }
    }
}

/// One application in a list (and the head of its own page).
struct ApplicationRow: Encodable {
    var id, code, items, applicant, received, due: String
    var provisional, overdue: Bool
    var status: String
    /// The provider has let its silence point pass without deciding.
    var silent: Bool
}

/// A refused form's message and its problems, one per field.
struct FormErrors: Encodable {
    var message: String
    var problems: [String]
    init(_ error: DomainError, _ language: Language) {
        message = error.message.text(language)
        problems = error.problems.map { $0.message.text(language) }
    }
}

/// `applications.mustache`: the department's applications, the reviewer's queue and the reply statistics.
struct ApplicationsPage: PortalPage {
    static let template = PageTemplate.applications
    struct Stat: Encodable {
        var label: String
        var received, onTime, late, open, silent: Int
        var hasSilent: Bool
        var onTimeWidth, lateWidth: Int
        var average: String
    }
    var mine, queue: [ApplicationRow]
    var showQueue: Bool
    var stats: [Stat]
    var hasStats: Bool
}

/// `application_new.mustache`: the application form for one published entry.
struct ApplicationNewPage: PortalPage {
    static let template = PageTemplate.applicationNew
    struct Item: Encodable {
        var code, name, share: String
        /// Not shared: cannot be applied for.
        var disabled: Bool
        /// The legal basis of a not-shared item ("" otherwise).
        var basis: String
        /// Delivered masked unless asked for in clear.
        var masked: Bool
    }
    var code: String
    var items: [Item]
    var notShared: String?
    var error: FormErrors?
}

/// `application.mustache`: one application with its clock, decisions, attachments and the decision form.
struct ApplicationPage: PortalPage {
    static let template = PageTemplate.application
    struct Refusal: Encodable { var item, reason, basis: String }
    struct Decision: Encodable {
        var role, reviewer, approved: String
        var overruled, alone: Bool
        var clear: String?
        var refusals: [Refusal]
    }
    struct ReviewItem: Encodable {
        var code, name: String
        var clearAsked: Bool
        var clearReason: String
    }
    struct ClearNeed: Encodable { var name, reason: String }
    struct Attachment: Encodable {
        var id, applicationId, name: String
        var size: Int
        var sha256: String
    }
    var id, code, items, applicant, received, due: String
    var provisional, overdue: Bool
    var status: String
    var silent: Bool
    var purpose = "", business = "", basis = "", validUntil = ""
    var grantId: String?
    var decisions: [Decision] = []
    var canReview = false
    var reviewItems: [ReviewItem] = []
    var clearNeeds: [ClearNeed] = []
    var providerSilent = false
    var silencePoint: String?
    var mayDecideAlone: Bool?
    var attachments: [Attachment] = []
    var canAttach = false
    /// Approved or refused: the signed reply letter can be downloaded.
    var decided = false
    var error: FormErrors?

    init(_ row: ApplicationRow) {
        id = row.id; code = row.code; items = row.items; applicant = row.applicant; received = row.received; due = row.due
        provisional = row.provisional; overdue = row.overdue; status = row.status; silent = row.silent
    }
}

extension PortalApplicationsController {
    /// The signed reply letter's exact bytes (GET /api/v1/applications/{id}/decision-letter, as a file).
    @Sendable func decisionLetterDocument(request: Request, context: AppRequestContext) async throws -> Response {
        let letter = try await platform.applications.decisionLetter(
            id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return Self.download(letter.document, name: "decision-\(letter.objectId).json", type: "application/json")
    }

    /// Its detached signature (DER SES_Signature): `govshare seal verify decision.json decision.sig`.
    @Sendable func decisionLetterSignature(request: Request, context: AppRequestContext) async throws -> Response {
        let letter = try await platform.applications.decisionLetter(
            id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return Self.download(letter.signature, name: "decision-\(letter.objectId).sig", type: "application/octet-stream")
    }

    static func download(_ bytes: Data, name: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

import Foundation
import GovShareCore
import Hummingbird

/// Grants and their usage for holder and provider (Art. 21), with a chart of rows per grant; the provider's misuse
/// report, the authority's grant actions and case closing; attachments on the application page.
struct PortalGrantsController {
    let platform: Platform
    let pages: PageRenderer
    var service: AccountabilityService { platform.accountability }
    var grants: GrantService { platform.grants }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("grants", use: page)
        router.post("grants/{id}/misuse", use: reportMisuse)
        router.post("grants/{id}/action", use: grantAction)
        router.post("misuse-cases/{id}/close", use: closeCase)
        router.post("applications/{id}/attachments", use: attach)
        router.get("applications/{id}/attachments/{attachment}", use: download)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let names = try await platform.directory.departmentNames(by: actor)
        let overview = try await platform.grants.overview(for: actor)
        let (held, provided) = (overview.held, overview.provided)
        let manage = Policy.manageGrants.allows(actor)
        let today = platform.grants.today
        func row(_ v: GrantService.GrantView) -> GrantsPage.Grant {
            let g = v.grant
            let may = platform.grants.permissions(on: g, for: actor)
            return GrantsPage.Grant(
                id: g.id, code: v.entryCode, slug: v.entryCode.replacingOccurrences(of: "/", with: "-"),
                items: g.items.joined(separator: "、"), holder: names[g.departmentId] ?? g.departmentId,
                dataManager: g.dataManager ?? "—", valid: "\(g.validFrom) — \(g.validUntil)",
                status: Self.name(of: g, today: today).text(language),
                reads: v.usage.reads, rows: v.usage.rows, lastRead: v.usage.lastReadAt ?? "—",
                active: g.status != .revoked, canManage: may.manage, canConfirm: may.confirm, canConsent: may.consent)
        }
        let shown = held + provided + overview.supervised
        let top = max(1, shown.map(\.usage.rows).max() ?? 1)
        let bars = Dictionary(shown.map { ($0.grant.id, $0) }, uniquingKeysWith: { a, _ in a }).values.filter { $0.usage.rows > 0 }.sorted {
            $0.usage.rows > $1.usage.rows
        }.prefix(12).map {
            GrantsPage.Bar(
                label: "\($0.entryCode) · \(names[$0.grant.departmentId] ?? "")", count: $0.usage.rows,
                width: max(1, $0.usage.rows * 10 / top))
        }
        let cases = try await service.misuseCases(for: actor).map { c in
            GrantsPage.Case(
                id: c.id, grant: c.grantId, reporter: names[c.reporterDepartmentId] ?? "", holder: names[c.holderDepartmentId] ?? "",
                description: c.description,
                status: (c.status == .open ? LocalizedText(zh: "处理中", en: "Open") : LocalizedText(zh: "已办结", en: "Closed")).text(language),
                resolution: c.resolution ?? "", canClose: c.status == .open && service.mayClose(c, by: actor))
        }
        let page = GrantsPage(
            held: held.map(row), provided: provided.map(row), bars: Array(bars), hasBars: !bars.isEmpty,
            supervised: overview.supervised.map(row), showSupervised: manage, cases: cases,
            canReport: Policy.reportMisuse.allows(actor), error: error)
        return pages.render(
            page, title: Strings.dictionary(language)["nav_grants"]!, context: context,
            path: "/grants", status: error == nil ? .ok : .unprocessableContent)
    }

    static func name(of g: Grant, today: CivilDate) -> LocalizedText {
        if g.status == .active, let until = CivilDate(g.validUntil), until < today { return LocalizedText(zh: "已过期", en: "Expired") }
        if g.status == .active, let from = CivilDate(g.validFrom), from > today { return LocalizedText(zh: "未生效", en: "Not yet valid") }
        if g.status == .proposed {
            return g.approvedBy == nil
                ? LocalizedText(zh: "待复核", en: "Awaiting confirmation")
                : LocalizedText(zh: "待提供部门同意", en: "Awaiting the provider's consent")
        }
        return switch g.status {
        case .proposed: LocalizedText(zh: "待复核", en: "Awaiting confirmation")
        case .active: LocalizedText(zh: "有效", en: "Active")
        case .suspended: LocalizedText(zh: "已暂停", en: "Suspended")
        case .revoked: LocalizedText(zh: "已撤销", en: "Revoked")
        }
    }

    /// Runs a form action; a refused input shows the page again with the message, anything else propagates.
    func act(_ context: AppRequestContext, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/grants"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func reportMisuse(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        return try await act(context) {
            _ = try await service.reportMisuse(
                grantId: try context.parameters.require("id"), description: form["description"],
                by: actor, origin: context.origin)
        }
    }

    @Sendable func grantAction(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(context) {
            switch form["action"] {
            case "suspend": _ = try await grants.change(id: id, suspend: true, reason: form["reason"], by: actor, origin: context.origin)
            case "resume": _ = try await grants.change(id: id, suspend: false, reason: form["reason"], by: actor, origin: context.origin)
            case "revoke": _ = try await grants.revoke(id: id, reason: form["reason"], by: actor, origin: context.origin)
            case "confirm", "refuse":
                _ = try await grants.confirm(
                    id: id, confirm: form["action"] == "confirm", reason: form["reason"], by: actor, origin: context.origin)
            case "consent", "refuse_consent":
                _ = try await grants.consent(
                    id: id, consent: form["action"] == "consent", reason: form["reason"], by: actor, origin: context.origin)
            default: throw DomainError.invalid(field: "action", rule: "enum", zh: "请选择操作", en: "Choose an action")
            }
        }
    }

    @Sendable func closeCase(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        return try await act(context) {
            _ = try await service.closeMisuse(
                id: try context.parameters.require("id"), resolution: form["resolution"], by: actor,
                origin: context.origin)
        }
    }

    @Sendable func attach(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        // Authorised before the file is read (the CSRF token is inside the form, so it is checked just after).
        try await service.authorizeAttachment(applicationId: try context.parameters.require("id"), by: actor)
        let parts = try await MultipartForm.parts(request, limit: service.maxAttachmentBytes + 64 * 1024)
        try PortalForm.checkCSRF(parts["_csrf"].map { String(decoding: $0, as: UTF8.self) }, request: request)
        let id = try context.parameters.require("id")
        let name = parts["file.filename"].map { String(decoding: $0, as: UTF8.self) }
        do {
            _ = try await service.attach(
                applicationId: id, fileName: name.flatMap { $0.isEmpty ? nil : $0 }, mediaType: nil,
                bytes: Array(parts["file"] ?? Data()), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/applications/\(id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await PortalApplicationsController(platform: platform, pages: pages).render(id: id, context: context, error: error)
        }
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let a = try await platform.applications.load(id: try context.parameters.require("id"), for: actor)
        let (attachment, bytes) = try await service.attachment(
            applicationId: a.id, attachmentId: try context.parameters.require("attachment"),
            visibleTo: a)
        return FileResponse.attachment(
            name: attachment.fileName, contentType: attachment.mediaType, sha256: attachment.sha256, bytes: bytes)
    }
}

/// `grants.mustache`: grants held, provided and supervised with their usage and the actions the viewer may take,
/// and the misuse cases.
struct GrantsPage: PortalPage {
    static let template = PageTemplate.grants
    struct Grant: Encodable {
        var id, code, slug, items, holder, dataManager, valid, status: String
        var reads, rows: Int
        var lastRead: String
        var active, canManage, canConfirm, canConsent: Bool
    }
    struct Bar: Encodable {
        var label: String
        var count, width: Int
    }
    struct Case: Encodable {
        var id, grant, reporter, holder, description, status, resolution: String
        var canClose: Bool
    }
    var held, provided: [Grant]
    var bars: [Bar]
    var hasBars: Bool
    var supervised: [Grant]
    var showSupervised: Bool
    var cases: [Case]
    var canReport: Bool
    var error: String?
}

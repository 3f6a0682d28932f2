import Foundation
import GovShareCore
import Hummingbird

/// The update obligations page (Art. 9): each obligation with the entry it concerns, whether the department was
/// reminded and the authority told, and — for those who may — a form naming the entry.
extension PortalCatalogController {
    @Sendable func obligationList(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderObligations(context: context, error: nil)
    }

    @Sendable func linkObligation(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            _ = try await platform.obligations.link(
                obligationId: try context.parameters.require("id"), entryCode: form["entry_code"],
                by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/catalog/obligations"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let message = error.problems.map { $0.message.text(context.language) }.joined(separator: "；")
            return try await renderObligations(
                context: context, error: message.isEmpty ? error.message.text(context.language) : message,
                status: .unprocessableContent)
        }
    }

    func renderObligations(context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.require(.readDirectory)
        let language = context.language
        let (departments, _) = try await names(language, actor: actor)
        let today = CivilDate(instant: platform.clock.now())
        let obligations = try await platform.obligations.list(departmentIds: nil, openOnly: false)
        let entries = try await platform.obligations.linkedEntries(of: obligations)
        var rows: [CatalogObligationsPage.Row] = []
        for o in obligations {
            let overdue = o.isOverdue(on: today)
            rows.append(
                .init(
                    id: o.id, department: name(departments[o.departmentId], language), trigger: Strings.text(o.trigger.rawValue, language),
                    triggerDate: o.triggerDate.description, reference: o.reference, dueOn: o.dueOn.description, provisional: o.provisional,
                    status: Strings.text(overdue ? "overdue" : o.status.rawValue, language),
                    statusClass: overdue ? "overdue" : o.status.rawValue,
                    remindedAt: o.remindedAt.map { [String($0.prefix(10))] } ?? [],
                    escalatedAt: o.escalatedAt.map { [String($0.prefix(10))] } ?? [],
                    canLink: try await platform.obligations.mayLink(actor, o),
                    entry: o.entryId.flatMap { entries[$0] }.map { .init(id: $0.id, code: $0.code) }))
        }
        return pages.render(
            CatalogObligationsPage(obligations: rows, error: error), title: Strings.text("nav_obligations", language),
            context: context, path: "/catalog/obligations", status: status)
    }
}

/// `catalog_obligations.mustache`: every obligation with its entry, notices and, for those who may, the link form.
struct CatalogObligationsPage: PortalPage {
    static let template = PageTemplate.catalogObligations
    struct Row: Encodable {
        struct Entry: Encodable { var id, code: String }
        var id, department, trigger, triggerDate, reference, dueOn: String
        var provisional: Bool
        var status, statusClass: String
        /// Lists of one day or none: a section over an empty list renders nothing.
        var remindedAt, escalatedAt: [String]
        var canLink: Bool
        var entry: Entry?
    }
    var obligations: [Row]
    var error: String?
}

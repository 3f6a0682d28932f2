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
            _ = try await platform.obligations.link(obligationId: try context.parameters.require("id"), entryCode: form["entry_code"],
                                                   by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/catalog/obligations"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let message = error.problems.map { $0.message.text(context.language) }.joined(separator: "；")
            return try await renderObligations(context: context, error: message.isEmpty ? error.message.text(context.language) : message,
                                               status: .unprocessableContent)
        }
    }

    func renderObligations(context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.require(.readDirectory)
        let language = context.language
        let w = Strings.dictionary(language)
        let (departments, _) = try await names(language)
        let today = CivilDate(instant: platform.clock.now())
        let obligations = try await platform.obligations.list(departmentIds: nil, openOnly: false)
        let entries = try await platform.obligations.linkedEntries(of: obligations)
        var rows: [[String: Any]] = []
        for o in obligations {
            let overdue = o.isOverdue(on: today)
            var row: [String: Any] = [
                "id": o.id, "department": name(departments[o.departmentId], language), "trigger": w[o.trigger.rawValue] ?? o.trigger.rawValue,
                "trigger_date": o.triggerDate.description, "reference": o.reference, "due_on": o.dueOn.description,
                "provisional": o.provisional,
                "status": overdue ? w["overdue"]! : (w[o.status.rawValue] ?? o.status.rawValue),
                "status_class": overdue ? "overdue" : o.status.rawValue,
                // Lists of one day or none: a section over an empty list renders nothing.
                "reminded_at": o.remindedAt.map { [String($0.prefix(10))] } ?? [],
                "escalated_at": o.escalatedAt.map { [String($0.prefix(10))] } ?? [],
                "can_link": try await platform.obligations.mayLink(actor, o),
            ]
            if let id = o.entryId, let entry = entries[id] { row["entry"] = ["id": entry.id, "code": entry.code] }
            rows.append(row)
        }
        var model: [String: Any] = ["obligations": rows]
        if let error { model["error"] = error }
        return pages.render("catalog_obligations", title: w["nav_obligations"]!, model: model, context: context,
                            path: "/catalog/obligations", status: status)
    }
}

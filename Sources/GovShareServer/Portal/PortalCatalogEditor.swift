import Foundation
import GovShareCore
import Hummingbird

/// The cataloger's editor: save a draft, submit it; rule errors are shown next to the fields they concern.
struct PortalCatalogEditor {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("catalog/new", use: newForm)
        router.post("catalog/new", use: save)
        router.get("catalog/{id}/edit", use: editForm)
        router.post("catalog/{id}/edit", use: save)
    }

    func render(_ content: CatalogContent, entryId: String?, problems: [FieldProblem], saved: Bool, context: AppRequestContext,
                status: HTTPResponse.Status = .ok) -> Response {
        let w = Strings.dictionary(context.language)
        let action = entryId.map { "/catalog/\($0)/edit" } ?? "/catalog/new"
        let model: [String: Any] = [
            "heading": entryId == nil ? w["new_entry"]! : w["edit_entry"]!, "action": action, "saved": saved,
            "has_errors": !problems.isEmpty,
            "errors": problems.map { ["field": $0.field, "message": "\($0.field)：\($0.message.text(context.language))"] },
            "fields": CatalogEditorForm.fields(content, problems: problems, language: context.language),
        ]
        return pages.render("catalog_editor", title: model["heading"] as! String, model: model, context: context, path: action, status: status)
    }

    @Sendable func newForm(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        guard actor.roles.contains(.cataloger) else { throw DomainError.forbidden(policy: "catalog.edit") }
        var content = CatalogContent()
        content.kind = CatalogKind.department.rawValue
        return render(content, entryId: nil, problems: [], saved: false, context: context)
    }

    @Sendable func editForm(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        let (entry, version) = try await CatalogController(platform: platform).visibleVersion(id, actor: actor)
        guard try await platform.catalog.canSeeDrafts(actor, entry: entry, content: version.content), actor.roles.contains(.cataloger) else {
            throw DomainError.forbidden(policy: "catalog.edit")
        }
        return render(version.content, entryId: entry.id, problems: [], saved: false, context: context)
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let content = CatalogEditorForm.content(from: form)
        var entryId = context.parameters.get("id")
        do {
            if let id = entryId {
                _ = try await platform.catalog.updateDraft(entryId: id, content: content, by: actor, origin: context.origin)
            } else {
                entryId = try await platform.catalog.createDraft(content, providerCode: nil, by: actor, origin: context.origin).0.id
            }
            if form["intent"] == "submit" {
                _ = try await platform.catalog.submit(entryId: entryId!, by: actor, origin: context.origin)
                return Response(status: .seeOther, headers: [.location: "/catalog/\(entryId!)"])
            }
            return render(content, entryId: entryId, problems: [], saved: true, context: context)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let problems = error.problems.isEmpty
                ? [FieldProblem(field: "entry", rule: error.code, message: error.message)] : error.problems
            return render(content, entryId: entryId, problems: problems, saved: false, context: context, status: .unprocessableContent)
        }
    }
}

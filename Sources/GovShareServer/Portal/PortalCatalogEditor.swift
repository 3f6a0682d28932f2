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

    func render(
        _ content: CatalogContent, entryId: String?, problems: [FieldProblem], saved: Bool, context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let action = entryId.map { "/catalog/\($0)/edit" } ?? "/catalog/new"
        let page = CatalogEditorPage(
            heading: Strings.text(entryId == nil ? "new_entry" : "edit_entry", context.language), action: action, saved: saved,
            hasErrors: !problems.isEmpty,
            errors: problems.map { .init(field: $0.field, message: "\($0.field)：\($0.message.text(context.language))") },
            fields: CatalogEditorForm.fields(content, problems: problems, language: context.language))
        return pages.render(page, title: page.heading, context: context, path: action, status: status)
    }

    @Sendable func newForm(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await platform.catalog.authorizeCreate(providerCode: nil, by: try context.requirePrincipal())
        var content = CatalogContent()
        content.kind = CatalogKind.department.rawValue
        return render(content, entryId: nil, problems: [], saved: false, context: context)
    }

    @Sendable func editForm(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        let view = try await platform.catalog.entry(id, for: actor)
        guard view.mayEdit else { throw DomainError.forbidden(policy: Policy.editCatalog) }
        return render(view.version.content, entryId: view.entry.id, problems: [], saved: false, context: context)
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
            let problems =
                error.problems.isEmpty
                ? [FieldProblem(field: "entry", rule: error.code, message: error.message)] : error.problems
            return render(content, entryId: entryId, problems: problems, saved: false, context: context, status: .unprocessableContent)
        }
    }
}

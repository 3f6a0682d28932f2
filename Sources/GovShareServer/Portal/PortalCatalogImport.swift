import Foundation
import GovShareCore
import Hummingbird

/// Upload a catalog spreadsheet; the row-by-row error report, or the list of drafts created.
struct PortalCatalogImport {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("catalog/import", use: form)
        router.post("catalog/import", use: upload)
    }

    func render(_ context: AppRequestContext, model: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        pages.render("catalog_import", title: Strings.dictionary(context.language)["import_title"]!, model: model,
                     context: context, path: "/catalog/import", status: status)
    }

    @Sendable func form(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        guard actor.roles.contains(.cataloger) else { throw DomainError.forbidden(policy: "catalog.edit") }
        return render(context)
    }

    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let importer = CatalogImportService(catalog: platform.catalog, repository: platform.catalogRepository)
        // Authorised before the upload is read (the CSRF token is inside the form, so it is checked just after).
        try importer.authorizeImport(by: actor)
        let parts = try await MultipartForm.parts(request, limit: ParserLimits.uploadBytes + 64 * 1024)
        try PortalForm.checkCSRF(parts["_csrf"].map { String(decoding: $0, as: UTF8.self) }, request: request)
        let language = context.language
        do {
            let encoding = try CatalogImportController.encoding(parts["encoding"].map { String(decoding: $0, as: UTF8.self) }.flatMap { $0.isEmpty ? nil : $0 })
            let text = try SpreadsheetText.decode(parts["file"] ?? Data(), encoding: encoding)
            let created = try await importer.importSheet(text, by: actor, origin: context.origin)
            var entries: [[String: String]] = []
            for entry in created {
                let name = try await platform.catalogRepository.version(entryId: entry.id, version: 1)?.content.name ?? ""
                entries.append(["id": entry.id, "code": entry.code, "name": name])
            }
            let message = language == .en ? "Imported \(created.count) drafts" : "已导入 \(created.count) 条目录草稿"
            return render(context, model: ["message": message, "class": "ok", "imported": ["entries": entries]])
        } catch let error as DomainError where error.kind == .invalid {
            let problems = error.problems.map { p -> [String: String] in
                let parts = p.field.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return ["row": parts.first?.replacingOccurrences(of: "row ", with: "") ?? "", "column": parts.count > 1 ? parts[1] : "",
                        "message": p.message.text(language)]
            }
            return render(context, model: ["message": error.message.text(language), "class": "error", "has_problems": !problems.isEmpty,
                                           "problems": problems], status: .unprocessableContent)
        }
    }
}

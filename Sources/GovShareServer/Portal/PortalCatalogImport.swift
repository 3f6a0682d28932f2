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

    func render(_ context: AppRequestContext, page: CatalogImportPage = CatalogImportPage(), status: HTTPResponse.Status = .ok) -> Response
    {
        pages.render(page, title: Strings.text("import_title", context.language), context: context, path: "/catalog/import", status: status)
    }

    @Sendable func form(request: Request, context: AppRequestContext) async throws -> Response {
        try platform.catalogImport.authorizeImport(by: try context.requirePrincipal())
        return render(context)
    }

    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let importer = platform.catalogImport
        // Authorised before the upload is read (the CSRF token is inside the form, so it is checked just after).
        try importer.authorizeImport(by: actor)
        let parts = try await MultipartForm.parts(request, limit: ParserLimits.uploadBytes + 64 * 1024)
        try PortalForm.checkCSRF(parts["_csrf"].map { String(decoding: $0, as: UTF8.self) }, request: request)
        let language = context.language
        do {
            let encoding = try CatalogImportController.encoding(
                parts["encoding"].map { String(decoding: $0, as: UTF8.self) }.flatMap { $0.isEmpty ? nil : $0 })
            let text = try SpreadsheetText.decode(parts["file"] ?? Data(), encoding: encoding)
            let created = try await importer.importSheet(text, by: actor, origin: context.origin)
            let entries = created.map {
                CatalogImportPage.Imported.Entry(id: $0.entry.id, code: $0.entry.code, name: $0.version.content.name ?? "")
            }
            let message = language == .en ? "Imported \(created.count) drafts" : "已导入 \(created.count) 条目录草稿"
            return render(context, page: CatalogImportPage(message: message, class: "ok", imported: .init(entries: entries)))
        } catch let error as DomainError where error.kind == .invalid {
            let problems = error.problems.map { p -> CatalogImportPage.Problem in
                let parts = p.field.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return .init(
                    row: parts.first?.replacingOccurrences(of: "row ", with: "") ?? "", column: parts.count > 1 ? parts[1] : "",
                    message: p.message.text(language))
            }
            return render(
                context,
                page: CatalogImportPage(
                    message: error.message.text(language), class: "error",
                    hasProblems: !problems.isEmpty, problems: problems), status: .unprocessableContent)
        }
    }
}

/// `catalog_import.mustache`: the upload form, then the drafts created or the problems by row and column.
struct CatalogImportPage: PortalPage {
    static let template = PageTemplate.catalogImport
    struct Imported: Encodable {
        struct Entry: Encodable { var id, code, name: String }
        var entries: [Entry]
    }
    struct Problem: Encodable { var row, column, message: String }
    var message: String?
    /// The message's style: `ok` or `error`.
    var `class`: String?
    var imported: Imported?
    var hasProblems = false
    var problems: [Problem] = []
}

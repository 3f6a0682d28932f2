import Foundation
import GovShareCore
import Hummingbird

struct ImportedEntryDTO: Codable, Sendable {
    let id, code, name: String
}

struct ImportResultDTO: Codable, Sendable {
    let imported: Int
    let entries: [ImportedEntryDTO]
}

/// The guide's spreadsheet layout in and out: `POST /api/v1/catalog/import`, `GET /api/v1/catalog/export`.
struct CatalogImportController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("catalog/import", use: importSheet)
        group.get("catalog/export", use: export)
    }

    static func encoding(_ value: String?) throws -> CSVText.Encoding? {
        guard let value else { return nil }
        guard let encoding = CSVText.Encoding(rawValue: value.lowercased()) else {
            throw DomainError.invalid(
                field: "encoding", rule: "enum", zh: "encoding 应为 utf-8 或 gb18030", en: "encoding must be utf-8 or gb18030")
        }
        return encoding
    }

    @Sendable func importSheet(request: Request, context: AppRequestContext) async throws -> JSONResponse<ImportResultDTO> {
        let actor = try context.requirePrincipal()
        let importer = platform.catalogImport
        // Authorised before the upload is read: nobody else makes the server hold and parse a workbook.
        try importer.authorizeImport(by: actor)
        let encoding = try Self.encoding(request.uri.queryParameters["encoding"].map(String.init))
        let buffer = try await request.body.collect(upTo: ParserLimits.uploadBytes)
        let text = try SpreadsheetText.decode(Data(buffer.readableBytesView), encoding: encoding)
        let created = try await importer.importSheet(text, by: actor, origin: context.origin)
        let entries = created.map { ImportedEntryDTO(id: $0.entry.id, code: $0.entry.code, name: $0.version.content.name ?? "") }
        return JSONResponse(ImportResultDTO(imported: created.count, entries: entries), status: .created)
    }

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let p = request.uri.queryParameters
        let encoding = try Self.encoding(p["encoding"].map(String.init)) ?? .utf8
        let query = try await CatalogSearchController.query(from: p, platform: platform, actor: actor)
        let text = try await platform.catalogImport.export(query, by: actor)
        let charset = encoding == .utf8 ? "utf-8" : "gb18030"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=\(charset)",
                .contentDisposition: "attachment; filename=\"catalog.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: CSVText.encode(text, as: encoding))))
    }
}

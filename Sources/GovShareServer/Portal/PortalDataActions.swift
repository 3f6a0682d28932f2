import Foundation
import GovShareCore
import Hummingbird

extension PortalDataController {
    /// Self-service subscription from the dataset page; on success the page opens with the new purpose chosen.
    @Sendable func subscribe(request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let code = try context.parameters.require("code")
        let items = form.fields.keys.filter { $0.hasPrefix("item_") }.map { String($0.dropFirst(5)) }.sorted()
        do {
            let users = (form["users"] ?? "").split(whereSeparator: { "，,、;；\n".contains($0) }).map(String.init)
            let s = try await platform.exchange.subscribe(
                code: code, items: items, purpose: form["purpose"], business: form["business"],
                users: users, by: viewer, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/data/\(code)?purpose=\(s.id)"])
        } catch let error as DomainError where error.kind == .invalid {
            let message = error.problems.map { $0.message.text(context.language) }.joined(separator: "；")
            return try await render(request: request, context: context, status: .unprocessableContent) { $0.subscribeError = message }
        }
    }

    /// CSV upload from the dataset page, with the row-by-row error report.
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requirePrincipal()
        let code = try context.parameters.require("code")
        // Authorised before the file is read (the CSRF token is inside the form, so it is checked just after).
        let dataset = try await platform.exchange.authorizeReport(code: code, by: viewer)
        let parts = try await MultipartForm.parts(request, limit: 64 * 1024 * 1024)
        try PortalForm.checkCSRF(parts["_csrf"].map { String(decoding: $0, as: UTF8.self) }, request: request)
        let language = context.language
        do {
            let mode = try DatasetsController.mode(parts["mode"].map { String(decoding: $0, as: UTF8.self) })
            let outcome = try await SpreadsheetText.importUpload(
                parts["file"] ?? Data(), encoding: nil, into: platform.exchange, dataset: dataset, mode: mode, batchId: nil,
                source: .file, by: viewer, origin: context.origin)
            let b = outcome.batch
            let message =
                language == .en
                ? "Received \(b.received) rows: \(b.accepted) accepted, \(b.rejected) rejected, \(b.deleted) deleted"
                : "接收 \(b.received) 行：成功 \(b.accepted) 行，拒绝 \(b.rejected) 行，删除 \(b.deleted) 行"
            let rows = outcome.problems.prefix(500).map {
                DatasetPage.RowError(row: String($0.row), item: $0.item ?? "", message: $0.message.text(language))
            }
            return try await render(request: request, context: context) { page in
                page.uploadMessage = message
                page.uploadClass = outcome.problems.isEmpty ? "ok" : "error"
                page.hasRowErrors = !outcome.problems.isEmpty
                page.rowErrors = rows
            }
        } catch let error as DomainError where error.kind == .invalid {
            let rows = error.problems.prefix(500).map { p in
                let parts = p.field.replacingOccurrences(of: "row ", with: "").split(separator: ".", maxSplits: 1).map(String.init)
                return DatasetPage.RowError(
                    row: parts.first ?? "", item: parts.count > 1 ? parts[1] : "", message: p.message.text(language))
            }
            return try await render(request: request, context: context, status: .unprocessableContent) { page in
                page.uploadMessage = error.message.text(language)
                page.uploadClass = "error"
                page.hasRowErrors = !rows.isEmpty
                page.rowErrors = rows
            }
        }
    }
}

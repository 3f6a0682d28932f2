import Foundation
import GovShareCore
import Hummingbird

/// 数据销毁 (Art. 27): the provider's reviewer asks, the data authority approves or rejects (never the requester), the
/// provider's reviewer executes; records with their SM3 digests. The same rules as the API (`DestructionService`).
struct PortalDestructionsController {
    let platform: Platform
    let pages: PageRenderer
    var service: DestructionService { platform.destructions }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("destructions", use: page)
        router.post("destructions", use: request)
        router.post("destructions/{id}/approve", use: approve)
        router.post("destructions/{id}/reject", use: reject)
        router.post("destructions/{id}/execute", use: execute)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, form: [String: String] = [:]) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let (requests, records) = try await service.list(by: actor)
        let names = try await platform.directory.departmentNames(in: language, by: actor)
        var rows: [DestructionsPage.Request] = []
        for r in requests {
            rows.append(
                .init(
                    id: r.id, entryCode: r.entryCode, provider: names[r.providerId] ?? r.providerId,
                    scope: r.scope.name.text(language) + (r.before.map { " < \($0)" } ?? ""), basis: r.basis,
                    status: r.status.name.text(language), requestedBy: r.requestedByName, requestedAt: PortalFormat.time(r.requestedAt),
                    decidedBy: r.decidedByName, note: r.decisionNote, canDecide: try await service.mayDecide(r, by: actor),
                    canExecute: service.mayExecute(r, by: actor)))
        }
        let page = DestructionsPage(
            requests: rows,
            records: records.map {
                .init(
                    id: $0.id, entryCode: $0.entryCode, provider: names[$0.providerId] ?? $0.providerId,
                    scope: $0.scope.name.text(language) + ($0.before.map { " < \($0)" } ?? ""), basis: $0.basis,
                    rows: PortalFormat.number($0.rowCount), sm3: $0.sm3, requestedBy: $0.requestedBy, approvedBy: $0.approvedBy,
                    executedBy: $0.executedBy, executedAt: PortalFormat.time($0.executedAt))
            },
            canRequest: service.mayRequest(actor),
            scopes: DestructionScope.allCases.map {
                .init(value: $0.rawValue, label: $0.name.text(language), selected: form["scope"] == $0.rawValue)
            },
            formEntryCode: form["entry_code"] ?? "", formBefore: form["before"] ?? "", formBasis: form["basis"] ?? "", error: error)
        return pages.render(
            page, title: Strings.text("nav_destructions", language), context: context, path: "/destructions",
            status: error == nil ? .ok : .unprocessableContent)
    }

    func act(_ context: AppRequestContext, form: [String: String] = [:], _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/destructions"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func request(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let fields = ["entry_code", "scope", "before", "basis"].reduce(into: [String: String]()) {
            $0[$1] = form[$1].map { String($0.prefix(2_000)) }
        }
        return try await act(context, form: fields) {
            _ = try await service.request(
                .init(
                    entryCode: form["entry_code"], scope: form["scope"], before: form["before"].flatMap { $0.isEmpty ? nil : $0 },
                    basis: form["basis"]), by: actor, origin: context.origin)
        }
    }

    @Sendable func approve(request: Request, context: AppRequestContext) async throws -> Response {
        try await decide(request, context, approve: true)
    }

    @Sendable func reject(request: Request, context: AppRequestContext) async throws -> Response {
        try await decide(request, context, approve: false)
    }

    func decide(_ request: Request, _ context: AppRequestContext, approve: Bool) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(context) {
            _ = try await service.decide(id: id, approve: approve, note: form["note"], by: actor, origin: context.origin)
        }
    }

    @Sendable func execute(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(context) { _ = try await service.execute(id: id, by: actor, origin: context.origin) }
    }
}

/// `destructions.mustache`: requests with their decision and execution buttons, the records, the request form.
struct DestructionsPage: PortalPage {
    static let template = PageTemplate.destructions
    struct Request: Encodable {
        var id, entryCode, provider, scope, basis, status, requestedBy, requestedAt: String
        var decidedBy, note: String?
        var canDecide, canExecute: Bool
    }
    struct Record: Encodable {
        var id, entryCode, provider, scope, basis, rows, sm3, requestedBy, approvedBy, executedBy, executedAt: String
    }
    struct Choice: Encodable {
        var value, label: String
        var selected: Bool
    }
    var requests: [Request]
    var records: [Record]
    var canRequest: Bool
    var scopes: [Choice]
    var formEntryCode, formBefore, formBasis: String
    var error: String?
}

import Foundation
import GovShareCore
import Hummingbird

struct SubscriptionDTO: Codable, Sendable {
    let id, departmentId, entryId, purpose, createdBy, createdAt: String
    let items, users: [String]
    let revokedAt, business: String?
    init(_ s: Subscription) {
        id = s.id; departmentId = s.departmentId; entryId = s.entryId; purpose = s.purpose; createdBy = s.createdBy
        createdAt = s.createdAt; items = s.items; revokedAt = s.revokedAt; business = s.business; users = s.users
    }
    enum CodingKeys: String, CodingKey {
        case id, purpose, items, business, users
        case departmentId = "department_id", entryId = "entry_id", createdBy = "created_by", createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// Self-service subscriptions (Art. 16, 19) and the auditors' read trace (Art. 28). Grants: `GrantsController`.
struct AccessController {
    let platform: Platform
    var exchange: ExchangeService { platform.exchange }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("subscriptions", use: subscribe)
        group.get("subscriptions", use: subscriptions)
        group.post("subscriptions/{id}/revoke", use: revokeSubscription)
        group.get("data-reads", use: reads)
        group.get("data-reads/unusual", use: unusual)
    }

    @Sendable func subscribe(request: Request, context: AppRequestContext) async throws -> JSONResponse<SubscriptionDTO> {
        let actor = try context.require(.readData)
        let body = try await JSONBody.decode(SubscriptionRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.entryCode, field: "entry_code", maxLength: 64)
        try v.check()
        let s = try await exchange.subscribe(
            code: body.entryCode!, items: body.items ?? [], purpose: body.purpose,
            business: body.business, users: body.users ?? [], by: actor,
            origin: context.origin)
        return JSONResponse(SubscriptionDTO(s), status: .created)
    }

    @Sendable func subscriptions(request: Request, context: AppRequestContext) async throws -> JSONResponse<[SubscriptionDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await exchange.subscriptions(of: actor).map(SubscriptionDTO.init))
    }

    @Sendable func revokeSubscription(request: Request, context: AppRequestContext) async throws -> JSONResponse<SubscriptionDTO> {
        let actor = try context.requirePrincipal()
        let s = try await exchange.revokeSubscription(id: try context.parameters.require("id"), by: actor, origin: context.origin)
        return JSONResponse(SubscriptionDTO(s))
    }

    /// `record` finds every read that returned that primary key value (e.g. an ID number); `department` (credit code)
    /// with `from`/`to` (timestamps or dates) lists what a department read in a period.
    @Sendable func reads(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DataReadDTO]> {
        let actor = try context.require(.traceReads)
        let p = request.uri.queryParameters
        var query = ReadTraceQuery()
        query.recordKey = p["record"].map(String.init)
        query.from = p["from"].map(String.init)
        query.to = p["to"].map(String.init)
        if let limit = p["limit"].flatMap({ Int($0) }) { query.limit = min(max(limit, 1), 1000) }
        return JSONResponse(
            try await exchange.trace(
                query, datasetCode: p["dataset"].map(String.init),
                departmentCode: p["department"].map(String.init),
                by: actor, origin: context.origin
            ).map(DataReadDTO.init))
    }

    @Sendable func unusual(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DataReadDTO]> {
        let actor = try context.require(.traceReads)
        let p = request.uri.queryParameters
        let factor = p["factor"].flatMap { Double($0) } ?? 3
        return JSONResponse(
            try await exchange.unusualReads(
                from: p["from"].map(String.init), to: p["to"].map(String.init),
                factor: factor, by: actor
            ).map(DataReadDTO.init))
    }
}

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

struct GrantDTO: Codable, Sendable {
    let id, departmentId, entryId, purpose, validFrom, validUntil, status, createdBy, createdAt: String
    let items, clearItems: [String]
    let revokedReason, dataManager, applicationId: String?
    /// Active and within its dates today: what reads are allowed under (an active grant past valid_until is expired).
    let inForce: Bool
    /// Grants made outside the workflow: who confirmed them, and the provider's consent to clear graded items.
    let approvedBy, approvedAt, providerConsentBy: String?
    let providerConsent: String
    init(_ g: Grant, today: String) {
        inForce = g.isInForce(on: today)
        approvedBy = g.approvedBy; approvedAt = g.approvedAt; providerConsentBy = g.providerConsentBy
        providerConsent = g.providerConsent.rawValue
        id = g.id; departmentId = g.departmentId; entryId = g.entryId; purpose = g.purpose; validFrom = g.validFrom
        validUntil = g.validUntil; status = g.status.rawValue; createdBy = g.createdBy; createdAt = g.createdAt
        items = g.items; clearItems = g.clearItems; revokedReason = g.revokedReason; dataManager = g.dataManager
        applicationId = g.applicationId
    }
    enum CodingKeys: String, CodingKey {
        case id, purpose, status, items
        case departmentId = "department_id", entryId = "entry_id", validFrom = "valid_from", validUntil = "valid_until"
        case createdBy = "created_by", createdAt = "created_at", clearItems = "clear_items", revokedReason = "revoked_reason"
        case dataManager = "data_manager", applicationId = "application_id", inForce = "in_force"
        case approvedBy = "approved_by", approvedAt = "approved_at", providerConsent = "provider_consent"
        case providerConsentBy = "provider_consent_by"
    }
}

/// Self-service subscriptions (Art. 16, 19), hand-made grants until the sharing workflow makes them, and the
/// auditors' read trace (Art. 28).
struct AccessController {
    let platform: Platform
    var exchange: ExchangeService { platform.exchange }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("subscriptions", use: subscribe)
        group.get("subscriptions", use: subscriptions)
        group.post("subscriptions/{id}/revoke", use: revokeSubscription)
        group.post("grants", use: createGrant)
        group.get("grants", use: grants)
        group.post("grants/{id}/revoke", use: revokeGrant)
        group.get("data-reads", use: reads)
        group.get("data-reads/unusual", use: unusual)
    }

    @Sendable func subscribe(request: Request, context: AppRequestContext) async throws -> JSONResponse<SubscriptionDTO> {
        let actor = try context.require(.readData)
        let body = try await JSONBody.decode(SubscriptionRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.entryCode, field: "entry_code", maxLength: 64)
        try v.check()
        let s = try await exchange.subscribe(code: body.entryCode!, items: body.items ?? [], purpose: body.purpose,
                                             business: body.business, users: body.users ?? [], by: actor,
                                             origin: context.origin)
        return JSONResponse(SubscriptionDTO(s), status: .created)
    }

    @Sendable func subscriptions(request: Request, context: AppRequestContext) async throws -> JSONResponse<[SubscriptionDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await platform.accessRepository.subscriptions(departmentId: actor.departmentId).map(SubscriptionDTO.init))
    }

    @Sendable func revokeSubscription(request: Request, context: AppRequestContext) async throws -> JSONResponse<SubscriptionDTO> {
        let actor = try context.requirePrincipal()
        let s = try await exchange.revokeSubscription(id: try context.parameters.require("id"), by: actor, origin: context.origin)
        return JSONResponse(SubscriptionDTO(s))
    }

    @Sendable func createGrant(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(GrantRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.entryCode, field: "entry_code", maxLength: 64)
        try v.check()
        let g = try await exchange.createGrant(departmentCode: body.departmentCode, entryCode: body.entryCode!, items: body.items ?? [],
                                               clearItems: body.clearItems ?? [], purpose: body.purpose, validUntil: body.validUntil,
                                               directory: platform.departments, by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: exchange.today), status: .created)
    }

    /// A department sees the grants it holds; a data authority's reviewer also those it manages (on the departments its
    /// authority reviews); administrators all.
    @Sendable func grants(request: Request, context: AppRequestContext) async throws -> JSONResponse<[GrantDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await platform.accountability.visibleGrants(for: actor).map { GrantDTO($0, today: exchange.today) })
    }

    @Sendable func revokeGrant(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(ReasonRequest.self, from: request, context: context)
        let g = try await exchange.revokeGrant(id: try context.parameters.require("id"), reason: body.reason, by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: exchange.today))
    }

    /// `record` finds every read that returned that primary key value (e.g. an ID number); `department` (credit code)
    /// with `from`/`to` (timestamps or dates) lists what a department read in a period.
    @Sendable func reads(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DataReadDTO]> {
        let actor = try context.require(.traceReads)
        let p = request.uri.queryParameters
        var query = ReadTraceQuery()
        query.recordKey = p["record"].map(String.init)
        if let code = p["dataset"].map(String.init) { query.datasetId = try await exchange.dataset(code: code).id }
        if let code = p["department"].map(String.init) {
            query.departmentId = try await platform.departments.require(code: code, field: "department").id
        }
        query.from = p["from"].map(String.init)
        query.to = p["to"].map(String.init)
        if let limit = p["limit"].flatMap({ Int($0) }) { query.limit = min(max(limit, 1), 1000) }
        return JSONResponse(try await exchange.trace(query, by: actor, origin: context.origin).map(DataReadDTO.init))
    }

    @Sendable func unusual(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DataReadDTO]> {
        let actor = try context.require(.traceReads)
        let p = request.uri.queryParameters
        let factor = p["factor"].flatMap { Double($0) } ?? 3
        return JSONResponse(try await exchange.unusualReads(from: p["from"].map(String.init), to: p["to"].map(String.init),
                                                            factor: factor, by: actor).map(DataReadDTO.init))
    }
}

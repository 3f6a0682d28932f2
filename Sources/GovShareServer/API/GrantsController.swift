import Foundation
import GovShareCore
import Hummingbird

/// `{"confirm": true}` or `{"confirm": false, "reason": …}`; `{"consent": …}` likewise.
struct GrantDecisionRequest: Codable, Sendable {
    var confirm: Bool?
    var consent: Bool?
    var reason: String?
}

/// Grants: made outside the workflow by one authority reviewer and confirmed by a second person, with the provider's
/// consent to clear graded items (separation of duties); suspended, resumed, renewed and revoked; listed with their
/// usage (Art. 19, 21). The rules are `GrantService`'s.
struct GrantsController {
    let platform: Platform
    var grants: GrantService { platform.grants }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("grants", use: propose)
        group.get("grants", use: list)
        group.get("grants/overview", use: overview)
        group.post("grants/{id}/confirm", use: confirm)
        group.post("grants/{id}/consent", use: consent)
        group.post("grants/{id}/revoke", use: revoke)
        group.post("grants/{id}/suspend") { request, context in try await change(request, context, suspend: true) }
        group.post("grants/{id}/resume") { request, context in try await change(request, context, suspend: false) }
        group.post("grants/{id}/renew") { request, context in try await change(request, context, suspend: nil) }
        group.get("grants/{id}/usage", use: usage)
        group.get("grants/{id}/letter", use: letter)
    }

    @Sendable func propose(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(GrantRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.entryCode, field: "entry_code", maxLength: 64)
        try v.check()
        let g = try await grants.propose(
            departmentCode: body.departmentCode, entryCode: body.entryCode!, items: body.items ?? [],
            clearItems: body.clearItems ?? [], purpose: body.purpose, validUntil: body.validUntil,
            by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: grants.today), status: .created)
    }

    /// A department sees the grants it holds; a data authority's reviewer also those it manages (on the departments its
    /// authority reviews); administrators all.
    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[GrantDTO]> {
        let actor = try context.requirePrincipal()
        let today = grants.today
        return JSONResponse(try await grants.visibleGrants(for: actor).map { GrantDTO($0, today: today) })
    }

    /// The grants the department holds and those on its resources, with their usage, and those it manages.
    @Sendable func overview(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantOverviewDTO> {
        let o = try await grants.overview(for: try context.requirePrincipal())
        let today = grants.today
        return JSONResponse(
            GrantOverviewDTO(
                held: o.held.map { GrantUsageDTO($0, today: today) },
                provided: o.provided.map { GrantUsageDTO($0, today: today) },
                supervised: o.supervised.map { GrantUsageDTO($0, today: today) }))
    }

    @Sendable func confirm(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(GrantDecisionRequest.self, from: request, context: context)
        let g = try await grants.confirm(
            id: try context.parameters.require("id"), confirm: body.confirm, reason: body.reason,
            by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: grants.today))
    }

    @Sendable func consent(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.consentToGrants)
        let body = try await JSONBody.decode(GrantDecisionRequest.self, from: request, context: context)
        let g = try await grants.consent(
            id: try context.parameters.require("id"), consent: body.consent, reason: body.reason,
            by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: grants.today))
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(ReasonRequest.self, from: request, context: context)
        let g = try await grants.revoke(id: try context.parameters.require("id"), reason: body.reason, by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: grants.today))
    }

    func change(_ request: Request, _ context: AppRequestContext, suspend: Bool?) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let b = try await JSONBody.decode(RenewRequest.self, from: request, context: context)
        let g = try await grants.change(
            id: try context.parameters.require("id"), suspend: suspend,
            renewUntil: suspend == nil ? b.validUntil : nil, reason: b.reason,
            by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: grants.today))
    }

    /// Usage under a grant (Art. 21): the holder, the provider, the authority and administrators may see it.
    @Sendable func usage(request: Request, context: AppRequestContext) async throws -> JSONResponse<UsageDTO> {
        let (g, u) = try await grants.usage(grantId: try context.parameters.require("id"), for: try context.requirePrincipal())
        return JSONResponse(UsageDTO(grantId: g.id, reads: u.reads, rows: u.rows, lastReadAt: u.lastReadAt))
    }
}

extension GrantsController {
    /// The grant's letter as sealed by the data authority when it came into force (Art. 24).
    @Sendable func letter(request: Request, context: AppRequestContext) async throws -> JSONResponse<OfficialDocumentDTO> {
        let letter = try await platform.grants.letter(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(OfficialDocumentDTO(letter))
    }
}

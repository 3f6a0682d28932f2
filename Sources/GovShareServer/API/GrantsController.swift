import Foundation
import GovShareCore
import Hummingbird

/// `{"confirm": true}` or `{"confirm": false, "reason": …}`; `{"consent": …}` likewise.
struct GrantDecisionRequest: Codable, Sendable {
    var confirm: Bool?
    var consent: Bool?
    var reason: String?
}

/// The second person's confirmation of a grant made outside the workflow, and the provider's consent to clear access
/// to its graded items (separation of duties; the rules are in `ExchangeService+Grants`).
struct GrantsController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("grants/{id}/confirm", use: confirm)
        group.post("grants/{id}/consent", use: consent)
    }

    @Sendable func confirm(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.manageGrants)
        let body = try await JSONBody.decode(GrantDecisionRequest.self, from: request, context: context)
        let g = try await platform.exchange.confirmGrant(id: try context.parameters.require("id"), confirm: body.confirm, reason: body.reason,
                                                         by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: platform.exchange.today))
    }

    @Sendable func consent(request: Request, context: AppRequestContext) async throws -> JSONResponse<GrantDTO> {
        let actor = try context.require(.consentToGrants)
        let body = try await JSONBody.decode(GrantDecisionRequest.self, from: request, context: context)
        let g = try await platform.exchange.consentToGrant(id: try context.parameters.require("id"), consent: body.consent, reason: body.reason,
                                                           by: actor, origin: context.origin)
        return JSONResponse(GrantDTO(g, today: platform.exchange.today))
    }
}

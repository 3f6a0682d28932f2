import Foundation
import GovShareCore
import Hummingbird

/// Supervision (Art. 29–30): the overview, running the checks, findings, and orders to correct with their responses
/// and the authority's decisions. Every rule is `SupervisionService`'s.
struct SupervisionController {
    let platform: Platform
    var service: SupervisionService { platform.supervision }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("supervision", use: overview)
        group.post("supervision/checks", use: check)
        group.get("supervision/findings/{id}", use: finding)
        group.post("supervision/orders", use: issue)
        group.get("supervision/orders/{id}", use: order)
        group.post("supervision/orders/{id}/respond", use: respond)
        group.post("supervision/orders/{id}/accept", use: accept)
        group.post("supervision/orders/{id}/return", use: reject)
    }

    var today: CivilDate { CivilDate(instant: platform.clock.now()) }

    /// `?rule=` one rule, `?status=open|resolved`.
    @Sendable func overview(request: Request, context: AppRequestContext) async throws -> JSONResponse<SupervisionOverviewDTO> {
        let q = request.uri.queryParameters
        let rule = try q.get("rule").map { text in
            guard let rule = SupervisionRule(rawValue: String(text)) else {
                throw DomainError.invalid(
                    field: "rule", rule: "enum", zh: "rule 不是已知的督查规则", en: "rule is not a known supervision rule")
            }
            return rule
        }
        let status = try q.get("status").map { text in
            guard let status = SupervisionFinding.Status(rawValue: String(text)) else {
                throw DomainError.invalid(
                    field: "status", rule: "enum", zh: "status 应为 open 或 resolved", en: "status must be open or resolved")
            }
            return status
        }
        let o = try await service.overview(rule: rule, status: status, by: try context.requirePrincipal())
        return JSONResponse(
            SupervisionOverviewDTO(
                lastRun: o.lastRun.map(SupervisionRunDTO.init),
                openByRule: Dictionary(uniqueKeysWithValues: o.openCounts.map { ($0.key.rawValue, $0.value) }),
                findings: o.findings.map(SupervisionFindingDTO.init), orders: o.orders.map { RectificationOrderDTO($0, today: today) }))
    }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> JSONResponse<SupervisionRunDTO> {
        let run = try await service.runChecks(by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(SupervisionRunDTO(run), status: .created)
    }

    @Sendable func finding(request: Request, context: AppRequestContext) async throws -> JSONResponse<SupervisionFindingDTO> {
        JSONResponse(
            SupervisionFindingDTO(try await service.finding(id: try context.parameters.require("id"), by: try context.requirePrincipal())))
    }

    @Sendable func issue(request: Request, context: AppRequestContext) async throws -> JSONResponse<RectificationOrderDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(RectificationOrderRequest.self, from: request, context: context)
        let o = try await service.issueOrder(
            .init(findingId: b.findingId, what: b.what, basis: b.basis, workingDays: b.workingDays), by: actor, origin: context.origin)
        return JSONResponse(RectificationOrderDTO(o, today: today, verification: (true, [])), status: .created)
    }

    @Sendable func order(request: Request, context: AppRequestContext) async throws -> JSONResponse<RectificationOrderDTO> {
        let o = try await service.order(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(RectificationOrderDTO(o, today: today, verification: try await service.verify(order: o)))
    }

    @Sendable func respond(request: Request, context: AppRequestContext) async throws -> JSONResponse<RectificationOrderDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(RectificationResponseRequest.self, from: request, context: context)
        let o = try await service.respond(
            orderId: try context.parameters.require("id"), response: b.response, by: actor, origin: context.origin)
        return JSONResponse(RectificationOrderDTO(o, today: today))
    }

    @Sendable func accept(request: Request, context: AppRequestContext) async throws -> JSONResponse<RectificationOrderDTO> {
        try await decide(request: request, context: context, accept: true)
    }

    @Sendable func reject(request: Request, context: AppRequestContext) async throws -> JSONResponse<RectificationOrderDTO> {
        try await decide(request: request, context: context, accept: false)
    }

    func decide(request: Request, context: AppRequestContext, accept: Bool) async throws -> JSONResponse<RectificationOrderDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(RectificationDecisionRequest.self, from: request, context: context)
        let o = try await service.decide(
            orderId: try context.parameters.require("id"), accept: accept, note: b.note, by: actor, origin: context.origin)
        return JSONResponse(RectificationOrderDTO(o, today: today))
    }
}

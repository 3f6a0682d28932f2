import Foundation
import GovShareCore
import Hummingbird

/// Conflicts between providers (Art. 13): fact pairs, the check on demand, cases with their negotiation and
/// arbitration, and the per-provider statistics. The same rules as the portal and the CLI (`ConflictService`).
struct ConflictsController {
    let platform: Platform
    var service: ConflictService { platform.conflicts }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("conflicts/pairs", use: pairs)
        group.post("conflicts/pairs", use: declare)
        group.post("conflicts/pairs/{id}/retire", use: retire)
        group.post("conflicts/check", use: check)
        group.get("conflicts/runs", use: runs)
        group.get("conflicts/statistics", use: statistics)
        group.get("conflicts", use: list)
        group.get("conflicts/{id}", use: show)
        group.post("conflicts/{id}/messages", use: post)
        group.post("conflicts/{id}/propose", use: propose)
        group.post("conflicts/{id}/agree", use: agree)
        group.post("conflicts/{id}/escalate", use: escalate)
        group.post("conflicts/{id}/arbitrate", use: arbitrate)
    }

    @Sendable func pairs(request: Request, context: AppRequestContext) async throws -> JSONResponse<FactPairListDTO> {
        let all = request.uri.queryParameters.get("include_retired") == "true"
        return JSONResponse(
            FactPairListDTO(pairs: try await service.pairs(by: try context.requirePrincipal(), includeRetired: all).map(FactPairDTO.init)))
    }

    @Sendable func declare(request: Request, context: AppRequestContext) async throws -> JSONResponse<FactPairDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(FactPairBody.self, from: request, context: context)
        let pair = try await service.declare(
            .init(
                leftEntry: b.left?.entryCode, leftItem: b.left?.item, leftKey: b.left?.keyItem, rightEntry: b.right?.entryCode,
                rightItem: b.right?.item, rightKey: b.right?.keyItem, note: b.note), by: actor, origin: context.origin)
        return JSONResponse(FactPairDTO(pair), status: .created)
    }

    @Sendable func retire(request: Request, context: AppRequestContext) async throws -> JSONResponse<FactPairDTO> {
        let pair = try await service.retire(
            pairId: try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(FactPairDTO(pair))
    }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictRunDTO> {
        let run = try await service.check(trigger: .onDemand, by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(ConflictRunDTO(run), status: .created)
    }

    @Sendable func runs(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictRunListDTO> {
        JSONResponse(ConflictRunListDTO(runs: try await service.runs(by: try context.requirePrincipal()).map(ConflictRunDTO.init)))
    }

    @Sendable func statistics(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictStatisticsDTO> {
        JSONResponse(ConflictStatisticsDTO(try await service.statistics(by: try context.requirePrincipal())))
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseListDTO> {
        let found = try await service.cases(status: request.uri.queryParameters.get("status"), by: try context.requirePrincipal())
        return JSONResponse(ConflictCaseListDTO(cases: found.map { ConflictCaseDTO($0.0, pair: $0.1) }))
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseDetailDTO> {
        let detail = try await service.detail(
            id: try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(ConflictCaseDetailDTO(detail))
    }

    @Sendable func post(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictMessageDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ConflictMessageBody.self, from: request, context: context)
        let message = try await service.post(caseId: try context.parameters.require("id"), body: b.body, by: actor, origin: context.origin)
        return JSONResponse(ConflictMessageDTO(message), status: .created)
    }

    @Sendable func propose(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ConflictProposalBody.self, from: request, context: context)
        let c = try await service.propose(
            caseId: try context.parameters.require("id"), side: b.side, note: b.note, by: actor, origin: context.origin)
        return answer(c, actor)
    }

    @Sendable func agree(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseDTO> {
        let actor = try context.requirePrincipal()
        return answer(try await service.agree(caseId: try context.parameters.require("id"), by: actor, origin: context.origin), actor)
    }

    @Sendable func escalate(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ConflictEscalationBody.self, from: request, context: context)
        let c = try await service.escalate(caseId: try context.parameters.require("id"), note: b.note, by: actor, origin: context.origin)
        return answer(c, actor)
    }

    @Sendable func arbitrate(request: Request, context: AppRequestContext) async throws -> JSONResponse<ConflictCaseDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ConflictArbitrationBody.self, from: request, context: context)
        let c = try await service.arbitrate(
            caseId: try context.parameters.require("id"), side: b.side, reasons: b.reasons, by: actor, origin: context.origin)
        return answer(c, actor)
    }

    func answer(_ c: ConflictCaseWithPair, _ actor: Principal) -> JSONResponse<ConflictCaseDTO> {
        JSONResponse(ConflictCaseDTO(c.conflict, pair: c.pair))
    }
}

import Foundation
import GovShareCore
import Hummingbird

struct DestructionRequestDTO: Encodable, Sendable {
    let id, datasetId, entryCode, providerId, scope, basis, status, requestedBy, requestedAt: String
    let before, decidedBy, decidedAt, decisionNote: String?
    init(_ r: DestructionRequest) {
        id = r.id; datasetId = r.datasetId; entryCode = r.entryCode; providerId = r.providerId; scope = r.scope.rawValue
        basis = r.basis; status = r.status.rawValue; requestedBy = r.requestedByName; requestedAt = r.requestedAt
        before = r.before; decidedBy = r.decidedByName; decidedAt = r.decidedAt; decisionNote = r.decisionNote
    }
    enum CodingKeys: String, CodingKey {
        case id, scope, basis, status, before
        case datasetId = "dataset_id", entryCode = "entry_code", providerId = "provider_id", requestedBy = "requested_by"
        case requestedAt = "requested_at", decidedBy = "decided_by", decidedAt = "decided_at", decisionNote = "decision_note"
    }
}

struct DestructionRecordDTO: Encodable, Sendable {
    let id, requestId, datasetId, entryCode, providerId, scope, basis, requestedBy, approvedBy, executedBy, sm3, executedAt,
        nodeId: String
    let before: String?
    let rowCount: Int
    init(_ r: DestructionRecord) {
        id = r.id; requestId = r.requestId; datasetId = r.datasetId; entryCode = r.entryCode; providerId = r.providerId
        scope = r.scope.rawValue; basis = r.basis; requestedBy = r.requestedBy; approvedBy = r.approvedBy
        executedBy = r.executedBy; sm3 = r.sm3; executedAt = r.executedAt; nodeId = r.nodeId; before = r.before
        rowCount = r.rowCount
    }
    enum CodingKeys: String, CodingKey {
        case id, scope, basis, sm3, before
        case requestId = "request_id", datasetId = "dataset_id", entryCode = "entry_code", providerId = "provider_id"
        case requestedBy = "requested_by", approvedBy = "approved_by", executedBy = "executed_by", executedAt = "executed_at"
        case nodeId = "node_id", rowCount = "row_count"
    }
}

struct DestructionListDTO: Encodable, Sendable {
    let requests: [DestructionRequestDTO]
    let records: [DestructionRecordDTO]
}

struct DestructionRequestBody: Decodable, Sendable {
    var entryCode, scope, before, basis: String?
    enum CodingKeys: String, CodingKey { case scope, before, basis; case entryCode = "entry_code" }
}

struct DestructionDecisionBody: Decodable, Sendable { var note: String? }

/// Destruction requests, their approval and execution, and the records (Art. 27).
struct DestructionsController {
    let platform: Platform
    var service: DestructionService { platform.destructions }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("destructions", use: list)
        group.post("destructions", use: request)
        group.post("destructions/{id}/approve", use: approve)
        group.post("destructions/{id}/reject", use: reject)
        group.post("destructions/{id}/execute", use: execute)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<DestructionListDTO> {
        let (requests, records) = try await service.list(by: try context.requirePrincipal())
        return JSONResponse(
            DestructionListDTO(requests: requests.map(DestructionRequestDTO.init), records: records.map(DestructionRecordDTO.init)))
    }

    @Sendable func request(request: Request, context: AppRequestContext) async throws -> JSONResponse<DestructionRequestDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(DestructionRequestBody.self, from: request, context: context)
        let created = try await service.request(
            .init(entryCode: b.entryCode, scope: b.scope, before: b.before, basis: b.basis), by: actor, origin: context.origin)
        return JSONResponse(DestructionRequestDTO(created), status: .created)
    }

    @Sendable func approve(request: Request, context: AppRequestContext) async throws -> JSONResponse<DestructionRequestDTO> {
        try await decide(request, context, approve: true)
    }

    @Sendable func reject(request: Request, context: AppRequestContext) async throws -> JSONResponse<DestructionRequestDTO> {
        try await decide(request, context, approve: false)
    }

    func decide(_ request: Request, _ context: AppRequestContext, approve: Bool) async throws -> JSONResponse<DestructionRequestDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(DestructionDecisionBody.self, from: request, context: context)
        let decided = try await service.decide(
            id: try context.parameters.require("id"), approve: approve, note: b.note, by: actor, origin: context.origin)
        return JSONResponse(DestructionRequestDTO(decided))
    }

    @Sendable func execute(request: Request, context: AppRequestContext) async throws -> JSONResponse<DestructionRecordDTO> {
        let actor = try context.requirePrincipal()
        let record = try await service.execute(id: try context.parameters.require("id"), by: actor, origin: context.origin)
        return JSONResponse(DestructionRecordDTO(record), status: .created)
    }
}

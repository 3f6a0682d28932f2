import GovShareCore
import Hummingbird

struct BusinessSystemRequest: Codable, Sendable {
    var name: String?
    var plannedEntries: [String]?
    enum CodingKeys: String, CodingKey { case name; case plannedEntries = "planned_entries" }
}

struct BusinessSystemDTO: Codable, Sendable {
    let id, name, departmentId, status: String
    let plannedEntries: [String]
    let createdAt, updatedAt: String
    /// On registration: published entries like this system's, to share instead of collecting again (Art. 13).
    let similarEntries: [SimilarEntryDTO]?

    init(_ s: BusinessSystem, codes: [String], similar: [SimilarEntryDTO]? = nil) {
        id = s.id; name = s.name; departmentId = s.departmentId; status = s.status.rawValue; plannedEntries = codes
        createdAt = s.createdAt; updatedAt = s.updatedAt; similarEntries = similar
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status
        case departmentId = "department_id", plannedEntries = "planned_entries", createdAt = "created_at"
        case updatedAt = "updated_at", similarEntries = "similar_entries"
    }
}

/// Business-system projects and their catalog gates (Art. 11).
struct BusinessSystemsController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("business-systems", use: create)
        group.get("business-systems/{id}", use: show)
        group.put("business-systems/{id}/planned-entries", use: plan)
        group.post("business-systems/{id}/approve") { request, context in try await advance(request, context, .approved) }
        group.post("business-systems/{id}/accept") { request, context in try await advance(request, context, .accepted) }
    }

    func dto(_ system: BusinessSystem, similar: [SimilarEntryDTO]? = nil) async throws -> BusinessSystemDTO {
        BusinessSystemDTO(system, codes: try await platform.businessSystems.plannedCodes(of: system), similar: similar)
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<BusinessSystemDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(BusinessSystemRequest.self, from: request, context: context)
        let system = try await platform.businessSystems.register(
            name: body.name, plannedEntryCodes: body.plannedEntries ?? [],
            by: actor, origin: context.origin)
        let similar = try await platform.businessSystems.similarEntries(to: system).map {
            SimilarEntryDTO(score: $0.score, entry: CatalogDocumentDTO($0.document))
        }
        return JSONResponse(try await dto(system, similar: similar), status: .created)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<BusinessSystemDTO> {
        let system = try await platform.businessSystems.system(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(try await dto(system))
    }

    @Sendable func plan(request: Request, context: AppRequestContext) async throws -> JSONResponse<BusinessSystemDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(BusinessSystemRequest.self, from: request, context: context)
        let system = try await platform.businessSystems.plan(
            systemId: try context.parameters.require("id"),
            entryCodes: body.plannedEntries ?? [], by: actor, origin: context.origin)
        return JSONResponse(try await dto(system))
    }

    func advance(_ request: Request, _ context: AppRequestContext, _ status: BusinessSystem.Status) async throws -> JSONResponse<
        BusinessSystemDTO
    > {
        let actor = try context.requirePrincipal()
        let system = try await platform.businessSystems.advance(
            systemId: try context.parameters.require("id"), to: status,
            by: actor, origin: context.origin)
        return JSONResponse(try await dto(system))
    }
}

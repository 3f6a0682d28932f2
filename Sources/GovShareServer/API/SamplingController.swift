import Foundation
import GovShareCore
import Hummingbird

struct SamplingPlanDTO: Encodable, Sendable {
    struct Object: Encodable, Sendable {
        let id, departmentId, label: String
        enum CodingKeys: String, CodingKey { case id, label; case departmentId = "department_id" }
    }
    struct Inspection: Encodable, Sendable {
        let objectId, note, inspector, inspectedAt: String
        let ok: Bool
        let findingId: String?
        enum CodingKeys: String, CodingKey {
            case ok, note, inspector
            case objectId = "object_id", inspectedAt = "inspected_at", findingId = "finding_id"
        }
    }
    let id, name, population, seed, headHash, createdBy, createdAt: String
    let departmentId, drawnAt: String?
    let size: Int
    let headSeq: Int64
    let populationCount: Int?
    let sample: [Object]?
    let inspections: [Inspection]?

    init(_ p: SamplingPlan, inspections: [SamplingInspection]? = nil) {
        id = p.id; name = p.name; population = p.population.rawValue; seed = p.seedHex; headHash = p.headHash; createdBy = p.createdBy
        createdAt = p.createdAt; departmentId = p.departmentFilter; drawnAt = p.drawnAt; size = p.size; headSeq = p.headSeq
        populationCount = inspections == nil ? nil : p.populationObjects.count
        sample = inspections == nil ? nil : p.sample.map { Object(id: $0.id, departmentId: $0.departmentId, label: $0.label) }
        self.inspections = inspections?.map {
            Inspection(
                objectId: $0.objectId, note: $0.note, inspector: $0.inspectorName, inspectedAt: $0.inspectedAt, ok: $0.ok,
                findingId: $0.findingId)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, population, seed, size, sample, inspections
        case headHash = "head_hash", createdBy = "created_by", createdAt = "created_at", departmentId = "department_id"
        case drawnAt = "drawn_at", headSeq = "head_seq", populationCount = "population_count"
    }
}

struct SamplingPlanListDTO: Encodable, Sendable { let plans: [SamplingPlanDTO] }

struct SamplingVerificationDTO: Encodable, Sendable {
    let planId: String
    let valid: Bool
    let reasons: [String]
    enum CodingKeys: String, CodingKey { case valid, reasons; case planId = "plan_id" }
}

struct SamplingPlanRequest: Decodable, Sendable {
    var name, population, departmentCode: String?
    var size: Int?
    enum CodingKeys: String, CodingKey { case name, population, size; case departmentCode = "department_code" }
}

struct SamplingInspectionRequest: Decodable, Sendable {
    var objectId: String?
    var ok: Bool?
    var note: String?
    enum CodingKeys: String, CodingKey { case ok, note; case objectId = "object_id" }
}

/// Random sampling (随机抽查, Art. 30): plans with their seed, the draw, inspections, verification.
struct SamplingController {
    let platform: Platform
    var service: SupervisionService { platform.supervision }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("supervision/samples", use: list)
        group.post("supervision/samples", use: create)
        group.get("supervision/samples/{id}", use: plan)
        group.post("supervision/samples/{id}/draw", use: draw)
        group.post("supervision/samples/{id}/inspections", use: inspect)
        group.get("supervision/samples/{id}/verify", use: verify)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingPlanListDTO> {
        JSONResponse(SamplingPlanListDTO(plans: try await service.plans(by: try context.requirePrincipal()).map { SamplingPlanDTO($0) }))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingPlanDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(SamplingPlanRequest.self, from: request, context: context)
        let plan = try await service.createPlan(
            .init(name: b.name, population: b.population, departmentCode: b.departmentCode, size: b.size), by: actor, origin: context.origin
        )
        return JSONResponse(SamplingPlanDTO(plan), status: .created)
    }

    @Sendable func plan(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingPlanDTO> {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        let plan = try await service.plan(id: id, by: actor)
        return JSONResponse(SamplingPlanDTO(plan, inspections: try await service.inspections(planId: id, by: actor)))
    }

    @Sendable func draw(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingPlanDTO> {
        let plan = try await service.draw(
            planId: try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(SamplingPlanDTO(plan, inspections: []))
    }

    @Sendable func inspect(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingPlanDTO> {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        let b = try await JSONBody.decode(SamplingInspectionRequest.self, from: request, context: context)
        _ = try await service.inspect(planId: id, objectId: b.objectId, ok: b.ok ?? true, note: b.note, by: actor, origin: context.origin)
        let plan = try await service.plan(id: id, by: actor)
        return JSONResponse(SamplingPlanDTO(plan, inspections: try await service.inspections(planId: id, by: actor)), status: .created)
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<SamplingVerificationDTO> {
        let v = try await service.verify(planId: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(SamplingVerificationDTO(planId: v.planId, valid: v.valid, reasons: v.reasons.map { $0.text(context.language) }))
    }
}

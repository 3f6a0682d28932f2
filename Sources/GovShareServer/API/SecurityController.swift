import Foundation
import GovShareCore
import Hummingbird

/// Security operations (Art. 27): incidents with their handling log and closure, emergency plans with versions, drills
/// with follow-ups. Every rule and scope is `SecurityOperationsService`'s.
struct SecurityController {
    let platform: Platform
    var service: SecurityOperationsService { platform.security }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("security/incidents", use: incidents)
        group.post("security/incidents", use: report)
        group.get("security/incidents/{id}", use: incident)
        group.post("security/incidents/{id}/log", use: log)
        group.post("security/incidents/{id}/close", use: close)
        group.get("security/plans", use: plans)
        group.post("security/plans", use: createPlan)
        group.get("security/plans/{id}", use: plan)
        group.post("security/plans/{id}/versions", use: revisePlan)
        group.get("security/drills", use: drills)
        group.post("security/drills", use: recordDrill)
        group.get("security/drills/due", use: drillsDue)
        group.get("security/drills/{id}", use: drill)
        group.post("security/drills/{id}/follow-ups", use: addFollowUp)
        group.post("security/drills/{id}/follow-ups/{followUpId}/done", use: completeFollowUp)
    }

    // MARK: - Incidents

    @Sendable func incidents(request: Request, context: AppRequestContext) async throws -> JSONResponse<[IncidentDTO]> {
        let actor = try context.requirePrincipal()
        let open = request.uri.queryParameters["open"] == "true"
        let now = platform.clock.now()
        return JSONResponse(try await service.incidents(openOnly: open, by: actor).map { IncidentDTO($0, now: now) })
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> JSONResponse<IncidentDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(IncidentReportRequest.self, from: request, context: context)
        let incident = try await service.report(
            .init(
                departmentId: b.departmentId, level: b.level, title: b.title, description: b.description,
                occurredAt: try SealsController.time(b.occurredAt, field: "occurred_at"), affectedEntries: b.affectedEntries,
                affectedDepartments: b.affectedDepartments),
            by: actor, origin: context.origin)
        return JSONResponse(IncidentDTO(incident, now: platform.clock.now()), status: .created)
    }

    @Sendable func incident(request: Request, context: AppRequestContext) async throws -> JSONResponse<IncidentDTO> {
        let actor = try context.requirePrincipal()
        let found = try await service.incident(id: try context.parameters.require("id"), by: actor)
        return JSONResponse(IncidentDTO(found.incident, now: platform.clock.now(), log: found.log))
    }

    @Sendable func log(request: Request, context: AppRequestContext) async throws -> JSONResponse<IncidentLogEntryDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(IncidentLogRequest.self, from: request, context: context)
        let entry = try await service.addLogEntry(
            incidentId: try context.parameters.require("id"), .init(note: b.note, status: b.status), by: actor, origin: context.origin)
        return JSONResponse(IncidentLogEntryDTO(entry), status: .created)
    }

    @Sendable func close(request: Request, context: AppRequestContext) async throws -> JSONResponse<IncidentDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(IncidentCloseRequest.self, from: request, context: context)
        let incident = try await service.close(
            incidentId: try context.parameters.require("id"), .init(cause: b.cause, impact: b.impact, measures: b.measures), by: actor,
            origin: context.origin)
        return JSONResponse(IncidentDTO(incident, now: platform.clock.now()))
    }

    // MARK: - Plans

    @Sendable func plans(request: Request, context: AppRequestContext) async throws -> JSONResponse<[PlanDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await service.plans(by: actor).map { PlanDTO($0) })
    }

    @Sendable func plan(request: Request, context: AppRequestContext) async throws -> JSONResponse<PlanDTO> {
        let actor = try context.requirePrincipal()
        let found = try await service.plan(id: try context.parameters.require("id"), by: actor)
        return JSONResponse(PlanDTO(found.plan, versions: found.versions))
    }

    @Sendable func createPlan(request: Request, context: AppRequestContext) async throws -> JSONResponse<PlanDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(PlanRequest.self, from: request, context: context)
        return JSONResponse(PlanDTO(try await service.createPlan(b.input, by: actor, origin: context.origin)), status: .created)
    }

    @Sendable func revisePlan(request: Request, context: AppRequestContext) async throws -> JSONResponse<PlanVersionDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(PlanRequest.self, from: request, context: context)
        let version = try await service.revisePlan(id: try context.parameters.require("id"), b.input, by: actor, origin: context.origin)
        return JSONResponse(PlanVersionDTO(version), status: .created)
    }

    // MARK: - Drills

    @Sendable func drills(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DrillDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await service.drills(by: actor).map(DrillDTO.init))
    }

    @Sendable func drillsDue(request: Request, context: AppRequestContext) async throws -> JSONResponse<[DrillDueDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await service.drillsDue(by: actor).map(DrillDueDTO.init))
    }

    @Sendable func drill(request: Request, context: AppRequestContext) async throws -> JSONResponse<DrillDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(DrillDTO(try await service.drill(id: try context.parameters.require("id"), by: actor)))
    }

    @Sendable func recordDrill(request: Request, context: AppRequestContext) async throws -> JSONResponse<DrillDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(DrillRequest.self, from: request, context: context)
        let drill = try await service.recordDrill(
            .init(
                departmentId: b.departmentId, heldOn: b.heldOn, scenario: b.scenario, planId: b.planId, planVersion: b.planVersion,
                participants: b.participants, findings: b.findings,
                followUps: b.followUps?.map { .init(description: $0.description, owner: $0.owner) }),
            by: actor, origin: context.origin)
        return JSONResponse(DrillDTO(drill), status: .created)
    }

    @Sendable func addFollowUp(request: Request, context: AppRequestContext) async throws -> JSONResponse<FollowUpDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(FollowUpRequest.self, from: request, context: context)
        let f = try await service.addFollowUp(
            drillId: try context.parameters.require("id"), .init(description: b.description, owner: b.owner), by: actor,
            origin: context.origin)
        return JSONResponse(FollowUpDTO(f), status: .created)
    }

    @Sendable func completeFollowUp(request: Request, context: AppRequestContext) async throws -> JSONResponse<DrillDTO> {
        let actor = try context.requirePrincipal()
        let drill = try await service.completeFollowUp(
            drillId: try context.parameters.require("id"), followUpId: try context.parameters.require("followUpId"), by: actor,
            origin: context.origin)
        return JSONResponse(DrillDTO(drill))
    }
}

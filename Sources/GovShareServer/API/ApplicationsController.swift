import Foundation
import GovShareCore
import Hummingbird

/// Conditional-sharing applications (Art. 19): apply, joint review, information requests, statistics, the sweep.
struct ApplicationsController {
    let platform: Platform
    var service: ApplicationService { platform.applications }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("applications", use: apply)
        group.get("applications", use: list)
        group.get("applications/statistics", use: statistics)
        group.post("applications/sweep", use: sweep)
        group.get("applications/{id}", use: show)
        group.get("applications/{id}/decision-letter", use: decisionLetter)
        group.post("applications/{id}/review", use: review)
        group.post("applications/{id}/request-info", use: requestInfo)
        group.post("applications/{id}/respond", use: respond)
        group.post("applications/{id}/withdraw", use: withdraw)
    }

    func dto(_ a: ShareApplication, language: Language) async throws -> ApplicationDTO {
        let deadline = try await service.deadline(of: a)
        let today = CivilDate(instant: platform.clock.now())
        var silence: CivilDate?
        if let deadline, a.status.isOpen { silence = try await service.silencePoint(of: deadline) }
        return ApplicationDTO(
            application: a, dueOn: deadline?.dueOn.description, silenceOn: silence?.description,
            provisional: deadline?.provisional ?? false,
            overdue: deadline.map { a.isOverdue($0, on: today) } ?? false, statusName: a.status.name.text(language))
    }

    @Sendable func apply(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ApplicationRequest.self, from: request, context: context)
        let (a, _) = try await service.apply(
            .init(
                entryCode: b.entryCode, items: b.items ?? [], purpose: b.purpose, business: b.business,
                basis: b.basis, users: b.users ?? [], contact: b.contact, dataManager: b.dataManager,
                shareMethod: b.shareMethod, validUntil: b.validUntil,
                clearNeeds: (b.clearItems ?? []).map { ClearNeed(item: $0.item ?? "", reason: $0.reason ?? "") }),
            by: actor, origin: context.origin)
        return JSONResponse(try await dto(a, language: context.language), status: .created)
    }

    /// `scope=review` is the reviewer's queue (overdue first, then by due date); otherwise the department's own.
    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ApplicationDTO]> {
        let actor = try context.requirePrincipal()
        var result: [ApplicationDTO] = []
        if request.uri.queryParameters["scope"] == "review" {
            for (a, _) in try await service.queue(for: actor) { result.append(try await dto(a, language: context.language)) }
        } else {
            for a in try await service.applications(of: actor) { result.append(try await dto(a, language: context.language)) }
        }
        return JSONResponse(result)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(
            try await dto(try await service.load(id: try context.parameters.require("id"), for: actor), language: context.language))
    }

    /// The reply letter as signed with the data authority's seal (Art. 24): the exact bytes and the signature.
    @Sendable func decisionLetter(request: Request, context: AppRequestContext) async throws -> JSONResponse<OfficialDocumentDTO> {
        let letter = try await service.decisionLetter(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(OfficialDocumentDTO(letter))
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(ApplicationReviewRequest.self, from: request, context: context)
        let refusals = (b.refusals ?? []).map { Refusal(item: $0.item ?? "", reason: $0.reason, basis: $0.basis) }
        let a = try await service.review(
            id: try context.parameters.require("id"),
            decision: .init(
                approvedItems: b.approvedItems ?? [], refusals: refusals, conditions: b.conditions,
                validUntil: b.validUntil, overruleProvider: b.overruleProvider ?? false,
                clearItems: b.clearItems ?? []),
            by: actor, origin: context.origin)
        return JSONResponse(try await dto(a, language: context.language))
    }

    @Sendable func requestInfo(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(QuestionRequest.self, from: request, context: context)
        let a = try await service.requestInfo(
            id: try context.parameters.require("id"), question: b.question, by: actor, origin: context.origin)
        return JSONResponse(try await dto(a, language: context.language))
    }

    @Sendable func respond(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(AnswerRequest.self, from: request, context: context)
        let a = try await service.respond(id: try context.parameters.require("id"), answer: b.answer, by: actor, origin: context.origin)
        return JSONResponse(try await dto(a, language: context.language))
    }

    /// Per provider department: received, answered on time, late, average working days (the authority supervises).
    @Sendable func statistics(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ReplyStatistics]> {
        _ = try context.require(.readDirectory)
        return JSONResponse(try await service.statistics())
    }

    /// Sends due reminders and escalates overdue applications now (the server also does it every 30 s).
    @Sendable func sweep(request: Request, context: AppRequestContext) async throws -> JSONResponse<[String: Int]> {
        let actor = try context.require(.manageCalendar)
        let (reminded, escalated) = try await service.sweep(by: actor, origin: context.origin)
        return JSONResponse(["reminded": reminded, "escalated": escalated])
    }
}

extension ApplicationsController {
    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> JSONResponse<ApplicationDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ReasonRequest.self, from: request, context: context)
        let a = try await service.withdraw(id: try context.parameters.require("id"), reason: body.reason, by: actor, origin: context.origin)
        return JSONResponse(try await dto(a, language: context.language))
    }
}

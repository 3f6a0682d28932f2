import Foundation
import GovShareCore
import Hummingbird

/// Objections to shared data (Art. 21) and their handling, through ObjectionService.
struct ObjectionsController {
    let platform: Platform
    var service: ObjectionService { platform.objections }
    var today: CivilDate { CivilDate(instant: platform.clock.now()) }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("objections", use: list)
        group.get("objections/queue", use: queue)
        group.get("objections/statistics", use: statistics)
        group.post("objections", use: raise)
        group.get("objections/{id}", use: show)
        group.post("objections/{id}/answer", use: answer)
        group.post("objections/{id}/correction", use: correct)
        group.post("objections/{id}/accept", use: accept)
        group.post("objections/{id}/dispute", use: dispute)
        group.post("objections/{id}/withdraw", use: withdraw)
        group.post("objections/{id}/ruling", use: rule)
        group.post("objections/{id}/attachments", use: attach)
        group.get("objections/{id}/attachments/{attachment}", use: download)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ObjectionDTO]> {
        let actor = try context.requirePrincipal()
        let day = today
        return JSONResponse(try await service.list(by: actor).map { ObjectionDTO($0, today: day) })
    }

    @Sendable func queue(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ObjectionDTO]> {
        let actor = try context.requirePrincipal()
        let day = today
        return JSONResponse(try await service.queue(by: actor).map { ObjectionDTO($0, today: day) })
    }

    @Sendable func statistics(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionStatisticsDTO> {
        JSONResponse(ObjectionStatisticsDTO(providers: try await service.statistics(by: try context.requirePrincipal())))
    }

    @Sendable func raise(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        try Policy.raiseObjection.check(actor)
        let body = try await JSONBody.decode(RaiseObjectionBody.self, from: request, context: context)
        let o = try await service.raise(
            .init(
                datasetCode: body.dataset, kind: body.kind, item: body.item, description: body.description,
                records: (body.records ?? []).map { .init(key: $0.key?.text, token: $0.token, proposedValue: $0.proposedValue) }),
            by: actor, origin: context.origin)
        return JSONResponse(ObjectionDTO(o, today: today), status: .created)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(ObjectionDTO(try await service.find(id: try context.parameters.require("id"), by: actor), today: today))
    }

    @Sendable func answer(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        try Policy.answerObjection.check(actor)
        let body = try await JSONBody.decode(AnswerObjectionBody.self, from: request, context: context)
        let o = try await service.answer(
            id: try context.parameters.require("id"),
            decisions: (body.decisions ?? []).map { .init(key: $0.key?.text, confirm: $0.confirm, reason: $0.reason) }, note: body.note,
            by: actor, origin: context.origin)
        return JSONResponse(ObjectionDTO(o, today: today))
    }

    @Sendable func correct(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionCorrectionDTO> {
        let actor = try context.requirePrincipal()
        try Policy.answerObjection.check(actor)
        let body = try await JSONBody.decode(CorrectionBody.self, from: request, context: context, limit: ParserLimits.rowsBodyBytes)
        let rows = (body.rows ?? []).enumerated().map { i, row in (row: i + 1, values: row.mapValues(\.text)) }
        let outcome = try await service.correct(id: try context.parameters.require("id"), rows: rows, by: actor, origin: context.origin)
        return JSONResponse(
            ObjectionCorrectionDTO(
                objection: ObjectionDTO(outcome.objection, today: today),
                batch: BatchDTO(outcome.batch, replayed: false, problems: [], language: context.language),
                notifiedReaders: outcome.notifiedReaders),
            status: .created)
    }

    @Sendable func accept(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(
            ObjectionDTO(
                try await service.accept(id: try context.parameters.require("id"), by: actor, origin: context.origin), today: today))
    }

    @Sendable func dispute(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        try Policy.raiseObjection.check(actor)
        let body = try await JSONBody.decode(DisputeBody.self, from: request, context: context)
        let o = try await service.dispute(id: try context.parameters.require("id"), reason: body.reason, by: actor, origin: context.origin)
        return JSONResponse(ObjectionDTO(o, today: today))
    }

    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(
            ObjectionDTO(
                try await service.withdraw(id: try context.parameters.require("id"), by: actor, origin: context.origin), today: today))
    }

    @Sendable func rule(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionDTO> {
        let actor = try context.requirePrincipal()
        try Impartiality.checkEntry(actor, .ruleObjection)
        let body = try await JSONBody.decode(RulingBody.self, from: request, context: context)
        let o = try await service.rule(
            id: try context.parameters.require("id"), upheld: body.upheld, ruling: body.ruling, by: actor, origin: context.origin)
        return JSONResponse(ObjectionDTO(o, today: today))
    }

    /// The body is the file itself; `file_name` names it and Content-Type gives its type.
    @Sendable func attach(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObjectionAttachmentDTO> {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        // Authorised before the file is read.
        try await service.authorizeAttachment(id: id, by: actor)
        let bytes = Array(try await request.body.collect(upTo: service.maxAttachmentBytes + 1).readableBytesView)
        let attachment = try await service.attach(
            id: id, fileName: request.uri.queryParameters["file_name"].map(String.init), mediaType: request.headers[.contentType],
            bytes: bytes, by: actor, origin: context.origin)
        return JSONResponse(ObjectionAttachmentDTO(attachment), status: .created)
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let (a, bytes) = try await service.attachment(
            id: try context.parameters.require("id"), attachmentId: try context.parameters.require("attachment"), by: actor)
        return FileResponse.attachment(name: a.fileName, contentType: a.mediaType, sha256: a.sha256, bytes: bytes)
    }
}

import GovShareCore
import Hummingbird

/// The catalog: compile, submit, review, publish, withdraw, versions and diffs (Art. 8–11, 17–18).
struct CatalogController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("catalog/entries", use: create)
        group.get("catalog/entries/{id}", use: show)
        group.put("catalog/entries/{id}", use: update)
        group.post("catalog/entries/{id}/submit", use: submit)
        group.post("catalog/entries/{id}/review", use: review)
        group.post("catalog/entries/{id}/withdraw", use: withdraw)
        group.get("catalog/entries/{id}/versions", use: versions)
        group.get("catalog/entries/{id}/diff", use: diff)
        group.get("catalog/review-queue", use: reviewQueue)
    }

    var service: CatalogService { platform.catalog }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(NewEntryRequest.self, from: request, context: context)
        guard let content = body.content else {
            _ = try await service.authorizeCreate(providerCode: body.providerCode, by: actor)  // 403 before 422
            throw DomainError.invalid(field: "content", rule: "required", zh: "content 为必填项", en: "content is required")
        }
        let (entry, version) = try await service.createDraft(content, providerCode: body.providerCode, by: actor, origin: context.origin)
        return JSONResponse(CatalogEntryDTO(entry, version: version), status: .created)
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let view = try await service.entry(try context.parameters.require("id"), for: try context.requirePrincipal())
        return JSONResponse(CatalogEntryDTO(view.entry, version: view.version, sources: view.authoritativeSources))
    }

    @Sendable func update(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(NewEntryRequest.self, from: request, context: context)
        guard let content = body.content else {
            try await service.authorizeEdit(entryId: try context.parameters.require("id"), by: actor)  // 403 before 422
            throw DomainError.invalid(field: "content", rule: "required", zh: "content 为必填项", en: "content is required")
        }
        let (entry, version) = try await service.updateDraft(
            entryId: try context.parameters.require("id"), content: content,
            by: actor, origin: context.origin)
        return JSONResponse(CatalogEntryDTO(entry, version: version))
    }

    @Sendable func submit(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let actor = try context.requirePrincipal()
        let (entry, version) = try await service.submit(entryId: try context.parameters.require("id"), by: actor, origin: context.origin)
        return JSONResponse(CatalogEntryDTO(entry, version: version))
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ReviewRequest.self, from: request, context: context)
        guard let decision = body.decision.flatMap(CatalogService.Decision.init(rawValue:)) else {
            try await service.authorizeReview(entryId: try context.parameters.require("id"), by: actor)  // 403 before 422
            throw DomainError.invalid(
                field: "decision", rule: "enum", zh: "decision 应为 publish 或 return", en: "decision must be publish or return")
        }
        let (entry, version) = try await service.review(
            entryId: try context.parameters.require("id"), decision: decision,
            reason: body.reason, by: actor, origin: context.origin)
        return JSONResponse(CatalogEntryDTO(entry, version: version))
    }

    @Sendable func withdraw(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogEntryDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ReviewRequest.self, from: request, context: context)
        let (entry, version) = try await service.withdraw(
            entryId: try context.parameters.require("id"), reason: body.reason,
            by: actor, origin: context.origin)
        return JSONResponse(CatalogEntryDTO(entry, version: version))
    }

    @Sendable func versions(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<CatalogVersionDTO>> {
        let (_, visible) = try await service.versions(of: try context.parameters.require("id"), for: try context.requirePrincipal())
        return JSONResponse(ListDTO(items: visible.map(CatalogVersionDTO.init)))
    }

    @Sendable func diff(request: Request, context: AppRequestContext) async throws -> JSONResponse<DiffDTO> {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        _ = try await service.entry(id, for: actor)  // not found before the parameters are judged, as before
        let query = request.uri.queryParameters
        var v = Validator()
        let from = query["from"].flatMap { Int(String($0)) }
        let to = query["to"].flatMap { Int(String($0)) }
        if from == nil { v.fail("from", "integer", zh: "from 应为版本号", en: "from must be a version number") }
        if to == nil { v.fail("to", "integer", zh: "to 应为版本号", en: "to must be a version number") }
        try v.check()
        let (a, b, changes) = try await service.diff(of: id, from: from!, to: to!, for: actor)
        return JSONResponse(DiffDTO(from: a.version, to: b.version, changes: changes))
    }

    @Sendable func reviewQueue(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<CatalogEntryDTO>> {
        let queue = try await service.reviewQueue(for: try context.requirePrincipal())
        return JSONResponse(ListDTO(items: queue.map { CatalogEntryDTO($0.entry, version: $0.version) }))
    }
}

import Foundation
import GovShareCore
import Hummingbird

struct DuplicateCheckRequest: Codable, Sendable {
    var name: String?
    var itemNames: [String]?
    enum CodingKeys: String, CodingKey { case name; case itemNames = "item_names" }
}

struct SimilarEntryDTO: Codable, Sendable {
    let score: Double
    let entry: CatalogDocumentDTO
}

/// The province-wide catalog: search with facets, duplicate-collection check (Art. 13), update obligations (Art. 9).
struct CatalogSearchController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("catalog/search", use: search)
        group.post("catalog/duplicates", use: duplicates)
        group.get("catalog/obligations", use: obligations)
        group.post("catalog/obligations", use: recordObligation)
        group.post("catalog/obligations/sweep", use: sweepObligations)
        group.post("catalog/obligations/{id}/link", use: linkObligation)
    }

    @Sendable func search(request: Request, context: AppRequestContext) async throws -> JSONResponse<CatalogSearchDTO> {
        let actor = try context.requirePrincipal()
        let query = try await Self.query(from: request.uri.queryParameters, platform: platform, actor: actor)
        let result = try await platform.catalog.search(query, for: actor)
        return JSONResponse(
            CatalogSearchDTO(total: result.total, items: result.documents.map(CatalogDocumentDTO.init), facets: result.facets))
    }

    static func query(from p: Parameters, platform: Platform, actor: Principal) async throws -> CatalogQuery {
        var v = Validator()
        var query = CatalogQuery()
        query.text = p["q"].map(String.init) ?? ""
        if let kind = p["kind"].map(String.init) {
            query.kind = CatalogKind(rawValue: kind)
            if query.kind == nil {
                v.fail("kind", "enum", zh: "kind 应为 base、thematic 或 department", en: "kind must be base, thematic or department")
            }
        }
        if let share = p["share_type"].map(String.init) {
            query.shareType = ShareType(rawValue: share)
            if query.shareType == nil {
                v.fail(
                    "share_type", "enum", zh: "share_type 应为 unconditional、conditional 或 not_shared",
                    en: "share_type must be unconditional, conditional or not_shared")
            }
        }
        query.regionCode = p["region_code"].map(String.init)
        query.classificationPrefix = p["classification"].map(String.init)
        if let rows = p["rows"].map(String.init) {
            if let n = Int(rows), (0...1000).contains(n) {
                query.rows = n
            } else {
                v.fail("rows", "range", zh: "rows 应为 0–1000", en: "rows must be 0 to 1000")
            }
        }
        if let start = p["start"].map(String.init) {
            if let n = Int(start), n >= 0 {
                query.start = n
            } else {
                v.fail("start", "range", zh: "start 应为非负整数", en: "start must be 0 or more")
            }
        }
        if let sort = p["sort"].map(String.init) {
            if let s = CatalogQuery.Sort(rawValue: sort) {
                query.sort = s
            } else {
                v.fail("sort", "enum", zh: "sort 应为 relevance、published_at 或 name", en: "sort must be relevance, published_at or name")
            }
        }
        try v.check()
        if let code = p["provider_code"].map(String.init) {
            query.providerId = try await platform.directory.requireDepartment(code: code, field: "provider_code", by: actor).id
        }
        return query
    }

    /// Existing published entries like a planned one, so departments share instead of collecting again.
    @Sendable func duplicates(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<SimilarEntryDTO>> {
        _ = try context.require(.readDirectory)
        let body = try await JSONBody.decode(DuplicateCheckRequest.self, from: request, context: context)
        var v = Validator()
        v.require(body.name, field: "name", maxLength: 200)
        try v.check()
        let similar = try await platform.catalog.similar(name: body.name!, itemNames: body.itemNames ?? [])
        return JSONResponse(ListDTO(items: similar.map { SimilarEntryDTO(score: $0.score, entry: CatalogDocumentDTO($0.document)) }))
    }

    @Sendable func obligations(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<ObligationDTO>> {
        let actor = try context.require(.readDirectory)
        let p = request.uri.queryParameters
        var departmentIds: [String]?
        if let code = p["department_code"].map(String.init) {
            departmentIds = [try await platform.directory.requireDepartment(code: code, field: "department_code", by: actor).id]
        } else if let region = p["region_code"].map(String.init) {
            departmentIds = try await platform.directory.departments(DepartmentFilter(regionCode: region), by: actor).map(\.id)
        }
        let today = CivilDate(instant: platform.clock.now())
        let overdueOnly = p["overdue"].map(String.init) == "true"
        let openOnly = overdueOnly || p["status"].map(String.init) == "open"
        let items = try await platform.obligations.list(departmentIds: departmentIds, openOnly: openOnly)
            .map { ObligationDTO($0, today: today) }.filter { !overdueOnly || $0.overdue }
        return JSONResponse(ListDTO(items: items))
    }

    @Sendable func recordObligation(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObligationDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ObligationRequest.self, from: request, context: context)
        let obligation = try await platform.obligations.record(
            trigger: body.trigger, date: body.date, reference: body.reference,
            departmentCode: body.departmentCode, entryCode: body.entryCode,
            by: actor, origin: context.origin)
        return JSONResponse(ObligationDTO(obligation, today: CivilDate(instant: platform.clock.now())), status: .created)
    }

    /// Names the entry an obligation concerns; only that entry's publication meets it (Art. 9).
    @Sendable func linkObligation(request: Request, context: AppRequestContext) async throws -> JSONResponse<ObligationDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ObligationLinkRequest.self, from: request, context: context)
        let obligation = try await platform.obligations.link(
            obligationId: try context.parameters.require("id"), entryCode: body.entryCode,
            by: actor, origin: context.origin)
        return JSONResponse(ObligationDTO(obligation, today: CivilDate(instant: platform.clock.now())))
    }

    /// Sends due reminders and escalates overdue obligations now (the server also does it every 30 s).
    @Sendable func sweepObligations(request: Request, context: AppRequestContext) async throws -> JSONResponse<[String: Int]> {
        let (reminded, escalated) = try await platform.obligations.sweep(by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(["reminded": reminded, "escalated": escalated])
    }
}

import Foundation
import GovShareCore
import Hummingbird

/// The catalog in the portal: search with facet charts, entry detail with versions and diffs, the reviewer's queue,
/// update obligations.
struct PortalCatalogController {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("catalog", use: browse)
        router.get("catalog/review", use: reviewQueue)
        router.get("catalog/obligations", use: obligationList)
        router.post("catalog/obligations/{id}/link", use: linkObligation)
        router.get("catalog/{id}", use: detail)
        router.post("catalog/{id}/review", use: review)
    }

    func names(_ language: Language) async throws -> (departments: [String: Department], regions: [String: String]) {
        let departments = Dictionary(uniqueKeysWithValues: try await platform.departments.list(DepartmentFilter()).map { ($0.id, $0) })
        let regions = Dictionary(uniqueKeysWithValues: try await platform.regions.all().map { ($0.code, language == .en ? $0.nameEn : $0.nameZh) })
        return (departments, regions)
    }

    func name(_ d: Department?, _ language: Language) -> String {
        guard let d else { return "" }
        return language == .en ? (d.nameEn ?? d.nameZh) : d.nameZh
    }

    @Sendable func browse(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readDirectory)
        let language = context.language
        let w = Strings.dictionary(language)
        let p = request.uri.queryParameters
        var query = (try? await CatalogSearchController.query(from: p, platform: platform)) ?? CatalogQuery()
        query.rows = 20
        let result = try await platform.catalogRepository.search(query)
        let (departments, regions) = try await names(language)
        func link(_ key: String, _ value: String) -> String {
            var items = ["q": query.text, "kind": query.kind?.rawValue ?? "", "share_type": query.shareType?.rawValue ?? "",
                         "region_code": query.regionCode ?? ""]
            items[key] = value
            let text = items.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return "/catalog?" + text
        }
        func bars(_ column: String, key: String, label: (String) -> String) -> [[String: Any]] {
            let counts = result.facets[column] ?? []
            let top = max(counts.map(\.count).max() ?? 1, 1)
            return counts.prefix(12).map { ["label": label($0.value), "count": $0.count, "width": max(1, $0.count * 10 / top),
                                            "href": link(key, $0.value)] }
        }
        var facetGroups: [[String: Any]] = [
            ["title": w["kind"]!, "bars": bars("kind", key: "kind") { CatalogKind(rawValue: $0)?.name.text(language) ?? $0 }],
            ["title": w["share_type"]!, "bars": bars("share_type", key: "share_type") { ShareType(rawValue: $0)?.name.text(language) ?? $0 }],
            ["title": w["region"]!, "bars": bars("region_code", key: "region_code") { regions[$0] ?? $0 }],
        ]
        facetGroups.append(["title": w["provider"]!, "bars": bars("provider_id", key: "provider_id") { self.name(departments[$0], language) }
            .map { var bar = $0; bar["href"] = "#"; return bar }])
        let start = query.start
        let model: [String: Any] = [
            "q": query.text, "total": result.total, "can_create": context.principal?.roles.contains(.cataloger) == true,
            "kinds": CatalogKind.allCases.map { ["value": $0.rawValue, "label": $0.name.text(language), "selected": $0 == query.kind] as [String: Any] },
            "shares": ShareType.allCases.map { ["value": $0.rawValue, "label": $0.name.text(language), "selected": $0 == query.shareType] as [String: Any] },
            "regions": regions.sorted { $0.key < $1.key }.map { ["value": $0.key, "label": $0.value, "selected": $0.key == query.regionCode] as [String: Any] },
            "facet_groups": facetGroups,
            "results": result.documents.map { d -> [String: Any] in
                ["entry_id": d.entryId, "name": d.name, "summary": d.summary, "code": d.code,
                 "provider": name(departments[d.providerId], language), "kind": d.kind.name.text(language),
                 "share": d.shareType.name.text(language), "share_value": d.shareType.rawValue]
            },
            "prev": start > 0 ? [link("start", String(max(0, start - 20)))] : [],
            // Written so that a huge `start` from the address cannot overflow.
            "next": start < result.total - 20 ? [link("start", String(start + 20))] : [],
        ]
        return pages.render("catalog", title: w["nav_catalog"]!, model: model, context: context, path: "/catalog")
    }

    @Sendable func detail(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let id = try context.parameters.require("id")
        let (entry, version) = try await CatalogController(platform: platform).visibleVersion(id, actor: actor)
        let c = version.content
        let (departments, _) = try await names(language)
        let drafts = try await platform.catalog.canSeeDrafts(actor, entry: entry, content: version.content)
        let versions = try await platform.catalogRepository.versions(entryId: entry.id).filter { drafts || $0.publishedAt != nil }
        func basis(_ b: LegalBasis?) -> String { [b?.instrument, b?.article].compactMap { $0 }.joined(separator: " ") }
        var model: [String: Any] = [
            "entry_id": entry.id, "name": c.name ?? "", "code": entry.code, "status": version.status.name.text(language),
            "provider": name(departments[entry.providerId], language), "classification": "\(c.classificationCode ?? "") \(c.classificationPath ?? "")",
            "kind": entry.kind.name.text(language), "share": c.derivedShareType.name.text(language), "share_value": c.derivedShareType.rawValue,
            "share_method": c.shareMethod ?? "", "update_cycle": c.updateCycle ?? "", "responsible_party": c.responsibleParty ?? "",
            "legal_basis": basis(c.legalBasis), "share_conditions": c.shareConditions ?? "", "usage_requirements": c.usageRequirements ?? "",
            "summary": c.summary ?? "",
            "items": (c.items ?? []).map { item -> [String: Any] in
                let share = item.shareType.flatMap(ShareType.init(rawValue:)) ?? .unconditional
                var row: [String: Any] = ["name": item.name ?? "", "code": item.code ?? "", "type": item.dataType ?? "",
                                          "length": item.length.map(String.init) ?? "", "share": share.name.text(language),
                                          "share_value": share.rawValue, "sensitivity": item.sensitivity ?? 1,
                                          "basis": basis(item.legalBasis), "basic": item.isBasic == true]
                if let conditions = item.shareConditions, !conditions.isEmpty { row["conditions"] = conditions }
                return row
            },
            "versions": versions.map { ["version": $0.version, "status": $0.status.name.text(language),
                                        "time": $0.publishedAt ?? $0.submittedAt ?? $0.createdAt, "reason": $0.reviewReason ?? ""] as [String: Any] },
            "can_compare": versions.count > 1,
            "can_edit": drafts && actor.roles.contains(.cataloger) && version.status != .submitted,
            "from": versions.first?.version ?? 1, "to": versions.last?.version ?? 1,
        ]
        let p = request.uri.queryParameters
        if let from = p["from"].flatMap({ Int(String($0)) }), let to = p["to"].flatMap({ Int(String($0)) }),
           let a = versions.first(where: { $0.version == from }), let b = versions.first(where: { $0.version == to }) {
            model["from"] = from
            model["to"] = to
            model["diff"] = ["changes": CatalogDiff.changes(from: a.content, to: b.content).map {
                ["field": $0.field, "from": $0.from ?? "—", "to": $0.to ?? "—"]
            }]
        }
        return pages.render("catalog_entry", title: c.name ?? "", model: model, context: context, path: "/catalog/\(entry.id)")
    }

    @Sendable func reviewQueue(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderQueue(context: context, error: nil)
    }

    func renderQueue(context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.requirePrincipal()
        guard actor.roles.contains(.authorityReviewer) else { throw DomainError.forbidden(policy: "catalog.review") }
        let language = context.language
        let (departments, _) = try await names(language)
        var entries: [[String: Any]] = []
        for entry in try await platform.catalogRepository.entries(status: .submitted, providerIds: nil) {
            guard let provider = departments[entry.providerId],
                  try await platform.catalog.reviewingAuthority(for: provider)?.id == actor.departmentId,
                  let version = try await platform.catalogRepository.version(entryId: entry.id, version: entry.latestVersion) else { continue }
            entries.append(["entry_id": entry.id, "name": version.content.name ?? "", "code": entry.code, "version": version.version,
                            "provider": name(provider, language), "share": version.content.derivedShareType.name.text(language),
                            "submitted_at": version.submittedAt ?? "", "csrf": context.csrfToken])
        }
        var model: [String: Any] = ["entries": entries]
        if let error { model["error"] = error }
        return pages.render("catalog_review", title: Strings.dictionary(language)["nav_review"]!, model: model, context: context,
                            path: "/catalog/review", status: status)
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            guard let decision = form["decision"].flatMap(CatalogService.Decision.init(rawValue:)) else {
                throw DomainError.invalid(field: "decision", rule: "enum", zh: "请选择发布或退回", en: "Choose publish or return")
            }
            _ = try await platform.catalog.review(entryId: try context.parameters.require("id"), decision: decision,
                                                  reason: form["reason"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/catalog/review"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let message = error.problems.map { $0.message.text(context.language) }.joined(separator: "；")
            return try await renderQueue(context: context, error: message.isEmpty ? error.message.text(context.language) : message,
                                         status: .unprocessableContent)
        }
    }
}

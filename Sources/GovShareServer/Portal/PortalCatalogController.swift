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

    func names(_ language: Language, actor: Principal) async throws -> (departments: [String: Department], regions: [String: String]) {
        let departments = Dictionary(uniqueKeysWithValues: try await platform.directory.departments(by: actor).map { ($0.id, $0) })
        let regions = Dictionary(
            uniqueKeysWithValues: try await platform.directory.regions(by: actor)
                .map { ($0.code, language == .en ? $0.nameEn : $0.nameZh) })
        return (departments, regions)
    }

    func name(_ d: Department?, _ language: Language) -> String {
        guard let d else { return "" }
        return language == .en ? (d.nameEn ?? d.nameZh) : d.nameZh
    }

    @Sendable func browse(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let w = Strings.dictionary(language)
        let p = request.uri.queryParameters
        var query = (try? await CatalogSearchController.query(from: p, platform: platform, actor: actor)) ?? CatalogQuery()
        query.rows = 20
        let result = try await platform.catalog.search(query, for: actor)
        let (departments, regions) = try await names(language, actor: actor)
        func link(_ key: String, _ value: String) -> String {
            var items = [
                "q": query.text, "kind": query.kind?.rawValue ?? "", "share_type": query.shareType?.rawValue ?? "",
                "region_code": query.regionCode ?? "",
            ]
            items[key] = value
            let text = items.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return "/catalog?" + text
        }
        typealias Page = CatalogBrowsePage
        func bars(_ column: String, key: String, label: (String) -> String) -> [Page.Bar] {
            let counts = result.facets[column] ?? []
            let top = max(counts.map(\.count).max() ?? 1, 1)
            return counts.prefix(12).map {
                Page.Bar(
                    label: label($0.value), count: $0.count, width: max(1, $0.count * 10 / top),
                    href: link(key, $0.value))
            }
        }
        let facetGroups: [Page.FacetGroup] = [
            .init(title: w["kind"]!, bars: bars("kind", key: "kind") { CatalogKind(rawValue: $0)?.name.text(language) ?? $0 }),
            .init(
                title: w["share_type"]!, bars: bars("share_type", key: "share_type") { ShareType(rawValue: $0)?.name.text(language) ?? $0 }),
            .init(title: w["region"]!, bars: bars("region_code", key: "region_code") { regions[$0] ?? $0 }),
            .init(
                title: w["provider"]!,
                bars: bars("provider_id", key: "provider_id") { self.name(departments[$0], language) }
                    .map {
                        var bar = $0; bar.href = "#"; return bar
                    }),
        ]
        let start = query.start
        let page = Page(
            q: query.text, total: result.total, canCreate: Policy.editCatalog.allows(actor),
            kinds: CatalogKind.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language), selected: $0 == query.kind) },
            shares: ShareType.allCases.map { .init(value: $0.rawValue, label: $0.name.text(language), selected: $0 == query.shareType) },
            regions: regions.sorted { $0.key < $1.key }.map { .init(value: $0.key, label: $0.value, selected: $0.key == query.regionCode) },
            facetGroups: facetGroups,
            results: result.documents.map { d in
                .init(
                    entryId: d.entryId, name: d.name, summary: d.summary, code: d.code, provider: name(departments[d.providerId], language),
                    kind: d.kind.name.text(language), share: d.shareType.name.text(language), shareValue: d.shareType.rawValue)
            },
            prev: start > 0 ? [link("start", String(max(0, start - 20)))] : [],
            // Written so that a huge `start` from the address cannot overflow.
            next: start < result.total - 20 ? [link("start", String(start + 20))] : [])
        return pages.render(page, title: w["nav_catalog"]!, context: context, path: "/catalog")
    }

    @Sendable func detail(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let id = try context.parameters.require("id")
        let (view, versions) = try await platform.catalog.versions(of: id, for: actor)
        let (entry, version) = (view.entry, view.version)
        let c = version.content
        let (departments, _) = try await names(language, actor: actor)
        func basis(_ b: LegalBasis?) -> String { [b?.instrument, b?.article].compactMap { $0 }.joined(separator: " ") }
        var page = CatalogEntryPage(
            entryId: entry.id, name: c.name ?? "", code: entry.code, status: version.status.name.text(language),
            provider: name(departments[entry.providerId], language),
            classification: "\(c.classificationCode ?? "") \(c.classificationPath ?? "")",
            kind: entry.kind.name.text(language), share: c.derivedShareType.name.text(language), shareValue: c.derivedShareType.rawValue,
            shareMethod: c.shareMethod ?? "", updateCycle: c.updateCycle ?? "", responsibleParty: c.responsibleParty ?? "",
            legalBasis: basis(c.legalBasis), shareConditions: c.shareConditions ?? "", usageRequirements: c.usageRequirements ?? "",
            summary: c.summary ?? "",
            items: (c.items ?? []).map { item in
                let share = item.shareType.flatMap(ShareType.init(rawValue:)) ?? .unconditional
                return .init(
                    name: item.name ?? "", code: item.code ?? "", type: item.dataType ?? "", length: item.length.map(String.init) ?? "",
                    share: share.name.text(language), shareValue: share.rawValue, sensitivity: item.sensitivity ?? 1,
                    basis: basis(item.legalBasis), basic: item.isBasic == true,
                    conditions: item.shareConditions.flatMap { $0.isEmpty ? nil : $0 })
            },
            versions: versions.map {
                .init(
                    version: $0.version, status: $0.status.name.text(language),
                    time: $0.publishedAt ?? $0.submittedAt ?? $0.createdAt, reason: $0.reviewReason ?? "")
            },
            canCompare: versions.count > 1, canEdit: view.mayEdit && version.status != .submitted,
            from: versions.first?.version ?? 1, to: versions.last?.version ?? 1)
        // Art. 13: items whose authoritative source a conflict between providers settled.
        page.sources = view.authoritativeSources.map {
            .init(
                item: $0.item, source: "\($0.sourceEntryName)（\($0.sourceEntryCode)）.\($0.sourceItem)",
                how: $0.decidedHow.name.text(language), at: PortalFormat.time($0.decidedAt), caseId: $0.caseId)
        }
        page.hasSources = !page.sources.isEmpty
        page.homeNode = entry.homeNode
        let p = request.uri.queryParameters
        if let from = p["from"].flatMap({ Int(String($0)) }), let to = p["to"].flatMap({ Int(String($0)) }),
            let a = versions.first(where: { $0.version == from }), let b = versions.first(where: { $0.version == to })
        {
            page.from = from
            page.to = to
            page.diff = .init(
                changes: CatalogDiff.changes(from: a.content, to: b.content).map {
                    .init(field: $0.field, from: $0.from ?? "—", to: $0.to ?? "—")
                })
        }
        return pages.render(page, title: c.name ?? "", context: context, path: "/catalog/\(entry.id)")
    }

    @Sendable func reviewQueue(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderQueue(context: context, error: nil)
    }

    func renderQueue(context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try context.requirePrincipal()
        let queue = try await platform.catalog.reviewQueue(for: actor)
        let language = context.language
        let (departments, _) = try await names(language, actor: actor)
        let page = CatalogReviewPage(
            entries: queue.map { found in
                let (entry, version) = (found.entry, found.version)
                return .init(
                    entryId: entry.id, name: version.content.name ?? "", code: entry.code, version: version.version,
                    provider: name(departments[entry.providerId], language),
                    share: version.content.derivedShareType.name.text(language), submittedAt: version.submittedAt ?? "")
            }, error: error)
        return pages.render(page, title: Strings.text("nav_review", language), context: context, path: "/catalog/review", status: status)
    }

    @Sendable func review(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            guard let decision = form["decision"].flatMap(CatalogService.Decision.init(rawValue:)) else {
                throw DomainError.invalid(field: "decision", rule: "enum", zh: "请选择发布或退回", en: "Choose publish or return")
            }
            _ = try await platform.catalog.review(
                entryId: try context.parameters.require("id"), decision: decision,
                reason: form["reason"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/catalog/review"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let message = error.problems.map { $0.message.text(context.language) }.joined(separator: "；")
            return try await renderQueue(
                context: context, error: message.isEmpty ? error.message.text(context.language) : message,
                status: .unprocessableContent)
        }
    }
}

/// `catalog_review.mustache`: the entries awaiting the reviewer (`CatalogService.reviewQueue`), each with its form.
struct CatalogReviewPage: PortalPage {
    static let template = PageTemplate.catalogReview
    struct Entry: Encodable {
        var entryId, name, code: String
        var version: Int
        var provider, share, submittedAt: String
    }
    var entries: [Entry]
    var error: String?
}

/// `catalog.mustache`: the search form, facet bars and one page of results.
struct CatalogBrowsePage: PortalPage {
    static let template = PageTemplate.catalog
    struct Option: Encodable {
        var value, label: String
        var selected: Bool
    }
    struct Bar: Encodable {
        var label: String
        var count, width: Int
        var href: String
    }
    struct FacetGroup: Encodable {
        var title: String
        var bars: [Bar]
    }
    struct Result: Encodable { var entryId, name, summary, code, provider, kind, share, shareValue: String }
    var q: String
    var total: Int
    var canCreate: Bool
    var kinds, shares, regions: [Option]
    var facetGroups: [FacetGroup]
    var results: [Result]
    /// The previous and next page's addresses: lists of one or none.
    var prev, next: [String]
}

/// `catalog_entry.mustache`: an entry as the reader may see it, its versions, and a comparison of two.
struct CatalogEntryPage: PortalPage {
    static let template = PageTemplate.catalogEntry
    struct Item: Encodable {
        var name, code, type, length, share, shareValue: String
        var sensitivity: Int
        var basis: String
        var basic: Bool
        var conditions: String?
    }
    struct Version: Encodable {
        var version: Int
        var status, time, reason: String
    }
    struct Diff: Encodable {
        struct Change: Encodable { var field, from, to: String }
        var changes: [Change]
    }
    var entryId, name, code, status, provider, classification, kind, share, shareValue: String
    var shareMethod, updateCycle, responsibleParty, legalBasis, shareConditions, usageRequirements, summary: String
    var items: [Item]
    var versions: [Version]
    var canCompare, canEdit: Bool
    var from, to: Int
    var diff: Diff?
    struct Source: Encodable { var item, source, how, at, caseId: String }
    /// 权威来源 per item (Art. 13).
    var sources: [Source] = []
    var hasSources = false
    /// The node managing this entry when this is a read-only copy of it (issue 18).
    var homeNode: String?
}

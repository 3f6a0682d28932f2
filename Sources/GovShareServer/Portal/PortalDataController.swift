import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird

/// The shared-data pages: the list of mounted datasets (with the stale list) and a dataset's page with its items,
/// an audited preview of what the viewer may read, the subscription form, the upload form and the batch history.
struct PortalDataController {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("data", use: list)
        router.get("data/{code}", use: show)
        router.post("data/{code}/subscribe", use: subscribe)
        router.post("data/{code}/verify", use: verify)
        router.post("data/{code}/upload", use: upload)
    }

    static func slug(_ code: String) -> String { code.replacingOccurrences(of: "/", with: "-") }

    func names(_ language: Language, for viewer: Principal) async throws -> [String: String] {
        try await platform.directory.departmentNames(in: language, by: viewer)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.require(.readDirectory)
        let staleOnly = request.uri.queryParameters["stale"] != nil
        let datasets = try await platform.exchange.list(staleOnly: staleOnly)
        let departments = try await names(context.language, for: viewer)
        var rows: [DataPage.Dataset] = []
        for d in datasets {
            let name = try await platform.exchange.publishedEntry(code: d.entryId).1.name ?? d.entryCode
            rows.append(
                DataPage.Dataset(
                    slug: Self.slug(d.entryCode), code: d.entryCode, name: name, provider: departments[d.providerId] ?? "",
                    rows: d.rowCount, cycle: d.updateCycle.rawValue,
                    updated: d.lastUpdatedAt ?? Strings.dictionary(context.language)["never"]!,
                    stale: platform.exchange.isStale(d)))
        }
        let most = max(datasets.map(\.rowCount).max() ?? 1, 1)
        let bars = zip(datasets, rows).map { d, row in
            DataPage.Bar(slug: row.slug, label: row.name, count: d.rowCount, width: d.rowCount == 0 ? 0 : max(1, d.rowCount * 10 / most))
        }
        return pages.render(
            DataPage(datasets: rows, bars: bars, staleOnly: staleOnly), title: Strings.dictionary(context.language)["datasets"]!,
            context: context, path: "/data")
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request: request, context: context)
    }

    /// The dataset page; `outcome` adds what a form post did (upload report, subscription or verification result).
    func render(
        request: Request, context: AppRequestContext, status: HTTPResponse.Status = .ok,
        outcome: (inout DatasetPage) -> Void = { _ in }
    ) async throws -> Response {
        let viewer = try context.require(.readDirectory)
        let language = context.language
        let w = Strings.dictionary(language)
        let code = try context.parameters.require("code")
        let dataset = try await platform.exchange.dataset(code: code)
        let (entry, content) = try await platform.exchange.publishedEntry(code: dataset.entryId)
        let isProvider = viewer.departmentId == dataset.providerId
        let chosen = request.uri.queryParameters["purpose"].map(String.init)
        let purposes = try await platform.exchange.readPurposes(dataset, for: viewer).map { basis -> DatasetPage.Purpose in
            let (id, label) =
                switch basis {
                case .provider: ("provider", w["as_provider"]!)
                case .subscription(let s): (s.id, "\(w["subscription"]!)：\(s.purpose)")
                case .grant(let g): (g.id, "\(w["grant"]!)：\(g.purpose)（\(g.validUntil)）")
                }
            return DatasetPage.Purpose(id: id, label: label, selected: id == chosen)
        }
        let quality = try await platform.exchange.quality(of: dataset, by: viewer)
        var page = DatasetPage(
            slug: Self.slug(dataset.entryCode), code: dataset.entryCode, entryId: entry.id, name: content.name ?? "",
            provider: try await names(language, for: viewer)[dataset.providerId] ?? "", rows: dataset.rowCount,
            updated: dataset.lastUpdatedAt ?? w["never"]!, stale: platform.exchange.isStale(dataset),
            columns: dataset.columns.map { c in
                DatasetPage.Column(
                    code: c.itemCode, name: c.itemName, type: c.dataType.rawValue, share: c.shareType.name.text(language),
                    shareValue: c.shareType.rawValue, sensitivity: c.sensitivity, key: c.itemCode == dataset.primaryKey,
                    mask: MaskRule.forColumn(c).description.text(language))
            },
            verifyItems: PortalDataController.verificationItems(dataset).map { DatasetPage.Item(code: $0.itemCode, name: $0.itemName) },
            purposes: purposes, hasPurposes: !purposes.isEmpty, isProvider: isProvider && Policy.reportData.allows(viewer),
            canSubscribe: !isProvider && Policy.readData.allows(viewer),
            unconditional: dataset.columns.filter { $0.shareType == .unconditional }.map {
                DatasetPage.Item(code: $0.itemCode, name: $0.itemName)
            },
            batches: try await platform.exchange.batchCounts(of: dataset, limit: 20, by: viewer).map { b in
                DatasetPage.Batch(
                    at: b.createdAt, source: b.source.rawValue, mode: b.mode.rawValue, received: b.received,
                    accepted: b.accepted, rejected: b.rejected, deleted: b.deleted)
            },
            quality: DatasetPage.Quality(
                checked: quality.checked, failed: quality.failed,
                rules: quality.byRule.sorted { $0.key < $1.key }.map { DatasetPage.Quality.Rule(rule: $0.key, count: $0.value) }))
        // A preview is an audited read: one started from another site (a link or image on a page the viewer visits,
        // which the Lax session cookie would accompany) is not run. Browsers say where a request came from; a request
        // that does not say (an old browser, a script with a stolen cookie) is not run either.
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        if chosen != nil, site != "same-origin", site != "none" {
            page.previewError = w["preview_cross_site"]!
        } else if let chosen {
            do {
                // A reader who may object gets a token per row, so it can name rows whose keys it sees masked.
                let mayObject = !isProvider && Policy.raiseObjection.allows(viewer)
                let result = try await platform.exchange.read(
                    code: dataset.entryId, purpose: chosen, query: DatasetQuery(limit: 20),
                    by: viewer, origin: context.origin, withRowTokens: mayObject)
                page.preview = DatasetPage.Preview(
                    headers: result.columns.map {
                        DatasetPage.Preview.Header(name: $0.column.itemName, mask: $0.mask.description.text(language))
                    },
                    rows: result.rows.enumerated().map { i, row in
                        DatasetPage.Preview.Row(
                            index: i, cells: row.map { $0 ?? "" }, flagged: result.flags.indices.contains(i) ? result.flags[i] : nil,
                            token: result.rowTokens.indices.contains(i) ? result.rowTokens[i] : nil)
                    }, mayObject: mayObject, hasFlagged: result.flaggedCount > 0)
            } catch let error as DomainError {
                page.previewError = error.problems.first?.message.text(language) ?? error.message.text(language)
            }
        }
        outcome(&page)
        return pages.render(
            page, title: content.name ?? dataset.entryCode, context: context,
            path: "/data/\(Self.slug(dataset.entryCode))", status: status)
    }
}

/// `data.mustache`: the mounted datasets with their freshness, and rows per dataset as bars.
struct DataPage: PortalPage {
    static let template = PageTemplate.data
    struct Dataset: Encodable {
        var slug, code, name, provider: String
        var rows: Int
        var cycle, updated: String
        var stale: Bool
    }
    struct Bar: Encodable {
        var slug, label: String
        var count, width: Int
    }
    var datasets: [Dataset]
    var bars: [Bar]
    var staleOnly: Bool
}

/// `data_dataset.mustache`: one dataset — its items, an audited preview, identity verification, subscription,
/// upload and the batch counts — and what a form posted to it did.
struct DatasetPage: PortalPage {
    static let template = PageTemplate.dataDataset
    struct Column: Encodable {
        var code, name, type, share, shareValue: String
        var sensitivity: Int
        var key: Bool
        var mask: String
    }
    struct Item: Encodable { var code, name: String }
    struct Purpose: Encodable {
        var id, label: String
        var selected: Bool
    }
    struct Batch: Encodable {
        var at, source, mode: String
        var received, accepted, rejected, deleted: Int
    }
    struct Quality: Encodable {
        struct Rule: Encodable {
            var rule: String
            var count: Int
        }
        var checked, failed: Int
        var rules: [Rule]
    }
    struct Preview: Encodable {
        struct Header: Encodable { var name, mask: String }
        struct Row: Encodable {
            var index: Int
            var cells: [String]
            /// The objection under which the row was confirmed wrong (Art. 21), if any.
            var flagged: String?
            var token: String?
        }
        var headers: [Header]
        var rows: [Row]
        var mayObject, hasFlagged: Bool
    }
    struct RowError: Encodable { var row, item, message: String }
    struct VerifyResult: Encodable {
        var text: String
        /// The CSS class: `ok` or `warn`.
        var `class`: String
    }
    var slug, code, entryId, name, provider: String
    var rows: Int
    var updated: String
    var stale: Bool
    var columns: [Column]
    var verifyItems: [Item]
    var purposes: [Purpose]
    var hasPurposes, isProvider, canSubscribe: Bool
    var unconditional: [Item]
    var batches: [Batch]
    var quality: Quality
    var preview: Preview?
    var previewError: String?
    // What a form post did.
    var subscribeError: String?
    var uploadMessage: String?
    var uploadClass: String?
    var hasRowErrors: Bool?
    var rowErrors: [RowError]?
    var verifyResult: VerifyResult?
    var verifyError: String?
}

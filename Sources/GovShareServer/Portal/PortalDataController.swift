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

    func names(_ language: Language) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await platform.departments.list(DepartmentFilter()).map {
            ($0.id, language == .en ? ($0.nameEn ?? $0.nameZh) : $0.nameZh)
        })
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readDirectory)
        let staleOnly = request.uri.queryParameters["stale"] != nil
        let datasets = try await platform.exchange.list(staleOnly: staleOnly)
        let departments = try await names(context.language)
        var rows: [[String: Any]] = []
        for d in datasets {
            let name = try await platform.exchange.publishedEntry(code: d.entryId).1.name ?? d.entryCode
            rows.append(["slug": Self.slug(d.entryCode), "code": d.entryCode, "name": name, "provider": departments[d.providerId] ?? "",
                         "rows": d.rowCount, "cycle": d.updateCycle.rawValue, "updated": d.lastUpdatedAt ?? Strings.dictionary(context.language)["never"]!,
                         "stale": platform.exchange.isStale(d)])
        }
        let most = max(datasets.map(\.rowCount).max() ?? 1, 1)
        let bars = zip(datasets, rows).map { d, row -> [String: Any] in
            ["slug": row["slug"]!, "label": row["name"]!, "count": d.rowCount, "width": d.rowCount == 0 ? 0 : max(1, d.rowCount * 10 / most)]
        }
        return pages.render("data", title: Strings.dictionary(context.language)["datasets"]!,
                            model: ["datasets": rows, "bars": bars, "stale_only": staleOnly], context: context, path: "/data")
    }

    @Sendable func show(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request: request, context: context, extra: [:])
    }

    /// The dataset page; `extra` carries the outcome of a form post (upload report, subscription error).
    func render(request: Request, context: AppRequestContext, extra: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try context.require(.readDirectory)
        let language = context.language
        let w = Strings.dictionary(language)
        let code = try context.parameters.require("code")
        let dataset = try await platform.exchange.dataset(code: code)
        let (entry, content) = try await platform.exchange.publishedEntry(code: dataset.entryId)
        let isProvider = viewer.departmentId == dataset.providerId
        var purposes: [[String: Any]] = []
        if isProvider, Policy.readData.allows(viewer) { purposes.append(["id": "provider", "label": w["as_provider"]!]) }
        for s in try await platform.accessRepository.subscriptions(departmentId: viewer.departmentId) where s.entryId == entry.id && s.isActive {
            purposes.append(["id": s.id, "label": "\(w["subscription"]!)：\(s.purpose)"])
        }
        for g in try await platform.accessRepository.grants(departmentId: viewer.departmentId) where g.entryId == entry.id && g.isInForce(on: platform.exchange.today) {
            purposes.append(["id": g.id, "label": "\(w["grant"]!)：\(g.purpose)（\(g.validUntil)）"])
        }
        let chosen = request.uri.queryParameters["purpose"].map(String.init)
        for i in purposes.indices { purposes[i]["selected"] = purposes[i]["id"] as? String == chosen }
        var model: [String: Any] = [
            "slug": Self.slug(dataset.entryCode), "code": dataset.entryCode, "entry_id": entry.id, "name": content.name ?? "",
            "provider": try await names(language)[dataset.providerId] ?? "", "rows": dataset.rowCount,
            "updated": dataset.lastUpdatedAt ?? w["never"]!, "stale": platform.exchange.isStale(dataset),
            "columns": dataset.columns.map { c -> [String: Any] in
                ["code": c.itemCode, "name": c.itemName, "type": c.dataType.rawValue, "share": c.shareType.name.text(language),
                 "share_value": c.shareType.rawValue, "sensitivity": c.sensitivity, "key": c.itemCode == dataset.primaryKey,
                 "mask": MaskRule.forColumn(c).description.text(language)]
            },
            "verify_items": PortalDataController.verificationItems(dataset).map { ["code": $0.itemCode, "name": $0.itemName] },
            "purposes": purposes, "has_purposes": !purposes.isEmpty, "is_provider": isProvider && Policy.reportData.allows(viewer),
            "can_subscribe": !isProvider && Policy.readData.allows(viewer),
            "unconditional": dataset.columns.filter { $0.shareType == .unconditional }.map { ["code": $0.itemCode, "name": $0.itemName] },
            "batches": try await platform.datasetRepository.batches(datasetId: dataset.id, limit: 20).map { b -> [String: Any] in
                ["at": b.createdAt, "source": b.source.rawValue, "mode": b.mode.rawValue, "received": b.received,
                 "accepted": b.accepted, "rejected": b.rejected, "deleted": b.deleted]
            },
        ]
        let quality = try await platform.datasetRepository.quality(datasetId: dataset.id)
        model["quality"] = ["checked": quality.checked, "failed": quality.failed,
                            "rules": quality.byRule.sorted { $0.key < $1.key }.map { ["rule": $0.key, "count": $0.value] }]
        // A preview is an audited read: one started from another site (a link or image on a page the viewer visits,
        // which the Lax session cookie would accompany) is not run. Browsers say where a request came from.
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        if chosen != nil, let site, site != "same-origin", site != "none" {
            model["preview_error"] = w["preview_cross_site"]!
        } else if let chosen {
            do {
                let result = try await platform.exchange.read(code: dataset.entryId, purpose: chosen, query: DatasetQuery(limit: 20),
                                                              by: viewer, origin: context.origin)
                model["preview"] = [
                    "headers": result.columns.map { ["name": $0.column.itemName, "mask": $0.mask.description.text(language)] },
                    "rows": result.rows.map { ["cells": $0.map { $0 ?? "" }] },
                ]
            } catch let error as DomainError {
                model["preview_error"] = error.problems.first?.message.text(language) ?? error.message.text(language)
            }
        }
        model.merge(extra) { $1 }
        return pages.render("data_dataset", title: content.name ?? dataset.entryCode, model: model, context: context,
                            path: "/data/\(Self.slug(dataset.entryCode))", status: status)
    }
}

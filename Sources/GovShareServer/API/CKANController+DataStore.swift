import Foundation
import GovShareCore
import Hummingbird

extension CKANController {
    /// CKAN DataStore's `datastore_search` over a mounted dataset, under the same access rules, masking and audit as the
    /// native query API. `resource_id` is the resource id package_show gives, the entry id, or the resource code;
    /// `purpose` (a subscription or grant id) is GovShare's addition: every read names what it is done under.
    func datastoreSearch(_ p: [String: String], _ context: AppRequestContext) async throws -> Response {
        let reader = try context.requirePrincipal()
        guard let resource = p["resource_id"], !resource.isEmpty else {
            throw DomainError.invalid(field: "resource_id", rule: "required", zh: "resource_id 为必填项", en: "resource_id is required")
        }
        let code = resource
        var filters: [String: FilterSpec] = [:]
        if let text = p["filters"], !text.isEmpty {
            guard let decoded = try? JSONDecoder().decode([String: FilterSpec].self, from: Data(text.utf8)) else {
                throw DomainError.invalid(field: "filters", rule: "json", zh: "filters 应为 JSON 对象", en: "filters must be a JSON object")
            }
            filters = decoded
        }
        var fields: [String]?
        if let text = p["fields"], !text.isEmpty {
            fields =
                (try? JSONDecoder().decode([String].self, from: Data(text.utf8)))
                ?? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let limit =
            try p["limit"].map { text -> Int in
                guard let n = Int(text) else {
                    throw DomainError.invalid(field: "limit", rule: "type", zh: "limit 应为整数", en: "limit must be an integer")
                }
                return n
            } ?? 100
        let offset =
            try p["offset"].map { text -> Int in
                guard let n = Int(text) else {
                    throw DomainError.invalid(field: "offset", rule: "type", zh: "offset 应为整数", en: "offset must be an integer")
                }
                // The next page's link adds `limit` to it: Int.max would trap the process.
                guard n <= Self.maxOffset else {
                    throw DomainError.invalid(
                        field: "offset", rule: "range", zh: "offset 不能超过 \(Self.maxOffset)", en: "offset is at most \(Self.maxOffset)")
                }
                return n
            } ?? 0
        let includeTotal = p["include_total"].map { $0 != "false" } ?? true
        let query = try DatasetsController.datasetQuery(
            fields: fields, filters: filters, text: p["q"], sort: p["sort"], limit: limit,
            after: nil, offset: offset, withTotal: includeTotal)
        let result = try await platform.exchange.read(code: code, purpose: p["purpose"], query: query, by: reader, origin: context.origin)
        let records: [[String: Any]] = result.rows.enumerated().map { i, row in
            var record: [String: Any] = [:]
            for (value, c) in zip(row, result.columns) { record[c.column.itemCode] = value ?? NSNull() }
            if result.flags.indices.contains(i), let objection = result.flags[i] { record["_objection"] = objection }
            return record
        }
        var object: [String: Any] = [
            "resource_id": resource, "records": records, "limit": limit, "offset": offset,
            "fields": result.columns.map { c -> [String: Any] in
                [
                    "id": c.column.itemCode, "type": c.column.isNumeric ? "numeric" : "text",
                    "info": ["label": c.column.itemName, "mask": c.mask.rawValue],
                ]
            },
            "_links": ["start": Self.link(p, offset: nil), "next": Self.link(p, offset: offset + limit)],
            "read_id": result.read.auditSeq,
        ]
        if let total = result.total { object["total"] = total }
        return try envelope("datastore_search", object)
    }

    /// The deepest offset paging reaches (beyond the largest dataset a province holds); deeper reads page by cursor
    /// through the native query API.
    static let maxOffset = 1_000_000_000

    /// CKAN's paging links: the same search (purpose, filters, q, fields, sort, limit …) from the start or the next offset.
    static func link(_ p: [String: String], offset: Int?) -> String {
        var components = URLComponents()
        components.path = "/api/3/action/datastore_search"
        components.queryItems =
            p.filter { $0.key != "offset" }.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            + (offset.map { [URLQueryItem(name: "offset", value: String($0))] } ?? [])
        // `+` in a value would read back as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? components.path
    }
}

import Foundation
import GovShareCore
import Hummingbird

/// A read-only CKAN Action API over the published catalog, so CKAN clients and harvesters can read it.
/// Anonymous callers see entries open to the public, never a not-shared one (Art. 18: judged on the derived share type,
/// so an entry published as open before that rule still stays hidden); signed-in callers see every published entry.
/// Which entries a caller sees is the catalog service's decision (`CatalogService.search`, `publishedEntries`).
struct CKANController {
    let platform: Platform

    typealias Action = @Sendable ([String: String], AppRequestContext) async throws -> Response

    /// CKAN clients call actions with GET and query parameters or with POST and a JSON body (ckanapi does the latter).
    func register(on group: RouterGroup<AppRequestContext>) {
        let actions: [(String, Action)] = [
            ("package_search", packageSearch), ("package_show", packageShow), ("package_list", packageList),
            ("organization_list", organizationList), ("organization_show", organizationShow), ("group_list", groupList),
            ("datastore_search", datastoreSearch),
        ]
        for (name, action) in actions {
            group.get(RouterPath(name)) { request, context in try await action(Self.parameters(request.uri.queryParameters), context) }
            group.post(RouterPath(name)) { request, context in
                var parameters = Self.parameters(request.uri.queryParameters)
                parameters.merge(try await Self.body(request, context: context)) { $1 }
                return try await action(parameters, context)
            }
        }
    }

    static func parameters(_ query: Parameters) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in query { result[String(key)] = String(value) }
        return result
    }

    /// A JSON object body; nested values are passed on as JSON text (CKAN's own convention for facet.field).
    static func body(_ request: Request, context: AppRequestContext) async throws -> [String: String] {
        // Anyone may call these actions: an anonymous caller's body is kept small.
        let buffer = try await request.body.collect(
            upTo: context.principal == nil ? ParserLimits.anonymousBodyBytes : ParserLimits.jsonBodyBytes)
        guard buffer.readableBytes > 0 else { return [:] }
        try InputSanity.check(json: Array(buffer.readableBytesView))
        try JSONBody.checkDepth(Data(buffer.readableBytesView))
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw DomainError.invalid(
                field: "body", rule: "json", zh: "请求体不是有效的 JSON 对象", en: "The request body is not a valid JSON object")
        }
        return object.compactMapValues { value in
            switch value {
            case let text as String: return text
            case let number as NSNumber: return number.stringValue
            case is NSNull: return nil
            default:
                return (try? JSONSerialization.data(withJSONObject: value)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    func envelope(_ action: String, _ result: Any) throws -> Response {
        let object: [String: Any] = ["help": "/api/3/action/help_show?name=\(action)", "success": true, "result": result]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func failure(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
        let object: [String: Any] = ["help": "", "success": false, "error": ["__type": type, "message": message]]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// CKAN's `fq` filters this catalog understands: `organization:`/`owner_org:` (provider code or id),
    /// `groups:` (classification prefix), `share_type:`, `kind:`, `region_code:`.
    func applyFilters(_ fq: String, to query: inout CatalogQuery, departments: [Department]) {
        // At most 16 clauses: an anonymous 64 KiB body holds thousands, each a scan of the departments.
        for clause in fq.split(separator: " ").prefix(16) {
            let parts = clause.split(separator: ":", maxSplits: 1).map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"+"))
            }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "organization", "owner_org":
                query.providerId = departments.first { $0.code == parts[1] || $0.id == parts[1] }?.id ?? "none"
            case "groups": query.classificationPrefix = parts[1]
            case "share_type": query.shareType = ShareType(rawValue: parts[1])
            case "kind": query.kind = CatalogKind(rawValue: parts[1])
            case "region_code": query.regionCode = parts[1]
            default: break
            }
        }
    }

    @Sendable func packageSearch(p: [String: String], context: AppRequestContext) async throws -> Response {
        let departments = try await platform.directory.departments(by: context.principal)
        var query = CatalogQuery()
        query.text = p["q"].map { $0 == "*:*" ? "" : $0 } ?? ""
        query.rows = min(max(p["rows"].flatMap { Int(String($0)) } ?? 10, 0), 1000)
        query.start = max(p["start"].flatMap { Int(String($0)) } ?? 0, 0)
        if let sort = p["sort"] {
            if sort.hasPrefix("metadata_modified") {
                query.sort = .publishedAt
            } else if sort.hasPrefix("title") || sort.hasPrefix("name") {
                query.sort = .name
            }
        }
        if let fq = p["fq"] { applyFilters(fq, to: &query, departments: departments) }
        let result = try await platform.catalog.search(query, for: context.principal)
        let byId = Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0) })
        let packages = try await platform.catalog.publishedEntries(ids: result.documents.map(\.entryId), for: context.principal)
            .compactMap { package($0, departments: byId) }
        let requested = Self.facetFields(p["facet.field"])
        var facets: [String: [String: Int]] = [:]
        var searchFacets: [String: Any] = [:]
        for field in requested {
            let column: String
            switch field {
            case "organization", "owner_org": column = "provider_id"
            case "share_type": column = "share_type"
            case "kind", "groups": column = "kind"
            case "region_code": column = "region_code"
            default: continue
            }
            let counts = result.facets[column] ?? []
            let named = counts.map { count -> (String, String, Int) in
                if column == "provider_id", let d = byId[count.value] { return (d.code, d.nameZh, count.count) }
                return (count.value, count.value, count.count)
            }
            facets[field] = Dictionary(named.map { ($0.0, $0.2) }, uniquingKeysWith: +)
            searchFacets[field] = ["title": field, "items": named.map { ["name": $0.0, "display_name": $0.1, "count": $0.2] }]
        }
        return try envelope(
            "package_search",
            [
                "count": result.total, "results": packages, "facets": facets, "search_facets": searchFacets,
                "sort": p["sort"] ?? "score desc, metadata_modified desc",
            ] as [String: Any])
    }

    static func facetFields(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        if let list = try? JSONSerialization.jsonObject(with: data) as? [String] { return list }
        return text.split(separator: ",").map(String.init)
    }

    @Sendable func packageShow(p: [String: String], context: AppRequestContext) async throws -> Response {
        guard let id = p["id"] else {
            return Self.failure(.conflict, type: "Validation Error", message: "Missing value: id")
        }
        let byId = Dictionary(uniqueKeysWithValues: try await platform.directory.departments(by: context.principal).map { ($0.id, $0) })
        let code = id.replacingOccurrences(of: "-", with: "/")
        var found = try await platform.catalog.publishedEntry(id, for: context.principal)
        if found == nil { found = try await platform.catalog.publishedEntry(code, for: context.principal) }
        guard let found, let package = package(found, departments: byId) else {
            return Self.failure(.notFound, type: "Not Found Error", message: "Not found")
        }
        return try envelope("package_show", package)
    }

    @Sendable func packageList(p: [String: String], context: AppRequestContext) async throws -> Response {
        var query = CatalogQuery()
        query.rows = 1000
        query.sort = .name
        return try envelope(
            "package_list", try await platform.catalog.search(query, for: context.principal).documents.map { Self.name(of: $0.code) })
    }

    @Sendable func organizationList(p: [String: String], context: AppRequestContext) async throws -> Response {
        let departments = try await platform.directory.departments(by: context.principal)
        if p["all_fields"] == "true" || p["all_fields"] == "1" {
            return try envelope("organization_list", departments.map(organization))
        }
        return try envelope("organization_list", departments.map(\.code))
    }

    @Sendable func organizationShow(p: [String: String], context: AppRequestContext) async throws -> Response {
        let id = p["id"] ?? ""
        guard let department = try await platform.directory.department(code: id, orId: true, by: context.principal) else {
            return Self.failure(.notFound, type: "Not Found Error", message: "Not found")
        }
        var query = CatalogQuery()
        query.providerId = department.id
        query.rows = 0
        var org = organization(department)
        org["package_count"] = try await platform.catalog.search(query, for: context.principal).total
        return try envelope("organization_show", org)
    }

    /// Groups are the guide's classification: 基础 / 主题 / 部门 (the first digit of the classification code).
    @Sendable func groupList(p: [String: String], context: AppRequestContext) async throws -> Response {
        let all = p["all_fields"] == "true" || p["all_fields"] == "1"
        let groups = CatalogKind.allCases.map { kind -> [String: Any] in
            [
                "id": kind.rawValue, "name": String(kind.classDigit), "title": kind.name.zh, "display_name": kind.name.zh,
                "description": kind.name.en,
            ]
        }
        return try envelope("group_list", all ? groups as [Any] : groups.map { $0["name"]! })
    }

    func organization(_ d: Department) -> [String: Any] {
        [
            "id": d.id, "name": d.code, "title": d.nameZh, "display_name": d.nameZh, "description": d.nameEn ?? "",
            "type": "organization", "state": "active", "is_organization": true,
            "extras": [
                ["key": "level", "value": d.level.rawValue], ["key": "region_code", "value": d.regionCode],
                ["key": "kind", "value": d.kind.rawValue],
            ],
        ]
    }

    static func name(of code: String) -> String { code.replacingOccurrences(of: "/", with: "-") }

    /// One published entry in CKAN's package shape (the catalog service decided it may be shown); guide elements with
    /// no CKAN field go into `extras`.
    func package(_ found: CatalogEntryVersion, departments: [String: Department]) -> [String: Any]? {
        let (entry, version) = (found.entry, found.version)
        guard let provider = departments[entry.providerId] else { return nil }
        let number = version.version
        let c = version.content
        let resources: [[String: Any]] = [
            [
                "id": "\(entry.id)-\(number)", "package_id": entry.id, "name": c.name ?? "", "format": c.format ?? "",
                "description": (c.items ?? []).compactMap(\.name).joined(separator: "、"), "url": "",
            ]
        ]
        var extras: [[String: String]] = [
            ("resource_code", entry.code), ("catalog_kind", entry.kind.rawValue),
            ("classification_code", c.classificationCode ?? ""), ("classification_path", c.classificationPath ?? ""),
            ("provider_code", provider.code), ("share_type", c.derivedShareType.rawValue),
            ("share_conditions", c.shareConditions ?? ""), ("share_method", c.shareMethod ?? ""),
            ("open_to_public", (c.openToPublic ?? false) ? "true" : "false"), ("open_conditions", c.openConditions ?? ""),
            ("update_cycle", c.updateCycle ?? ""), ("update_deadline", c.updateDeadline ?? ""),
            ("responsible_party", c.responsibleParty ?? ""), ("usage_requirements", c.usageRequirements ?? ""),
            ("collection_basis", c.collectionBasis ?? ""), ("related_codes", (c.relatedCodes ?? []).joined(separator: ",")),
            ("legal_basis", [c.legalBasis?.instrument, c.legalBasis?.article].compactMap { $0 }.joined(separator: " ")),
            ("publication_date", String((version.publishedAt ?? "").prefix(10))),
            ("data_items", AuditJSON.encode(c.items ?? [])),
        ].map { ["key": $0.0, "value": $0.1] }
        extras.sort { $0["key"]! < $1["key"]! }
        return [
            "id": entry.id, "name": Self.name(of: entry.code), "title": c.name ?? "", "notes": c.summary ?? "",
            "owner_org": provider.id, "organization": organization(provider), "state": "active", "type": "dataset",
            "private": !c.isPublic, "metadata_created": entry.createdAt, "metadata_modified": version.publishedAt ?? entry.updatedAt,
            "version": String(number), "num_resources": 1, "resources": resources, "num_tags": 0, "tags": [] as [Any],
            "groups": [["name": String(entry.kind.classDigit), "title": entry.kind.name.zh]], "extras": extras,
            "license_id": "", "author": c.responsibleParty ?? "", "maintainer": provider.nameZh,
        ]
    }
}

import Foundation
import GovShareCore
import GovShareServer
import HummingbirdTesting
import SQLKit
import Testing

/// Issue 12: inheritance follows the unified system (Art. 15), county data authorities review their county (Art. 15's
/// "市、县级政务数据主管部门"), not-shared is never public (Art. 18), required catalog elements are configuration (Art. 8).
@Suite("Catalog fidelity: Art. 8, 15, 18")
struct CatalogFidelityRulesTests {
    static func datasetCode(_ client: any TestClientProtocol, _ classification: String, token: String) async throws -> String {
        let datasets = ExchangeTests.array(try await client.json(.get, "/api/v1/datasets", token: token).response)
        return try #require(
            datasets.first { ($0["entry_code"] as? String)?.hasPrefix("\(classification)/") == true }?["entry_code"] as? String
        )
        .replacingOccurrences(of: "/", with: "-")
    }

    /// 深圳市市场监管局's system parent is 省市场监管局: it inherits that department's 企业营业执照信息, not 省公安厅's
    /// 居民户籍信息 nor the provincial authority's 人口基础信息 (another system's).
    @Test(arguments: TestDatabase.available)
    func onlyAUnitOfTheUnifiedSystemInherits(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let city = try await client.token("sz_cataloger")
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(try await Self.datasetCode(client, "302001", token: city))/inherit",
                    token: city, body: #"{"note":"使用省市场监管局统一登记系统"}"#)
                #expect(own.status == .created, "\(own.json)")
                for classification in ["301001", "101001"] {
                    let code = try await Self.datasetCode(client, classification, token: city)
                    let refused = try await client.json(.post, "/api/v1/datasets/\(code)/inherit", token: city, body: "{}")
                    #expect(refused.status == .unprocessableContent)
                    #expect(
                        fieldErrors(refused.json).map(\.field) == ["entry_code"]
                            && fieldErrors(refused.json).first?.rule == "unified_system")
                    #expect(String(decoding: refused.response.body.readableBytesView, as: UTF8.self).contains("第十五条"))
                    #expect(
                        ExchangeTests.array(try await client.json(.get, "/api/v1/datasets/\(code)/inherited", token: city).response).isEmpty
                    )
                }
            }
        }
    }

    @Test func aCountyIsReviewedByItsOwnAuthorityElseTheCitys() {
        func department(_ id: String, _ level: AdministrativeLevel, _ region: String, _ kind: DepartmentKind) -> Department {
            Department(
                id: id, code: id, nameZh: id, nameEn: nil, level: level, regionCode: region, kind: kind, systemParentId: nil,
                nodeId: "n", createdAt: "", updatedAt: "")
        }
        let gd = department("gd", .province, "440000", .dataAuthority), gz = department("gz", .city, "440100", .dataAuthority)
        let tianhe = department("tianhe", .county, "440106", .dataAuthority)
        let authorities = [gd, gz, tianhe]
        #expect(
            Oversight.reviewingAuthority(for: department("th-bureau", .county, "440106", .government), among: authorities)?.id == "tianhe")
        #expect(Oversight.reviewingAuthority(for: department("hz-bureau", .county, "440105", .government), among: authorities)?.id == "gz")
        #expect(Oversight.reviewingAuthority(for: department("gz-bureau", .city, "440100", .government), among: authorities)?.id == "gz")
        #expect(Oversight.reviewingAuthority(for: department("hz-bureau", .county, "440105", .government), among: [gd, gz])?.id == "gz")
    }

    /// Through the directory: a county data authority registered for 天河区 reviews 天河区's departments (and sees them);
    /// 海珠区, without one, stays with 广州's authority.
    @Test(arguments: TestDatabase.available)
    func aCountyAuthorityActsOnItsCountyOnly(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            // Counties are added by operators (GuangdongRegions seeds the province and its cities).
            try await env.platform.database.transaction { db in
                for (code, zh, en) in [("440106", "天河区", "Tianhe"), ("440105", "海珠区", "Haizhu")] {
                    try await db.raw(
                        """
                        INSERT INTO regions (code, name_zh, name_en, level, parent_code) VALUES (\(bind: code), \(bind: zh), \(bind: en), 'county', '440100')
                        """
                    ).run()
                }
            }
            try await env.test { client in
                let admin = try await client.token("admin")
                func code(_ middle: String) -> String { middle + String(CreditCode.checkCharacter(for: middle)!) }
                let authority = code("11440106MB0000001"), tianhe = code("11440106MB0000002"), haizhu = code("11440105MB0000003")
                for (c, name, region, kind) in [
                    (authority, "天河区政务服务数据管理局", "440106", "data_authority"),
                    (tianhe, "天河区民政局", "440106", "government"), (haizhu, "海珠区民政局", "440105", "government"),
                ] {
                    let created = try await client.json(
                        .post, "/api/v1/departments", token: admin,
                        body: """
                            {"code":"\(c)","name_zh":"\(name)","level":"county","region_code":"\(region)","kind":"\(kind)"}
                            """)
                    #expect(created.status == .created, "\(created.json)")
                }
                let user = try await client.json(
                    .post, "/api/v1/users", token: admin,
                    body: """
                        {"username":"tianhe_reviewer","display_name":"天河区数据局审核员","department_code":"\(authority)","roles":["authority_reviewer"],"password":"Str0ng-Passw0rd!"}
                        """)
                #expect(user.status == .created, "\(user.json)")
                let county = try await client.token("tianhe_reviewer", "Str0ng-Passw0rd!"), city = try await client.token("gz_reviewer")
                func record(_ token: String, _ department: String) async throws -> Int {
                    Int(try await CatalogObligationFidelityTests.record(client, token: token, department: department).status)
                }
                #expect(try await record(county, tianhe) == 201)
                #expect(try await record(city, tianhe) == 403, "天河区 has its own authority")
                #expect(try await record(city, haizhu) == 201, "海珠区 has none: 广州's")
                #expect(try await record(county, haizhu) == 403)

                let ids = Dictionary(
                    uniqueKeysWithValues: try await env.platform.storage.departments.list(.init()).map { ($0.code, $0.id) })
                let seen = try await env.platform.storage.departments.reviewed(by: ids[authority]!)
                #expect(seen.contains(ids[tianhe]!) && seen.contains(ids[authority]!) && !seen.contains(ids[haizhu]!))
                let citySees = try await env.platform.storage.departments.reviewed(by: ids["11440100MB65492908"]!)
                #expect(citySees.contains(ids[haizhu]!) && !citySees.contains(ids[tianhe]!))
            }
        }
    }

    /// Not shared is never public: refused at submission whatever the open conditions, and an entry published open
    /// before that rule is hidden from anonymous CKAN callers by its derived share type.
    @Test(arguments: TestDatabase.available)
    func aNotSharedEntryIsNeverPublic(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let draft = CatalogTests.draft(itemBasis: true).replacingOccurrences(
                    of: #""open_to_public":false"#, with: #""open_to_public":true"#
                )
                .replacingOccurrences(of: #""share_type":"conditional""#, with: #""share_type":"not_shared""#)
                let created = try await client.json(.post, "/api/v1/catalog/entries", token: cataloger, body: draft)
                let id = try #require(created.json["id"] as? String)
                let refused = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(refused.status == .unprocessableContent)
                #expect(fieldErrors(refused.json).contains { $0.field == "open_to_public" && $0.rule == "not_shared" }, "\(refused.json)")

                // 广州市道路交通技术监控设备信息 is open; make it what a pre-fix publication could be: open and not shared.
                let signedIn = try await client.token("hrss_user")
                let entry = try await CatalogObligationFidelityTests.demoEntry(client, "301011", token: signedIn)
                let name = entry.code.replacingOccurrences(of: "/", with: "-")
                #expect(try await client.json(.get, "/api/3/action/package_show?id=\(name)").status == .ok, "open before")
                try await Self.makeNotShared(env, entryId: entry.id)

                #expect(try await client.json(.get, "/api/3/action/package_show?id=\(name)").status == .notFound)
                let listed = try await client.json(.get, "/api/3/action/package_list")
                #expect((listed.json["result"] as? [String])?.contains(name) == false)
                let search = try await client.json(.get, "/api/3/action/package_search?rows=1000")
                let names = ((search.json["result"] as? [String: Any])?["results"] as? [[String: Any]] ?? []).compactMap {
                    $0["name"] as? String
                }
                #expect(!names.isEmpty && !names.contains(name))
                let shown = try await client.json(.get, "/api/3/action/package_show?id=\(name)", token: signedIn)
                #expect((shown.json["result"] as? [String: Any])?["private"] as? Bool == true, "signed in: seen, marked private")
            }
        }
    }

    /// Rewrites the published version's items as not shared and its search row to match, as a store-level change
    /// (the search cache is told through its change log, as every publication does).
    static func makeNotShared(_ env: TestEnvironment, entryId: String) async throws {
        try await env.platform.database.transaction { db in
            let row = try #require(
                try await db.raw(
                    """
                    SELECT v.version AS version, v.content AS content FROM catalog_versions v JOIN catalog_entries e
                    ON e.id = v.entry_id AND e.published_version = v.version WHERE e.id = \(bind: entryId)
                    """
                ).first())
            var content = try #require(
                try JSONSerialization.jsonObject(with: Data(try row.decode(column: "content", as: String.self).utf8)) as? [String: Any])
            content["items"] = (content["items"] as? [[String: Any]] ?? []).map {
                var item = $0; item["share_type"] = "not_shared"; return item
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: content), as: UTF8.self)
            try await db.raw(
                "UPDATE catalog_versions SET content = \(bind: text) WHERE entry_id = \(bind: entryId) AND version = \(bind: try row.decode(column: "version", as: Int.self))"
            ).run()
            try await db.raw("UPDATE catalog_search SET share_type = 'not_shared' WHERE entry_id = \(bind: entryId)").run()
            let generation = try #require(
                try await db.raw("UPDATE catalog_search_state SET generation = generation + 1 WHERE id = 1 RETURNING generation")
                    .first()?.decode(column: "generation", as: Int64.self))
            try await db.raw("INSERT INTO catalog_search_changes (seq, entry_id) VALUES (\(bind: generation), \(bind: entryId))").run()
        }
    }

    @Test(arguments: TestDatabase.available)
    func aConfiguredRequiredElementIsRequired(database: TestDatabase) async throws {
        let fields = (RegulationRules().catalogRequiredFields + ["collection_source"]).joined(separator: ",")
        try await TestEnvironment.with(database, settings: ["catalog_required_fields": fields]) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let created = try await client.json(
                    .post, "/api/v1/catalog/entries", token: cataloger, body: CatalogTests.draft(itemBasis: true))
                let id = try #require(created.json["id"] as? String)
                let refused = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(refused.status == .unprocessableContent)
                #expect(
                    fieldErrors(refused.json).map(\.field) == ["collection_source"] && fieldErrors(refused.json).first?.rule == "required",
                    "\(refused.json)")
                let filled = CatalogTests.draft(itemBasis: true)
                    .replacingOccurrences(
                        of: #""collection_basis":"law","#, with: #""collection_basis":"law","collection_source":"社会保险经办系统","#)
                #expect(try await client.json(.put, "/api/v1/catalog/entries/\(id)", token: cataloger, body: filled).status == .ok)
                let submitted = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(submitted.status == .ok, "\(submitted.json)")
            }
        }
    }
}

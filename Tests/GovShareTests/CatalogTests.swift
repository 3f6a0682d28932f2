import Foundation
import GovShareCore
import GovShareServer
import HummingbirdTesting
import Testing

@Suite("Catalog")
struct CatalogTests {
    static func draft(itemBasis: Bool, conditions: String? = "仅用于社会保险待遇核验") -> String {
        let basis = itemBasis ? #","legal_basis":{"instrument":"《中华人民共和国社会保险法》","article":"第八十一条"}"# : ""
        return #"""
            {"content":{"kind":"department","classification_code":"301002","classification_path":"部门信息资源/人社/参保",
             "name":"灵活就业人员参保信息","summary":"全省灵活就业人员参加企业职工基本养老保险的登记与缴费信息。",
             "format":"database","share_method":"service_interface","update_cycle":"daily","open_to_public":false,
             "responsible_party":"省人力资源和社会保障厅社会保险处","update_deadline":"数据变更后1个工作日内",
             "usage_requirements":"仅限用于履行法定职责","collection_basis":"law",
             "share_conditions":"须说明核验事项并经主管部门审核",
             "legal_basis":{"instrument":"《中华人民共和国社会保险法》","article":"第八十一条"},
             "items":[{"name":"姓名","code":"XM","data_type":"C","length":50,"share_type":"unconditional","sensitivity":2},
                      {"name":"缴费基数","code":"JFJS","data_type":"Y","share_type":"conditional","share_conditions":"\#(conditions ?? "")","sensitivity":3\#(basis)}]}}
            """#
    }

    @Test(arguments: TestDatabase.available)
    func ruleErrorsNameTheItemThenReviewPublishAndDiff(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let created = try await client.json(.post, "/api/v1/catalog/entries", token: cataloger, body: Self.draft(itemBasis: false))
                #expect(created.status == .created)
                let id = try #require(created.json["id"] as? String)
                #expect((created.json["code"] as? String)?.hasPrefix("301002/") == true)
                #expect(created.json["share_type"] as? String == "conditional")

                let refused = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(refused.status == .unprocessableContent)
                #expect(fieldErrors(refused.json).map(\.field) == ["items[1].legal_basis"])
                #expect(fieldErrors(refused.json).first?.rule == "legal_basis_required")
                #expect(((refused.json["errors"] as? [[String: Any]])?.first?["message"] as? String)?.contains("缴费基数") == true)

                #expect(
                    try await client.json(.put, "/api/v1/catalog/entries/\(id)", token: cataloger, body: Self.draft(itemBasis: true)).status
                        == .ok)
                #expect(
                    try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger).json["status"] as? String
                        == "submitted")

                // The provincial authority reviews provincial departments' entries; a city reviewer may not.
                let cityReviewer = try await client.token("gz_reviewer")
                #expect(
                    try await client.json(
                        .post, "/api/v1/catalog/entries/\(id)/review", token: cityReviewer,
                        body: #"{"decision":"publish"}"#
                    ).status == .forbidden)
                let reviewer = try await client.token("gd_reviewer")
                let queue = try await client.json(.get, "/api/v1/catalog/review-queue", token: reviewer)
                #expect((queue.json["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)
                let noReason = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: reviewer, body: #"{"decision":"return"}"#)
                #expect(fieldErrors(noReason.json).first?.field == "reason")
                let returned = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: reviewer,
                    body: #"{"decision":"return","reason":"共享条件过于笼统，请写明核验事项"}"#)
                #expect(returned.json["status"] as? String == "returned")

                #expect(
                    try await client.json(
                        .put, "/api/v1/catalog/entries/\(id)", token: cataloger,
                        body: Self.draft(itemBasis: true, conditions: "仅限社会保险待遇资格核验，须经本人授权")
                    ).status == .ok)
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                let published = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                #expect(published.json["status"] as? String == "published")
                #expect(published.json["published_version"] as? Int == 1)

                // Editing a published entry starts version 2; version 1 stays as published until v2 is.
                let edited = Self.draft(itemBasis: true, conditions: "仅限社会保险待遇资格核验，须经本人授权")
                    .replacingOccurrences(of: "\"daily\"", with: "\"monthly\"")
                let v2 = try await client.json(.put, "/api/v1/catalog/entries/\(id)", token: cataloger, body: edited)
                #expect((v2.json["version"] as? [String: Any])?["version"] as? Int == 2)
                let reader = try await client.token("hrss_user")
                let seen = try await client.json(.get, "/api/v1/catalog/entries/\(id)", token: reader)
                #expect((seen.json["version"] as? [String: Any])?["version"] as? Int == 1)
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(id)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                let diff = try await client.json(.get, "/api/v1/catalog/entries/\(id)/diff?from=1&to=2", token: reader)
                let changes = try #require(diff.json["changes"] as? [[String: Any]])
                #expect(changes.count == 1)
                #expect(changes.first?["field"] as? String == "update_cycle")
                #expect(changes.first?["from"] as? String == "daily")
                #expect(changes.first?["to"] as? String == "monthly")

                let withdrawn = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/withdraw", token: reviewer, body: #"{"reason":"职能调整"}"#)
                #expect(withdrawn.json["status"] as? String == "withdrawn")
                #expect(try await client.json(.get, "/api/v1/catalog/entries/\(id)", token: reader).status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func baseResourcesAndBasicItemsFollowArticles10And17(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
            var content = CatalogContent()
            content.kind = "base"
            content.classificationCode = "101001"
            content.name = "人口基础信息（测试）"
            content.summary = "测试"
            content.format = "database"; content.shareMethod = "database"; content.updateCycle = "daily"
            content.collectionBasis = "law"; content.openToPublic = false
            content.responsibleParty = "x"; content.updateDeadline = "x"; content.usageRequirements = "x"
            content.legalBasis = LegalBasis(instrument: "《居民身份证法》", article: "第十三条")
            content.shareConditions = "核验"
            content.items = [
                DataItem(
                    name: "公民身份号码", code: "GMSFHM", dataType: "C", length: 18, shareType: "conditional",
                    shareConditions: "核验", legalBasis: LegalBasis(instrument: "《居民身份证法》", article: "第十三条"),
                    sensitivity: 4, isBasic: true)
            ]
            do {
                try CatalogRules.checkForSubmission(content, provider: psb)
                Issue.record("expected refusal")
            } catch let error as DomainError {
                #expect(Set(error.problems.map(\.rule)) == ["base_keeper", "basic_item_unconditional"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func searchFindsChineseSubstringsWithFacetsAndTheCKANAPIAgrees(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("hrss_user")
                let result = try await client.json(
                    .get, "/api/v1/catalog/search?q=营业执照".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: token)
                let items = try #require(result.json["items"] as? [[String: Any]])
                #expect(items.first?["name"] as? String == "企业营业执照信息")
                let facets = try #require(result.json["facets"] as? [String: [[String: Any]]])
                #expect(facets["share_type"]?.isEmpty == false)

                let all = try await client.json(.get, "/api/v1/catalog/search?rows=0", token: token)
                #expect((all.json["total"] as? Int ?? 0) >= 60)

                let ckan = try await client.json(
                    .get,
                    "/api/3/action/package_search?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7&facet.field=%5B%22organization%22%2C%22share_type%22%5D",
                    token: token)
                #expect(ckan.json["success"] as? Bool == true)
                let ckanResult = try #require(ckan.json["result"] as? [String: Any])
                let packages = try #require(ckanResult["results"] as? [[String: Any]])
                #expect(packages.first?["title"] as? String == "企业营业执照信息")
                #expect((packages.first?["extras"] as? [[String: Any]])?.contains { $0["key"] as? String == "share_type" } == true)
                #expect((ckanResult["search_facets"] as? [String: Any])?["organization"] != nil)
                let name = try #require(packages.first?["name"] as? String)
                let show = try await client.json(.post, "/api/3/action/package_show", token: token, body: #"{"id":"\#(name)"}"#)
                #expect((show.json["result"] as? [String: Any])?["title"] as? String == "企业营业执照信息")
                let missing = try await client.json(.get, "/api/3/action/package_show?id=nope")
                #expect(missing.status == .notFound)
                #expect(missing.json["success"] as? Bool == false)

                // Anonymous harvesters see only entries open to the public.
                let anonymous = try await client.json(.get, "/api/3/action/package_search?rows=1000")
                let anonymousCount = (anonymous.json["result"] as? [String: Any])?["count"] as? Int ?? -1
                #expect(anonymousCount < (all.json["total"] as? Int ?? 0))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func lawChangeObligationIsDueAfter15WorkingDaysAndThenOverdue(database: TestDatabase) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_789_689_600))  // 2026-09-18T00:00Z
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let recorded = try await client.json(
                    .post, "/api/v1/catalog/obligations", token: reviewer,
                    body:
                        #"{"trigger":"law_revised","date":"2026-09-18","reference":"《广东省公安机关警务辅助人员条例》修订","department_code":"\#(psb.code)"}"#
                )
                #expect(recorded.status == .created)
                #expect(recorded.json["due_on"] as? String == "2026-10-15")

                clock.advance(by: 27 * 86400)  // 2026-10-15: due today, not overdue (tokens are re-issued: time moved on)
                // (The demo's own overdue obligation, of 省民政厅, is another department's.)
                let onTime = try await client.json(
                    .get, "/api/v1/catalog/obligations?overdue=true&department_code=\(psb.code)",
                    token: try await client.token("gd_reviewer"))
                #expect((onTime.json["items"] as? [Any])?.count == 0)
                clock.advance(by: 86400)  // 2026-10-16
                let late = try await client.json(
                    .get, "/api/v1/catalog/obligations?overdue=true&department_code=\(psb.code)",
                    token: try await client.token("gd_reviewer"))
                #expect((late.json["items"] as? [[String: Any]])?.first?["overdue"] as? Bool == true)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func duplicateCheckSuggestsExistingEntries(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("sz_cataloger")
                let result = try await client.json(
                    .post, "/api/v1/catalog/duplicates", token: token,
                    body: #"{"name":"企业营业执照数据","item_names":["统一社会信用代码","企业名称"]}"#)
                let items = try #require(result.json["items"] as? [[String: Any]])
                #expect(items.contains { ($0["entry"] as? [String: Any])?["name"] as? String == "企业营业执照信息" })
            }
        }
    }
}

@Suite("Catalog search freshness")
struct CatalogSearchFreshnessTests {
    /// Each server answers search from memory; a publication or withdrawal through one server is seen by the next
    /// search on another server on the same database.
    @Test(arguments: TestDatabase.available)
    func publicationsAndWithdrawalsReachEveryServerAtOnce(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let other = try await env.sibling()
            do { try await Self.check(env, other) } catch { await other.platform.shutdown(); throw error }
            await other.platform.shutdown()
        }
    }

    static func check(_ env: TestEnvironment, _ other: GovShareServer) async throws {
        do {
            let query = "/api/v1/catalog/search?q=" + "灵活就业".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let id: String = try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let created = try await client.json(
                    .post, "/api/v1/catalog/entries", token: cataloger,
                    body: CatalogTests.draft(itemBasis: true))
                let id = try #require(created.json["id"] as? String)
                #expect(try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger).status == .ok)
                return id
            }
            try await other.app.test(.router) { client in
                let token = try await client.token("hrss_user")
                #expect(try await client.json(.get, query, token: token).json["total"] as? Int == 0, "drafts are not searchable")
            }
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                let published = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                #expect(published.json["status"] as? String == "published")
            }
            try await other.app.test(.router) { client in
                let token = try await client.token("hrss_user")
                let found = try await client.json(.get, query, token: token)
                #expect(found.json["total"] as? Int == 1)
                #expect((found.json["items"] as? [[String: Any]])?.first?["name"] as? String == "灵活就业人员参保信息")
            }
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                #expect(
                    try await client.json(
                        .post, "/api/v1/catalog/entries/\(id)/withdraw", token: reviewer,
                        body: #"{"reason":"职能调整"}"#
                    ).json["status"] as? String == "withdrawn")
            }
            try await other.app.test(.router) { client in
                let token = try await client.token("hrss_user")
                #expect(try await client.json(.get, query, token: token).json["total"] as? Int == 0)
            }
        }
    }
}

import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The demo mounts 人口基础信息 (101001, provider: the provincial data authority) with synthetic residents, and gives
/// 省人社厅 (hrss_user) a subscription to four of its unconditional items.
@Suite("Data exchange: access rules, masking, reporting, trace (Art. 15-22, 28)")
struct ExchangeTests {
    static func array(_ response: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [[String: Any]] ?? []
    }

    static func populationCode(_ client: any TestClientProtocol, _ token: String) async throws -> String {
        let datasets = array(try await client.json(.get, "/api/v1/datasets", token: token).response)
        let code = try #require(datasets.first { ($0["entry_code"] as? String)?.hasPrefix("101001/") == true }?["entry_code"] as? String)
        return code.replacingOccurrences(of: "/", with: "-")
    }

    static func records(_ json: [String: Any]) -> [[String: Any]] { json["records"] as? [[String: Any]] ?? [] }

    @Test(arguments: TestDatabase.available)
    func readsFollowSubscriptionGrantAndProviderRules(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let provider = try await client.token("gd_cataloger")
                let admin = try await client.token("admin")
                let auditor = try await client.token("auditor")
                let code = try await Self.populationCode(client, user)
                let subscription = try #require(
                    Self.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"] as? String)

                // No purpose: refused, naming the field.
                let noPurpose = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"limit":5}"#)
                #expect(noPurpose.status == .unprocessableContent)
                #expect(fieldErrors(noPurpose.json).first?.field == "purpose")

                // Subscription: unconditional items only, masked by grade; the rule is in the metadata.
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: #"{"purpose":"\#(subscription)","limit":5}"#)
                #expect(read.status == .ok)
                let fields = (read.json["fields"] as? [[String: Any]] ?? [])
                #expect(fields.compactMap { $0["id"] as? String } == ["GMSFHM", "XM", "XB", "CSRQ"])
                #expect(fields.first?["mask"] as? String == "keep_first_6_last_4")
                let first = try #require(Self.records(read.json).first)
                let maskedId = try #require(first["GMSFHM"] as? String)
                #expect(maskedId.range(of: #"^\d{6}\*{8}[\dX]{4}$"#, options: .regularExpression) != nil, "masked id: \(maskedId)")
                #expect((first["XM"] as? String)?.contains("*") == true)
                #expect(first["HJDZ"] == nil, "items outside the subscription are absent, not null")
                #expect(Self.records(read.json).count == 5)
                // The paging cursor is sealed: the clear key of the last row cannot be read from it.
                let next = try #require(read.json["next"] as? String)
                let padded =
                    next.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                    + String(repeating: "=", count: (4 - next.count % 4) % 4)
                let opened = String(decoding: Data(base64Encoded: padded) ?? Data(), as: UTF8.self)
                #expect(!opened.contains("key") && !opened.contains(String(maskedId.suffix(4))))

                // A conditional item without a grant: 403 naming it.
                let conditional = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: #"{"purpose":"\#(subscription)","fields":["XM","HJDZ"]}"#)
                #expect(conditional.status == .forbidden)
                #expect(conditional.json["code"] as? String == "item_not_permitted")
                #expect(fieldErrors(conditional.json).map(\.field) == ["fields.HJDZ"])

                // The provider reads every item in clear without a purpose.
                let own = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":3}"#)
                #expect(own.status == .ok)
                #expect((own.json["fields"] as? [[String: Any]])?.count == 9)
                let clearId = try #require(Self.records(own.json).first?["GMSFHM"] as? String)
                #expect(!clearId.contains("*") && clearId.count == 18)

                // A grant for one conditional item (and the ID in clear): exactly the granted items.
                let grant = try await client.json(
                    .post, "/api/v1/grants", token: admin,
                    body: """
                        {"department_code":"11440000MB9525066D","entry_code":"\(code)","items":["GMSFHM","HJDZ"],
                         "clear_items":["GMSFHM"],"purpose":"住房公积金提取核验户籍地址","valid_until":"\(CivilDate(instant: Date()).adding(days: 365).description)"}
                        """)
                #expect(grant.status == .created, "\(grant.json)")
                // Made outside the workflow: proposed until a second person confirms and, for the clear ID number
                // (grade 4), the provider consents; nothing is read under it meanwhile.
                #expect(grant.json["status"] as? String == "proposed" && grant.json["in_force"] as? Bool == false)
                #expect(grant.json["provider_consent"] as? String == "pending")
                let grantId = try #require(grant.json["id"] as? String)
                #expect(
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: user,
                        body: #"{"purpose":"\#(grantId)"}"#
                    ).status == .forbidden)
                let samePerson = try await client.json(.post, "/api/v1/grants/\(grantId)/confirm", token: admin, body: #"{"confirm":true}"#)
                #expect(samePerson.status == .forbidden && samePerson.json["code"] as? String == "four_eyes", "\(samePerson.json)")
                let confirmed = try await client.json(
                    .post, "/api/v1/grants/\(grantId)/confirm", token: try await client.token("gd_reviewer"),
                    body: #"{"confirm":true}"#)
                #expect(confirmed.status == .ok && confirmed.json["status"] as? String == "proposed", "\(confirmed.json)")
                // The provider (here the authority's own department) consents through a third person.
                let consenter = try await SecurityHardeningTests.user(
                    client, admin: admin, username: "gd_provider_reviewer",
                    department: "11440000MB3307905U", role: "department_reviewer")
                let consented = try await client.json(
                    .post, "/api/v1/grants/\(grantId)/consent", token: consenter, body: #"{"consent":true}"#)
                #expect(consented.status == .ok && consented.json["in_force"] as? Bool == true, "\(consented.json)")
                let granted = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: """
                        {"purpose":"\(grantId)","filters":{"GMSFHM":"\(clearId)"}}
                        """)
                #expect(granted.status == .ok, "\(granted.json)")
                #expect((granted.json["fields"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["GMSFHM", "HJDZ"])
                let row = try #require(Self.records(granted.json).first)
                #expect(row["GMSFHM"] as? String == clearId)
                #expect((row["HJDZ"] as? String)?.contains("*") == true)
                #expect(Set(row.keys) == ["GMSFHM", "HJDZ"])

                // Only administrators grant; a data user cannot.
                let selfGrant = try await client.json(
                    .post, "/api/v1/grants", token: user,
                    body: """
                        {"department_code":"11440000MB9525066D","entry_code":"\(code)","items":["HJDZ"],"purpose":"x","valid_until":"\(CivilDate(instant: Date()).adding(days: 365).description)"}
                        """)
                #expect(selfGrant.status == .forbidden)
                // A city's authority reviewer has no say over the province's data: neither granting nor revoking.
                let city = try await client.token("gz_reviewer")
                let cityGrant = try await client.json(
                    .post, "/api/v1/grants", token: city,
                    body: """
                        {"department_code":"11440100MB65492908","entry_code":"\(code)","items":["HJDZ"],"purpose":"x","valid_until":"\(CivilDate(instant: Date()).adding(days: 365).description)"}
                        """)
                #expect(
                    cityGrant.status == .forbidden && cityGrant.json["code"] as? String == "not_reviewing_authority", "\(cityGrant.json)")
                #expect(
                    try await client.json(.post, "/api/v1/grants/\(grantId)/revoke", token: city, body: #"{"reason":"x"}"#).status
                        == .forbidden)
                let tooLong = try await client.json(
                    .post, "/api/v1/grants", token: try await client.token("gd_reviewer"),
                    body: """
                        {"department_code":"11440000MB9525066D","entry_code":"\(code)","items":["HJDZ"],"purpose":"x","valid_until":"2099-12-31"}
                        """)
                #expect(fieldErrors(tooLong.json).map(\.rule) == ["max"])

                // Revoked: the next read fails.
                let revoked = try await client.json(.post, "/api/v1/grants/\(grantId)/revoke", token: admin, body: #"{"reason":"用途已完成"}"#)
                #expect(revoked.json["status"] as? String == "revoked")
                #expect(revoked.json["in_force"] as? Bool == false)
                let afterRevoke = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(grantId)"}"#)
                #expect(afterRevoke.status == .forbidden)

                // The auditor finds every read that returned this ID number: the provider's page and the grant read.
                let trace = try await client.json(.get, "/api/v1/data-reads?record=\(clearId)", token: auditor)
                #expect(trace.status == .ok)
                let reads = Self.array(trace.response)
                // The subscription's first page (masked) returned it too: a masked read is still a read of the record.
                #expect(Set(reads.compactMap { $0["purpose_id"] as? String }) == ["provider", grantId, subscription], "\(reads)")
                #expect(reads.allSatisfy { !(($0["filter"] as? String) ?? "").contains(clearId) }, "the log must not hold the ID in clear")
                #expect(try await client.json(.get, "/api/v1/data-reads?record=\(clearId)", token: user).status == .forbidden)
                // The auditor's search is itself audited, without the record in clear.
                let searches = try await client.json(.get, "/api/v1/audit/events?action=data.trace", token: auditor)
                let searchItems = searches.json["items"] as? [[String: Any]] ?? []
                #expect(searchItems.count == 1, "\(searches.json)")
                #expect(!"\(searchItems)".contains(clearId))

                // The references travel packed with each read until the indexer moves them: the same answer with one
                // read indexed and the rest searched directly, and with all of them indexed.
                let purposes = { () async throws -> Set<String> in
                    let again = try await client.json(.get, "/api/v1/data-reads?record=\(clearId)", token: auditor)
                    return Set(Self.array(again.response).compactMap { $0["purpose_id"] as? String })
                }
                #expect(try await env.platform.exchange.indexReadReferences(limit: 1) == 1)
                #expect(try await purposes() == ["provider", grantId, subscription])
                // A transaction stops at its reference bound, yet always moves at least one read.
                #expect(try await env.platform.exchange.indexReadReferences(limit: 100, references: 1) == 1)
                #expect(try await purposes() == ["provider", grantId, subscription])
                while try await env.platform.exchange.indexReadReferences(limit: 2) > 0 {}
                #expect(try await env.platform.exchange.indexReadReferences(limit: 100) == 0)
                #expect(try await purposes() == ["provider", grantId, subscription])

                let verify = try await client.json(.get, "/api/v1/audit/verify", token: auditor)
                #expect(verify.json["ok"] as? Bool == true)
            }
        }
    }

    /// A revocation and renewals sent together: whatever order they land in, a revocation that answered 200 stays.
    @Test(arguments: TestDatabase.available)
    func grantChangesSentTogetherDoNotUndoEachOther(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let code = try await Self.populationCode(client, admin)
                let until: @Sendable (Int) -> String = { days in CivilDate(instant: Date()).adding(days: days).description }
                let grant = try await client.json(
                    .post, "/api/v1/grants", token: admin,
                    body: """
                        {"department_code":"11440000MB9525066D","entry_code":"\(code)","items":["HJDZ"],"purpose":"x","valid_until":"\(until(30))"}
                        """)
                let id = try #require(grant.json["id"] as? String, "\(grant.json)")
                let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                    for i in 0..<6 {
                        group.addTask {
                            let revoke = i == 2
                            let path = revoke ? "revoke" : "renew"
                            let body = revoke ? #"{"reason":"停用"}"# : #"{"reason":"续期","valid_until":"\#(until(60 + i))"}"#
                            return (
                                path,
                                Int(try await client.json(.post, "/api/v1/grants/\(id)/\(path)", token: admin, body: body).status.code)
                            )
                        }
                    }
                    return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
                }
                #expect(results.allSatisfy { [200, 409].contains($0.1) }, "\(results)")
                let final = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: admin).response).first {
                    $0["id"] as? String == id
                }
                let revoked = results.contains { $0 == ("revoke", 200) }
                #expect((final?["status"] as? String == "revoked") == revoked, "\(results) → \(final ?? [:])")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func reportingIsAllOrNothingOrRowByRowAndIdempotent(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await Self.populationCode(client, provider)
                let before = try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int
                #expect(before == 300)
                let csv = """
                    公民身份号码,姓名,性别,出生日期,户籍地址
                    11010519491231002X,测试甲,2,1949-12-31,广东省广州市天河区测试路1号
                    110105194912310021,测试乙,1,1949-12-31,广东省广州市天河区测试路2号
                    44010619900101123,测试丙,1,1990-01-01,广东省广州市天河区测试路3号

                    """
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(provider)"
                headers[.contentType] = "text/csv"
                let refused = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import", method: .post, headers: headers,
                    body: ByteBuffer(string: csv))
                #expect(refused.status == .unprocessableContent)
                let problem = (try? JSONSerialization.jsonObject(with: Data(refused.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(fieldErrors(problem).map(\.field) == ["row 3.GMSFHM", "row 4.GMSFHM"])
                let refusedState = try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json
                #expect(refusedState["row_count"] as? Int == 300)
                // The refused batch still counts in the quality figures: 3 rows checked, 2 failed, both on the ID rule.
                let quality = try #require(refusedState["quality"] as? [String: Any])
                #expect((quality["by_rule"] as? [String: Any])?["resident_id"] as? Int == 2)
                #expect(quality["failed"] as? Int == 2)

                let rowMode = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row&batch_id=csv-1", method: .post,
                    headers: headers, body: ByteBuffer(string: csv))
                #expect(rowMode.status == .created)
                let batch = (try? JSONSerialization.jsonObject(with: Data(rowMode.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(batch["accepted"] as? Int == 1)
                #expect(batch["rejected"] as? Int == 2)
                #expect((batch["rejected_rows"] as? [[String: Any]])?.compactMap { $0["row"] as? Int } == [3, 4])
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 301)

                // The same client batch id again: nothing is applied twice.
                let replay = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row&batch_id=csv-1", method: .post,
                    headers: headers, body: ByteBuffer(string: csv))
                #expect(replay.status == .ok)

                // JSON push: upsert then delete by key.
                let push = try await client.json(
                    .post, "/api/v1/datasets/\(code)/rows", token: provider,
                    body: """
                        {"batch_id":"json-1","upsert":[{"GMSFHM":"11010519491231002X","XM":"测试甲改","CSRQ":"1949-12-31"}]}
                        """)
                #expect(push.status == .created, "\(push.json)")
                let changed = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"11010519491231002X"},"fields":["XM"]}"#)
                #expect(Self.records(changed.json).first?["XM"] as? String == "测试甲改", "\(changed.json)")
                // The answer is written as JSON by hand: quotes, backslashes and control characters come back intact.
                let awkward = "王\"引号\"\\反斜杠\n换行\t制表\u{1}"
                let escaped = String(decoding: try JSONSerialization.data(withJSONObject: ["v": awkward]), as: UTF8.self)
                    .dropFirst(5).dropLast(1)
                #expect(
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/rows", token: provider,
                        body: """
                            {"upsert":[{"GMSFHM":"11010519491231002X","XM":\(escaped),"CSRQ":"1949-12-31"}]}
                            """
                    ).status == .created)
                let odd = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"11010519491231002X"},"fields":["XM"]}"#)
                #expect(Self.records(odd.json).first?["XM"] as? String == awkward, "\(odd.json)")
                let delete = try await client.json(
                    .post, "/api/v1/datasets/\(code)/rows", token: provider,
                    body: #"{"delete":["11010519491231002X"]}"#)
                #expect(delete.json["deleted"] as? Int == 1)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 300)

                // Only the provider reports.
                let other = try await client.json(
                    .post, "/api/v1/datasets/\(code)/rows", token: try await client.token("amr_cataloger"),
                    body: #"{"upsert":[{"GMSFHM":"11010519491231002X"}]}"#)
                #expect(other.status == .forbidden)
                let history = Self.array(try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: provider).response)
                #expect(history.count >= 3)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func keysetPagesFiltersAndCKANDataStore(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await Self.populationCode(client, provider)
                // Birth date, name and ID number are graded 3-4 and stored encrypted (issue 15), so paging sorts,
                // ranges and prefixes over 出生地 (grade 2, many ties: the tie-break on the stored key is exercised).
                var seen: [String] = []
                var places: [String] = []
                var after: String?
                repeat {
                    let cursor = after.map { #","after":"\#($0)""# } ?? ""
                    let page = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: provider,
                        body: #"{"fields":["GMSFHM","CSD"],"sort":"CSD desc","limit":120\#(cursor)}"#)
                    #expect(page.status == .ok, "\(page.json)")
                    for record in Self.records(page.json) {
                        seen.append(record["GMSFHM"] as? String ?? "")
                        places.append(record["CSD"] as? String ?? "")
                    }
                    after = page.json["next"] as? String
                } while after != nil && seen.count < 1000
                #expect(seen.count == 300)
                #expect(Set(seen).count == 300)
                #expect(seen.allSatisfy { $0.count == 18 }, "clear ID numbers to the provider")
                #expect(places == places.sorted(by: >))

                let ranged = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["CSD"],"filters":{"CSD":{"gte":"广东省广州市","lt":"广东省深圳市"}},"limit":1000}"#)
                #expect(ranged.status == .ok, "\(ranged.json)")
                let inRange = Self.records(ranged.json).compactMap { $0["CSD"] as? String }
                #expect(!inRange.isEmpty && inRange.allSatisfy { $0 >= "广东省广州市" && $0 < "广东省深圳市" })
                #expect(inRange.count == places.filter { $0 >= "广东省广州市" && $0 < "广东省深圳市" }.count)

                let prefix = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM","CSD"],"filters":{"CSD":{"prefix":"广东省广州市"}},"limit":1000}"#)
                #expect(prefix.status == .ok, "\(prefix.json)")
                let inCity = Self.records(prefix.json).compactMap { $0["CSD"] as? String }
                #expect(!inCity.isEmpty && inCity.allSatisfy { $0.hasPrefix("广东省广州市") })
                #expect(inCity.count == places.filter { $0.hasPrefix("广东省广州市") }.count)

                // The encrypted items refuse ranges and prefixes, even to their provider, naming the item.
                for body in [
                    #"{"fields":["CSD"],"filters":{"CSRQ":{"gte":"1980-01-01","lt":"1990-01-01"}}}"#,
                    #"{"fields":["CSD"],"filters":{"GMSFHM":{"prefix":"4401"}}}"#,
                ] {
                    let refused = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: body)
                    #expect(refused.status == .unprocessableContent, "\(refused.json)")
                    #expect(fieldErrors(refused.json).first?.rule == "encrypted_item", "\(refused.json)")
                }

                // A masked item can be matched exactly but not by prefix.
                let user = try await client.token("hrss_user")
                let subscription = try #require(
                    Self.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"] as? String)
                let walk = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: #"{"purpose":"\#(subscription)","filters":{"GMSFHM":{"prefix":"4401"}}}"#)
                #expect(walk.status == .unprocessableContent)
                #expect(fieldErrors(walk.json).first?.rule == "masked_item")

                // CKAN DataStore: same rules, CKAN's result shape.
                let ckan = try await client.json(
                    .get, "/api/3/action/datastore_search?resource_id=\(code)&purpose=\(subscription)&limit=7&fields=XM,XB",
                    token: user)
                #expect(ckan.status == .ok, "\(ckan.json)")
                let result = try #require(ckan.json["result"] as? [String: Any])
                #expect((result["records"] as? [[String: Any]])?.count == 7)
                #expect(result["total"] as? Int == 300)
                #expect((result["fields"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["XM", "XB"])
                let anonymous = try await client.json(.get, "/api/3/action/datastore_search?resource_id=\(code)")
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aReadFailsWhenItsAuditCannotBeWritten(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await Self.populationCode(client, provider)
                // Break the read log only, so sign-in still works and the read is what fails.
                try await env.platform.database.transaction { db in try await db.raw("DROP TABLE data_reads").run() }
                let read = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":5}"#)
                #expect(read.status.code >= 500)
                #expect(read.json["records"] == nil)
            }
        }
    }

    /// Reads arriving together share one audit transaction (group commit); each still gets its own entry.
    @Test(arguments: TestDatabase.available)
    func concurrentReadsEachGetTheirOwnAuditEntry(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await Self.populationCode(client, provider)
                let ids = try await withThrowingTaskGroup(of: Int64?.self) { group in
                    for _ in 0..<24 {
                        group.addTask {
                            let read = try await client.json(
                                .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":3}"#)
                            return (read.json["read_id"] as? NSNumber)?.int64Value
                        }
                    }
                    return try await group.reduce(into: [Int64?]()) { $0.append($1) }
                }
                #expect(ids.count == 24 && ids.allSatisfy { $0 != nil })
                #expect(Set(ids.compactMap { $0 }).count == 24)
                let verify = try await client.json(.get, "/api/v1/audit/verify", token: try await client.token("auditor"))
                #expect(verify.json["ok"] as? Bool == true)
            }
        }
    }

    /// A republished entry drives the dataset: a tightened item is no longer readable under a subscription, a new item
    /// gets a column the provider can report.
    @Test(arguments: TestDatabase.available)
    func republishingTheEntryUpdatesTheDatasetColumns(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let user = try await client.token("hrss_user")
                let code = try await Self.populationCode(client, user)
                let entryId = try #require(try await client.json(.get, "/api/v1/datasets/\(code)", token: user).json["entry_id"] as? String)
                let entry = try await client.json(.get, "/api/v1/catalog/entries/\(entryId)", token: provider)
                var content = try #require((entry.json["version"] as? [String: Any])?["content"] as? [String: Any])
                var items = try #require(content["items"] as? [[String: Any]])
                for i in items.indices where items[i]["code"] as? String == "XB" {
                    items[i]["share_type"] = "conditional"
                    items[i]["is_basic"] = false
                    items[i]["share_conditions"] = "仅限户籍业务"
                    items[i]["legal_basis"] = ["instrument": "《中华人民共和国居民身份证法》", "article": "第三条"]
                }
                items.append([
                    "name": "婚姻状况", "code": "HYZK", "data_type": "C", "length": 2, "share_type": "unconditional", "sensitivity": 2,
                ])
                content["items"] = items
                let body = String(decoding: try JSONSerialization.data(withJSONObject: ["content": content]), as: UTF8.self)
                let edited = try await client.json(.put, "/api/v1/catalog/entries/\(entryId)", token: provider, body: body)
                #expect(edited.status == .ok, "\(edited.json)")
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(entryId)/submit", token: provider)
                let published = try await client.json(
                    .post, "/api/v1/catalog/entries/\(entryId)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"decision":"publish"}"#)
                #expect(published.json["published_version"] as? Int == 2, "\(published.json)")

                let subscription = try #require(
                    Self.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"] as? String)
                let tightened = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: #"{"purpose":"\#(subscription)","fields":["XB"]}"#)
                #expect(tightened.status == .forbidden)
                let dataset = try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json
                #expect(dataset["entry_version"] as? Int == 2)
                #expect((dataset["columns"] as? [[String: Any]])?.contains { $0["item"] as? String == "HYZK" } == true)
                let first = try #require(
                    Self.records(
                        try await client.json(
                            .post, "/api/v1/datasets/\(code)/query", token: provider,
                            body: #"{"fields":["GMSFHM"],"limit":1}"#
                        ).json
                    ).first?["GMSFHM"] as? String)
                let upsert = try await client.json(
                    .post, "/api/v1/datasets/\(code)/rows", token: provider,
                    body: #"{"upsert":[{"GMSFHM":"\#(first)","HYZK":"20"}]}"#)
                #expect(upsert.status == .created, "\(upsert.json)")
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["HYZK"],"filters":{"GMSFHM":"\#(first)"}}"#)
                #expect(Self.records(read.json).first?["HYZK"] as? String == "20")
            }
        }
    }
}

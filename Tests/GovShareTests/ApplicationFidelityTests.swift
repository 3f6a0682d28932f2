import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 12, points 1 and 2: the application is answered in time even when the provider is silent (Art. 19), and
/// approved access can be usable in clear where the business needs it and both reviewers agree (Art. 17, 19).
@Suite("Application fidelity: silent providers, clear items (Art. 17, 19)")
struct ApplicationFidelityTests {
    static func applyWithClear(_ client: any TestClientProtocol, _ token: String, code: String, clear: String) async throws -> (
        status: HTTPResponse.Status, json: [String: Any], response: TestResponse
    ) {
        try await client.json(
            .post, "/api/v1/applications", token: token,
            body: """
                {"entry_code":"\(code)","items":["GMSFHM","HJDZ"],"purpose":"核定社会保险待遇时核验参保人户籍",
                 "business":"企业职工基本养老保险待遇核定","basis":"《中华人民共和国社会保险法》第五十八条","users":["社保经办系统"],
                 "contact":"李工 020-12345678","data_manager":"省人社厅数据管理科 王科长","valid_until":"2026-06-30",
                 "clear_items":\(clear)}
                """)
    }

    static func days(from: String, to: String) -> Double {
        Double(CivilDate(to)!.dayNumber - CivilDate(from)!.dayNumber) * 86_400
    }

    @Test(arguments: TestDatabase.available)
    func clearValuesOnlyWhereAskedWithAReasonAndApprovedByBoth(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, clock: ManualClock(ApplicationTests.receipt)) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                // Asking for clear needs a reason, an item applied for, and an item that would be masked.
                let noReason = try await Self.applyWithClear(client, applicant, code: code, clear: #"[{"item":"GMSFHM","reason":" "}]"#)
                #expect(noReason.status == .unprocessableContent)
                #expect(fieldErrors(noReason.json).map(\.field) == ["clear_items[0].reason"], "\(noReason.json)")
                let notApplied = try await Self.applyWithClear(client, applicant, code: code, clear: #"[{"item":"HZXM","reason":"核对户主"}]"#)
                #expect(fieldErrors(notApplied.json).map(\.rule) == ["not_requested"], "\(notApplied.json)")

                let applied = try await Self.applyWithClear(
                    client, applicant, code: code,
                    clear: #"[{"item":"GMSFHM","reason":"待遇核定须以完整公民身份号码比对参保档案"}]"#)
                #expect(applied.status == .created, "\(applied.json)")
                let id = try #require(applied.json["id"] as? String)
                #expect((applied.json["clear_items"] as? [[String: String]])?.first?["item"] == "GMSFHM")

                // A reviewer cannot approve clear what was not asked for clear.
                let psb = try await client.token("psb_reviewer")
                let notAsked = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: psb,
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"clear_items":["HJDZ"]}"#)
                #expect(fieldErrors(notAsked.json).map(\.rule) == ["not_asked"], "\(notAsked.json)")
                let provider = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: psb,
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"clear_items":["GMSFHM"]}"#)
                #expect(provider.status == .ok, "\(provider.json)")
                let authority = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"clear_items":["GMSFHM"]}"#)
                #expect(authority.json["status"] as? String == "approved", "\(authority.json)")
                let grantId = try #require(authority.json["grant_id"] as? String)
                let grants = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: applicant).response)
                let grant = try #require(grants.first { $0["id"] as? String == grantId })
                #expect(grant["clear_items"] as? [String] == ["GMSFHM"], "\(grant)")

                // The exchange honours it: the ID number in clear, the address (approved masked) masked.
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: applicant,
                    body: #"{"purpose":"\#(grantId)","fields":["GMSFHM","HJDZ"],"limit":3}"#)
                #expect(read.status == .ok, "\(read.json)")
                let rows = (read.json["records"] as? [[String: Any]]) ?? []
                #expect(!rows.isEmpty)
                for row in rows {
                    let id = row["GMSFHM"] as? String ?? ""
                    #expect(id.count == 18 && !id.contains("*"), "clear: \(id)")
                    #expect((row["HJDZ"] as? String ?? "").contains("*"), "masked: \(row)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func clearNeedsBothReviewers(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, clock: ManualClock(ApplicationTests.receipt)) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let applied = try await Self.applyWithClear(client, applicant, code: code, clear: #"[{"item":"GMSFHM","reason":"比对参保档案"}]"#)
                let id = try #require(applied.json["id"] as? String)
                _ = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                let authority = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"clear_items":["GMSFHM"]}"#)
                let grantId = try #require(authority.json["grant_id"] as? String)
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: applicant,
                    body: #"{"purpose":"\#(grantId)","fields":["GMSFHM"],"limit":2}"#)
                let rows = (read.json["records"] as? [[String: Any]]) ?? []
                #expect(
                    !rows.isEmpty && rows.allSatisfy { ($0["GMSFHM"] as? String ?? "").contains("*") },
                    "the provider approved the ID masked, so it stays masked: \(rows)")
            }
        }
    }

    /// The provider never answers. The authority's decision made before the silence point waits for it; at the point
    /// the sweep settles the application on the authority's decision, in time; the statistics show the provider late.
    @Test(arguments: TestDatabase.available)
    func aSilentProviderCannotKeepAnApplicationOpen(database: TestDatabase) async throws {
        let clock = ManualClock(ApplicationTests.receipt)
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let applied = try await ApplicationTests.apply(client, applicant, code: code)
                let id = try #require(applied["id"] as? String)
                let due = try #require(applied["due_on"] as? String)
                let point = try #require(applied["silence_point"] as? String)
                #expect(point < due, "the silence point comes before the due date")
                let authorityDecision = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM"],"refusals":[]}"#)
                #expect(authorityDecision.status == .unprocessableContent, "HJDZ undecided: \(authorityDecision.json)")
                let decided = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(decided.json["status"] as? String == "under_review", "waits for the provider before the point: \(decided.json)")

                clock.advance(by: Self.days(from: "2026-02-13", to: point))
                let ops = try await client.token("ops")
                _ = try await client.json(.post, "/api/v1/applications/sweep", token: ops)
                let settled = try await client.json(.get, "/api/v1/applications/\(id)", token: try await client.token("hrss_user"))
                #expect(settled.json["status"] as? String == "approved", "\(settled.json)")
                #expect(settled.json["provider_silent_at"] as? String != nil)
                #expect(settled.json["grant_id"] as? String != nil)
                let providerInbox = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/notifications", token: try await client.token("psb_reviewer")).response)
                #expect(providerInbox.contains { $0["kind"] as? String == "application.provider_silent" })

                // Too late for the provider now; and the statistics put the lateness on the provider, not the authority.
                let late = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(late.status == .conflict)
                let stats = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/applications/statistics", token: try await client.token("hrss_user")).response)
                let providerRow = try #require(stats.first { $0["role"] as? String == "provider" && ($0["received"] as? Int ?? 0) > 0 })
                #expect(providerRow["late"] as? Int == 1 && providerRow["silent"] as? Int == 1, "\(providerRow)")
                let authorityRow = try #require(stats.first { $0["role"] as? String == "authority" && ($0["received"] as? Int ?? 0) > 0 })
                #expect(authorityRow["answered_on_time"] as? Int == 1 && authorityRow["late"] as? Int == 0, "\(authorityRow)")
                // The authority's applications page charts it.
                let jar = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let (_, page) = try await PortalDataTests.get(client, "/applications", jar)
                #expect(page.contains("id=\"reply-chart\"") && page.contains("逾期未答复 1"), "the chart shows the provider silent")
            }
        }
    }

    /// Provider-first order: the authority waits for the provider, but never past the silence point.
    @Test(arguments: TestDatabase.available)
    func afterTheSilencePointTheAuthorityDecidesAloneWhateverTheOrder(database: TestDatabase) async throws {
        let clock = ManualClock(ApplicationTests.receipt)
        try await TestEnvironment.with(
            database, demoApplications: false, settings: ["application_review_order": "provider_first"],
            clock: clock
        ) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let applied = try await ApplicationTests.apply(client, applicant, code: code)
                let id = try #require(applied["id"] as? String)
                let point = try #require(applied["silence_point"] as? String)
                let early = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(early.status == .conflict, "provider first: \(early.json)")
                clock.advance(by: Self.days(from: "2026-02-13", to: point))
                let alone = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body:
                        #"{"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ","reason":"超出业务所需","basis":{"instrument":"《中华人民共和国个人信息保护法》","article":"第六条"}}]}"#
                )
                #expect(alone.json["status"] as? String == "approved", "\(alone.json)")
                let decision = try #require((alone.json["decisions"] as? [[String: Any]])?.last)
                #expect(decision["without_provider"] as? Bool == true)

                // The portal says the authority decided alone.
                let jar = try await PortalCatalogTests.signIn(client, "hrss_user")
                let (_, page) = try await PortalDataTests.get(client, "/applications/\(id)", jar)
                #expect(page.contains("主管部门单独决定"))
            }
        }
    }
}

import Foundation
import GovShareCore
import HummingbirdTesting
import Testing

/// Art. 19 end to end: 省人社厅 applies for two conditional items of 居民户籍信息 (省公安厅); the provincial data
/// authority and the provider review; the grant is what the exchange API enforces.
@Suite("Sharing applications (Art. 16, 19)")
struct ApplicationTests {
    /// 2026-02-13 10:00 in Guangdong.
    static let receipt = Date(timeIntervalSince1970: 1_770_948_000)

    static func householdCode(_ client: any TestClientProtocol, _ token: String) async throws -> String {
        let datasets = ExchangeTests.array(try await client.json(.get, "/api/v1/datasets", token: token).response)
        let code = try #require(datasets.first { ($0["entry_code"] as? String)?.hasPrefix("301001/") == true }?["entry_code"] as? String)
        return code.replacingOccurrences(of: "/", with: "-")
    }

    static func apply(_ client: any TestClientProtocol, _ token: String, code: String, until: String = "2026-06-30") async throws
        -> [String: Any]
    {
        let applied = try await client.json(
            .post, "/api/v1/applications", token: token,
            body: """
                {"entry_code":"\(code)","items":["GMSFHM","HJDZ"],"purpose":"核定社会保险待遇时核验参保人户籍",
                 "business":"企业职工基本养老保险待遇核定","basis":"《社会保险法》第五十八条","users":["社保经办系统"],
                 "contact":"李工 020-12345678","data_manager":"省人社厅数据管理科 王科长","valid_until":"\(until)"}
                """)
        #expect(applied.status == .created, "\(applied.json)")
        return applied.json
    }

    /// Two decisions sent at once cannot both act on what they read: one lands (with one grant), the other is refused.
    @Test(arguments: TestDatabase.available)
    func decisionsSentTogetherCreateOneGrant(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, clock: ManualClock(Self.receipt)) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await Self.householdCode(client, applicant)
                let id = try #require(try await Self.apply(client, applicant, code: code)["id"] as? String)
                let past = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"valid_until":"2020-01-01"}"#)
                #expect(fieldErrors(past.json).map(\.rule) == ["future"], "a grant that has already ended is no decision")
                let provider = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(provider.json["status"] as? String == "under_review", "\(provider.json)")
                let authority = try await client.token("gd_reviewer")
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            try await client.json(
                                .post, "/api/v1/applications/\(id)/review", token: authority,
                                body: #"{"approved_items":["GMSFHM","HJDZ"]}"#
                            ).status.code
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == 1 && statuses.filter { $0 == 409 }.count == 3, "\(statuses)")
                let grants = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: applicant).response)
                #expect(grants.filter { $0["application_id"] as? String == id }.count == 1, "\(grants)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func partialApprovalCreatesAGrantForExactlyTheApprovedItem(database: TestDatabase) async throws {
        let clock = ManualClock(Self.receipt)
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await Self.householdCode(client, applicant)
                let application = try await Self.apply(client, applicant, code: code)
                #expect(application["due_on"] as? String == "2026-03-05")
                #expect(application["due_provisional"] as? Bool == false)
                let id = try #require(application["id"] as? String)

                let provider = try await client.token("psb_reviewer")
                // No reasons, no basis: refused by the API, naming the fields.
                let bare = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: provider,
                    body: #"{"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ"}]}"#)
                #expect(bare.status == .unprocessableContent)
                #expect(Set(fieldErrors(bare.json).map(\.rule)) == ["reason_required", "legal_basis_required"])
                let internalRule = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: provider,
                    body: """
                        {"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ","reason":"涉及隐私","basis":{"instrument":"《公安厅内部数据管理制度》","article":"第五条"}}]}
                        """)
                #expect(fieldErrors(internalRule.json).first?.rule == "not_a_legal_basis")

                let providerDecision = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: provider,
                    body: """
                        {"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ","reason":"户籍地址属敏感个人信息，核定待遇无需地址",
                         "basis":{"instrument":"《中华人民共和国个人信息保护法》","article":"第六条"}}],"conditions":"仅用于待遇核定"}
                        """)
                #expect(providerDecision.json["status"] as? String == "under_review", "\(providerDecision.json)")
                let authority = try await client.token("gd_reviewer")
                let done = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: authority,
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(done.json["status"] as? String == "approved")
                let grantId = try #require(done.json["grant_id"] as? String)

                let grants = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: applicant).response)
                let grant = try #require(grants.first { $0["id"] as? String == grantId })
                #expect(grant["items"] as? [String] == ["GMSFHM"])
                #expect(grant["valid_until"] as? String == "2026-06-30")

                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: applicant, body: #"{"purpose":"\#(grantId)","limit":3}"#)
                #expect(read.status == .ok, "\(read.json)")
                #expect((read.json["fields"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["GMSFHM"])
                let refusedItem = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: applicant,
                    body: #"{"purpose":"\#(grantId)","fields":["HJDZ"]}"#)
                #expect(refusedItem.status == .forbidden)

                let usage = try await client.json(.get, "/api/v1/grants/\(grantId)/usage", token: try await client.token("psb_cataloger"))
                #expect(usage.json["reads"] as? Int == 1 && usage.json["rows"] as? Int == 3)
                let inbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: applicant).response)
                #expect(inbox.contains { $0["kind"] as? String == "application.approved" })

                // Expiry ends it; renewal brings it back; revocation ends it for good.
                clock.advance(by: 140 * 86_400)  // 2026-07-03
                let expiredToken = try await client.token("hrss_user")
                let expired = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: expiredToken, body: #"{"purpose":"\#(grantId)"}"#)
                #expect(expired.status == .forbidden)
                let admin = try await client.token("gd_reviewer")
                let renewed = try await client.json(
                    .post, "/api/v1/grants/\(grantId)/renew", token: admin,
                    body: #"{"valid_until":"2026-12-31","reason":"业务持续"}"#)
                #expect(renewed.json["valid_until"] as? String == "2026-12-31", "\(renewed.json)")
                #expect(
                    try await client.json(.post, "/api/v1/datasets/\(code)/query", token: expiredToken, body: #"{"purpose":"\#(grantId)"}"#)
                        .status == .ok)
                _ = try await client.json(.post, "/api/v1/grants/\(grantId)/revoke", token: admin, body: #"{"reason":"用途已完成"}"#)
                #expect(
                    try await client.json(.post, "/api/v1/datasets/\(code)/query", token: expiredToken, body: #"{"purpose":"\#(grantId)"}"#)
                        .status == .forbidden)

                let events = try await client.json(.get, "/api/v1/audit/events?object_id=\(id)", token: try await client.token("auditor"))
                let actions = ((events.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
                #expect(Set(actions).isSuperset(of: ["application.submit", "application.review.provider", "application.review.authority"]))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func unansweredApplicationsGoOverdueAreEscalatedAndCountLate(database: TestDatabase) async throws {
        let clock = ManualClock(Self.receipt)
        // Without the demo's applications, so the counts are this test's alone.
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await Self.householdCode(client, applicant)
                let id = try #require(try await Self.apply(client, applicant, code: code)["id"] as? String)
                clock.advance(by: 21 * 86_400)  // 2026-03-06, the day after the due date
                let token = try await client.token("hrss_user")
                let late = try await client.json(.get, "/api/v1/applications/\(id)", token: token)
                #expect(late.json["overdue"] as? Bool == true)
                let swept = try await client.json(.post, "/api/v1/applications/sweep", token: try await client.token("ops"))
                #expect(swept.json["escalated"] as? Int == 1, "\(swept.json)")
                let authorityInbox = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/notifications", token: try await client.token("gd_reviewer")).response)
                #expect(authorityInbox.contains { $0["kind"] as? String == "application.overdue" })
                let queue = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/applications?scope=review", token: try await client.token("psb_reviewer")).response
                )
                #expect(queue.first?["id"] as? String == id && queue.first?["overdue"] as? Bool == true)

                let stats = ExchangeTests.array(try await client.json(.get, "/api/v1/applications/statistics", token: token).response)
                let psb = try #require(stats.first { ($0["received"] as? Int ?? 0) > 0 })
                #expect(psb["late"] as? Int == 1 && psb["open"] as? Int == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDemoHasApplicationsInEveryStateSomeOverdue(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let all = try await env.platform.storage.applicationRepository.list(departmentIds: nil, openOnly: false)
            #expect(Set(all.map(\.status)) == Set(ApplicationStatus.allCases))
            #expect(all.first { $0.status == .approved }?.grantId != nil)
            #expect(all.contains { $0.escalatedAt != nil }, "the 30-day-old application is overdue and escalated")
            try await env.test { client in
                let queue = ExchangeTests.array(
                    try await client.json(
                        .get, "/api/v1/applications?scope=review",
                        token: try await client.token("psb_reviewer")
                    ).response)
                #expect(queue.first?["overdue"] as? Bool == true, "overdue first")
                let jar = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (_, page) = try await PortalDataTests.get(client, "/applications", jar)
                #expect(page.contains("已逾期") && page.contains("待补充材料"))
            }
        }
    }

    /// While the applicant is asked for more, the clock stands: the application is not overdue however long it waits.
    @Test(arguments: TestDatabase.available)
    func aPausedApplicationIsNotOverdue(database: TestDatabase) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_772_416_800))  // 2026-03-02, due 2026-03-16
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await Self.householdCode(client, applicant)
                let id = try #require(try await Self.apply(client, applicant, code: code)["id"] as? String)
                _ = try await client.json(
                    .post, "/api/v1/applications/\(id)/request-info", token: try await client.token("psb_reviewer"),
                    body: #"{"question":"请补充业务依据"}"#)
                clock.advance(by: 30 * 86_400)  // 04-01: past the first due date, still waiting for the answer
                let waiting = try await client.json(.get, "/api/v1/applications/\(id)", token: try await client.token("hrss_user"))
                #expect(waiting.json["status"] as? String == "info_requested")
                #expect(waiting.json["overdue"] as? Bool == false, "\(waiting.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anInformationRequestPausesTheClock(database: TestDatabase) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_772_416_800))  // 2026-03-02 10:00 in Guangdong (Monday)
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await Self.householdCode(client, applicant)
                let application = try await Self.apply(client, applicant, code: code)
                #expect(application["due_on"] as? String == "2026-03-16")
                let id = try #require(application["id"] as? String)
                clock.advance(by: 86_400)  // 03-03
                let asked = try await client.json(
                    .post, "/api/v1/applications/\(id)/request-info", token: try await client.token("psb_reviewer"),
                    body: #"{"question":"请提供待遇核定的具体业务文件"}"#)
                #expect(asked.json["status"] as? String == "info_requested")
                #expect(
                    try await client.json(
                        .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                        body: #"{"approved_items":["GMSFHM","HJDZ"]}"#
                    ).status == .conflict)
                clock.advance(by: 2 * 86_400)  // 03-05: paused for 2 working days
                let answered = try await client.json(
                    .post, "/api/v1/applications/\(id)/respond", token: try await client.token("hrss_user"),
                    body: #"{"answer":"附《养老保险待遇核定办法》"}"#)
                #expect(answered.json["status"] as? String == "under_review")
                #expect(answered.json["due_on"] as? String == "2026-03-18", "\(answered.json)")
                #expect((answered.json["info_requests"] as? [[String: Any]])?.first?["paused_working_days"] as? Int == 2)
                // The pause is part of the clock: recomputing it from the receipt date (a calendar import) keeps it.
                let stored = try #require(try await env.platform.storage.applicationRepository.find(id: id))
                let deadline = try #require(try await env.platform.storage.deadlines.find(id: stored.deadlineId))
                #expect(deadline.workingDays == 12)
                let recomputed = try await env.platform.calendar.dueDate(receivedOn: deadline.receivedOn, workingDays: deadline.workingDays)
                #expect(recomputed.date == deadline.dueOn)
            }
        }
    }
}

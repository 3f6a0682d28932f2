import Foundation
import GovShareCore
import HummingbirdTesting
import Testing

/// Issue 12 point 3 (Art. 16, 18): a basis must name a law, administrative regulation, local regulation, rule or a
/// State Council / provincial government normative document; a department's own rules never pass.
@Suite("Legal bases (Art. 16, 18)")
struct LegalBasisTests {
    static let internalRule = "《广东省某厅数据管理办法》"

    static func refuse(_ client: any TestClientProtocol, _ id: String, instrument: String, article: String) async throws -> [String: Any] {
        try await client.json(
            .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
            body: """
                {"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ","reason":"核定待遇无需户籍地址",
                 "basis":{"instrument":"\(instrument)","article":"\(article)"}}]}
                """
        ).json
    }

    static func application(_ client: any TestClientProtocol) async throws -> String {
        let applicant = try await client.token("hrss_user")
        let code = try await ApplicationTests.householdCode(client, applicant)
        return try #require(try await ApplicationTests.apply(client, applicant, code: code, until: Self.until)["id"] as? String)
    }

    static var until: String { CivilDate(instant: Date()).adding(days: 100).description }

    @Test(arguments: TestDatabase.available)
    func refusalCitingAnInternalRuleIsRefusedAndChangesNothing(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let id = try await Self.application(client)
                let refused = try await Self.refuse(client, id, instrument: Self.internalRule, article: "第三条")
                #expect(fieldErrors(refused).map(\.field) == ["refusals[0].basis.instrument"], "\(refused)")
                #expect(fieldErrors(refused).map(\.rule) == ["not_a_legal_basis"])
                let message = try #require((refused["errors"] as? [[String: Any]])?.first?["message"] as? String)
                #expect(message.contains("广东省某厅数据管理办法") && message.contains("第十六条") && message.contains("/api/v1/legal-instruments"))
                let unchanged = try await client.json(.get, "/api/v1/applications/\(id)", token: try await client.token("psb_reviewer"))
                    .json
                #expect(
                    unchanged["status"] as? String == "under_review" && (unchanged["decisions"] as? [Any])?.isEmpty == true, "\(unchanged)")

                // A law on the list passes, however it is written: without 中华人民共和国, spaces, no 《》.
                let accepted = try await Self.refuse(client, id, instrument: " 居民身份证法 ", article: "第十九条")
                #expect(accepted["status"] as? String == "under_review" && (accepted["decisions"] as? [Any])?.count == 1, "\(accepted)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func catalogSubmissionNamesTheItemWhoseBasisIsAnInternalRule(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                func draft(_ instrument: String) -> String {
                    CatalogTests.draft(itemBasis: true).replacingOccurrences(
                        of:
                            #""share_type":"conditional","share_conditions":"仅用于社会保险待遇核验","sensitivity":3,"legal_basis":{"instrument":"《中华人民共和国社会保险法》""#,
                        with: #""share_type":"not_shared","sensitivity":3,"legal_basis":{"instrument":"\#(instrument)""#)
                }
                #expect(draft(Self.internalRule).contains(Self.internalRule))
                let created = try await client.json(.post, "/api/v1/catalog/entries", token: cataloger, body: draft(Self.internalRule))
                let id = try #require(created.json["id"] as? String, "\(created.json)")
                let refused = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(refused.status == .unprocessableContent)
                #expect(fieldErrors(refused.json).map(\.field) == ["items[1].legal_basis.instrument"], "\(refused.json)")
                #expect(fieldErrors(refused.json).map(\.rule) == ["not_a_legal_basis"])
                #expect(try await client.json(.get, "/api/v1/catalog/entries/\(id)", token: cataloger).json["status"] as? String == "draft")

                #expect(
                    try await client.json(
                        .put, "/api/v1/catalog/entries/\(id)", token: cataloger,
                        body: draft("《中华人民共和国个人信息保护法》")
                    ).status == .ok)
                let submitted = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                #expect(submitted.json["status"] as? String == "submitted", "\(submitted.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func proposedInstrumentCountsOnlyOnceTheProvincialAuthorityConfirmsIt(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let id = try await Self.application(client)
                let proposer = try await client.token("psb_reviewer")
                let body = #"{"name":"《中华人民共和国统计法实施条例》","level":"administrative_regulation","issuer":"国务院","reference":"中国政府网 国务院令"}"#
                let proposed = try await client.json(.post, "/api/v1/legal-instruments", token: proposer, body: body)
                #expect(proposed.status == .created, "\(proposed.json)")
                #expect(proposed.json["status"] as? String == "pending" && proposed.json["name"] as? String == "中华人民共和国统计法实施条例")
                let proposalId = try #require(proposed.json["id"] as? String)
                #expect(
                    try await client.json(.post, "/api/v1/legal-instruments", token: proposer, body: body).json["code"] as? String
                        == "already_proposed")
                let listed = try await client.json(
                    .post, "/api/v1/legal-instruments", token: proposer,
                    body: """
                        {"name":"居民身份证法","level":"law","issuer":"全国人民代表大会常务委员会","reference":"x"}
                        """)
                #expect(listed.status == .conflict && listed.json["code"] as? String == "already_accepted")

                let pending = try await Self.refuse(client, id, instrument: "《统计法实施条例》", article: "第三十条")
                #expect(fieldErrors(pending).map(\.rule) == ["legal_basis_unconfirmed"], "\(pending)")

                // A city's authority does not keep the province's list; nobody decides their own proposal.
                let city = try await client.json(
                    .post, "/api/v1/legal-instruments/\(proposalId)/confirm", token: try await client.token("gz_reviewer"))
                #expect(city.status == .forbidden && city.json["code"] as? String == "provincial_authority_only")
                #expect(
                    try await client.json(.post, "/api/v1/legal-instruments/\(proposalId)/confirm", token: proposer).status == .forbidden)
                let admin = try await client.token("admin")
                let both = try await client.json(
                    .post, "/api/v1/users", token: admin,
                    body: """
                        {"username":"gd_both","display_name":"省数据局审核兼编目","department_code":"11440000MB3307905U","roles":["authority_reviewer","cataloger"],"password":"Str0ng-Passw0rd!"}
                        """)
                #expect(both.status == .created, "\(both.json)")
                let dual = try await client.token("gd_both", "Str0ng-Passw0rd!")
                let own = try #require(
                    try await client.json(
                        .post, "/api/v1/legal-instruments", token: dual,
                        body: """
                            {"name":"广东省流动人口服务管理条例","level":"local_regulation","issuer":"广东省人民代表大会常务委员会","reference":"广东省人大网"}
                            """
                    ).json["id"] as? String)
                let selfConfirm = try await client.json(.post, "/api/v1/legal-instruments/\(own)/confirm", token: dual)
                #expect(selfConfirm.status == .forbidden && selfConfirm.json["code"] as? String == "own_proposal", "\(selfConfirm.json)")

                let authority = try await client.token("gd_reviewer")
                let confirmed = try await client.json(.post, "/api/v1/legal-instruments/\(proposalId)/confirm", token: authority)
                #expect(
                    confirmed.json["status"] as? String == "confirmed" && confirmed.json["decided_by_name"] as? String != nil,
                    "\(confirmed.json)")
                #expect(
                    try await client.json(
                        .post, "/api/v1/legal-instruments/\(proposalId)/reject", token: authority,
                        body: #"{"reason":"x"}"#
                    ).json["code"] as? String == "proposal_decided")
                let accepted = try await Self.refuse(client, id, instrument: "《统计法实施条例》", article: "第三十条")
                #expect(accepted["status"] as? String == "under_review" && (accepted["decisions"] as? [Any])?.count == 1, "\(accepted)")

                // A rejection needs its reason; the list shows what may be cited and every proposal.
                let bare = try await client.json(.post, "/api/v1/legal-instruments/\(own)/reject", token: authority)
                #expect(fieldErrors(bare.json).map(\.field) == ["reason"])
                let rejected = try await client.json(
                    .post, "/api/v1/legal-instruments/\(own)/reject", token: authority,
                    body: #"{"reason":"请核实名称及现行有效性后重新提出"}"#)
                #expect(rejected.json["status"] as? String == "rejected")
                let list = try await client.json(.get, "/api/v1/legal-instruments", token: try await client.token("hrss_user")).json
                let names = ((list["instruments"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                #expect(names.contains("中华人民共和国统计法实施条例") && names.contains("政务数据共享条例") && !names.contains("广东省流动人口服务管理条例"))
                #expect((list["proposals"] as? [[String: Any]])?.count == 2)
                let events = try await client.json(
                    .get, "/api/v1/audit/events?object_id=\(proposalId)", token: try await client.token("auditor"))
                let actions = ((events.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
                #expect(Set(actions) == ["legal_instrument.propose", "legal_instrument.confirm"], "\(actions)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func portalPageListsProposesAndConfirms(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await PortalCatalogTests.signIn(client, "psb_cataloger")
                let (status, page) = try await PortalDataTests.get(client, "/legal-instruments", cataloger)
                #expect(status == .ok && page.contains("id=\"legal-propose-form\"") && page.contains("《中华人民共和国居民身份证法》"))
                #expect(page.contains("href=\"/legal-instruments\""), "linked from the navigation")
                let bad = try await PortalApplicationsTests.post(client, "/legal-instruments", cataloger, ["name": "某条例", "level": "memo"])
                #expect(bad.status == .unprocessableContent)
                let ok = try await PortalApplicationsTests.post(
                    client, "/legal-instruments", cataloger,
                    [
                        "name": "广东省流动人口服务管理条例", "level": "local_regulation", "issuer": "广东省人民代表大会常务委员会", "reference": "广东省人大网",
                    ])
                #expect(ok.status == .seeOther)
                let authority = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let (_, queue) = try await PortalDataTests.get(client, "/legal-instruments", authority)
                #expect(queue.contains("class=\"inline legal-decide-form\""))
                let id = try #require(
                    try await client.json(.get, "/api/v1/legal-instruments", token: try await client.token("gd_reviewer"))
                        .json["proposals"].flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String })
                let decided = try await PortalApplicationsTests.post(
                    client, "/legal-instruments/\(id)/decide", authority, ["action": "confirm"])
                #expect(decided.status == .seeOther)
                let (_, after) = try await PortalDataTests.get(client, "/legal-instruments", cataloger)
                #expect(after.contains("《广东省流动人口服务管理条例》") && !after.contains("legal-decide-form"))
            }
        }
    }

    /// Every instrument the demo catalog cites is on the bundled list, and the list is well formed.
    @Test func bundledListAcceptsEveryBasisTheDemoCatalogCites() throws {
        let register = LegalBasisRegister(list: try LegalInstrumentList.bundled(), proposals: [])
        #expect(register.accepted.count >= 40)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/GovShareServer/Resources/demo/catalog.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let cited = Set(text.matches(of: /"instrument"\s*:\s*"([^"]+)"/).map { String($0.1) })
        #expect(cited.count > 5)
        for instrument in cited { #expect(register.instrument(named: instrument) != nil, "\(instrument)") }
        // Full-width and half-width brackets, 《》 and spaces do not matter; an internal rule never passes.
        #expect(register.instrument(named: "《广东省政务数据资源共享管理办法(试行)》")?.documentNumber == "粤府办〔2018〕50号")
        #expect(register.instrument(named: "政务数据共享条例")?.level == .administrativeRegulation)
        #expect(register.instrument(named: Self.internalRule) == nil)
        var v = Validator()
        register.check(Self.internalRule, field: "f", into: &v)
        #expect(v.problems.map(\.rule) == ["not_a_legal_basis"])
    }

    @Test func legalInstrumentsFileReplacesTheListAndIsCheckedAtStartUp() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-legal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data(#"{"instruments":[{"name":"《中华人民共和国居民身份证法》","level":"law","issuer":"全国人民代表大会常务委员会"}]}"#.utf8).write(to: good)
        let config = try GovShareConfig.load(flags: ["legal_instruments_file": good.path], environment: [:], file: [:])
        #expect(config.legalInstruments?.map(\.name) == ["中华人民共和国居民身份证法"])
        let bad = directory.appendingPathComponent("bad.json")
        try Data(
            #"{"instruments":[{"name":"居民身份证法","level":"memo","issuer":"x"},{"name":"","level":"law","issuer":""},{"name":"居民身份证法","level":"law","issuer":"y"},{"name":"《中华人民共和国居民身份证法》","level":"law","issuer":"y"}]}"#
                .utf8
        ).write(to: bad)
        do {
            _ = try GovShareConfig.load(flags: ["legal_instruments_file": bad.path], environment: [:], file: [:])
            Issue.record("an invalid list was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.count == 4, "\(error.problems)")
            #expect(error.problems.allSatisfy { $0.hasPrefix("legal_instruments_file") })
        }
        #expect(throws: ConfigError.self) {
            _ = try GovShareConfig.load(
                flags: ["legal_instruments_file": directory.appendingPathComponent("missing.json").path],
                environment: [:], file: [:])
        }
    }
}

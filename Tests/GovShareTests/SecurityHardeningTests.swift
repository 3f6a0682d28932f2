import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 11's attacks on the exchange and the grants, replayed through the real router: masked values cannot be
/// recovered by filters or by combining items; identity checks answer match / no match only, audited and rate-limited;
/// grants made outside the workflow need four eyes and never benefit the granting department.
@Suite("Security: masked values stay masked; grants need four eyes")
struct SecurityHardeningTests {
    /// Creates a person in a department with one role (as the administrator) and signs them in.
    static func user(_ client: any TestClientProtocol, admin: String, username: String, department: String, role: String...) async throws
        -> String
    {
        let roles = role.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await client.json(
            .post, "/api/v1/users", token: admin,
            body: """
                {"username":"\(username)","display_name":"\(username)","department_code":"\(department)","roles":[\(roles)],"password":"Str0ng-Passw0rd!"}
                """)
        #expect(created.status == .created, "\(created.json)")
        return try await client.token(username, "Str0ng-Passw0rd!")
    }

    static func subscription(_ client: any TestClientProtocol, _ token: String) async throws -> String {
        try #require(
            ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: token).response).first?["id"] as? String)
    }

    @Test(arguments: TestDatabase.available)
    func maskedIdNumbersCannotBeRecoveredThroughTheBirthDate(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let code = try await ExchangeTests.populationCode(client, user)
                let purpose = try await Self.subscription(client, user)
                let query = { (body: String) in
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(purpose)",\#(body)}"#)
                }
                // The attack: equality on the (masked) birth date returned the rows whose hidden ID digits it is.
                let probe = try await query(#""fields":["GMSFHM"],"filters":{"CSRQ":"1985-03-12"},"limit":1000"#)
                #expect(probe.status == .unprocessableContent, "\(probe.json)")
                #expect(fieldErrors(probe.json).map(\.field) == ["filters.CSRQ"] && fieldErrors(probe.json).map(\.rule) == ["masked_item"])
                // Read together with the masked ID, or alone (pages come in key order and could be joined), the birth date
                // is hidden completely: its digits are the ID's hidden ones.
                let together = try await query(#""fields":["GMSFHM","CSRQ","XB"],"limit":20"#)
                #expect(together.status == .ok, "\(together.json)")
                for row in ExchangeTests.records(together.json) {
                    let id = try #require(row["GMSFHM"] as? String)
                    #expect(id.count == 18 && id.dropFirst(6).prefix(8) == "********", "\(id)")
                    #expect(row["CSRQ"] as? String == "******", "\(row)")
                }
                let masks = (together.json["fields"] as? [[String: Any]])?.compactMap { $0["mask"] as? String } ?? []
                #expect(masks.contains("hidden"), "\(together.json["fields"] ?? "")")
                let alone = try await query(#""fields":["CSRQ"],"limit":20"#)
                #expect(ExchangeTests.records(alone.json).allSatisfy { $0["CSRQ"] as? String == "******" }, "\(alone.json)")
                // The provider still reads its own birth dates in clear.
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: try await client.token("gd_cataloger"),
                    body: #"{"fields":["CSRQ"],"limit":1}"#)
                #expect((ExchangeTests.records(own.json).first?["CSRQ"] as? String)?.contains("*") == false)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func verificationAnswersMatchOnlyAuditedAndLimited(database: TestDatabase) async throws {
        // A clock that stands still: the minute's budget must not roll over in the middle of a slow run.
        try await TestEnvironment.with(database, settings: ["verification_per_minute": "3"], clock: ManualClock(Date())) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, user)
                let purpose = try await Self.subscription(client, user)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM"],"limit":1}"#)
                let person = try #require(ExchangeTests.records(own.json).first)
                let id = try #require(person["GMSFHM"] as? String), name = try #require(person["XM"] as? String)
                let verify = { (values: String) in
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/verify", token: user, body: #"{"purpose":"\#(purpose)","values":\#(values)}"#)
                }

                let match = try await verify(#"{"GMSFHM":"\#(id.lowercased())","XM":"\#(name)"}"#)
                #expect(match.status == .ok, "\(match.json)")
                #expect(match.json["match"] as? Bool == true)
                #expect(Set(match.json.keys) == ["match", "items", "purpose_id", "checked_at"], "never the record: \(match.json)")
                let wrong = try await verify(#"{"GMSFHM":"\#(id)","XM":"\#(name)某"}"#)
                #expect(wrong.status == .ok && wrong.json["match"] as? Bool == false)
                // Without an identifying item a check would be a search, with the identifier alone an existence test
                // (the masked ID's visible digits leave few candidates); items outside the purpose are not checked.
                let noKey = try await verify(#"{"XM":"\#(name)"}"#)
                #expect(fieldErrors(noKey.json).map(\.rule) == ["identifier_required"], "\(noKey.json)")
                let idOnly = try await verify(#"{"GMSFHM":"\#(id)"}"#)
                #expect(fieldErrors(idOnly.json).map(\.rule) == ["identifier_required"], "\(idOnly.json)")
                let outside = try await verify(#"{"GMSFHM":"\#(id)","HJDZ":"广州"}"#)
                #expect(outside.status == .forbidden, "\(outside.json)")
                // The birth date is hidden from 人社厅 (its IDs are masked): a few guesses per person would give it back.
                let hidden = try await verify(#"{"GMSFHM":"\#(id)","CSRQ":"1980-01-01"}"#)
                #expect(fieldErrors(hidden.json).map(\.rule) == ["hidden_item"], "\(hidden.json)")
                // Three checks a minute for the department on this dataset (configured): the next is refused with 429,
                // guessed or not — and a fresh self-service subscription does not buy a fresh budget.
                _ = try await verify(#"{"GMSFHM":"\#(id)","XM":"\#(name)"}"#)
                let limited = try await verify(#"{"GMSFHM":"\#(id)","XM":"\#(name)"}"#)
                #expect(
                    limited.status == .tooManyRequests && limited.json["code"] as? String == "verification_rate_limited", "\(limited.json)")
                let another = try await client.json(
                    .post, "/api/v1/subscriptions", token: user,
                    body: """
                        {"entry_code":"\(code.replacingOccurrences(of: "-", with: "/"))","items":["GMSFHM","XM"],"purpose":"另一核验批次"}
                        """)
                let fresh = try #require(another.json["id"] as? String, "\(another.json)")
                let rotated = try await client.json(
                    .post, "/api/v1/datasets/\(code)/verify", token: user,
                    body: #"{"purpose":"\#(fresh)","values":{"GMSFHM":"\#(id)","XM":"\#(name)"}}"#)
                #expect(rotated.status == .tooManyRequests, "\(rotated.json)")

                // Each check is a read in the trace, referenced by the person checked, values withheld.
                let auditor = try await client.token("auditor")
                let traced = ExchangeTests.array(try await client.json(.get, "/api/v1/data-reads?record=\(id)", token: auditor).response)
                let checks = traced.filter { ($0["filter"] as? String)?.hasPrefix("verify") == true }
                #expect(checks.count == 3, "\(traced)")
                #expect(checks.allSatisfy { !(($0["filter"] as? String) ?? "").contains(name) })
                let events = try await client.json(.get, "/api/v1/audit/events?action=data.verify", token: auditor)
                #expect((events.json["items"] as? [Any])?.count == 3, "\(events.json)")
            }
        }
    }

    /// A department's daily budget on a dataset is large; on one person it is a few checks a day, so guessing one
    /// person's name or birth date by checks is as slow as the calendar.
    @Test(arguments: TestDatabase.available)
    func verificationOfOneRecordIsLimitedPerDay(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, settings: ["verification_per_record_per_day": "2"], clock: clock) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let code = try await ExchangeTests.populationCode(client, user)
                let purpose = try await Self.subscription(client, user)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: try await client.token("gd_cataloger"),
                    body: #"{"fields":["GMSFHM","XM"],"limit":2}"#)
                let people = ExchangeTests.records(own.json)
                try #require(people.count == 2, "\(own.json)")
                let verify = { (person: [String: Any], name: String, token: String) in
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/verify", token: token,
                        body: #"{"purpose":"\#(purpose)","values":{"GMSFHM":"\#(person["GMSFHM"] as! String)","XM":"\#(name)"}}"#)
                }
                let first = people[0], second = people[1]
                #expect(try await verify(first, "张三", user).status == .ok)
                #expect(try await verify(first, first["XM"] as! String, user).json["match"] as? Bool == true)
                // The third guess on the same person today is refused, right or wrong, and looks nothing up.
                let third = try await verify(first, first["XM"] as! String, user)
                #expect(third.status == .tooManyRequests, "\(third.json)")
                #expect(third.json["code"] as? String == "verification_record_limited", "\(third.json)")
                // Another person is checked as before; the same person again the next day.
                #expect(try await verify(second, second["XM"] as! String, user).json["match"] as? Bool == true)
                clock.advance(by: 86_400)
                let nextDay = try await client.token("hrss_user")
                #expect(try await verify(first, first["XM"] as! String, nextDay).json["match"] as? Bool == true)
                let events = try await client.json(
                    .get, "/api/v1/audit/events?action=data.verify", token: try await client.token("auditor"))
                #expect((events.json["items"] as? [Any])?.count == 4, "\(events.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func grantsOutsideTheWorkflowNeedFourEyesAndNeverBenefitTheGranter(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                let admin = try await client.token("admin")
                let code = try await ExchangeTests.populationCode(client, reviewer)
                let until = CivilDate(instant: Date()).adding(days: 30).description
                let grant = { (token: String, department: String, clear: String) in
                    try await client.json(
                        .post, "/api/v1/grants", token: token,
                        body: """
                            {"department_code":"\(department)","entry_code":"\(code)","items":["GMSFHM","HJDZ"],"clear_items":\(clear),
                             "purpose":"核验","valid_until":"\(until)"}
                            """)
                }
                // The attack: an authority reviewer granting its own department clear ID numbers and addresses.
                let own = try await grant(reviewer, "11440000MB3307905U", #"["GMSFHM","HJDZ"]"#)
                #expect(own.status == .forbidden && own.json["code"] as? String == "own_department", "\(own.json)")

                // For another department, without clear graded items: proposed, confirmed by a second person, then active.
                let masked = try await grant(reviewer, "11440000MB9525066D", "[]")
                #expect(masked.status == .created && masked.json["status"] as? String == "proposed", "\(masked.json)")
                #expect(masked.json["provider_consent"] as? String == "not_needed")
                let maskedId = try #require(masked.json["id"] as? String)
                let reader = try await client.token("hrss_user")
                #expect(
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: reader,
                        body: #"{"purpose":"\#(maskedId)"}"#
                    ).status == .forbidden)
                // A proposed grant cannot be "resumed" into force past the second person.
                let resumed = try await client.json(.post, "/api/v1/grants/\(maskedId)/resume", token: admin, body: #"{"reason":"x"}"#)
                #expect(resumed.status == .conflict && resumed.json["code"] as? String == "grant_not_confirmed", "\(resumed.json)")
                #expect(
                    try await client.json(
                        .post, "/api/v1/grants/\(maskedId)/confirm", token: reviewer,
                        body: #"{"confirm":true}"#
                    ).json["code"] as? String == "four_eyes")
                #expect(
                    try await client.json(
                        .post, "/api/v1/grants/\(maskedId)/confirm", token: reader,
                        body: #"{"confirm":true}"#
                    ).status == .forbidden)
                let confirmed = try await client.json(.post, "/api/v1/grants/\(maskedId)/confirm", token: admin, body: #"{"confirm":true}"#)
                #expect(confirmed.json["status"] as? String == "active" && confirmed.json["in_force"] as? Bool == true, "\(confirmed.json)")
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: reader,
                    body: #"{"purpose":"\#(maskedId)","limit":1}"#)
                #expect(read.status == .ok && (ExchangeTests.records(read.json).first?["GMSFHM"] as? String)?.contains("*") == true)

                // Clear graded items wait for the provider's consent; a refusal ends the grant.
                let clear = try await grant(reviewer, "11440000MB9525066D", #"["GMSFHM"]"#)
                let clearId = try #require(clear.json["id"] as? String)
                #expect(clear.json["provider_consent"] as? String == "pending")
                _ = try await client.json(.post, "/api/v1/grants/\(clearId)/confirm", token: admin, body: #"{"confirm":true}"#)
                #expect(
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: reader,
                        body: #"{"purpose":"\#(clearId)"}"#
                    ).status == .forbidden)
                let otherProvider = try await client.token("psb_reviewer")
                #expect(
                    try await client.json(
                        .post, "/api/v1/grants/\(clearId)/consent", token: otherProvider,
                        body: #"{"consent":true}"#
                    ).json["code"] as? String == "not_provider")
                let consenter = try await Self.user(
                    client, admin: admin, username: "gd_data_reviewer", department: "11440000MB3307905U",
                    role: "department_reviewer")
                let noReason = try await client.json(
                    .post, "/api/v1/grants/\(clearId)/consent", token: consenter, body: #"{"consent":false}"#)
                #expect(fieldErrors(noReason.json).map(\.field) == ["reason"])
                let refused = try await client.json(
                    .post, "/api/v1/grants/\(clearId)/consent", token: consenter,
                    body: #"{"consent":false,"reason":"明文身份号码超出核验所需"}"#)
                #expect(refused.json["status"] as? String == "revoked", "\(refused.json)")

                // Every step is in the audit log under its own action.
                let auditor = try await client.token("auditor")
                for action in ["grant.propose", "grant.confirm", "grant.consent_refused"] {
                    let events = try await client.json(.get, "/api/v1/audit/events?action=\(action)", token: auditor)
                    #expect(((events.json["items"] as? [Any])?.count ?? 0) >= 1, "\(action)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func nobodyDecidesTheirOwnApplication(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                // One person of the data authority who may both apply and review.
                let both = try await Self.user(
                    client, admin: admin, username: "gd_both", department: "11440000MB3307905U",
                    role: "data_user", "authority_reviewer")
                let code = try await ApplicationTests.householdCode(client, both)
                let id = try #require(
                    try await ApplicationTests.apply(
                        client, both, code: code,
                        until: CivilDate(instant: Date()).adding(days: 300).description)["id"] as? String)
                let own = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: both,
                    body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                #expect(own.status == .forbidden && own.json["code"] as? String == "own_application", "\(own.json)")
                // The provider refuses an item with a legal basis; the authority cannot set that aside for its own department.
                _ = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: """
                        {"approved_items":["GMSFHM"],"refusals":[{"item":"HJDZ","reason":"户籍地址属敏感个人信息",
                         "basis":{"instrument":"《中华人民共和国个人信息保护法》","article":"第六条"}}]}
                        """)
                let overrule = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"approved_items":["GMSFHM","HJDZ"],"overrule_provider":true}"#)
                #expect(overrule.status == .forbidden && overrule.json["code"] as? String == "own_department", "\(overrule.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePortalChecksIdentitiesWithoutShowingRecords(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM"],"limit":1}"#)
                let person = try #require(ExchangeTests.records(own.json).first)
                let id = try #require(person["GMSFHM"] as? String), name = try #require(person["XM"] as? String)
                let user = try await PortalCatalogTests.signIn(client, "hrss_user")
                let purpose = try await Self.subscription(client, try await client.token("hrss_user"))
                let (_, page) = try await PortalDataTests.get(client, "/data/\(code)", user)
                #expect(page.contains("id=\"verify-form\"") && page.contains("name=\"value_GMSFHM\""), "the form offers the identifier")
                let post = { (fields: [String: String]) in
                    try await client.execute(
                        uri: "/data/\(code)/verify", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(user)],
                        body: ByteBuffer(
                            string: PortalCatalogTests.form(["_csrf": user["gs_csrf"]!, "purpose": purpose].merging(fields) { $1 })))
                }
                let match = String(buffer: try await post(["value_GMSFHM": id, "value_XM": name]).body)
                #expect(match.contains("id=\"verify-result\" class=\"ok\""), "\(match.suffix(2000))")
                #expect(!match.contains(id), "the page never shows the record or echoes the ID number")
                let miss = String(buffer: try await post(["value_GMSFHM": id, "value_XM": name + "某"]).body)
                #expect(miss.contains("id=\"verify-result\" class=\"warn\""))
                let noKey = try await post(["value_XM": name])
                #expect(noKey.status == .unprocessableContent && String(buffer: noKey.body).contains("id=\"verify-error\""))
            }
        }
    }

    /// A service interface's parameter named after a masked item would answer "which records hold this hidden value",
    /// as a query filter would: refused before the provider is called.
    @Test(arguments: TestDatabase.available)
    func serviceParametersCannotProbeMaskedItems(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let code = try await MountTests.publish(client, format: "service_interface", name: "参保人员核验接口", nameGrade: 3)
                let provider = try await client.token("psb_cataloger")
                let mounted = try await client.json(
                    .post, "/api/v1/resources/\(code)/service", token: provider,
                    body: #"{"endpoint":"http://127.0.0.1:9/verify"}"#)
                #expect(mounted.status == .created, "\(mounted.json)")
                let user = try await client.token("hrss_user")
                let subscription = try await client.json(
                    .post, "/api/v1/subscriptions", token: user,
                    body: #"{"entry_code":"\#(code)","items":["XM"],"purpose":"参保资格核验"}"#)
                let purpose = try #require(subscription.json["id"] as? String)
                let probe = try await client.json(
                    .post, "/api/v1/resources/\(code)/call", token: user,
                    body: #"{"purpose":"\#(purpose)","parameters":{"XM":"张三丰"}}"#)
                #expect(probe.status == .unprocessableContent, "\(probe.json)")
                #expect(fieldErrors(probe.json).map(\.field) == ["parameters.XM"] && fieldErrors(probe.json).map(\.rule) == ["masked_item"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func nobodyPublishesTheCatalogVersionTheyWrote(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let both = try await Self.user(
                    client, admin: admin, username: "gd_writer", department: "11440000MB3307905U",
                    role: "cataloger", "authority_reviewer")
                let entry = try await client.json(.post, "/api/v1/catalog/entries", token: both, body: CatalogTests.draft(itemBasis: true))
                let id = try #require(entry.json["id"] as? String, "\(entry.json)")
                #expect(try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: both).status == .ok)
                let own = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: both, body: #"{"decision":"publish"}"#)
                #expect(own.status == .forbidden && own.json["code"] as? String == "own_entry", "\(own.json)")
                let other = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"decision":"publish"}"#)
                #expect(other.json["status"] as? String == "published", "\(other.json)")
            }
        }
    }

    /// No account holds roles that would let one person be both sides of a check, and a business system never reviews.
    @Test(arguments: TestDatabase.available)
    func rolesThatCheckEachOtherAreNeverOneAccount(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                for roles in [
                    #"["platform_admin","data_user"]"#, #"["security_auditor","cataloger"]"#,
                    #"["authority_reviewer","department_reviewer"]"#,
                ] {
                    let refused = try await client.json(
                        .post, "/api/v1/users", token: admin,
                        body: """
                            {"username":"combo_user","display_name":"x","department_code":"11440000MB3307905U","roles":\(roles),"password":"Str0ng-Passw0rd!"}
                            """)
                    #expect(
                        refused.status == .unprocessableContent && fieldErrors(refused.json).map(\.rule).contains("separation_of_duties"),
                        "\(roles): \(refused.json)")
                }
                let machine = try await client.json(
                    .post, "/api/v1/clients", token: admin,
                    body: #"{"name":"机器审核员","department_code":"11440000MB3307905U","roles":["authority_reviewer"]}"#)
                #expect(fieldErrors(machine.json).map(\.rule) == ["client_role"], "\(machine.json)")
                let system = try await client.json(
                    .post, "/api/v1/clients", token: admin,
                    body: #"{"name":"人社业务系统","department_code":"11440000MB9525066D","roles":["data_user"]}"#)
                #expect(system.status == .created, "\(system.json)")
            }
        }
    }
}

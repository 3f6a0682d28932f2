import Foundation
import GovShareCore
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 11, item 3: every identifier and free-text field has a cap, and what an anonymous caller can make the
/// platform write is small and fixed.
@Suite("Input length limits")
struct InputLimitTests {
    static func auditHead(_ env: TestEnvironment) async throws -> Int64 {
        try await env.platform.storage.auditLog.events(AuditQuery(limit: 1)).first?.seq ?? 0
    }

    @Test(arguments: TestDatabase.available)
    func overLongSignInFieldsAreRefusedBeforeAnythingIsWritten(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let before = try await Self.auditHead(env)
                // The attack of the issue: a 2 MB client_id is not even read (the body cap), and nothing is audited.
                let huge = String(repeating: "A", count: 2 << 20)
                let flood = try await client.json(.post, "/api/v1/auth/token", body: #"{"client_id":"\#(huge)","client_secret":"x"}"#)
                #expect(flood.status == .contentTooLarge, "\(flood.json)")
                // Within the body cap, each field over its own cap is named.
                let clientId = try await client.json(
                    .post, "/api/v1/auth/token",
                    body: #"{"client_id":"\#(String(repeating: "c", count: 65))","client_secret":"x"}"#)
                #expect(clientId.status == .unprocessableContent)
                #expect(
                    fieldErrors(clientId.json).map(\.field) == ["client_id"] && fieldErrors(clientId.json).map(\.rule) == ["max_length"])
                let username = try await client.json(
                    .post, "/api/v1/auth/token",
                    body: #"{"username":"\#(String(repeating: "u", count: 65))","password":"x"}"#)
                #expect(fieldErrors(username.json).map(\.field) == ["username"], "\(username.json)")
                // One character made of a thousand combining marks is long too (counted in bytes as well).
                let marks = "a" + String(repeating: "\u{301}", count: 1000)
                let combining = try await client.json(.post, "/api/v1/auth/token", body: #"{"username":"\#(marks)","password":"x"}"#)
                #expect(fieldErrors(combining.json).map(\.field) == ["username"], "\(combining.json)")
                let secret = try await client.json(
                    .post, "/api/v1/auth/token",
                    body: #"{"username":"admin","password":"\#(String(repeating: "p", count: 257))"}"#)
                #expect(fieldErrors(secret.json).map(\.field) == ["password"], "\(secret.json)")
                #expect(try await Self.auditHead(env) == before, "no refused sign-in may write to the audit log")

                // A failed sign-in at the caps writes one entry, holding at most the capped name.
                let name = String(repeating: "n", count: 64)
                let failed = try await client.json(.post, "/api/v1/auth/token", body: #"{"username":"\#(name)","password":"wrong"}"#)
                #expect(failed.status == .unauthorized)
                let entries = try await env.platform.storage.auditLog.events(AuditQuery(limit: 5))
                #expect(entries.first?.seq == before + 1 && entries.first?.actorName == name)
                #expect((entries.first?.canonicalForm.utf8.count ?? .max) < 2048)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePortalSignInRefusesOverLongNamesWithoutAuditing(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let page = try await client.execute(uri: "/login", method: .get)
                let jar = PortalTests.cookies(page)
                let csrf = try #require(jar["gs_csrf"])
                let before = try await Self.auditHead(env)
                let name = String(repeating: "x", count: 60_000)
                let refused = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(csrf)&username=\(name)&password=nope&next=%2F"))
                #expect(refused.status == .unprocessableContent)
                let html = String(buffer: refused.body)
                #expect(html.contains("id=\"login-error\"") && !html.contains(String(repeating: "x", count: InputLimits.username + 1)))
                #expect(try await Self.auditHead(env) == before)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func overLongApplicationFieldsAreNamed(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let token = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, token)
                func apply(users: [String], purpose: String = "核定社会保险待遇时核验参保人户籍") async throws -> [(field: String, rule: String)] {
                    let body: [String: Any] = [
                        "entry_code": code, "items": ["GMSFHM"], "purpose": purpose, "business": "待遇核定", "basis": "《社会保险法》第五十八条",
                        "users": users, "contact": "李工", "data_manager": "王科长", "valid_until": "2099-01-01",
                    ]
                    let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                    let result = try await client.json(.post, "/api/v1/applications", token: token, body: text)
                    #expect(result.status == .unprocessableContent, "\(result.json)")
                    return fieldErrors(result.json)
                }
                let before = try await Self.auditHead(env)
                let tooMany = try await apply(users: (1...51).map { "系统\($0)" })
                #expect(tooMany.contains { $0.field == "users" && $0.rule == "max_count" }, "\(tooMany)")
                let tooLong = try await apply(users: ["社保经办系统", String(repeating: "长", count: 201)])
                #expect(tooLong.contains { $0.field == "users[1]" && $0.rule == "max_length" }, "\(tooLong)")
                let purpose = try await apply(users: ["社保经办系统"], purpose: String(repeating: "用", count: 10_000))
                #expect(purpose.contains { $0.field == "purpose" && $0.rule == "max_length" }, "\(purpose)")
                #expect(try await Self.auditHead(env) == before)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func overLongReviewTextsAreNamed(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, clock: ManualClock(ApplicationTests.receipt)) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let id = try #require(
                    try await ApplicationTests.apply(
                        client, applicant,
                        code: try await ApplicationTests.householdCode(client, applicant))["id"] as? String)
                let long = String(repeating: "理", count: InputLimits.reason + 1)
                let review = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
                    body: """
                        {"approved_items":["GMSFHM"],"conditions":"\(String(repeating: "条", count: InputLimits.conditions + 1))",
                         "refusals":[{"item":"HJDZ","reason":"\(long)","basis":{"instrument":"《中华人民共和国个人信息保护法》","article":"第六条"}}]}
                        """)
                #expect(review.status == .unprocessableContent)
                #expect(Set(fieldErrors(review.json).map(\.field)) == ["conditions", "refusals[0].reason"], "\(review.json)")
            }
        }
    }
}

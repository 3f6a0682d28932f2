import Foundation
import GovShareCore
import Testing

@Suite("Sign-in, tokens and lockout")
struct AuthenticationTests {
    @Test(arguments: TestDatabase.available)
    func passwordSignInIssuesABearerToken(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("admin")
                let me = try await client.json(.get, "/api/v1/me", token: token)
                #expect(me.status == .ok)
                #expect(me.json["roles"] as? [String] == ["platform_admin"])
                #expect((me.json["department"] as? [String: Any])?["name_zh"] as? String == "广东省政务服务数据管理局")
                let anonymous = try await client.json(.get, "/api/v1/me")
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let forged = try await client.json(.get, "/api/v1/me", token: token + "x")
                #expect(forged.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func fiveWrongPasswordsLockTheAccountAndEachIsAudited(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                for _ in 1...5 {
                    let attempt = try await client.json(
                        .post, "/api/v1/auth/token", body: #"{"username":"hrss_user","password":"wrong-Password-1"}"#)
                    #expect(attempt.status == .unauthorized)
                    #expect(attempt.json["code"] as? String == "invalid_credentials")
                }
                // Locked: even the right password is refused, with the same answer as a wrong one.
                let locked = try await client.json(
                    .post, "/api/v1/auth/token", body: #"{"username":"hrss_user","password":"\#(demoPassword)"}"#)
                #expect(locked.status == .unauthorized)
                #expect(
                    locked.json["detail"] as? String
                        == (try await client.json(
                            .post, "/api/v1/auth/token",
                            body: #"{"username":"nobody_here","password":"x"}"#)).json["detail"] as? String)

                let user = try #require(try await env.platform.storage.accountRepository.findUser(username: "hrss_user"))
                let events = try await env.platform.storage.auditLog.events(AuditQuery(limit: 50, action: "auth.sign_in", actorId: user.id))
                let failures = events.filter { $0.outcome == "failure" }
                #expect(failures.count == 6)
                #expect(failures.contains { $0.detail?.contains("locked until") == true })
                #expect(failures.first?.detail == "locked")

                // After the lock period the right password works again.
                clock.advance(by: 16 * 60)
                _ = try await client.token("hrss_user")
            }
        }
    }

    /// Guesses sent together are each counted: the stored counter is incremented in the database, not written back
    /// from what each request read before its (slow) password check.
    @Test(arguments: TestDatabase.available)
    func guessesSentTogetherAllCountTowardsTheLock(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<12 {
                        group.addTask {
                            try await client.json(
                                .post, "/api/v1/auth/token",
                                body: #"{"username":"hrss_user","password":"guess-\#(i)-Wrong"}"#
                            ).status.code
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.count == 12 && statuses.allSatisfy { $0 == 401 })
                let right = try await client.json(
                    .post, "/api/v1/auth/token", body: #"{"username":"hrss_user","password":"\#(demoPassword)"}"#)
                #expect(right.status == .unauthorized, "12 wrong passwords at once must lock the account")
                let user = try #require(try await env.platform.storage.accountRepository.findUser(username: "hrss_user"))
                #expect(user.lockedUntil != nil)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func apiClientsGetTokensAndLoseThemWhenRevoked(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let created = try await client.json(
                    .post, "/api/v1/clients", token: admin,
                    body: #"{"name":"人社业务系统","department_code":"\#(try await hrssCode(env))"}"#)
                #expect(created.status == .created)
                let clientId = try #require(created.json["client_id"] as? String)
                let secret = try #require(created.json["client_secret"] as? String)
                let listed = try await client.json(.get, "/api/v1/clients", token: admin)
                #expect(!String(describing: listed.json).contains(secret))

                let issued = try await client.json(
                    .post, "/api/v1/auth/token",
                    body: #"{"client_id":"\#(clientId)","client_secret":"\#(secret)"}"#)
                #expect(issued.status == .ok)
                #expect(issued.json["token_type"] as? String == "Bearer")
                let token = try #require(issued.json["access_token"] as? String)
                #expect(try await client.json(.get, "/api/v1/me", token: token).json["kind"] as? String == "client")

                let bad = try await client.json(.post, "/api/v1/auth/token", body: #"{"client_id":"\#(clientId)","client_secret":"nope"}"#)
                #expect(bad.status == .unauthorized)

                #expect(try await client.json(.post, "/api/v1/clients/\(clientId)/revoke", token: admin).status == .ok)
                #expect(try await client.json(.get, "/api/v1/me", token: token).status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func disablingAUserEndsTheirTokenAtOnce(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let user = try await client.token("gz_psb_user")
                #expect(try await client.json(.get, "/api/v1/me", token: user).status == .ok)
                #expect(try await client.json(.post, "/api/v1/users/gz_psb_user/disable", token: admin).status == .ok)
                #expect(try await client.json(.get, "/api/v1/me", token: user).status == .unauthorized)
                // Enabled again, the old token stays ended; a new sign-in works.
                #expect(try await client.json(.post, "/api/v1/users/gz_psb_user/enable", token: admin).status == .ok)
                #expect(try await client.json(.get, "/api/v1/me", token: user).status == .unauthorized)
                #expect(try await client.json(.get, "/api/v1/me", token: try await client.token("gz_psb_user")).status == .ok)
                // A password reset ends the tokens made with the old password.
                let other = try await client.token("hrss_user")
                let reset = try await client.json(
                    .post, "/api/v1/users/hrss_user/password", token: admin,
                    body: #"{"password":"N3w-Passw0rd!2026"}"#)
                #expect(reset.status == .ok || reset.status == .noContent, "\(reset.json)")
                #expect(try await client.json(.get, "/api/v1/me", token: other).status == .unauthorized)
                // An administrator cannot lock themselves out.
                let selfDisable = try await client.json(.post, "/api/v1/users/admin/disable", token: admin)
                #expect(selfDisable.status == .conflict)
                #expect(selfDisable.json["code"] as? String == "cannot_disable_self")
                // Not an administrator: denied by policy.
                let denied = try await client.json(.post, "/api/v1/users/admin/disable", token: try await client.token("auditor"))
                #expect(denied.status == .forbidden)
            }
        }
    }

    func hrssCode(_ env: TestEnvironment) async throws -> String {
        let departments = try await env.platform.storage.departments.list(.init())
        return try #require(departments.first { $0.nameZh == "广东省人力资源和社会保障厅" }?.code)
    }
}

@Test func postgresIsConfiguredInCI() {
    // CI must run every database test on PostgreSQL too; a missing database fails here instead of skipping.
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        #expect(TestDatabase.postgresURL != nil, "CI=true but GOVSHARE_TEST_POSTGRES_URL is not set")
    }
}

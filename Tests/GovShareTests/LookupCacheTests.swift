import Foundation
import GovShareServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Accounts, datasets, subscriptions and grants are looked up from memory while nothing they depend on has changed
/// (LookupCache). A change through another server, or straight in the database, must still reach the next request.
@Suite("Lookup cache: changes reach the next request on every server")
struct LookupCacheTests {
    @Test(arguments: TestDatabase.available)
    func revocationsAndDisabledAccountsTakeEffectAtOnce(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let other = try await env.sibling()
            do { try await Self.check(env, other) } catch { await other.platform.shutdown(); throw error }
            await other.platform.shutdown()
        }
    }

    static func check(_ env: TestEnvironment, _ other: GovShareServer) async throws {
        let (user, code, subscription): (String, String, String) = try await env.test { client in
            let user = try await client.token("hrss_user")
            let code = try await ExchangeTests.populationCode(client, user)
            let subscription = try #require(
                ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response)
                    .first?["id"] as? String)
            // Twice: the second read is answered from the cache.
            for _ in 0..<2 {
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":2}"#)
                #expect(read.status == .ok)
            }
            return (user, code, subscription)
        }
        // Revoked through the other server: the next read here is refused.
        try await other.app.test(.router) { client in
            let revoked = try await client.json(.post, "/api/v1/subscriptions/\(subscription)/revoke", token: user)
            #expect(revoked.status == .ok)
        }
        try await env.test { client in
            let read = try await client.json(
                .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":2}"#)
            #expect(read.status == .forbidden, "\(read.json)")
            #expect(try await client.json(.get, "/api/v1/subscriptions", token: user).status == .ok)
        }
        // Disabled straight in the database, by no code path of ours: the token stops working at once.
        try await env.platform.database.transaction { db in
            try await db.raw("UPDATE users SET status = 'disabled' WHERE username = 'hrss_user'").run()
        }
        try await env.test { client in
            let list = try await client.json(.get, "/api/v1/subscriptions", token: user)
            #expect(list.status == .unauthorized)
        }
        try await other.app.test(.router) { client in
            let list = try await client.json(.get, "/api/v1/subscriptions", token: user)
            #expect(list.status == .unauthorized)
        }
    }
}

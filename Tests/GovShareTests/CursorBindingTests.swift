import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 11, item 7: a read cursor is a position in one query by one reader under one purpose. Taken to another
/// dataset, sort, filter, search, purpose or reader it is refused (422 on `after`, rule `cursor`), like a forged one.
@Suite("Read cursors are bound to their query, purpose and reader")
struct CursorBindingTests {
    static func query(_ client: any TestClientProtocol, _ code: String, _ token: String, _ body: String, after: String? = nil)
        async throws -> (status: HTTPResponse.Status, json: [String: Any], response: TestResponse)
    {
        let cursor = after.map { #","after":"\#($0)""# } ?? ""
        return try await client.json(.post, "/api/v1/datasets/\(code)/query", token: token, body: "{\(body)\(cursor)}")
    }

    static func refusedAsCursor(_ result: (status: HTTPResponse.Status, json: [String: Any], response: TestResponse)) -> Bool {
        result.status == .unprocessableContent && fieldErrors(result.json).map(\.field) == ["after"]
            && fieldErrors(result.json).map(\.rule) == ["cursor"]
    }

    @Test(arguments: TestDatabase.available)
    func aCursorOpensOnlyForTheQueryItCameFrom(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let sorted = #""fields":["GMSFHM","CSD"],"sort":"CSD","limit":10"#
                let first = try await Self.query(client, code, provider, sorted)
                let next = try #require(first.json["next"] as? String)
                #expect(try await Self.query(client, code, provider, sorted, after: next).status == .ok)

                for other in [
                    #""fields":["GMSFHM","CSD"],"sort":"MZ","limit":10"#,
                    #""fields":["GMSFHM","CSD"],"sort":"CSD desc","limit":10"#,
                    #""fields":["GMSFHM","CSD"],"limit":10"#,
                    #""fields":["GMSFHM","CSD"],"sort":"CSD","filters":{"XB":"1"},"limit":10"#,
                    #""fields":["GMSFHM","CSD"],"sort":"CSD","q":"1","limit":10"#,
                ] {
                    let reused = try await Self.query(client, code, provider, other, after: next)
                    #expect(Self.refusedAsCursor(reused), "\(other): \(reused.status) \(reused.json)")
                }

                // Another dataset of the same provider, read the same way.
                let search = try await client.json(.get, "/api/v1/catalog/search?classification=101002", token: provider)
                let otherCode = try #require((search.json["items"] as? [[String: Any]])?.first?["code"] as? String)
                let mounted = try await client.json(.post, "/api/v1/datasets", token: provider, body: #"{"entry_code":"\#(otherCode)"}"#)
                #expect(mounted.status == .created, "\(mounted.json)")
                let elsewhere = try await Self.query(
                    client, otherCode.replacingOccurrences(of: "/", with: "-"), provider, #""limit":10"#,
                    after: try #require(try await Self.query(client, code, provider, #""limit":10"#).json["next"] as? String))
                #expect(Self.refusedAsCursor(elsewhere), "\(elsewhere.status) \(elsewhere.json)")

                // A cursor that is no cursor, or far too long, is refused the same way.
                #expect(Self.refusedAsCursor(try await Self.query(client, code, provider, sorted, after: "not-a-cursor")))
                #expect(
                    Self.refusedAsCursor(try await Self.query(client, code, provider, sorted, after: String(repeating: "A", count: 20_000)))
                )
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCursorServesOnlyItsPurposeAndReader(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let user = try await client.token("hrss_user")
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, user)
                let subscription = try #require(
                    ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response)
                        .first?["id"] as? String)
                let body = #""purpose":"\#(subscription)","fields":["XM"],"limit":10"#
                let mine = try #require(try await Self.query(client, code, user, body).json["next"] as? String)
                #expect(try await Self.query(client, code, user, body, after: mine).status == .ok)

                // A colleague under the same subscription starts from the first page, not from someone else's position.
                let created = try await client.json(
                    .post, "/api/v1/users", token: admin,
                    body: """
                        {"username":"hrss_colleague","display_name":"同事","department_code":"11440000MB9525066D","roles":["data_user"],"password":"Str0ng-Passw0rd!"}
                        """)
                #expect(created.status == .created, "\(created.json)")
                let colleague = try await client.token("hrss_colleague", "Str0ng-Passw0rd!")
                #expect(try await Self.query(client, code, colleague, body).status == .ok)
                #expect(Self.refusedAsCursor(try await Self.query(client, code, colleague, body, after: mine)))

                // The provider's own cursor does not serve a subscriber, nor a subscriber's the provider.
                let providers = try #require(
                    try await Self.query(client, code, provider, #""fields":["XM"],"limit":10"#).json["next"] as? String)
                #expect(Self.refusedAsCursor(try await Self.query(client, code, user, body, after: providers)))
                #expect(Self.refusedAsCursor(try await Self.query(client, code, provider, #""fields":["XM"],"limit":10"#, after: mine)))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func ckanPagingByOffsetStaysWithinRange(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                // The next-page link adds the limit to the offset: Int.max trapped the process.
                let deep = try await client.json(
                    .get, "/api/3/action/datastore_search?resource_id=\(code)&offset=\(Int.max)", token: provider)
                #expect(deep.status == .unprocessableContent, "\(deep.json)")
                #expect(fieldErrors(deep.json).map(\.field) == ["offset"])
                let past = try await client.json(.get, "/api/3/action/datastore_search?resource_id=\(code)&offset=1000000", token: provider)
                #expect(past.status == .ok && ((past.json["result"] as? [String: Any])?["records"] as? [Any])?.isEmpty == true)
                #expect(try await client.json(.get, "/healthz").status == .ok)
            }
        }
    }
}

import Foundation
import GovShareCore
import GovShareServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Reads that several doors share go through one service method, so the doors agree: the review queue (API and
/// portal), the audit log (API and portal, each read recorded the same way), and the CKAN API's token convention.
@Suite("Catalog and audit reads through one service")
struct CatalogReadsTests {
    @Test(arguments: TestDatabase.available)
    func reviewQueueIsTheSameInTheAPIAndThePortal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                var submitted: [String] = []
                for _ in 0..<2 {
                    let created = try await client.json(
                        .post, "/api/v1/catalog/entries", token: cataloger,
                        body: CatalogTests.draft(itemBasis: true))
                    let id = try #require(created.json["id"] as? String)
                    #expect(try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger).status == .ok)
                    submitted.append(id)
                }

                // The provincial authority reviews the provincial police's entries, in the order they were submitted.
                let api = try await client.json(.get, "/api/v1/catalog/review-queue", token: try await client.token("gd_reviewer"))
                let apiIds = try #require(api.json["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
                #expect(apiIds.filter(submitted.contains) == submitted)
                let jar = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let page = try await client.execute(uri: "/catalog/review", method: .get, headers: [.cookie: PortalTests.cookieHeader(jar)])
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                let portalIds = apiIds.compactMap { id in html.range(of: id).map { (id, $0.lowerBound) } }
                    .sorted { $0.1 < $1.1 }.map(\.0)
                #expect(portalIds == apiIds, "the portal lists the API's queue in the same order")

                // A city's authority does not review them: neither door shows them.
                let city = try await client.json(.get, "/api/v1/catalog/review-queue", token: try await client.token("gz_reviewer"))
                #expect(try #require(city.json["items"] as? [[String: Any]]).allSatisfy { !submitted.contains($0["id"] as? String ?? "") })
                let cityJar = try await PortalCatalogTests.signIn(client, "gz_reviewer")
                let cityPage = String(
                    buffer: try await client.execute(
                        uri: "/catalog/review", method: .get,
                        headers: [.cookie: PortalTests.cookieHeader(cityJar)]
                    ).body)
                #expect(submitted.allSatisfy { !cityPage.contains($0) })

                // Not a reviewer: refused by both, with the same named policy.
                let refused = try await client.json(.get, "/api/v1/catalog/review-queue", token: cataloger)
                #expect(refused.status == .forbidden)
                #expect("\(refused.json)".contains("catalog.review"))
                let userJar = try await PortalCatalogTests.signIn(client, "psb_cataloger")
                let refusedPage = try await client.execute(
                    uri: "/catalog/review", method: .get, headers: [.cookie: PortalTests.cookieHeader(userJar)])
                #expect(refusedPage.status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func readingTheAuditLogIsRecordedTheSameWayByTheAPIAndThePortal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let auditor = try await client.token("auditor")
                #expect(try await client.json(.get, "/api/v1/audit/events?limit=5&action=catalog.create", token: auditor).status == .ok)
                #expect(try await client.json(.get, "/api/v1/audit/verify", token: auditor).status == .ok)
                let jar = try await PortalCatalogTests.signIn(client, "auditor")
                let page = try await client.execute(
                    uri: "/audit?action=catalog.create&limit=5", method: .get,
                    headers: [.cookie: PortalTests.cookieHeader(jar)])
                #expect(page.status == .ok)

                func recorded(_ action: String) async throws -> [AuditEvent] {
                    try await env.platform.storage.auditLog.events(AuditQuery(limit: 10, action: action))
                }
                // Newest first: the portal's read, then the API's.
                let queries = try await recorded("audit.query")
                #expect(queries.count == 2)
                #expect(queries.map(\.detail) == ["limit=5&action=catalog.create", "limit=5&action=catalog.create"])
                #expect(Set(queries.map(\.actorId)).count == 1)
                #expect(queries.allSatisfy { $0.objectType == "audit_log" && $0.objectId == "*" && $0.outcome == "success" })
                let verifications = try await recorded("audit.verify")
                #expect(verifications.count == 2)
                #expect(Set(verifications.map(\.actorId)) == Set(queries.map(\.actorId)))

                // Someone else is refused at both doors, and nothing is recorded for them.
                let user = try await client.json(.get, "/api/v1/audit/events", token: try await client.token("hrss_user"))
                #expect(user.status == .forbidden)
                let userJar = try await PortalCatalogTests.signIn(client, "hrss_user")
                #expect(
                    try await client.execute(uri: "/audit", method: .get, headers: [.cookie: PortalTests.cookieHeader(userJar)]).status
                        == .forbidden)
                #expect(try await recorded("audit.query").count == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func ckanClientsMaySendTheTokenWithoutAScheme(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("hrss_user")
                func count(_ prefix: String, _ authorization: String?) async throws -> (HTTPResponse.Status, Int?) {
                    let headers: HTTPFields = authorization.map { [.authorization: $0] } ?? [:]
                    let result = try await client.json(.get, "\(prefix)/package_search?rows=0", headers: headers)
                    return (result.status, (result.json["result"] as? [String: Any])?["count"] as? Int)
                }
                let anonymous = try await count("/api/3/action", nil)
                let bearer = try await count("/api/3/action", "Bearer \(token)")
                #expect(anonymous.0 == .ok && bearer.0 == .ok)
                #expect((bearer.1 ?? 0) > (anonymous.1 ?? 0), "signed in, the CKAN API shows entries not open to the public")
                // ckanapi -a TOKEN sends `Authorization: TOKEN`: the same caller, on both CKAN prefixes.
                #expect(try await count("/api/3/action", token) == bearer)
                #expect(try await count("/api/action", token) == bearer)
                // A bare value that is not a valid token is refused, not treated as anonymous.
                #expect(try await count("/api/3/action", "not-a-token").0 == .unauthorized)

                // The native API takes only Bearer.
                let native = try await client.execute(uri: "/api/v1/catalog/search?rows=0", method: .get, headers: [.authorization: token])
                #expect(native.status == .unauthorized)
                #expect(try await client.json(.get, "/api/v1/catalog/search?rows=0", token: token).status == .ok)
            }
        }
    }
}

import Foundation
import GovShareCore
import HummingbirdTesting
import Testing

/// Resource codes come from one atomic increment per classification: drafts filed at the same moment — by two
/// requests, or two servers on one PostgreSQL — each get their own sequence number, and none fails.
@Suite("Catalog resource codes")
struct CatalogCodeTests {
    @Test(arguments: TestDatabase.available)
    func draftsFiledAtOnceGetDistinctCodes(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let other = try await env.sibling()
            do {
                let token = try await env.test { client in try await client.token("psb_cataloger") }
                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for n in 0..<12 {
                        let server = n % 2 == 0 ? env.server : other
                        group.addTask {
                            try await server.app.test(.router) { client in
                                let created = try await client.json(
                                    .post, "/api/v1/catalog/entries", token: token,
                                    body: CatalogTests.draft(itemBasis: true).replacingOccurrences(of: "灵活就业人员参保信息", with: "并发编目测试\(n)"))
                                #expect(created.status == .created, "\(created.json)")
                                return created.json["code"] as? String ?? ""
                            }
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(codes.count == 12 && Set(codes).count == 12 && codes.allSatisfy { $0.hasPrefix("301002/") }, "\(codes.sorted())")
            } catch {
                await other.platform.shutdown()
                throw error
            }
            await other.platform.shutdown()
        }
    }
}

import Foundation
import Testing

@Suite("Business systems (Art. 11)")
struct BusinessSystemTests {
    @Test(arguments: TestDatabase.available)
    func approvalNeedsPlannedEntriesAndAcceptanceNeedsThemPublished(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let reviewer = try await client.token("gd_reviewer")
                let registered = try await client.json(
                    .post, "/api/v1/business-systems", token: cataloger,
                    body: #"{"name":"户籍业务管理系统（二期）"}"#)
                #expect(registered.status == .created)
                let id = try #require(registered.json["id"] as? String)
                #expect((registered.json["similar_entries"] as? [Any]) != nil)

                let refused = try await client.json(.post, "/api/v1/business-systems/\(id)/approve", token: reviewer)
                #expect(refused.status == .unprocessableContent)
                #expect(fieldErrors(refused.json).first?.rule == "art11_catalog_planned")

                let draft = try await client.json(
                    .post, "/api/v1/catalog/entries", token: cataloger,
                    body: CatalogTests.draft(itemBasis: true)
                        .replacingOccurrences(of: "灵活就业人员参保信息", with: "户籍迁移业务信息"))
                let code = try #require(draft.json["code"] as? String)
                let entryId = try #require(draft.json["id"] as? String)
                let planned = try await client.json(
                    .put, "/api/v1/business-systems/\(id)/planned-entries", token: cataloger,
                    body: #"{"planned_entries":["\#(code)"]}"#)
                #expect(planned.json["planned_entries"] as? [String] == [code])
                #expect(
                    try await client.json(.post, "/api/v1/business-systems/\(id)/approve", token: reviewer).json["status"] as? String
                        == "approved")

                let early = try await client.json(.post, "/api/v1/business-systems/\(id)/accept", token: reviewer)
                #expect(fieldErrors(early.json).first?.rule == "art11_catalog_published")

                _ = try await client.json(.post, "/api/v1/catalog/entries/\(entryId)/submit", token: cataloger)
                _ = try await client.json(
                    .post, "/api/v1/catalog/entries/\(entryId)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                #expect(
                    try await client.json(.post, "/api/v1/business-systems/\(id)/accept", token: reviewer).json["status"] as? String
                        == "accepted")

                let otherDepartment = try await client.json(
                    .put, "/api/v1/business-systems/\(id)/planned-entries",
                    token: try await client.token("amr_cataloger"), body: #"{"planned_entries":[]}"#)
                #expect(otherDepartment.status == .forbidden)
            }
        }
    }
}

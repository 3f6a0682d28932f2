import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal sharing applications")
struct PortalApplicationsTests {
    static func post(_ client: any TestClientProtocol, _ uri: String, _ jar: [String: String], _ fields: [String: String]) async throws -> TestResponse {
        var all = fields
        all["_csrf"] = jar["gs_csrf"]!
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                                        body: ByteBuffer(string: PortalCatalogTests.form(all)))
    }

    @Test(arguments: TestDatabase.available)
    func applyThenReviewWithReasonsAndBasisThenGrant(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let applicant = try await PortalCatalogTests.signIn(client, "hrss_user")
                let code = try await ApplicationTests.householdCode(client, try await client.token("hrss_user"))
                let (_, form) = try await PortalDataTests.get(client, "/applications/new?entry=\(code)", applicant)
                #expect(form.contains("id=\"apply-form\"") && form.contains("item_HJDZ"))
                let applied = try await Self.post(client, "/applications/new", applicant, [
                    "entry_code": code, "item_GMSFHM": "1", "item_HJDZ": "1", "purpose": "待遇核定核验户籍", "business": "养老保险待遇核定",
                    "basis": "《社会保险法》第五十八条", "contact": "李工", "data_manager": "王科长", "valid_until": "2099-01-01"])
                #expect(applied.status == .unprocessableContent)  // more than three years ahead
                let ok = try await Self.post(client, "/applications/new", applicant, [
                    "entry_code": code, "item_GMSFHM": "1", "item_HJDZ": "1", "purpose": "待遇核定核验户籍", "business": "养老保险待遇核定",
                    "basis": "《社会保险法》第五十八条", "contact": "李工", "data_manager": "王科长",
                    "valid_until": CivilDate(instant: Date()).adding(days: 100).description])
                #expect(ok.status == .seeOther)
                let path = try #require(ok.headers[.location])
                let (_, detail) = try await PortalDataTests.get(client, path, applicant)
                #expect(detail.contains("id=\"application-due\"") && !detail.contains("id=\"review-form\""))

                let provider = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (_, queue) = try await PortalDataTests.get(client, "/applications", provider)
                #expect(queue.contains("id=\"review-queue\"") && queue.contains(path))
                let bare = try await Self.post(client, "\(path)/review", provider, ["decision_GMSFHM": "approve", "decision_HJDZ": "refuse"])
                #expect(bare.status == .unprocessableContent)
                let errors = String(buffer: bare.body)
                #expect(errors.contains("id=\"review-errors\"") && errors.contains("第十六条"))
                let decided = try await Self.post(client, "\(path)/review", provider, [
                    "decision_GMSFHM": "approve", "decision_HJDZ": "refuse", "reason_HJDZ": "核定待遇无需户籍地址",
                    "instrument_HJDZ": "《中华人民共和国个人信息保护法》", "article_HJDZ": "第六条"])
                #expect(decided.status == .seeOther)

                let authority = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let approved = try await Self.post(client, "\(path)/review", authority, ["decision_GMSFHM": "approve", "decision_HJDZ": "approve"])
                #expect(approved.status == .seeOther)
                let (_, final) = try await PortalDataTests.get(client, path, applicant)
                #expect(final.contains("已批准") && final.contains("id=\"grant-id\""))
            }
        }
    }
}

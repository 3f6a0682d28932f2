import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal sharing applications")
struct PortalApplicationsTests {
    static func post(_ client: any TestClientProtocol, _ uri: String, _ jar: [String: String], _ fields: [String: String]) async throws
        -> TestResponse
    {
        var all = fields
        all["_csrf"] = jar["gs_csrf"]!
        return try await client.execute(
            uri: uri, method: .post,
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
                // A not-shared item is shown disabled with the basis the catalog records (Art. 18).
                let health = try await client.json(
                    .get, "/api/v1/catalog/search?classification=202001&rows=1",
                    token: try await client.token("hrss_user"))
                let healthCode = try #require((health.json["items"] as? [[String: Any]])?.first?["code"] as? String)
                let (_, healthForm) = try await PortalDataTests.get(client, "/applications/new?entry=\(healthCode)", applicant)
                #expect(healthForm.contains("name=\"item_JWBS\" value=\"1\" disabled"))
                #expect(healthForm.contains("《中华人民共和国个人信息保护法》第二十八条"))
                let applied = try await Self.post(
                    client, "/applications/new", applicant,
                    [
                        "entry_code": code, "item_GMSFHM": "1", "item_HJDZ": "1", "purpose": "待遇核定核验户籍", "business": "养老保险待遇核定",
                        "basis": "《社会保险法》第五十八条", "contact": "李工", "data_manager": "王科长", "valid_until": "2099-01-01",
                    ])
                #expect(applied.status == .unprocessableContent)  // more than three years ahead
                let ok = try await Self.post(
                    client, "/applications/new", applicant,
                    [
                        "entry_code": code, "item_GMSFHM": "1", "item_HJDZ": "1", "purpose": "待遇核定核验户籍", "business": "养老保险待遇核定",
                        "basis": "《社会保险法》第五十八条", "contact": "李工", "data_manager": "王科长",
                        "valid_until": CivilDate(instant: Date()).adding(days: 100).description,
                    ])
                #expect(ok.status == .seeOther)
                let path = try #require(ok.headers[.location])
                let (_, detail) = try await PortalDataTests.get(client, path, applicant)
                #expect(detail.contains("id=\"application-due\"") && !detail.contains("id=\"review-form\""))

                let provider = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (_, queue) = try await PortalDataTests.get(client, "/applications", provider)
                #expect(queue.contains("id=\"review-queue\"") && queue.contains(path))
                let bare = try await Self.post(
                    client, "\(path)/review", provider, ["decision_GMSFHM": "approve", "decision_HJDZ": "refuse"])
                #expect(bare.status == .unprocessableContent)
                let errors = String(buffer: bare.body)
                #expect(errors.contains("id=\"review-errors\"") && errors.contains("第十六条"))
                let decided = try await Self.post(
                    client, "\(path)/review", provider,
                    [
                        "decision_GMSFHM": "approve", "decision_HJDZ": "refuse", "reason_HJDZ": "核定待遇无需户籍地址",
                        "instrument_HJDZ": "《中华人民共和国个人信息保护法》", "article_HJDZ": "第六条",
                    ])
                #expect(decided.status == .seeOther)

                let authority = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let approved = try await Self.post(
                    client, "\(path)/review", authority, ["decision_GMSFHM": "approve", "decision_HJDZ": "approve"])
                #expect(approved.status == .seeOther)
                let (_, final) = try await PortalDataTests.get(client, path, applicant)
                #expect(final.contains("已批准") && final.contains("id=\"grant-id\""))
            }
        }
    }
}

@Suite("Portal grants, usage and misuse")
struct PortalGrantsTests {
    @Test(arguments: TestDatabase.available)
    func grantsPageShowsUsageAndCarriesMisuseCasesAndGrantActions(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let (code, grantId, applicationId) = try await AccountabilityTests.approvedGrant(client)
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: try await client.token("hrss_user"),
                    body: #"{"purpose":"\#(grantId)","limit":4}"#)
                #expect(read.status == .ok)

                let holder = try await PortalCatalogTests.signIn(client, "hrss_user")
                let (_, held) = try await PortalDataTests.get(client, "/grants", holder)
                #expect(held.contains("id=\"held-\(grantId)\"") && held.contains("id=\"usage-chart\""))
                #expect(held.contains("省人社厅数据管理科 王科长"))
                #expect(!held.contains("id=\"grants-supervised\""), "only grant managers see every grant")

                let provider = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (_, provided) = try await PortalDataTests.get(client, "/grants", provider)
                #expect(provided.contains("id=\"provided-\(grantId)\"") && provided.contains("misuse-form"))
                let empty = try await PortalApplicationsTests.post(client, "/grants/\(grantId)/misuse", provider, ["description": ""])
                #expect(empty.status == .unprocessableContent && String(buffer: empty.body).contains("id=\"grants-error\""))
                let reported = try await PortalApplicationsTests.post(
                    client, "/grants/\(grantId)/misuse", provider,
                    ["description": "将户籍地址用于招商引资"])
                #expect(reported.status == .seeOther)

                let authority = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let (_, supervised) = try await PortalDataTests.get(client, "/grants", authority)
                #expect(supervised.contains("id=\"supervised-\(grantId)\"") && supervised.contains("将户籍地址用于招商引资"))
                let caseId = try #require(
                    ExchangeTests.array(
                        try await client.json(
                            .get, "/api/v1/misuse-cases",
                            token: try await client.token("gd_reviewer")
                        ).response
                    ).first?["id"] as? String)
                #expect(
                    try await PortalApplicationsTests.post(
                        client, "/misuse-cases/\(caseId)/close", authority,
                        ["resolution": "属实，撤销授权"]
                    ).status == .seeOther)
                let noReason = try await PortalApplicationsTests.post(client, "/grants/\(grantId)/action", authority, ["action": "revoke"])
                #expect(noReason.status == .unprocessableContent)
                #expect(
                    try await PortalApplicationsTests.post(
                        client, "/grants/\(grantId)/action", authority,
                        ["action": "revoke", "reason": "滥用属实"]
                    ).status == .seeOther)
                let again = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: try await client.token("hrss_user"),
                    body: #"{"purpose":"\#(grantId)","limit":1}"#)
                #expect(again.status == .forbidden)
                _ = applicationId
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func applicantAttachesADocumentFromTheApplicationPage(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, token)
                let id = try #require(try await ApplicationTests.apply(client, token, code: code, until: "2027-06-30")["id"] as? String)
                let jar = try await PortalCatalogTests.signIn(client, "hrss_user")
                let (_, page) = try await PortalDataTests.get(client, "/applications/\(id)", jar)
                #expect(page.contains("id=\"attach-form\""))
                let boundary = "----gs\(UUID().uuidString)"
                let body =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(jar["gs_csrf"]!)\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"申请函.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                    + "粤人社函〔2026〕12号\r\n--\(boundary)--\r\n"
                let uploaded = try await client.execute(
                    uri: "/applications/\(id)/attachments", method: .post,
                    headers: [
                        .contentType: "multipart/form-data; boundary=\(boundary)",
                        .cookie: PortalTests.cookieHeader(jar),
                    ], body: ByteBuffer(string: body))
                #expect(uploaded.status == .seeOther)
                let (_, after) = try await PortalDataTests.get(client, "/applications/\(id)", jar)
                #expect(after.contains("申请函.txt"))
                let attachmentId = try #require(
                    ExchangeTests.array(
                        try await client.json(
                            .get, "/api/v1/applications/\(id)/attachments",
                            token: token
                        ).response
                    ).first?["id"] as? String)
                #expect(after.contains("/applications/\(id)/attachments/\(attachmentId)"))
                let reviewer = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (status, file) = try await PortalDataTests.get(client, "/applications/\(id)/attachments/\(attachmentId)", reviewer)
                #expect(status == .ok && file == "粤人社函〔2026〕12号")
            }
        }
    }
}

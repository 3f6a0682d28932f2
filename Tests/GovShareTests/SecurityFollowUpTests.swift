import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Holes found by the black-box attack after the first round of issue 11's fixes: a misuse case against the
/// authority's own department, uploaded files served as pages, pull-source URLs naming another server in options.
@Suite("Security: follow-ups from the attack on the running demo")
struct SecurityFollowUpTests {
    @Test(arguments: TestDatabase.available)
    func anAuthorityDoesNotCloseACaseAgainstItself(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                // The data authority's own department holds a grant on 公安厅's data through the workflow.
                let applicant = try await client.token("gd_cataloger")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let id = try #require(
                    try await ApplicationTests.apply(
                        client, applicant, code: code,
                        until: CivilDate(instant: Date()).adding(days: 200).description)["id"] as? String)
                let provider = try await client.token("psb_reviewer"), authority = try await client.token("gd_reviewer")
                _ = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: provider, body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                let done = try await client.json(
                    .post, "/api/v1/applications/\(id)/review", token: authority, body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
                let grantId = try #require(done.json["grant_id"] as? String, "\(done.json)")
                let report = try await client.json(
                    .post, "/api/v1/grants/\(grantId)/misuse-reports", token: provider,
                    body: #"{"description":"发现超出用途使用户籍地址"}"#)
                let caseId = try #require(report.json["id"] as? String, "\(report.json)")
                let own = try await client.json(
                    .post, "/api/v1/misuse-cases/\(caseId)/close", token: authority, body: #"{"resolution":"不属实"}"#)
                #expect(own.status == .forbidden && own.json["code"] as? String == "own_department", "\(own.json)")
                let admin = try await client.json(
                    .post, "/api/v1/misuse-cases/\(caseId)/close", token: try await client.token("admin"),
                    body: #"{"resolution":"经核查属实，责令整改"}"#)
                #expect(admin.json["status"] as? String == "closed", "\(admin.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func uploadedFilesNeverComeBackAsPages(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let id = try #require(
                    try await ApplicationTests.apply(
                        client, applicant, code: code,
                        until: CivilDate(instant: Date()).adding(days: 200).description)["id"] as? String)
                let uploaded = try await client.json(
                    .post, "/api/v1/applications/\(id)/attachments?file_name=page.html", token: applicant,
                    body: "<script>alert(1)</script>", headers: [.contentType: "text/html"])
                let attachmentId = try #require(uploaded.json["id"] as? String, "\(uploaded.json)")
                let download = try await client.execute(
                    uri: "/api/v1/applications/\(id)/attachments/\(attachmentId)", method: .get,
                    headers: [.authorization: "Bearer \(applicant)"])
                #expect(download.headers[.contentType] == "application/octet-stream")
                #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func pullSourceURLsCannotNameAnotherServerInTheirOptions(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let sneaky = try await client.json(
                    .post, "/api/v1/datasets/\(code)/pull-sources", token: provider,
                    body: """
                        {"connection_url":"postgres://u:p@10.1.1.1/db?host=127.0.0.1&port=5432","table":"people","watermark_column":"changed_at",
                         "column_map":{"GMSFHM":"id_no"},"interval_minutes":5}
                        """)
                #expect(fieldErrors(sneaky.json).map(\.rule) == ["url_options"], "\(sneaky.json)")
            }
        }
    }
}

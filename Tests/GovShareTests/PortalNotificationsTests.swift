import Foundation
import GovShareCore
import HummingbirdTesting
import Testing

@Suite("Portal notification settings")
struct PortalNotificationsTests {
    /// A department reviewer sets the webhook (the secret shown once), sees it in the API too, removes it; a wrong URL
    /// is refused on the page; mail cannot be set without a relay; a data user has no such page.
    @Test(arguments: TestDatabase.available)
    func reviewerSetsAndRemovesTheWebhookFromThePortal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let reviewer = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let (status, page) = try await PortalDataTests.get(client, "/notifications", reviewer)
                #expect(status == .ok && page.contains("href=\"/notifications\"") && page.contains("id=\"mail-disabled\""))

                let bad = try await PortalApplicationsTests.post(client, "/notifications/webhook", reviewer, ["url": "ftp://example.org/x"])
                #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("id=\"notifications-error\""))

                let set = try await PortalApplicationsTests.post(
                    client, "/notifications/webhook", reviewer,
                    ["url": "https://psb.example.gov.cn/govshare"])
                let shown = String(buffer: set.body)
                #expect(set.status == .ok && shown.contains("id=\"webhook-secret\""))
                let secret = try #require(
                    shown.range(of: #"<code>[0-9a-f]{64}</code>"#, options: .regularExpression).map { String(shown[$0]) })
                let token = try await client.token("psb_reviewer")
                #expect(
                    try await client.json(.get, "/api/v1/webhook", token: token).json["url"] as? String
                        == "https://psb.example.gov.cn/govshare")
                let (_, later) = try await PortalDataTests.get(client, "/notifications", reviewer)
                #expect(later.contains("https://psb.example.gov.cn/govshare") && !later.contains(secret), "the secret is shown once")

                #expect(try await PortalApplicationsTests.post(client, "/notifications/webhook/remove", reviewer, [:]).status == .seeOther)
                #expect(try await client.json(.get, "/api/v1/webhook", token: token).json["url"] == nil)
                let mail = try await PortalApplicationsTests.post(
                    client, "/notifications/mail", reviewer, ["address": "data@psb.gd.gov.cn"])
                #expect(mail.status == .unprocessableContent, "no relay is configured in tests")

                let user = try await PortalCatalogTests.signIn(client, "hrss_user")
                let (denied, home) = try await PortalDataTests.get(client, "/notifications", user)
                #expect(denied == .forbidden)
                #expect(!home.contains("href=\"/notifications\""))
            }
        }
    }
}

import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension ConflictTests {
    /// The portal: the authority's queue (escalated first) with the run-check button, a case page showing the source.
    @Test(arguments: TestDatabase.available)
    func portalQueueAndCasePages(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let jar = try await PortalCatalogTests.signIn(client, "gd_reviewer")
                let cookie: HTTPFields = [.cookie: PortalTests.cookieHeader(jar)]
                let queue = try await client.execute(uri: "/conflicts", method: .get, headers: cookie)
                #expect(queue.status == .ok)
                let html = String(buffer: queue.body)
                #expect(html.contains("conflict-check-form") && html.contains("conflict-declare-form"))
                let escalated = try #require(html.range(of: "conflict-escalated")),
                    negotiating = try #require(html.range(of: "conflict-negotiating"))
                #expect(escalated.lowerBound < negotiating.lowerBound)
                let checked = try await client.execute(
                    uri: "/conflicts/check", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(jar["gs_csrf"]!)"))
                #expect(checked.status == .seeOther)
                // The notice shows the check's own summary back, and no text a link chose.
                let location = try #require(checked.headers[.location])
                let summary = String(buffer: try await client.execute(uri: location, method: .get, headers: cookie).body)
                #expect(summary.contains("✓ ") && summary.contains(" ms"), "\(location)")
                let phishing = try await client.execute(
                    uri: "/conflicts?checked=%E8%AF%B7%E8%87%B4%E7%94%B5", method: .get, headers: cookie)
                #expect(phishing.status == .ok && !String(buffer: phishing.body).contains("请致电"))
                let arbitrated = try #require(
                    try await env.platform.conflicts.cases(status: "arbitrated", by: Self.system).first?.0.id)
                let page = try await client.execute(uri: "/conflicts/\(arbitrated)", method: .get, headers: cookie)
                let text = String(buffer: page.body)
                #expect(page.status == .ok)
                #expect(text.contains("conflict-source") && text.contains("居民户籍信息.CSRQ"))
                // The catalog entry's page names the authoritative source.
                let entry = try #require(
                    try await env.platform.conflicts.cases(status: "arbitrated", by: Self.system).first?.1.left.entryId)
                let entryPage = String(buffer: try await client.execute(uri: "/catalog/\(entry)", method: .get, headers: cookie).body)
                #expect(entryPage.contains("authoritative-sources") && entryPage.contains("权威来源"), "\(entryPage.prefix(300))")
                // The data user sees no link and is refused.
                let user = try await PortalCatalogTests.signIn(client, "hrss_user")
                let refused = try await client.execute(uri: "/conflicts", method: .get, headers: [.cookie: PortalTests.cookieHeader(user)])
                #expect(refused.status == .forbidden)
            }
        }
    }
}

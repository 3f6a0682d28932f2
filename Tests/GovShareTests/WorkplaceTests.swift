import Foundation
import GovShareCore
import GovShareServer
import HummingbirdTesting
import Testing

/// The home page is each person's work (issue 13, item 6), shown through the router on each database.
@Suite("Workplace home")
struct WorkplaceTests {
    static func home(_ client: any TestClientProtocol, _ username: String) async throws -> String {
        let jar = try await PortalCatalogTests.signIn(client, username)
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: PortalTests.cookieHeader(jar)])
        #expect(page.status == .ok, "\(username)")
        return String(buffer: page.body)
    }

    @Test(arguments: TestDatabase.available)
    func eachRoleSeesItsOwnWorkAndNotAnotherDepartments(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let platform = env.server.platform
                let psbReviewer = try #require(try await platform.demoData.principal(username: "psb_reviewer", by: .system("test")))
                let psbQueue = try await platform.applications.queue(for: psbReviewer)
                #expect(!psbQueue.isEmpty)

                // The provider's reviewer: its applications, by resource name, overdue first with working days left.
                let psb = try await Self.home(client, "psb_reviewer")
                #expect(psb.contains("id=\"work-applications\""))
                for (application, _) in psbQueue { #expect(psb.contains("/applications/\(application.id)")) }
                #expect(psb.contains("剩余工作日") || psb.contains("已逾期"))
                #expect(!psb.contains("id=\"work-unusual-reads\""))

                // The authority's reviewer sees the same applications (it reviews them jointly).
                let gd = try await Self.home(client, "gd_reviewer")
                #expect(gd.contains("id=\"work-applications\""))
                for (application, _) in psbQueue { #expect(gd.contains("/applications/\(application.id)")) }

                // Another provider's reviewer and another city's authority see none of them.
                for other in ["amr_reviewer", "sz_reviewer"] {
                    let page = try await Self.home(client, other)
                    for (application, _) in psbQueue { #expect(!page.contains("/applications/\(application.id)"), "\(other)") }
                }

                // The data user: its subscription and its grant, by resource name and item names.
                let hrss = try await Self.home(client, "hrss_user")
                #expect(hrss.contains("id=\"work-subscriptions\""))
                #expect(hrss.contains("人口基础信息"))
                #expect(hrss.contains("id=\"work-grants\""))
                #expect(!hrss.contains("id=\"work-applications\""))
                let gzUser = try await Self.home(client, "gz_psb_user")
                #expect(!gzUser.contains("id=\"work-subscriptions\""))

                // The auditor's home has no reviewer's or provider's lists.
                let auditor = try await Self.home(client, "auditor")
                #expect(!auditor.contains("id=\"work-applications\""))
                #expect(!auditor.contains("id=\"work-subscriptions\""))
            }
        }
    }
}

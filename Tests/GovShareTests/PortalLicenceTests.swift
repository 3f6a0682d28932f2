import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal e-licences (电子证照)")
struct PortalLicenceTests {
    @Test(arguments: TestDatabase.available)
    func issuerSeesItsLicencesAndLooksThemUpAnotherDepartmentIsRefused(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let licence = try #require(try await LicenceTests.businessLicences(client).first)
                let creditCode = try #require(licence["holder_id"] as? String)
                let name = try #require(licence["holder_name"] as? String)

                let issuer = try await PortalCatalogTests.signIn(client, "amr_reviewer")
                let page = try await client.execute(uri: "/licences", method: .get, headers: [.cookie: PortalTests.cookieHeader(issuer)])
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("id=\"licences-issued\"") && html.contains(creditCode) && html.contains("licence-revoke-form"))

                func lookup(_ jar: [String: String]) async throws -> (HTTPResponse.Status, String) {
                    let r = try await client.execute(
                        uri: "/licences/lookup", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                        body: ByteBuffer(
                            string: PortalCatalogTests.form([
                                "_csrf": jar["gs_csrf"]!, "holder_id": creditCode, "matter": "登记核查", "type": "yyzz",
                            ])))
                    return (r.status, String(buffer: r.body))
                }
                let (status, found) = try await lookup(issuer)
                #expect(status == .ok && found.contains("id=\"licence-results\"") && found.contains(name), "\(found.prefix(400))")

                // 人社厅 without a subscription or grant: the page says why and shows nothing of the holder.
                let reader = try await PortalCatalogTests.signIn(client, "hrss_user")
                let (refusedStatus, refused) = try await lookup(reader)
                #expect(refusedStatus == .unprocessableContent && refused.contains("id=\"licences-error\""))
                #expect(!refused.contains(name) && !refused.contains("id=\"licence-results\""))
            }
        }
    }
}

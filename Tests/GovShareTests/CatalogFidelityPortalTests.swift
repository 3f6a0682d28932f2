import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The portal's obligations page (Art. 9): the entry each obligation concerns, its notices, and a link form for those
/// who may name the entry.
@Suite("Catalog fidelity: obligations page")
struct CatalogFidelityPortalTests {
    @Test(arguments: TestDatabase.available)
    func theObligationsPageLinksAnEntry(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let recorded = try await CatalogObligationFidelityTests.record(
                    client, token: try await client.token("psb_cataloger"),
                    department: psb.code)
                let id = try #require(recorded.json["id"] as? String)
                let huji = try await CatalogObligationFidelityTests.demoEntry(
                    client, "301001", token: try await client.token("psb_cataloger"))

                // A data user sees the list, not the form.
                let reader = try await PortalCatalogTests.signIn(client, "hrss_user")
                let seen = String(
                    buffer: try await client.execute(
                        uri: "/catalog/obligations", method: .get,
                        headers: [.cookie: PortalTests.cookieHeader(reader)]
                    ).body)
                #expect(seen.contains("id=\"obligation-\(id)\"") && seen.contains("尚未关联"))
                #expect(!seen.contains("/catalog/obligations/\(id)/link"))

                let jar = try await PortalCatalogTests.signIn(client, "psb_cataloger")
                let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)]
                let page = String(buffer: try await client.execute(uri: "/catalog/obligations", method: .get, headers: headers).body)
                #expect(page.contains("action=\"/catalog/obligations/\(id)/link\""))

                let gz = try await CatalogObligationFidelityTests.demoEntry(
                    client, "301010", token: try await client.token("psb_cataloger"))
                let refused = try await client.execute(
                    uri: "/catalog/obligations/\(id)/link", method: .post, headers: headers,
                    body: ByteBuffer(string: PortalCatalogTests.form(["_csrf": jar["gs_csrf"]!, "entry_code": gz.code])))
                #expect(refused.status == .unprocessableContent)
                #expect(String(buffer: refused.body).contains("id=\"obligation-error\""))

                let linked = try await client.execute(
                    uri: "/catalog/obligations/\(id)/link", method: .post, headers: headers,
                    body: ByteBuffer(string: PortalCatalogTests.form(["_csrf": jar["gs_csrf"]!, "entry_code": huji.code])))
                #expect(linked.status == .seeOther)
                let after = String(buffer: try await client.execute(uri: "/catalog/obligations", method: .get, headers: headers).body)
                #expect(after.contains("href=\"/catalog/\(huji.id)\""))
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The portal's 电子印章 and 签章验证 pages (Art. 24, 25).
@Suite("Portal seals")
struct PortalSealTests {
    @Test(arguments: TestDatabase.available)
    func authorityIssuesAndRevokesDepartmentSeesItsSealsAnyoneVerifies(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let admin = try await PortalCatalogTests.signIn(client, "admin")
                let page = try await client.execute(uri: "/seals", method: .get, headers: [.cookie: PortalTests.cookieHeader(admin)])
                #expect(page.status == .ok && String(buffer: page.body).contains("id=\"seal-issue-form\""))
                let psbId = try #require(
                    try await client.json(.get, "/api/v1/departments/\(SealTests.psbCode)", token: try await client.token("admin"))
                        .json["id"] as? String)
                let issued = try await client.execute(
                    uri: "/seals", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(admin)],
                    body: ByteBuffer(
                        string: PortalCatalogTests.form([
                            "_csrf": admin["gs_csrf"]!, "name": "广东省公安厅公章", "kind": "official_seal", "holder_department_id": psbId,
                            "valid_to": "2028-12-31",
                        ])))
                #expect(issued.status == .seeOther, "\(String(buffer: issued.body))")

                // The department sees its seal with status and validity, and no issue form.
                let psb = try await PortalCatalogTests.signIn(client, "psb_reviewer")
                let own = String(
                    buffer: try await client.execute(uri: "/seals", method: .get, headers: [.cookie: PortalTests.cookieHeader(psb)]).body)
                #expect(own.contains("广东省公安厅公章") && own.contains("有效") && own.contains("2028-12-31") && !own.contains("seal-issue-form"))
                let amr = try await PortalCatalogTests.signIn(client, "amr_reviewer")
                let other = String(
                    buffer: try await client.execute(uri: "/seals", method: .get, headers: [.cookie: PortalTests.cookieHeader(amr)]).body)
                #expect(!other.contains("广东省公安厅公章"))

                // Signed through the API, verified by upload on the portal.
                let list = try await client.execute(
                    uri: "/api/v1/seals", method: .get, headers: [.authorization: "Bearer \(try await client.token("psb_reviewer"))"])
                let seals = try #require(try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]])
                let id = try #require(seals.first?["id"] as? String)
                let document = Data("portal".utf8)
                let signed = try await SealTests.sign(client, try await client.token("psb_reviewer"), seal: id, document)
                let signatureText = try #require(signed.json["signature"] as? String)
                func verify(_ doc: Data) async throws -> String {
                    let boundary = "portalseal"
                    var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(amr["gs_csrf"]!)\r\n".utf8)
                    for (name, bytes) in [("document", doc), ("signature", Data(signatureText.utf8))] {
                        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"f\"\r\n\r\n".utf8))
                        body.append(bytes)
                        body.append(Data("\r\n".utf8))
                    }
                    body.append(Data("--\(boundary)--\r\n".utf8))
                    let response = try await client.execute(
                        uri: "/seals/verify", method: .post,
                        headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: PortalTests.cookieHeader(amr)],
                        body: ByteBuffer(bytes: body))
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                let valid = try await verify(document)
                #expect(valid.contains("验证通过") && valid.contains("广东省公安厅"), "\(valid)")
                let invalid = try await verify(Data("portaL".utf8))
                #expect(invalid.contains("验证未通过") && invalid.contains("SM3"), "\(invalid)")

                // The authority revokes on the portal.
                let revoked = try await client.execute(
                    uri: "/seals/\(id)/revoke", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(admin)],
                    body: ByteBuffer(string: PortalCatalogTests.form(["_csrf": admin["gs_csrf"]!, "reason": "停用"])))
                #expect(revoked.status == .seeOther)
                let after = String(
                    buffer: try await client.execute(uri: "/seals", method: .get, headers: [.cookie: PortalTests.cookieHeader(psb)]).body)
                #expect(after.contains("已注销") && after.contains("停用"))
            }
        }
    }
}

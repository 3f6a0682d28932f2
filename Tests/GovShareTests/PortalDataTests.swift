import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal shared data")
struct PortalDataTests {
    static func get(_ client: any TestClientProtocol, _ uri: String, _ jar: [String: String]) async throws -> (HTTPResponse.Status, String)
    {
        // As a browser navigating within the site says (a preview is run only then).
        let response = try await client.execute(
            uri: uri, method: .get, headers: [.cookie: PortalTests.cookieHeader(jar), HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
        return (response.status, String(buffer: response.body))
    }

    @Test(arguments: TestDatabase.available)
    func subscribePreviewUploadAndTrace(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                // A data user of another department: sees the list, subscribes, previews masked rows.
                let user = try await PortalCatalogTests.signIn(client, "gz_psb_user")
                let (listStatus, list) = try await Self.get(client, "/data", user)
                #expect(listStatus == .ok)
                #expect(list.contains("id=\"rows-chart\"") && list.contains("人口基础信息"))
                let slug = try #require(list.range(of: #"/data/101001-\d+"#, options: .regularExpression).map { String(list[$0]) })
                let (_, page) = try await Self.get(client, slug, user)
                #expect(page.contains("id=\"no-purpose\"") && page.contains("id=\"subscribe-form\""))
                #expect(!page.contains("id=\"upload-form\""))

                let subscribed = try await client.execute(
                    uri: "\(slug)/subscribe", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(user)],
                    body: ByteBuffer(
                        string: PortalCatalogTests.form([
                            "_csrf": user["gs_csrf"]!, "item_GMSFHM": "1", "item_XM": "1",
                            "purpose": "办理户籍业务时核验身份",
                        ])))
                #expect(subscribed.status == .seeOther)
                let (_, preview) = try await Self.get(client, try #require(subscribed.headers[.location]), user)
                #expect(preview.contains("id=\"preview\""))
                #expect(preview.range(of: #"<td>\d{6}\*{8}[\dX]{4}</td>"#, options: .regularExpression) != nil)
                #expect(!preview.contains("户籍地址</th>"), "a conditional item is not in the preview")
                // The same preview started from another site reads nothing (and writes no audit entry).
                let reads = try await env.platform.storage.auditLog.events(AuditQuery(limit: 500, action: "data.read")).count
                var crossSite = HTTPFields()
                crossSite[.cookie] = PortalTests.cookieHeader(user)
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                let forged = try await client.execute(uri: try #require(subscribed.headers[.location]), method: .get, headers: crossSite)
                #expect(
                    String(buffer: forged.body).contains("id=\"preview-error\"") && !String(buffer: forged.body).contains("id=\"preview\""))
                #expect(try await env.platform.storage.auditLog.events(AuditQuery(limit: 500, action: "data.read")).count == reads)
                // …and so does one whose client does not say where it came from.
                crossSite[HTTPField.Name("Sec-Fetch-Site")!] = nil
                let unsaid = try await client.execute(uri: try #require(subscribed.headers[.location]), method: .get, headers: crossSite)
                #expect(
                    String(buffer: unsaid.body).contains("id=\"preview-error\"") && !String(buffer: unsaid.body).contains("id=\"preview\""))
                #expect(try await env.platform.storage.auditLog.events(AuditQuery(limit: 500, action: "data.read")).count == reads)

                // The provider uploads a CSV with one bad row in row mode: the report names the row and the item.
                let provider = try await PortalCatalogTests.signIn(client, "gd_cataloger")
                let boundary = "----govshare-test"
                let csv = "公民身份号码,姓名\r\n11010519491231002X,测试甲\r\n110105194912310021,测试乙\r\n"
                let body =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(provider["gs_csrf"]!)\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nrow\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
                    + "--\(boundary)--\r\n"
                let uploaded = try await client.execute(
                    uri: "\(slug)/upload", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: PortalTests.cookieHeader(provider)],
                    body: ByteBuffer(string: body))
                let report = String(buffer: uploaded.body)
                #expect(uploaded.status == .ok)
                #expect(report.contains("id=\"row-errors\"") && report.contains("<td>3</td><td>GMSFHM</td>"))
                #expect(report.contains("成功 1 行"))

                // The auditor finds the user's preview read by the record it returned.
                let auditor = try await PortalCatalogTests.signIn(client, "auditor")
                let (traceStatus, trace) = try await Self.get(client, "/data/trace?department=11440100MB563545X1", auditor)
                #expect(traceStatus == .ok)
                #expect(trace.contains("广州市公安局数据使用者"))
                let (denied, _) = try await Self.get(client, "/data/trace", user)
                #expect(denied == .forbidden || denied == .seeOther)
                // A search is an audited read under the auditor's name: not run from another site's link.
                let linked = try await client.execute(
                    uri: "/data/trace?department=11440100MB563545X1", method: .get,
                    headers: [.cookie: PortalTests.cookieHeader(auditor), HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
                let linkedPage = String(buffer: linked.body)
                #expect(linkedPage.contains("来自其他网站的链接不会执行查询") && !linkedPage.contains("广州市公安局数据使用者"))

                // A form its browser marks as sent from another site — a sibling subdomain could have set the CSRF
                // cookie — is refused whatever token it carries; the same form from this site goes through.
                func logout(from site: String) async throws -> HTTPResponse.Status {
                    try await client.execute(
                        uri: "/logout", method: .post,
                        headers: [
                            .contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(auditor),
                            HTTPField.Name("Sec-Fetch-Site")!: site,
                        ],
                        body: ByteBuffer(string: PortalCatalogTests.form(["_csrf": auditor["gs_csrf"]!]))
                    ).status
                }
                #expect(try await logout(from: "same-site") == .forbidden)
                #expect(try await logout(from: "same-origin") == .seeOther)
            }
        }
    }
}

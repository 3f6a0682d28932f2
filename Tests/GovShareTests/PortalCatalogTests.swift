import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal catalog")
struct PortalCatalogTests {
    static func signIn(_ client: any TestClientProtocol, _ username: String) async throws -> [String: String] {
        let page = try await client.execute(uri: "/login", method: .get)
        var jar = PortalTests.cookies(page)
        let response = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
            body: ByteBuffer(string: "_csrf=\(jar["gs_csrf"]!)&username=\(username)&password=GovShare%232026"))
        #expect(response.status == .seeOther)
        jar.merge(PortalTests.cookies(response)) { $1 }
        return jar
    }

    static func form(_ fields: [String: String]) -> String {
        fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    @Test(arguments: TestDatabase.available)
    func editorShowsRuleErrorsNextToTheFieldsThenSubmits(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let jar = try await Self.signIn(client, "psb_cataloger")
                var fields = [
                    "_csrf": jar["gs_csrf"]!, "intent": "submit", "kind": "department", "classification_code": "301003",
                    "name": "出入境证件签发信息", "summary": "全省出入境证件签发记录。", "format": "database",
                    "share_method": "service_interface", "update_cycle": "daily", "collection_basis": "law", "open_to_public": "false",
                    "responsible_party": "省公安厅出入境管理局", "update_deadline": "签发后1个工作日内", "usage_requirements": "仅限法定职责",
                    "share_conditions": "须经主管部门审核", "legal_instrument": "《中华人民共和国出境入境管理法》", "legal_article": "第八十五条",
                    "items": "姓名|XM|C|50|unconditional|2\n证件号码|ZJHM|C|20|conditional|4|||仅限核验",
                ]
                let refused = try await client.execute(
                    uri: "/catalog/new", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                    body: ByteBuffer(string: Self.form(fields)))
                #expect(refused.status == .unprocessableContent)
                let html = String(buffer: refused.body)
                #expect(html.contains("id=\"error-items\""))
                #expect(html.contains("证件号码"))
                #expect(html.contains("第十八条"))
                #expect(html.contains("action=\"/catalog/"))  // the draft was kept: the form now edits it

                let action = try #require(
                    html.range(of: #"action="/catalog/[^"]+/edit""#, options: .regularExpression).map { String(html[$0]) })
                let path = String(action.dropFirst(8).dropLast())
                fields["items"] = "姓名|XM|C|50|unconditional|2\n证件号码|ZJHM|C|20|conditional|4|《中华人民共和国出境入境管理法》|第八十五条|仅限核验"
                let submitted = try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)],
                    body: ByteBuffer(string: Self.form(fields)))
                #expect(submitted.status == .seeOther)
                let detail = try await client.execute(
                    uri: submitted.headers[.location]!, method: .get, headers: [.cookie: PortalTests.cookieHeader(jar)])
                #expect(String(buffer: detail.body).contains("待审核"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func catalogBrowserSearchesAndShowsFacetCharts(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let jar = try await Self.signIn(client, "hrss_user")
                let page = try await client.execute(
                    uri: "/catalog?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7", method: .get,
                    headers: [.cookie: PortalTests.cookieHeader(jar)])
                let html = String(buffer: page.body)
                #expect(page.status == .ok)
                #expect(html.contains("企业营业执照信息"))
                #expect(html.contains("class=\"bar w"))
            }
        }
    }
}

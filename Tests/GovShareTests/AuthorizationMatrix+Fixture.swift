import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The objects the authorisation matrix names, found in (or added to) the demo through the API before the matrix runs,
/// each under a placeholder the table uses (`$G_PSB` …). Objects of 公安厅 (PSB) are the psb callers' own and every other
/// caller's "another department's"; objects of 广东省政务服务数据管理局 (GD) are admin's and gd_reviewer's own; 人社厅 (HRSS)
/// holds the grants and subscriptions.
struct MatrixFixture {
    typealias Caller = AuthorizationMatrixTests.Caller

    var tokens: [Caller: String] = [:]
    var values: [String: String] = [
        "$D_GD": "11440000MB3307905U", "$D_PSB": "114400000060952367", "$D_HRSS": "11440000MB9525066D",
        "$D_GZ_PSB": "11440100MB563545X1",
        "$NO_USER": "matrix_nobody", "$NO_CLIENT": "gs_matrix_nobody",
    ]

    /// Replaces every placeholder, longest first (so `$E_POP` is not read as `$E_P…`).
    func substitute(_ text: String) -> String {
        var result = text
        for (key, value) in values.sorted(by: { $0.key.count > $1.key.count }) where result.contains(key) {
            result = result.replacingOccurrences(of: key, with: value)
        }
        #expect(!result.contains("$"), "unresolved placeholder in \(result)")
        return result
    }

    static func make(_ client: any TestClientProtocol) async throws -> MatrixFixture {
        var f = MatrixFixture()
        for caller in Caller.allCases where caller != .anonymous { f.tokens[caller] = try await client.token(caller.rawValue) }
        let admin = f.tokens[.admin]!, gd = f.tokens[.gd]!, psb = f.tokens[.psbC]!, hrss = f.tokens[.hrss]!
        f.values["$FUTURE"] = CivilDate(instant: Date()).adding(days: 30).description

        // Published entries: 人口基础信息 (GD), 居民户籍信息 (PSB), 广州市居住证信息 (广州市公安局, reviewed by 广州's
        // authority), 广州市道路交通技术监控设备信息 (open to the public), 城乡社区基本信息 (民政厅's thematic entry, built with
        // 公安厅 and GD).
        for (name, classification) in [("POP", "101001"), ("HUJI", "301001"), ("GZ", "301010"), ("PUBLIC", "301011"), ("THEME", "210001")] {
            let found = try await client.json(.get, "/api/v1/catalog/search?classification=\(classification)&rows=1", token: admin)
            let item = try #require((found.json["items"] as? [[String: Any]])?.first, "demo entry \(classification)")
            f.values["$E_\(name)"] = try #require(item["entry_id"] as? String)
            f.values["$\(name)"] = try #require(item["code"] as? String).replacingOccurrences(of: "/", with: "-")
        }
        let subscriptions = ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: hrss).response)
        f.values["$SUB"] = try #require(subscriptions.first?["id"] as? String, "人社厅's demo subscription")
        let held = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: hrss).response)
        f.values["$G_AMR"] = try #require(held.first { $0["application_id"] is String }?["id"] as? String, "the demo application's grant")

        // A revoked subscription of 人社厅: revoking it again changes nothing.
        let extra = try await f.created(
            client, .post, "/api/v1/subscriptions", hrss,
            #"{"entry_code":"$HUJI","items":["XM"],"purpose":"授权矩阵测试"}"#)
        f.values["$SUB_REVOKED"] = extra
        _ = try await f.expectOK(client, .post, "/api/v1/subscriptions/\(extra)/revoke", hrss, nil)

        // Grants to 人社厅 on 居民户籍信息, made outside the workflow: one proposed by gd_reviewer and confirmed by admin
        // (active), one proposed with a clear graded item (waiting for confirmation and the provider's consent).
        f.values["$G_PSB"] = try await f.created(
            client, .post, "/api/v1/grants", gd,
            """
            {"department_code":"$D_HRSS","entry_code":"$HUJI","items":["XB","HJDJJG"],"purpose":"授权矩阵测试","valid_until":"$FUTURE"}
            """)
        _ = try await f.expectOK(client, .post, "/api/v1/grants/$G_PSB/confirm", admin, #"{"confirm":true}"#)
        f.values["$G_PROPOSED"] = try await f.created(
            client, .post, "/api/v1/grants", gd,
            """
            {"department_code":"$D_HRSS","entry_code":"$HUJI","items":["GMSFHM"],"clear_items":["GMSFHM"],"purpose":"授权矩阵测试","valid_until":"$FUTURE"}
            """)
        f.values["$CASE"] = try await f.created(
            client, .post, "/api/v1/grants/$G_PSB/misuse-reports", f.tokens[.psbR]!,
            #"{"description":"授权矩阵测试"}"#)

        // Applications: 人社厅's under review (驾驶证信息, 公安厅), and GD's own waiting for its answer (出入境, 公安厅).
        let own = ExchangeTests.array(try await client.json(.get, "/api/v1/applications", token: hrss).response)
        f.values["$A_HRSS"] = try #require(own.first { ($0["entry_code"] as? String)?.hasPrefix("301003/") == true }?["id"] as? String)
        let gds = ExchangeTests.array(try await client.json(.get, "/api/v1/applications", token: gd).response)
        f.values["$A_GD"] = try #require(gds.first { $0["status"] as? String == "info_requested" }?["id"] as? String)
        f.values["$ATT"] = try await f.created(
            client, .post, "/api/v1/applications/$A_HRSS/attachments?file_name=note.txt", hrss,
            "supporting document", type: "text/plain")

        // 公安厅's own: a draft entry, a business system, a pull source and a service endpoint (nothing listens on port 9),
        // and a published electronic-file resource with one file.
        f.values["$E_DRAFT"] = try await f.created(
            client, .post, "/api/v1/catalog/entries", psb,
            """
            {"content":{"kind":"department","classification_code":"301999","name":"授权矩阵测试草稿"}}
            """)
        f.values["$BS"] = try await f.created(client, .post, "/api/v1/business-systems", psb, #"{"name":"授权矩阵测试系统"}"#)
        f.values["$OBL"] = try await f.created(
            client, .post, "/api/v1/catalog/obligations", psb,
            AuthorizationMatrixTests.obligation("$D_PSB"))
        f.values["$PULL"] = try await f.created(
            client, .post, "/api/v1/datasets/$HUJI/pull-sources", psb,
            #"{"connection_url":"postgres://u:p@127.0.0.1:9/db","table":"t","watermark_column":"w"}"#)
        _ = try await f.created(client, .post, "/api/v1/resources/$HUJI/service", psb, #"{"endpoint":"http://127.0.0.1:9/"}"#)
        try await f.fileResource(client, psb: psb, gd: gd)
        let inbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: f.tokens[.psbR]!).response)
        f.values["$NOTE_PSB"] = try #require(inbox.first?["id"] as? String, "公安厅's inbox")
        return f
    }

    /// 居民户籍信息's content filed again as an electronic-file resource of 公安厅, published, with one file.
    mutating func fileResource(_ client: any TestClientProtocol, psb: String, gd: String) async throws {
        let entry = try await client.json(.get, "/api/v1/catalog/entries/\(values["$E_HUJI"]!)", token: psb)
        var content = try #require((entry.json["version"] as? [String: Any])?["content"] as? [String: Any])
        content["name"] = "授权矩阵测试文件"
        content["format"] = "electronic_file"
        content["share_method"] = "file_download"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["content": content]), as: UTF8.self)
        let id = try await created(client, .post, "/api/v1/catalog/entries", psb, body)
        _ = try await expectOK(client, .post, "/api/v1/catalog/entries/\(id)/submit", psb, nil)
        let published = try await expectOK(client, .post, "/api/v1/catalog/entries/\(id)/review", gd, #"{"decision":"publish"}"#)
        values["$FILERES"] = try #require(published["code"] as? String).replacingOccurrences(of: "/", with: "-")
        values["$FILE"] = try await created(
            client, .post, "/api/v1/resources/$FILERES/files?file_name=a.txt", psb, "file", type: "text/plain")
    }

    /// Sends a setup request that must succeed with 201 and returns the new object's id.
    func created(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String,
        type: String = "application/json"
    ) async throws -> String {
        let json = try await send(client, method, uri, token, body, type: type, expecting: 201)
        return try #require(json["id"] as? String, "\(uri): \(json)")
    }

    func expectOK(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String,
        _ body: String?
    ) async throws -> [String: Any] {
        try await send(client, method, uri, token, body, type: "application/json", expecting: 200)
    }

    func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String?,
        type: String, expecting status: Int
    ) async throws -> [String: Any] {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = type }
        let response = try await client.execute(
            uri: substitute(uri), method: method, headers: headers,
            body: body.map { ByteBuffer(string: substitute($0)) })
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        try #require(Int(response.status.code) == status, "setup \(method) \(uri): \(response.status) \(json)")
        return json
    }
}

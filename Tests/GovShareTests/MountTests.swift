import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Inherited mounts, file resources, service interfaces")
struct MountTests {
    /// Files a draft of `format` for the public security department and has the provincial authority publish it.
    static func publish(_ client: any TestClientProtocol, format: String, name: String, nameGrade: Int = 2) async throws -> String {
        let cataloger = try await client.token("psb_cataloger")
        let body = CatalogTests.draft(itemBasis: true).replacingOccurrences(of: #""format":"database""#, with: #""format":"\#(format)""#)
            .replacingOccurrences(of: "灵活就业人员参保信息", with: name)
            .replacingOccurrences(
                of: #""code":"XM","data_type":"C","length":50,"share_type":"unconditional","sensitivity":2"#,
                with: #""code":"XM","data_type":"C","length":50,"share_type":"unconditional","sensitivity":\#(nameGrade)"#)
        let created = try await client.json(.post, "/api/v1/catalog/entries", token: cataloger, body: body)
        let id = try #require(created.json["id"] as? String, "\(created.json)")
        _ = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
        let published = try await client.json(
            .post, "/api/v1/catalog/entries/\(id)/review", token: try await client.token("gd_reviewer"),
            body: #"{"decision":"publish"}"#)
        #expect(published.json["status"] as? String == "published", "\(published.json)")
        return try #require(published.json["code"] as? String).replacingOccurrences(of: "/", with: "-")
    }

    /// A dataset with many items (150 here) still takes a large batch: each insert statement stays under the
    /// databases' limits on bound values (SQLite 32,766; PostgreSQL 65,535).
    @Test(arguments: TestDatabase.available)
    func aWideDatasetTakesALargeBatch(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let items = (0..<150).map { i in
                    #"{"name":"指标\#(i)","code":"ZB\#(i)","data_type":"C","length":20,"share_type":"unconditional","sensitivity":1}"#
                }.joined(separator: ",")
                let draft = CatalogTests.draft(itemBasis: true)
                let body = draft[..<draft.range(of: #""items":["#)!.upperBound] + items + "]}}"
                let cataloger = try await client.token("psb_cataloger")
                let created = try await client.json(.post, "/api/v1/catalog/entries", token: cataloger, body: String(body))
                let id = try #require(created.json["id"] as? String, "\(created.json)")
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: cataloger)
                let published = try await client.json(
                    .post, "/api/v1/catalog/entries/\(id)/review", token: try await client.token("gd_reviewer"),
                    body: #"{"decision":"publish"}"#)
                let code = try #require(published.json["code"] as? String, "\(published.json)")
                let mounted = try await client.json(.post, "/api/v1/datasets", token: cataloger, body: #"{"entry_code":"\#(code)"}"#)
                #expect(mounted.status == .created, "\(mounted.json) \(published.json)")
                let rows = (0..<500).map { r in
                    "{" + (0..<150).map { i in #""ZB\#(i)":"\#(r)-\#(i)""# }.joined(separator: ",") + "}"
                }.joined(separator: ",")
                let pushed = try await client.json(
                    .post, "/api/v1/datasets/\(code.replacingOccurrences(of: "/", with: "-"))/rows",
                    token: cataloger, body: #"{"upsert":[\#(rows)]}"#)
                #expect(pushed.status == .created && pushed.json["accepted"] as? Int == 500, "\(pushed.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func inheritedMountNeedsAnUpperLevelDataset(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                // 深圳市市场监管局 is in the provincial market regulator's system (Art. 15): it inherits 企业营业执照信息.
                let city = try await client.token("sz_cataloger")
                let datasets = ExchangeTests.array(try await client.json(.get, "/api/v1/datasets", token: city).response)
                let code = try #require(
                    datasets.first { ($0["entry_code"] as? String)?.hasPrefix("302001/") == true }?["entry_code"] as? String
                )
                .replacingOccurrences(of: "/", with: "-")
                let first = try await client.json(.post, "/api/v1/datasets/\(code)/inherit", token: city, body: #"{"note":"使用省统一人口库"}"#)
                #expect(first.status == .created, "\(first.json)")
                #expect(try await client.json(.post, "/api/v1/datasets/\(code)/inherit", token: city, body: "{}").status == .conflict)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/inherit", token: try await client.token("gd_cataloger"), body: "{}")
                #expect(fieldErrors(own.json).first?.rule == "upper_level")
                let list = ExchangeTests.array(try await client.json(.get, "/api/v1/datasets/\(code)/inherited", token: city).response)
                #expect(list.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func filesAreStoredWithChecksumsAndReadUnderTheAccessRules(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let code = try await Self.publish(client, format: "electronic_file", name: "出入境证件样式文件")
                let provider = try await client.token("psb_cataloger")
                let content = "证件样式说明 v1"
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(provider)"
                headers[.contentType] = "text/plain; charset=utf-8"
                let uploaded = try await client.execute(
                    uri: "/api/v1/resources/\(code)/files?file_name=sample.txt", method: .post,
                    headers: headers, body: ByteBuffer(string: content))
                #expect(uploaded.status == .created)
                let file = (try? JSONSerialization.jsonObject(with: Data(uploaded.body.readableBytesView))) as? [String: Any] ?? [:]
                let fileId = try #require(file["id"] as? String)
                let sha = try #require(file["sha256"] as? String)
                #expect(sha.count == 64)

                // Another department without a subscription is refused; with one it downloads the exact bytes.
                let user = try await client.token("hrss_user")
                #expect(try await client.json(.get, "/api/v1/files/\(fileId)", token: user).status == .unprocessableContent)
                let subscription = try await client.json(
                    .post, "/api/v1/subscriptions", token: user,
                    body: """
                        {"entry_code":"\(code)","items":["XM"],"purpose":"核对证件样式","business":"出入境证件受理","users":["受理窗口","证件核验系统"]}
                        """)
                let purpose = try #require(subscription.json["id"] as? String)
                // Art. 16: the subscription records the business matter and who will use the data.
                #expect(subscription.json["business"] as? String == "出入境证件受理")
                #expect(subscription.json["users"] as? [String] == ["受理窗口", "证件核验系统"])
                // A file cannot be masked or cut down to the subscribed items: a subscription to XM alone does not
                // reach a file that also holds the conditional JFJS (issue 11: files were handed whole).
                let partial = try await client.json(.get, "/api/v1/files/\(fileId)?purpose=\(purpose)", token: user)
                #expect(partial.status == .forbidden && partial.json["code"] as? String == "file_not_permitted", "\(partial.json)")
                let download = try await client.json(.get, "/api/v1/files/\(fileId)", token: provider)
                #expect(download.status == .ok)
                #expect(String(buffer: download.response.body) == content)
                #expect(download.response.headers[.init("X-Checksum-SHA256")!] == sha)
                // The download is a read in the trace, found by the file as its record.
                let traced = ExchangeTests.array(
                    try await client.json(
                        .get, "/api/v1/data-reads?record=\(fileId)",
                        token: try await client.token("auditor")
                    ).response)
                #expect(traced.count == 1 && traced.first?["purpose_id"] as? String == "provider", "\(traced)")

                // Altered on disk: the download fails instead of handing out the altered bytes.
                let path = (env.platform.config.dataDirectory as NSString).appendingPathComponent("files/\(sha)")
                try Data("tampered".utf8).write(to: URL(fileURLWithPath: path))
                let altered = try await client.json(.get, "/api/v1/files/\(fileId)", token: provider)
                #expect(altered.status == .serviceUnavailable)
                #expect(altered.json["code"] as? String == "checksum_mismatch")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func serviceCallsAreProxiedFilteredMaskedAndAudited(database: TestDatabase) async throws {
        // The provider's own endpoint: a small live server answering with every item, including the conditional one.
        let upstream = Router()
        upstream.get("verify") { request, _ -> Response in
            let name = request.uri.queryParameters["name"].map(String.init) ?? ""
            let json = #"{"records":[{"XM":"\#(name)","JFJS":"8000","INTERNAL":"x"}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        try await Application(router: upstream).test(.live) { upstreamClient in
            let port = try #require(upstreamClient.port)
            try await TestEnvironment.with(database) { env in
                try await env.test { client in
                    let code = try await Self.publish(client, format: "service_interface", name: "参保资格核验接口")
                    let provider = try await client.token("psb_cataloger")
                    let mounted = try await client.json(
                        .post, "/api/v1/resources/\(code)/service", token: provider,
                        body: #"{"endpoint":"http://127.0.0.1:\#(port)/verify?scope=own"}"#)
                    #expect(mounted.status == .created, "\(mounted.json)")
                    #expect(mounted.json["endpoint"] == nil && mounted.json["host"] as? String == "127.0.0.1")

                    let user = try await client.token("hrss_user")
                    let subscription = try await client.json(
                        .post, "/api/v1/subscriptions", token: user,
                        body: #"{"entry_code":"\#(code)","items":["XM"],"purpose":"参保资格核验"}"#)
                    let purpose = try #require(subscription.json["id"] as? String)
                    let called = try await client.json(
                        .post, "/api/v1/resources/\(code)/call", token: user,
                        body: #"{"purpose":"\#(purpose)","parameters":{"name":"张三丰"}}"#)
                    #expect(called.status == .ok, "\(called.json)")
                    let record = try #require((called.json["records"] as? [[String: Any]])?.first)
                    #expect(Set(record.keys) == ["XM"], "conditional and undeclared fields are dropped")
                    #expect(record["XM"] as? String == "张三丰")  // sensitivity 2: clear

                    let auditor = try await client.token("auditor")
                    let events = try await client.json(.get, "/api/v1/audit/events?action=service.call", token: auditor)
                    #expect((events.json["items"] as? [Any])?.count == 1)
                    // The call is a traceable read: the auditor finds it by the record it returned (the key item, XM).
                    let recordKey = "%E5%BC%A0%E4%B8%89%E4%B8%B0"  // 张三丰
                    let traced = ExchangeTests.array(
                        try await client.json(.get, "/api/v1/data-reads?record=\(recordKey)", token: auditor).response)
                    #expect(traced.count == 1 && traced.first?["purpose_id"] as? String == purpose, "\(traced)")

                    // Parameters cannot reach items outside the subscription, nor replace the provider's own.
                    let conditional = try await client.json(
                        .post, "/api/v1/resources/\(code)/call", token: user,
                        body: #"{"purpose":"\#(purpose)","parameters":{"JFJS":"8000"}}"#)
                    #expect(conditional.status == .forbidden, "\(conditional.json)")
                    let fixed = try await client.json(
                        .post, "/api/v1/resources/\(code)/call", token: user,
                        body: #"{"purpose":"\#(purpose)","parameters":{"scope":"all"}}"#)
                    #expect(fieldErrors(fixed.json).map(\.rule) == ["reserved"], "\(fixed.json)")
                }
            }
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 11, item 7: every object is checked against the caller's department, not only the caller's role. A cataloger
/// files entries only for its own department and cannot make itself a co-builder; a data authority's reviewer acts on,
/// and sees, only the departments its authority reviews (a city's reviewer nothing of the province's).
@Suite("Object scope: a role acts only on its own departments' objects")
struct ObjectScopeTests {
    static let psb = "114400000060952367"  // 省公安厅 (psb_cataloger)
    static let amr = "114400000075589682"  // 省市场监管局 (amr_cataloger)
    static let szAmr = "11440300008912768C"  // 深圳市市场监管局 (sz_cataloger)
    static let gzPsb = "11440100MB563545X1"  // 广州市公安局

    /// A thematic entry that passes the submission rules, with the given co-builders; `extra` adds content fields.
    static func thematic(
        coBuilders: [String]?, provider: String? = nil, summary: String = "多部门共建的市场主体信用信息。",
        kind: String = "thematic", extra: String = ""
    ) -> String {
        let builders = coBuilders.map { #","co_builder_codes":[\#($0.map { "\"\($0)\"" }.joined(separator: ","))]"# } ?? ""
        let classification = kind == "thematic" ? "208001" : "301009"
        let providerCode = provider.map { #""provider_code":"\#($0)","# } ?? ""
        return #"""
            {\#(providerCode)"content":{"kind":"\#(kind)","classification_code":"\#(classification)","name":"市场主体信用主题库",
             "summary":"\#(summary)","format":"database","share_method":"service_interface","update_cycle":"daily",
             "open_to_public":false,"responsible_party":"牵头部门信用处","update_deadline":"变更后1个工作日内",
             "usage_requirements":"仅限履行法定职责","collection_basis":"law"\#(builders)\#(extra),
             "items":[{"name":"统一社会信用代码","code":"TYSHXYDM","data_type":"C","length":18,"share_type":"unconditional","sensitivity":1}]}}
            """#
    }

    @Test(arguments: TestDatabase.available)
    func coBuildersEditButOnlyTheProviderFilesSubmitsAndNamesThem(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let psb = try await client.token("psb_cataloger")
                let amr = try await client.token("amr_cataloger")
                let sz = try await client.token("sz_cataloger")

                // The attack: an entry in another department's name, passed off by naming oneself its co-builder.
                let forged = try await client.json(
                    .post, "/api/v1/catalog/entries", token: psb,
                    body: Self.thematic(coBuilders: [Self.psb], provider: Self.amr))
                #expect(forged.status == .forbidden, "\(forged.json)")
                #expect(forged.json["code"] as? String == "not_provider_cataloger")

                // The lead department files it and names its co-builders.
                let created = try await client.json(
                    .post, "/api/v1/catalog/entries", token: psb, body: Self.thematic(coBuilders: [Self.amr]))
                #expect(created.status == .created, "\(created.json)")
                let id = try #require(created.json["id"] as? String)

                // A co-builder edits the content ...
                let edited = try await client.json(
                    .put, "/api/v1/catalog/entries/\(id)", token: amr,
                    body: Self.thematic(coBuilders: [Self.amr], summary: "市场监管局补充的摘要。"))
                #expect(edited.status == .ok, "\(edited.json)")
                // ... but does not change who co-builds, and does not submit.
                let widened = try await client.json(
                    .put, "/api/v1/catalog/entries/\(id)", token: amr,
                    body: Self.thematic(coBuilders: [Self.amr, Self.szAmr]))
                #expect(widened.status == .forbidden && widened.json["code"] as? String == "co_builders_by_provider", "\(widened.json)")
                let dropped = try await client.json(.put, "/api/v1/catalog/entries/\(id)", token: amr, body: Self.thematic(coBuilders: nil))
                #expect(dropped.status == .forbidden, "\(dropped.json)")
                #expect(try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: amr).status == .forbidden)
                // Someone not named is no editor at all.
                #expect(
                    try await client.json(
                        .put, "/api/v1/catalog/entries/\(id)", token: sz,
                        body: Self.thematic(coBuilders: [Self.amr, Self.szAmr])
                    ).status == .forbidden)

                // Co-builders exist, are named once, are not the provider, and only thematic entries have them.
                for (builders, rule) in [
                    (["91440000MA0000000X"], "exists"), ([Self.amr, Self.amr], "unique"), ([Self.psb], "not_provider"),
                ] {
                    let refused = try await client.json(
                        .put, "/api/v1/catalog/entries/\(id)", token: psb, body: Self.thematic(coBuilders: builders))
                    #expect(refused.status == .unprocessableContent, "\(builders): \(refused.json)")
                    #expect(fieldErrors(refused.json).map(\.rule) == [rule], "\(builders): \(refused.json)")
                }
                let onDepartment = try await client.json(
                    .post, "/api/v1/catalog/entries", token: psb,
                    body: Self.thematic(coBuilders: [Self.amr], kind: "department"))
                #expect(onDepartment.status == .unprocessableContent)
                #expect(
                    fieldErrors(onDepartment.json).map(\.field) == ["co_builder_codes"]
                        && fieldErrors(onDepartment.json).map(\.rule) == ["thematic_only"])

                // Who may not act learns so before the body is looked at (403, not 422 for a missing field).
                let user = try await client.token("hrss_user")
                #expect(try await client.json(.post, "/api/v1/catalog/entries", token: user, body: "{}").status == .forbidden)
                #expect(
                    try await client.json(.post, "/api/v1/catalog/entries", token: psb, body: #"{"provider_code":"\#(Self.amr)"}"#).status
                        == .forbidden)
                #expect(try await client.json(.put, "/api/v1/catalog/entries/\(id)", token: sz, body: "{}").status == .forbidden)
                #expect(
                    try await client.json(
                        .post, "/api/v1/catalog/entries/\(id)/review", token: try await client.token("gz_reviewer"),
                        body: "{}"
                    ).status == .forbidden)
                let longCode = try await client.json(
                    .post, "/api/v1/catalog/entries", token: psb,
                    body: #"{"provider_code":"\#(String(repeating: "9", count: 19))"}"#)
                #expect(fieldErrors(longCode.json).map(\.rule) == ["max_length"], "\(longCode.json)")

                // The provider changes the list and submits.
                #expect(
                    try await client.json(
                        .put, "/api/v1/catalog/entries/\(id)", token: psb,
                        body: Self.thematic(coBuilders: [Self.amr, Self.szAmr])
                    ).status == .ok)
                let submitted = try await client.json(.post, "/api/v1/catalog/entries/\(id)/submit", token: psb)
                #expect(submitted.json["status"] as? String == "submitted", "\(submitted.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyCatalogTextFieldHasACapEvenInADraft(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let psb = try await client.token("psb_cataloger")
                let long = { (n: Int) in String(repeating: "长", count: n) }
                let items = (0...500).map { #"{"name":"项\#($0)","code":"X\#($0)","data_type":"D","share_type":"unconditional"}"# }
                let cases: [(body: String, field: String, rule: String)] = [
                    (Self.thematic(coBuilders: nil, summary: long(2001)), "summary", "max_length"),
                    (Self.thematic(coBuilders: nil, extra: #","open_conditions":"\#(long(1001))""#), "open_conditions", "max_length"),
                    (Self.thematic(coBuilders: nil, extra: #","collection_source":"\#(long(501))""#), "collection_source", "max_length"),
                    (
                        Self.thematic(coBuilders: nil, extra: #","legal_basis":{"instrument":"\#(long(201))","article":"第一条"}"#),
                        "legal_basis.instrument", "max_length"
                    ),
                    (
                        Self.thematic(coBuilders: nil).replacingOccurrences(of: #""format":"database""#, with: #""format":"\#(long(65))""#),
                        "format", "max_length"
                    ),
                    (
                        Self.thematic(
                            coBuilders: nil, extra: #","related_codes":[\#((0...100).map { #""c\#($0)""# }.joined(separator: ","))]"#),
                        "related_codes", "max_count"
                    ),
                    (Self.thematic(coBuilders: (0...20).map { String(format: "9144%014d", $0) }), "co_builder_codes", "max_count"),
                ]
                for c in cases {
                    let refused = try await client.json(.post, "/api/v1/catalog/entries", token: psb, body: c.body)
                    #expect(refused.status == .unprocessableContent, "\(c.field): \(refused.status)")
                    #expect(fieldErrors(refused.json).contains { $0.field == c.field && $0.rule == c.rule }, "\(c.field): \(refused.json)")
                }
                // Items: how many, and each item's texts.
                let many = Self.thematic(coBuilders: nil).replacingOccurrences(
                    of:
                        #""items":[{"name":"统一社会信用代码","code":"TYSHXYDM","data_type":"C","length":18,"share_type":"unconditional","sensitivity":1}]"#,
                    with: #""items":[\#(items.joined(separator: ","))]"#)
                let tooMany = try await client.json(.post, "/api/v1/catalog/entries", token: psb, body: many)
                #expect(
                    fieldErrors(tooMany.json).map(\.field) == ["items"] && fieldErrors(tooMany.json).map(\.rule) == ["max_count"],
                    "\(tooMany.status)")
                let described = Self.thematic(coBuilders: nil).replacingOccurrences(
                    of: #""sensitivity":1}"#,
                    with: #""sensitivity":1,"description":"\#(long(1001))"}"#)
                let longItem = try await client.json(.post, "/api/v1/catalog/entries", token: psb, body: described)
                #expect(fieldErrors(longItem.json).map(\.field) == ["items[0].description"], "\(longItem.json)")
                // At the caps, a draft is filed.
                let atCap = try await client.json(
                    .post, "/api/v1/catalog/entries", token: psb, body: Self.thematic(coBuilders: nil, summary: long(2000)))
                #expect(atCap.status == .created, "\(atCap.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAuthoritySetsUpdateObligationsOnlyOnTheDepartmentsItReviews(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let record = { (token: String, department: String) in
                    try await client.json(
                        .post, "/api/v1/catalog/obligations", token: token,
                        body: """
                            {"trigger":"law_revised","date":"2026-03-02","reference":"《某条例》修订","department_code":"\(department)"}
                            """
                    ).status
                }
                let city = try await client.token("gz_reviewer")
                let province = try await client.token("gd_reviewer")
                // The attack: Guangzhou's reviewer setting deadlines on the province's departments.
                #expect(try await record(city, Self.psb) == .forbidden)
                #expect(try await record(city, Self.szAmr) == .forbidden)
                #expect(try await record(city, Self.gzPsb) == .created)
                // The province's authority reviews provincial departments, not a city's.
                #expect(try await record(province, Self.gzPsb) == .forbidden)
                #expect(try await record(province, Self.psb) == .created)
                // A department records its own; the administrator any.
                let psb = try await client.token("psb_cataloger")
                #expect(try await record(psb, Self.amr) == .forbidden)
                #expect(try await record(psb, Self.psb) == .created)
                #expect(try await record(try await client.token("admin"), Self.gzPsb) == .created)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAuthoritySeesOnlyTheGrantsAndBatchesOfTheDepartmentsItReviews(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let city = try await client.token("gz_reviewer")
                let province = try await client.token("gd_reviewer")
                // The demo's grants are all on provincial resources.
                let all = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: admin).response).compactMap {
                    $0["id"] as? String
                }
                let grant = try #require(all.first)
                let ids = { (token: String) in
                    ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: token).response).compactMap {
                        $0["id"] as? String
                    }
                }
                #expect(try await ids(city).isEmpty, "a city's reviewer listed the province's grants")
                #expect(Set(try await ids(province)) == Set(all))
                let supervised = { (token: String) in
                    let overview = try await client.json(.get, "/api/v1/grants/overview", token: token)
                    return ((overview.json["supervised"] as? [[String: Any]]) ?? []).compactMap {
                        ($0["grant"] as? [String: Any])?["id"] as? String
                    }
                }
                #expect(try await supervised(city).isEmpty)
                #expect(try await supervised(province).contains(grant))
                #expect(try await client.json(.get, "/api/v1/grants/\(grant)/usage", token: city).status == .notFound)
                #expect(try await client.json(.get, "/api/v1/grants/\(grant)/usage", token: province).status == .ok)

                // Who reported what into a provincial dataset: the province's authority, not a city's.
                let code = try await ExchangeTests.populationCode(client, admin)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: city).status == .forbidden)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: province).status == .ok)
                for overseer in ["admin", "auditor", "ops"] {
                    #expect(
                        try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: try await client.token(overseer)).status
                            == .ok)
                }
            }
        }
    }
}

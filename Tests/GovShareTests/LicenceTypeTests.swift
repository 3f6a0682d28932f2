import Foundation
import GovShareCore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("E-licences (Art. 23): licence types defined through the API on the issuer's catalog entry")
struct LicenceTypeTests {
    @Test(arguments: TestDatabase.available)
    func theIssuersCatalogerDefinesATypeOnItsOwnPublishedEntry(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("amr_cataloger")
                let entry = try await LicenceTests.entryCode(client, type: "yyzz", token: cataloger)
                let body = """
                    {"code":"yyzz_branch","name_zh":"营业执照（分支机构）","name_en":"Business licence (branch)",
                     "holder_kind":"enterprise","holder_item":"TYSHXYDM","holder_name_item":"QYMC","number_item":"TYSHXYDM",
                     "entry_code":"\(entry)","fields":[{"item":"QYMC","name_zh":"名称","name_en":"Name","required":true}]}
                    """
                // Another department's cataloger may not define a type on 市场监管局's entry.
                let foreign = try await client.json(
                    .post, "/api/v1/licence-types", token: try await client.token("psb_cataloger"), body: body)
                #expect(foreign.status == .forbidden, "\(foreign.json)")
                // A reviewer does not hold licences.define_type.
                let reviewer = try await client.json(
                    .post, "/api/v1/licence-types", token: try await client.token("amr_reviewer"), body: body)
                #expect(reviewer.status == .forbidden, "\(reviewer.json)")
                // An unknown holder kind is refused by name, and nothing is defined.
                let bad = try await client.json(
                    .post, "/api/v1/licence-types", token: cataloger,
                    body: body.replacingOccurrences(of: #""holder_kind":"enterprise""#, with: #""holder_kind":"company""#))
                #expect(bad.status == .unprocessableContent, "\(bad.json)")
                #expect(String(buffer: bad.response.body).contains("holder_kind"))
                let defined = try await client.json(.post, "/api/v1/licence-types", token: cataloger, body: body)
                #expect(defined.status == .created, "\(defined.json)")
                #expect(defined.json["issuer_department_id"] as? String != nil)
                let types = ExchangeTests.array(try await client.json(.get, "/api/v1/licence-types", token: cataloger).response)
                #expect(types.filter { $0["code"] as? String == "yyzz_branch" }.count == 1)
                #expect(types.filter { $0["code"] as? String == "company" }.isEmpty)
                // The code is unique.
                let again = try await client.json(.post, "/api/v1/licence-types", token: cataloger, body: body)
                #expect(again.status == .conflict, "\(again.json)")
            }
        }
    }
}

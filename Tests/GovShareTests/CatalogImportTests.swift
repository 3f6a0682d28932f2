import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@Suite("Catalog spreadsheet import and export")
struct CatalogImportTests {
    /// The provider's drafts, counted in the database (the server reaches the catalog only through its services).
    static func draftCount(_ env: TestEnvironment, providerId: String) async throws -> Int {
        try await env.platform.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM catalog_entries WHERE status = 'draft' AND provider_id = \(bind: providerId)")
                .first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    @Test func csvQuotingRoundTrips() {
        let fields = ["a,b", "say \"hi\"", "line\nbreak", "plain"]
        #expect(CSVText.parse(CSVText.line(fields) + "\r\n") == [fields])
        let gb = CSVText.encode("企业营业执照信息", as: .gb18030)
        #expect(gb.count == 16)
        #expect(CSVText.decode(gb) == "企业营业执照信息")
    }

    @Test(arguments: TestDatabase.available)
    func exportInGB18030ImportsBackAndABadRowImportsNothing(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let reader = try await client.token("hrss_user")
                let exported = try await client.execute(
                    uri: "/api/v1/catalog/export?encoding=gb18030&provider_code=\(psb.code)", method: .get,
                    headers: [.authorization: "Bearer \(reader)"])
                #expect(exported.status == .ok)
                #expect(exported.headers[.contentType] == "text/csv; charset=gb18030")
                let bytes = Data(exported.body.readableBytesView)
                #expect(String(data: bytes, encoding: .utf8) == nil)  // really GB18030, not UTF-8
                let text = try #require(CSVText.decode(bytes, as: .gb18030))
                let rows = CSVText.parse(text)
                #expect(rows.first?.first == "信息资源名称")
                let entryCount = Set(rows.dropFirst().map { $0[0] }).count
                #expect(entryCount >= 2)

                let cataloger = try await client.token("psb_cataloger")
                let drafts = { try await Self.draftCount(env, providerId: psb.id) }
                let imported = try await client.execute(
                    uri: "/api/v1/catalog/import", method: .post,
                    headers: [.authorization: "Bearer \(cataloger)", .contentType: "text/csv"],
                    body: ByteBuffer(bytes: bytes))
                #expect(imported.status == .created)
                #expect(try await drafts() == entryCount)

                // Break one item on the third data row: a conditional item with neither conditions nor legal basis,
                // and an unknown data type on the second.
                var broken = rows
                let shareColumn = try #require(rows[0].firstIndex(of: "信息项共享类型"))
                let typeColumn = try #require(rows[0].firstIndex(of: "数据类型"))
                for column in ["信息项法律依据名称", "信息项法律依据条款", "信息项共享条件"] {
                    broken[3][try #require(rows[0].firstIndex(of: column))] = ""
                }
                broken[3][shareColumn] = "有条件共享"
                broken[2][typeColumn] = "X"
                let body = broken.map(CSVText.line).joined(separator: "\r\n")
                let refused = try await client.json(
                    .post, "/api/v1/catalog/import", token: cataloger, body: body,
                    headers: [.contentType: "text/csv"])
                #expect(refused.status == .unprocessableContent)
                let fields = fieldErrors(refused.json).map(\.field)
                #expect(fields.contains("row 3: 数据类型"))
                #expect(fields.contains("row 4: 信息项法律依据名称"))
                #expect(fields.contains("row 4: 信息项共享条件"))
                #expect(try await drafts() == entryCount)  // nothing more was imported
            }
        }
    }
}

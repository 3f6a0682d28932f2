import Foundation
import GovShareCore
import HummingbirdTesting
import NIOCore
import Testing

/// XLSX goes through the same import rules and row-by-row report as CSV: a catalog sheet written with shared strings,
/// and a data sheet written by openpyxl (Fixtures/make_households_xlsx.py) with real date cells and a blank row.
@Suite("XLSX import")
struct XLSXImportTests {
    @Test(arguments: TestDatabase.available)
    func catalogSheetAsXLSXImportsLikeItsCSV(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let exported = try await client.execute(
                    uri: "/api/v1/catalog/export?provider_code=\(psb.code)", method: .get,
                    headers: [.authorization: "Bearer \(try await client.token("hrss_user"))"])
                let rows = CSVText.parse(try #require(CSVText.decode(Data(exported.body.readableBytesView))))
                let entryCount = Set(rows.dropFirst().map { $0[0] }).count
                let cataloger = try await client.token("psb_cataloger")
                let drafts = { try await CatalogImportTests.draftCount(env, providerId: psb.id) }

                // One broken cell first: the error names the spreadsheet row and column, and nothing is imported.
                var broken = rows
                broken[2][try #require(rows[0].firstIndex(of: "数据类型"))] = "X"
                let bad = try XLSXWriter.make(broken.map { $0.map { .text($0) } })
                let refused = try await client.execute(
                    uri: "/api/v1/catalog/import", method: .post,
                    headers: [
                        .authorization: "Bearer \(cataloger)",
                        .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ],
                    body: ByteBuffer(bytes: bad))
                #expect(refused.status == .unprocessableContent)
                #expect(String(buffer: refused.body).contains("row 3: 数据类型"))
                #expect(try await drafts() == 0)

                let good = try XLSXWriter.make(rows.map { $0.map { .text($0) } })
                let imported = try await client.execute(
                    uri: "/api/v1/catalog/import", method: .post,
                    headers: [.authorization: "Bearer \(cataloger)"], body: ByteBuffer(bytes: good))
                #expect(imported.status == .created, "\(String(buffer: imported.body))")
                #expect(try await drafts() == entryCount)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func dataSheetFromASpreadsheetProgramReportsRowsAndKeepsDates(database: TestDatabase) async throws {
        let url = try #require(Bundle.module.url(forResource: "households", withExtension: "xlsx"))
        let sheet = try Data(contentsOf: url)
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("psb_cataloger")
                let code = try await ApplicationTests.householdCode(client, provider)
                let uri = "/api/v1/datasets/\(code)/import"
                let refused = try await client.execute(
                    uri: uri, method: .post, headers: [.authorization: "Bearer \(provider)"],
                    body: ByteBuffer(bytes: sheet))
                #expect(refused.status == .unprocessableContent)
                let report = String(buffer: refused.body)
                #expect(report.contains("GMSFHM") || report.contains("公民身份号码"), "the bad ID number is reported: \(report)")

                let rowMode = try await client.execute(
                    uri: uri + "?mode=row", method: .post, headers: [.authorization: "Bearer \(provider)"],
                    body: ByteBuffer(bytes: sheet))
                let batch = try #require(try JSONSerialization.jsonObject(with: Data(rowMode.body.readableBytesView)) as? [String: Any])
                #expect(batch["accepted"] as? Int == 2 && batch["rejected"] as? Int == 1, "\(batch)")

                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM","CSRQ"],"filters":{"GMSFHM":"440106200002290016"}}"#)
                let record = try #require((read.json["records"] as? [[String: Any]])?.first, "\(read.json)")
                #expect(record["CSRQ"] as? String == "2000-02-29")
            }
        }
    }
}

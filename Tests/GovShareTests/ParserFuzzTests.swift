import Foundation
import GovShareCore
import HummingbirdTesting
import NIOCore
import Testing

@testable import GovShareServer

/// Random and mutated inputs for every parser, from fixed seeds. The only assertion: each call returns or throws a
/// DomainError (through the router: answers below 500). A trap would end the test process, which is the failure this
/// guards against. The ordinary run does a few iterations; CI's fuzz step sets GOVSHARE_FUZZ_SECONDS and each test
/// then keeps going until its share of that budget is spent (a fuzz budget, not a timing assertion).
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    static let budget = ProcessInfo.processInfo.environment["GOVSHARE_FUZZ_SECONDS"].flatMap(Double.init)
    /// The tests below share the budget (the router test once per database).
    static let shares = 5.0 + Double(TestDatabase.available.count)

    /// Runs `makeCall` until the iterations or this test's share of the budget are used up; every call it returns must
    /// return or throw a DomainError.
    static func fuzz(_ name: String, seed: UInt64, iterations: Int = 150, _ makeCall: (inout Fuzzer) -> () throws -> Void) {
        var fuzzer = Fuzzer(seed: seed)
        let deadline = budget.map { Date().addingTimeInterval($0 / shares) }
        var n = 0
        while deadline.map({ Date() < $0 }) ?? (n < iterations) {
            n += 1
            let call = makeCall(&fuzzer)
            do { try call() } catch is DomainError {} catch {
                Issue.record("\(name), seed \(seed), iteration \(n): \(type(of: error)) is not a DomainError: \(error)")
            }
        }
        print("fuzz \(name): \(n) inputs")
    }

    @Test func xlsxWorkbooks() throws {
        let valid = try XLSXWriter.make([
            [.text("公民身份号码"), .text("姓名"), .text("出生日期")],
            [.text("440106199001011235"), .text("陈伟"), .date(32874)], [.number(-1.5), .text("=1+2")],
        ])
        Self.fuzz("xlsx", seed: 0x5EED_0001) { f in
            let data: Data
            switch f.int(0...2) {
            case 0: data = (try? XLSXWriter.make(sheetXML: f.sheetXML(), sharedStrings: f.list(0...4) { $0.token() })) ?? Data()
            case 1: data = (try? XLSXWriter.make(sheetXML: f.mutate(f.sheetXML()), sharedStrings: ["a", "b"])) ?? Data()
            default: data = Data(f.mutate(Array(valid)))
            }
            return { _ = try SpreadsheetText.decode(data, encoding: nil) }
        }
    }

    @Test func csvReaders() {
        let header = CatalogSpreadsheet.columns.map(\.header).joined(separator: ",")
        Self.fuzz("csv", seed: 0x5EED_0002, iterations: 300) { f in
            let text = f.csv()
            switch f.int(0...5) {
            case 0:
                let blanks = f.chance(0.5)
                return { _ = CSVText.parse(text, keepingBlankRecords: blanks) }
            case 1:
                let cut = f.int(1...64)
                return {
                    var reader = CSVRecordReader()
                    let bytes = Array(text.utf8)
                    for start in stride(from: 0, to: bytes.count, by: cut) {
                        try? reader.feed(bytes[start..<min(bytes.count, start + cut)]) { _ in }
                    }
                    try? reader.finish { _ in }
                }
            case 2: return { _ = CatalogSpreadsheet.parse(header + "\n" + text) }
            case 3: return { _ = try CalendarCSV.parse(text) }
            case 4: return { _ = try SpreadsheetText.decode(Data(text.utf8), encoding: nil) }
            default:
                let bytes = Data(f.bytes(0...400)), encoding: CSVText.Encoding? = f.chance(0.5) ? .gb18030 : nil
                return { _ = try SpreadsheetText.decode(bytes, encoding: encoding) }
            }
        }
    }

    @Test func jsonBodies() {
        let samples = [
            #"{"fields":["GMSFHM","XM"],"filters":{"CSRQ":{"gte":"1990-01-01"},"XB":["1","2"]},"sort":"CSRQ desc","limit":10,"after":"abc"}"#,
            #"{"batch_id":"b1","mode":"row","upsert":[{"GMSFHM":"440106199001011235","XM":"陈伟","CSRQ":19900101}],"delete":["1"]}"#,
            #"{"provider_code":"114400000075589682","content":{"name":"n","items":[{"name":"a","code":"A","data_type":"C","length":10}]}}"#,
            #"{"entry_code":"301001/00001","items":["GMSFHM"],"purpose":"p","users":["u"],"valid_until":"2099-01-01"}"#,
        ]
        Self.fuzz("json", seed: 0x5EED_0003, iterations: 300) { f in
            let data = Data(f.chance(0.2) ? f.bytes(0...300) : f.mutate(Array(f.pick(samples).utf8)))
            switch f.int(0...3) {
            case 0:
                return {
                    let q = try JSONBody.decode(QueryRequest.self, from: data)
                    _ = try DatasetsController.datasetQuery(
                        fields: q.fields, filters: q.filters ?? [:], text: q.q, sort: q.sort,
                        limit: q.limit, after: q.after)
                }
            case 1: return { _ = try JSONBody.decode(RowsRequest.self, from: data) }
            case 2: return { _ = try JSONBody.decode(NewEntryRequest.self, from: data) }
            default: return { _ = try JSONBody.decode(ApplicationRequest.self, from: data) }
            }
        }
    }

    @Test func formsAndMultipart() {
        let form = Array(
            "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n姓名,年龄\r\n陈伟,30\r\n--XyZ--\r\n"
                .utf8)
        Self.fuzz("multipart", seed: 0x5EED_0004, iterations: 300) { f in
            switch f.int(0...3) {
            case 0:
                let type = "multipart/form-data; boundary=" + f.token()
                return { _ = try MultipartForm.boundary(of: type) }
            case 1:
                let body = Data(f.mutate(form)), boundary = f.chance(0.8) ? "XyZ" : f.token()
                return { if !boundary.isEmpty { _ = try MultipartForm.parts(body, boundary: boundary) } }
            case 2:
                let text = String(decoding: f.mutate(Array("_csrf=abc&name=%E9%99%88+%E4%BC%9F&x=%ZZ&=&&a=b=c".utf8)), as: UTF8.self)
                return { _ = try PortalForm.parse(text) }
            default:
                let text = f.token()
                return {
                    _ = CivilDate(text); _ = CSVText.restored(CSVText.neutralised(text))
                }
            }
        }
    }

    @Test func cellReferencesAndSerials() {
        Self.fuzz("cells", seed: 0x5EED_0005, iterations: 500) { f in
            let reference = f.token(), serial = Double(f.token()) ?? f.double()
            return {
                _ = XLSXReader.columnIndex(of: reference); _ = XLSXReader.date(fromSerial: serial)
            }
        }
    }

    /// Read cursors, paging numbers and dates from the address through the real router: never a 5xx.
    @Test(arguments: TestDatabase.available)
    func routerNumbersAndCursors(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let first = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":1,"fields":["XM"]}"#)
                let cursor = Array((first.json["next"] as? String ?? "AAAA").utf8)
                var f = Fuzzer(seed: 0x5EED_0006)
                let deadline = Self.budget.map { Date().addingTimeInterval($0 / Self.shares) }
                var n = 0
                while deadline.map({ Date() < $0 }) ?? (n < 40) {
                    n += 1
                    let after = String(decoding: f.chance(0.5) ? f.mutate(cursor) : Array(f.token().utf8), as: UTF8.self)
                    let number = { (f: inout Fuzzer) in f.token().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
                    let response: TestResponse
                    switch f.int(0...4) {
                    case 0:
                        let body = String(
                            decoding: try JSONSerialization.data(withJSONObject: ["after": after, "fields": ["XM"]]), as: UTF8.self)
                        response = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: body).response
                    case 1:
                        response = try await client.execute(
                            uri: "/api/3/action/datastore_search?resource_id=\(code)&limit=\(number(&f))&offset=\(number(&f))",
                            method: .get, headers: [.authorization: "Bearer \(provider)"])
                    case 2:
                        response = try await client.execute(
                            uri: "/api/3/action/package_search?q=%E6%88%B7&start=\(number(&f))&rows=\(number(&f))", method: .get)
                    case 3:
                        response = try await client.execute(
                            uri: "/api/v1/catalog/search?q=%E6%88%B7&start=\(number(&f))&rows=\(number(&f))",
                            method: .get, headers: [.authorization: "Bearer \(provider)"])
                    default:
                        response = try await client.execute(
                            uri: "/api/v1/calendar/due?from=\(number(&f))&working_days=\(number(&f))",
                            method: .get, headers: [.authorization: "Bearer \(provider)"])
                    }
                    if response.status.code >= 500 { Issue.record("iteration \(n): \(response.status) \(String(buffer: response.body))") }
                }
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                print("fuzz router (\(database)): \(n) requests")
            }
        }
    }
}

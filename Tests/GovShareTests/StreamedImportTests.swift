import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import GovShareCore
@testable import GovShareStore

/// Imports stream the file (issue 19, part 1): records are read chunk by chunk, rows staged and checked for repeated
/// keys in the database. The rules stay those of an in-memory batch.
@Suite("Streamed CSV import")
struct StreamedImportTests {
    static func resident(_ n: Int) -> String {
        let birth = CivilDate(dayNumber: CivilDate(year: 1950, month: 1, day: 1)!.dayNumber + n / 1000)
        let prefix = "440111" + birth.description.replacingOccurrences(of: "-", with: "") + String(format: "%03d", n % 1000)
        return prefix + String(ResidentID.checkCharacter(for: prefix)!)
    }

    /// The 姓名 of the resident with this ID number, read by the provider through the query API (an exact match on a
    /// sealed item goes through its blind index).
    static func name(of id: String, in dataset: Dataset, _ env: TestEnvironment) async throws -> String? {
        try await env.test { client in
            let provider = try await client.token("gd_cataloger")
            let found = try await client.json(
                .post, "/api/v1/datasets/\(dataset.entryCode.replacingOccurrences(of: "/", with: "-"))/query", token: provider,
                body: #"{"filters":{"GMSFHM":"\#(id)"},"fields":["XM"]}"#)
            return ExchangeTests.records(found.json).first?["XM"] as? String
        }
    }

    /// Records read from bytes cut anywhere — inside a quoted field, between a quote pair, inside a multi-byte
    /// character — are the records the whole-text parser finds.
    /// A batch's content digest is the SHA-256 of the same bytes however they are gathered: the value below was
    /// computed elsewhere (Python's hashlib) from the byte layout (mode; per row its number, then each name and
    /// `=value`, NUL-terminated, then 0x01; 0x02 and the deleted keys), so stored digests keep matching.
    @Test func batchDigestKeepsItsBytes() {
        let digest = SHA256BatchDigest(mode: .allOrNothing)
        digest.add(row: 12, values: [("GMSFHM", "44010619900307001X"), ("XM", "张三"), ("ZZ", nil)])
        digest.add(row: 13, values: [("GMSFHM", ""), ("XM", nil)])
        #expect(digest.finish(deletes: ["k1", "k2"]) == "4b4b405f4d8393ee5f29298e5815993a7ac6d1181d2b4404131dd08ccfa5d9d5")
    }

    /// The import checks ID numbers on their bytes; every input gives the answer of the check on characters: valid
    /// numbers, each digit changed, impossible and future birth dates, X in the middle, wrong lengths, other scripts.
    @Test func residentIDsCheckedOnBytesAnswerAsOnCharacters() {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789X")
        var inputs = ["", "44010619900307001X", "４４０１０６１９９００３０７００１Ｘ", "44010619900307\r\n01", "4401061990030700110"]
        for _ in 0..<3_000 {
            let year = Int.random(in: 1880...2035, using: &generator)
            let prefix =
                "440106"
                + String(format: "%04d%02d%02d", year, Int.random(in: 0...13, using: &generator), Int.random(in: 0...32, using: &generator))
                + String(format: "%03d", Int.random(in: 0...999, using: &generator))
            let valid = prefix + String(ResidentID.checkCharacter(for: prefix) ?? "0")
            inputs.append(valid)
            var changed = Array(valid)
            changed[Int.random(in: 0..<18, using: &generator)] = digits.randomElement(using: &generator)!
            inputs.append(String(changed))
        }
        for input in inputs {
            for today in [nil, "2026-12-08"] as [String?] {
                #expect(ResidentID.problem(in: input, today: today) == ResidentID.characterProblem(in: input, today: today), "\(input)")
            }
        }
        let answers = inputs.map { ResidentID.problem(in: $0, today: "2026-12-08") }
        #expect(answers.filter { $0 == nil }.count > 1_000 && Set(answers.compactMap { $0 }).count == 4, "every answer occurs")
    }

    @Test func recordsDoNotDependOnWhereChunksAreCut() throws {
        let pieces = ["a", "中文", ",", "\"", "\"\"", "\n", "\r\n", " ", "x,y", "\n\n", "é"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<400 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = CSVText.scan(text, keepingBlankRecords: true)
            let bytes = Array(text.utf8)
            var reader = CSVRecordReader()
            var records: [[String]] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1...7, using: &generator))
                try reader.feed(bytes[offset..<end]) { records.append($0) }
                offset = end
            }
            try reader.finish { records.append($0) }
            #expect(records == expected.records, "round \(round): \(text.debugDescription)")
            #expect(reader.unclosedQuoteAt == expected.unclosedQuoteAt, "round \(round): \(text.debugDescription)")
        }
        // A byte-order mark is skipped; bytes that are not UTF-8 and a NUL are refused, not guessed.
        var bom = CSVRecordReader()
        var first: [String] = []
        try bom.feed([0xEF, 0xBB, 0xBF] + Array("姓名,年龄\n".utf8)) { first = $0 }
        #expect(first == ["姓名", "年龄"])
        var gb = CSVRecordReader()
        #expect(throws: CSVRecordReader.NotUTF8.self) { try gb.feed(CSVText.encode("姓名\n", as: .gb18030)) { _ in } }
        var nul = CSVRecordReader()
        #expect(throws: DomainError.self) { try nul.feed([0x61, 0x00, 0x0A]) { _ in } }
    }

    /// 2,500 rows cross several hand-overs to the staging table: a key repeated 2,400 rows later and a key both
    /// reported and deleted are found there, all or nothing refuses the file and writes nothing, row by row lands
    /// the rest, and the same file under the same batch id is answered as a replay.
    @Test(arguments: TestDatabase.available)
    func repeatedAndDeletedKeysAreFoundAcrossChunks(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let before = try #require(
                    try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int)
                // Line n holds resident 10,000 + n and is row n + 1 (the header is row 1). Row 2,401 repeats row 4's
                // key; row 2,502 deletes row 11's key.
                var lines = ["公民身份号码,姓名,出生日期,_delete"]
                for n in 1...2_500 { lines.append("\(Self.resident(10_000 + n)),名\(n),1950-01-01,") }
                let original = lines.joined(separator: "\n") + "\n"
                lines[2_400] = "\(Self.resident(10_003)),名重复,1950-01-01,"
                lines.append("\(Self.resident(10_010)),,,1")
                let repeated = lines.joined(separator: "\n") + "\n"
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(provider)"
                headers[.contentType] = "text/csv"
                let refused = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import", method: .post, headers: headers, body: ByteBuffer(string: repeated))
                #expect(refused.status == .unprocessableContent)
                let problem = (try? JSONSerialization.jsonObject(with: Data(refused.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(fieldErrors(problem).map(\.field) == ["row 11.GMSFHM", "row 2401.GMSFHM"], "\(problem)")
                #expect(fieldErrors(problem).map(\.rule) == ["duplicate_key", "duplicate_key"])
                let messages = ((problem["errors"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
                #expect(messages.last?.contains("第 4 行") == true && messages.first?.contains("同时被删除") == true, "\(messages)")
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == before)

                let rowMode = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row&batch_id=stream-1", method: .post, headers: headers,
                    body: ByteBuffer(string: repeated))
                #expect(rowMode.status == .created)
                let landed = (try? JSONSerialization.jsonObject(with: Data(rowMode.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(landed["received"] as? Int == 2_500 && landed["accepted"] as? Int == 2_498, "\(landed)")
                #expect(landed["rejected"] as? Int == 2 && landed["deleted"] as? Int == 1, "\(landed)")
                let after = try #require(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int)
                #expect(after == before + 2_498, "the repeat and the deleted key do not land")
                let kept = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"\#(Self.resident(10_003))"},"fields":["XM"]}"#)
                #expect(ExchangeTests.records(kept.json).first?["XM"] as? String == "名3", "the first row of a repeated key lands")
                let deleted = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"\#(Self.resident(10_010))"},"fields":["XM"]}"#)
                #expect(ExchangeTests.records(deleted.json).isEmpty)

                let replay = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row&batch_id=stream-1", method: .post, headers: headers,
                    body: ByteBuffer(string: repeated))
                #expect(replay.status == .ok)
                let replayed = (try? JSONSerialization.jsonObject(with: Data(replay.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(replayed["replayed"] as? Bool == true && replayed["accepted"] as? Int == 2_498, "\(replayed)")
                let other = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row&batch_id=stream-1", method: .post, headers: headers,
                    body: ByteBuffer(string: original))
                #expect(other.status == .conflict)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == after)
            }
        }
    }

    /// `govshare data import` streams a UTF-8 file from disk and reads a GB18030 file (what Excel in China saves)
    /// whole after the stream finds it is not UTF-8; both land, and a file refused leaves the dataset as it was.
    @Test(arguments: TestDatabase.available)
    func commandLineStreamsUTF8AndFallsBackToGB18030(database: TestDatabase) async throws {
        let binary = try #require(SealTests.govshareBinary, "the govshare executable is built beside the tests")
        try await TestEnvironment.with(database) { env in
            let work = try WorkDirectory()
            let environment = SealTests.cliEnvironment(env, database)
            func govshare(_ arguments: [String]) async throws -> CLIResult {
                try await SealTests.run(binary, arguments, in: work, environment: environment)
            }
            let dataset = try #require(try await env.platform.exchange.list(staleOnly: false).first { $0.entryCode.hasPrefix("101001/") })
            let rows = (1...1_500).map { "\(Self.resident(20_000 + $0)),名\($0),1950-01-01" }
            try work.write("utf8.csv", "\u{FEFF}公民身份号码,姓名,出生日期\n" + rows.prefix(1_000).joined(separator: "\n") + "\n")
            try work.write("gb.csv", CSVText.encode("公民身份号码,姓名,出生日期\n" + rows.suffix(500).joined(separator: "\n") + "\n", as: .gb18030))
            try work.write("bad.csv", "公民身份号码,姓名,出生日期\n" + rows[0] + "\n440111195001010000,坏,1950-01-01\n")
            let utf8 = try await govshare(["data", "import", "--resource", dataset.entryCode, "utf8.csv"])
            #expect(utf8.status == 0 && utf8.output.contains("received 1000, accepted 1000"), "\(utf8)")
            let gb = try await govshare(["data", "import", "--resource", dataset.entryCode, "gb.csv"])
            #expect(gb.status == 0 && gb.output.contains("received 500, accepted 500"), "\(gb)")
            let bad = try await govshare(["data", "import", "--resource", dataset.entryCode, "bad.csv"])
            #expect(bad.status != 0, "\(bad)")
            let after = try #require(try await env.platform.exchange.list(staleOnly: false).first { $0.id == dataset.id })
            #expect(after.rowCount == dataset.rowCount + 1_500)
            #expect(try await Self.name(of: Self.resident(21_500), in: dataset, env) == "名1500", "GB18030 text arrives as written")
        }
    }

    /// A first load larger than the table: on SQLite it runs without the secondary indexes and builds them again
    /// (same names, same definitions), and exact matches on sealed items still find their rows afterwards.
    @Test(arguments: TestDatabase.available)
    func aLargeLoadKeepsEveryIndex(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let dataset = try #require(try await env.platform.exchange.list(staleOnly: false).first { $0.entryCode.hasPrefix("101001/") })
            let table = dataset.tableName
            func indexes() async throws -> [String] {
                try await env.platform.database.withConnection { db in
                    let sql: SQLQueryString =
                        database == .sqlite
                        ? "SELECT sql AS d FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL"
                        : "SELECT indexdef AS d FROM pg_indexes WHERE tablename = \(bind: table) AND schemaname = current_schema()"
                    return try await db.raw(sql).all().map { try $0.decode(column: "d", as: String.self) }.sorted()
                }
            }
            let before = try await indexes()
            #expect(before.count >= 2, "the key's and the sealed items' blind indexes")
            let rows = (1...12_000).map { "\(Self.resident(30_000 + $0)),名\($0),1950-01-01" }
            let outcome = try await env.platform.exchange.importCSV(
                "公民身份号码,姓名,出生日期\n" + rows.joined(separator: "\n") + "\n", dataset: dataset, mode: .allOrNothing, batchId: nil,
                source: .file, by: .system("test"), origin: RequestOrigin(requestId: "t", clientAddress: "test"))
            #expect(outcome.batch.accepted == 12_000)
            #expect(try await indexes() == before)
            #expect(try await Self.name(of: Self.resident(41_999), in: dataset, env) == "名11999")
        }
    }
}

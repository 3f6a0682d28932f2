import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Encryption at rest (issue 15 item 1, docs/encryption-at-rest.md): the demo's 人口基础信息 holds graded items
/// (GMSFHM 4, XM 3, CSRQ 3, HJDZ 3), so they are stored SM4-GCM sealed with a blind index.
@Suite("Encryption at rest: sealed graded values, blind index, refusals, re-encryption")
struct EncryptionAtRestTests {
    /// The raw stored rows of the population dataset, as someone with the database alone would see them.
    static func rawRows(_ env: TestEnvironment) async throws -> String {
        let table = try await env.platform.database.withConnection { db in
            try await db.raw("SELECT id FROM datasets WHERE entry_code LIKE '101001/%'").first()?.decode(column: "id", as: String.self)
        }.map { "ds_" + $0.replacingOccurrences(of: "-", with: "") }
        let name = try #require(table)
        return try await env.platform.database.withConnection { db in
            try await db.raw("SELECT * FROM \(unsafeRaw: name)").all().map { row in
                row.allColumns.map { c in (try? row.decode(column: c, as: String?.self)).flatMap { $0 } ?? "" }.joined(separator: "|")
            }.joined(separator: "\n")
        }
    }

    /// The tables and columns whose stored bytes contain `value` (compared as bytes, NULs and all).
    static func holders(of value: String, _ env: TestEnvironment) async throws -> [String] {
        try await env.platform.database.withConnection { db in
            var found: [String] = []
            for table in try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all() {
                let name = try table.decode(column: "name", as: String.self)
                for column in try await db.raw("SELECT name FROM pragma_table_info(\(bind: name))").all() {
                    let c = try column.decode(column: "name", as: String.self)
                    let n =
                        try await db.raw(
                            "SELECT COUNT(*) AS n FROM \"\(unsafeRaw: name)\" WHERE instr(CAST(\"\(unsafeRaw: c)\" AS BLOB), CAST(\(bind: value) AS BLOB)) > 0"
                        ).first()?.decode(column: "n", as: Int.self) ?? 0
                    if n > 0 { found.append("\(name).\(c)") }
                }
            }
            return found
        }
    }

    /// With encryption by grade switched off, the resident-ID key is still stored as its blind index: pages come in
    /// stored-key order, and ID order is birth-date order, which a reader seeing the IDs masked must not get.
    @Test(arguments: TestDatabase.available)
    func aMaskedKeyIsStoredAsItsBlindIndexWhateverTheGrade(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, settings: ["encrypt_from_grade": "5"]) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let page = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM"],"limit":40}"#)
                let ids = ExchangeTests.records(page.json).compactMap { $0["GMSFHM"] as? String }
                #expect(ids.count == 40 && ids.allSatisfy { $0.count == 18 }, "\(page.json)")
                #expect(ids != ids.sorted(), "pages must not come in ID (birth-date) order: \(ids)")
                // Graded items below the configured grade stay clear on disk; the key does not.
                let raw = try await Self.rawRows(env)
                #expect(!raw.contains(ids[0]), "the key is not stored in clear")
                #expect(raw.contains(try #require(ExchangeTests.records(page.json).first?["XM"] as? String)), "the name is")
                // Looked up by its clear value, the record is still found.
                let one = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM"],"filters":{"GMSFHM":"\#(ids[7])"}}"#)
                #expect(ExchangeTests.records(one.json).compactMap { $0["GMSFHM"] as? String } == [ids[7]], "\(one.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func gradedValuesAreSealedMatchedExactlyAndNeverRanged(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let user = try await client.token("hrss_user")
                let code = try await ExchangeTests.populationCode(client, user)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM","CSRQ"],"limit":3}"#)
                #expect(own.status == .ok, "\(own.json)")
                let people = ExchangeTests.records(own.json)
                #expect(people.count == 3)
                let id = try #require(people.first?["GMSFHM"] as? String), name = try #require(people.first?["XM"] as? String)
                #expect(id.count == 18 && !name.isEmpty, "clear to the provider")

                // The stored rows hold none of the graded values, nor does a copy of the SQLite file.
                let raw = try await Self.rawRows(env)
                for person in people {
                    for item in ["GMSFHM", "XM", "CSRQ"] {
                        let value = try #require(person[item] as? String)
                        #expect(!raw.contains(value), "\(item) in clear in the table")
                    }
                }
                if database == .sqlite {
                    let withPhones = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","LXDH"],"limit":300}"#)
                    let contacts = ExchangeTests.records(withPhones.json).filter { ($0["LXDH"] as? String)?.isEmpty == false }
                    #expect(contacts.count > 100, "\(withPhones.json)")
                    // The demo's licences (居民户口簿 of these residents) hold the same values: sealed too, the holder
                    // column only a blind index (lookups by holder: LicenceTests).
                    let licences = try await env.platform.database.withConnection { db in
                        try await db.raw("SELECT holder_id, holder_name, fields, sealed FROM licences").all()
                    }
                    #expect(licences.count > 10)
                    for row in licences {
                        let holder = try row.decode(column: "holder_id", as: String.self)
                        #expect(holder.count == 32 && holder.allSatisfy(\.isHexDigit), "\(holder)")
                        #expect(try row.decode(column: "holder_name", as: String.self).isEmpty)
                        #expect(try row.decode(column: "fields", as: String.self) == "{}")
                        #expect(try row.decode(column: "sealed", as: String?.self)?.hasPrefix("v1:") == true)
                    }
                    try await env.platform.database.truncateWriteAheadLog()
                    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID().uuidString).sqlite")
                    try FileManager.default.copyItem(atPath: env.config.sqlitePath, toPath: copy.path)
                    defer { try? FileManager.default.removeItem(at: copy) }
                    let bytes = try Data(contentsOf: copy)
                    // ID numbers and phone numbers name one person; a two-character name or a street address may also
                    // be an enterprise's legal representative or seat (grades 2 and 1 in 302001, public registry data).
                    for person in contacts {
                        for item in ["GMSFHM", "LXDH"] {
                            let value = try #require(person[item] as? String)
                            if bytes.range(of: Data(value.utf8)) != nil {
                                Issue.record("\(item) found in the copied database file, in \(try await Self.holders(of: value, env))")
                            }
                        }
                    }
                }

                // Exact match through the blind index.
                let byId = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM","XM"],"filters":{"GMSFHM":"\#(id)"}}"#)
                #expect(byId.status == .ok, "\(byId.json)")
                #expect(ExchangeTests.records(byId.json).map { $0["XM"] as? String } == [name])
                let byName = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM"],"filters":{"XM":["\#(name)","无此人"]}}"#)
                #expect(ExchangeTests.records(byName.json).contains { $0["GMSFHM"] as? String == id }, "\(byName.json)")

                // Ranges, prefixes and sorting on an encrypted item are refused, naming it.
                let range = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM"],"filters":{"CSRQ":{"gte":"1990-01-01"}}}"#)
                #expect(range.status == .unprocessableContent)
                #expect(fieldErrors(range.json).contains { $0.field == "filters.CSRQ" && $0.rule == "encrypted_item" }, "\(range.json)")
                let sorted = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM"],"sort":"XM"}"#)
                #expect(sorted.status == .unprocessableContent)
                #expect(fieldErrors(sorted.json).contains { $0.field == "sort" && $0.rule == "encrypted_item" }, "\(sorted.json)")

                // A ciphertext moved to another row does not open: the read fails closed.
                let table = try #require(
                    try await env.platform.database.withConnection { db in
                        try await db.raw("SELECT id FROM datasets WHERE entry_code LIKE '101001/%'").first()?.decode(
                            column: "id", as: String.self)
                    }.map { "ds_" + $0.replacingOccurrences(of: "-", with: "") })
                let column = try await env.platform.database.withConnection { db in
                    try await db.raw("SELECT columns FROM datasets WHERE entry_code LIKE '101001/%'").first()?.decode(
                        column: "columns", as: String.self)
                }
                let xm = try #require(
                    (try JSONSerialization.jsonObject(with: Data((column ?? "[]").utf8)) as? [[String: Any]])?
                        .first { $0["item_code"] as? String == "XM" }?["column"] as? String)
                try await env.platform.database.transaction { db in
                    let two = try await db.raw("SELECT _pk, \(unsafeRaw: xm) AS v FROM \(unsafeRaw: table) ORDER BY _pk LIMIT 2").all()
                    let a = try two[0].decode(column: "_pk", as: String.self), b = try two[1].decode(column: "_pk", as: String.self)
                    let bValue = try two[1].decode(column: "v", as: String.self)
                    try await db.raw("UPDATE \(unsafeRaw: table) SET \(unsafeRaw: xm) = \(bind: bValue) WHERE _pk = \(bind: a)").run()
                    _ = b
                }
                let swapped = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM"],"limit":2}"#)
                #expect(swapped.status != .ok, "a moved ciphertext must not open: \(swapped.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aNewDataKeyReencryptsResumablyAndMatchesStillWork(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, settings: ["reencryption_batch_rows": "50"]) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"fields":["GMSFHM","XM"],"limit":1}"#)
                let person = try #require(ExchangeTests.records(own.json).first)
                let id = try #require(person["GMSFHM"] as? String), name = try #require(person["XM"] as? String)
                let system = Principal.system("test")
                // Through the API: a provider may not, the administrator opens the job (202) and it shows in the status.
                let admin = try await client.token("admin")
                let refused = try await client.json(
                    .post, "/api/v1/datasets/\(code)/encryption/reencrypt", token: provider, body: #"{"new_key":true}"#)
                #expect(refused.status == .forbidden)
                let opened = try await client.json(
                    .post, "/api/v1/datasets/\(code)/encryption/reencrypt", token: admin, body: #"{"new_key":true}"#)
                #expect(opened.status == .accepted, "\(opened.json)")
                #expect(opened.json["target_version"] as? Int == 2 && opened.json["state"] as? String == "running")
                let jobId = try #require(opened.json["id"] as? String)
                let again = try await client.json(
                    .post, "/api/v1/datasets/\(code)/encryption/reencrypt", token: admin, body: #"{"new_key":true}"#)
                #expect(again.status == .conflict, "one job at a time: \(again.json)")
                let shown = try await client.json(.get, "/api/v1/datasets/\(code)/encryption", token: admin)
                #expect(shown.status == .ok, "\(shown.json)")
                #expect(Set(shown.json["encrypted_items"] as? [String] ?? []).isSuperset(of: ["GMSFHM", "XM", "CSRQ"]), "\(shown.json)")
                #expect((shown.json["key_versions"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [1, 2])
                #expect((shown.json["jobs"] as? [[String: Any]])?.first?["id"] as? String == jobId)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)/encryption", token: provider).status == .forbidden)
                let job = try #require(try await env.platform.datasetEncryption.running(code: code, by: system))
                #expect(job.id == jobId && job.targetVersion == 2 && job.state == .running)
                // Interrupted after a batch or a few (as a kill would leave it): the cursor and counts are committed.
                let partial = try #require(
                    try await env.platform.datasetEncryption.runOpen(seconds: 60, maxBatches: 2).first { $0.id == job.id })
                #expect(partial.rowsDone == 100 && partial.cursor != nil, "\(partial)")
                let status = try await env.platform.datasetEncryption.status(code: code, by: system)
                #expect(status.keyVersions.map(\.version) == [1, 2])
                // The operators' backups page shows it with its progress; an auditor (who sees backups) does not.
                let (_, opsPage) = try await PortalDataTests.get(client, "/backups", try await PortalCatalogTests.signIn(client, "admin"))
                #expect(opsPage.contains("id=\"encryption\"") && opsPage.contains("encryption-running"), "\(opsPage)")
                #expect(opsPage.contains("value=\"33\"") && opsPage.contains("100 / 300"), "a third done")
                let (_, auditorPage) = try await PortalDataTests.get(
                    client, "/backups", try await PortalCatalogTests.signIn(client, "auditor"))
                #expect(auditorPage.contains("id=\"backups\"") && !auditorPage.contains("id=\"encryption\""))
                // Reads during the job open both versions; exact matches keep working (one index key).
                let during = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["XM"],"filters":{"GMSFHM":"\#(id)"}}"#)
                #expect(ExchangeTests.records(during.json).map { $0["XM"] as? String } == [name], "\(during.json)")
                // Resumed from the cursor: each row converted once in all (a restart from the start would count more).
                let done = try await env.platform.datasetEncryption.run(jobId: job.id, by: system) { _ in }
                #expect(done.state == .done)
                #expect(done.rowsDone == 300, "every demo row once: \(done.rowsDone)")
                let raw = try await Self.rawRows(env)
                #expect(!raw.contains("|v1:"), "no value left on the old key")
                let after = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["XM"],"filters":{"GMSFHM":"\#(id)"}}"#)
                #expect(ExchangeTests.records(after.json).map { $0["XM"] as? String } == [name], "\(after.json)")
                // The operators' page starts the next one: a new data key from its button, which needs the form's token.
                let jar = try await PortalCatalogTests.signIn(client, "admin")
                let (_, idlePage) = try await PortalDataTests.get(client, "/backups", jar)
                #expect(idlePage.contains("action=\"/backups/reencrypt\"") && !idlePage.contains("encryption-running"))
                let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)]
                let fields = ["code": code, "new_key": "1"]
                let forged = try await client.execute(
                    uri: "/backups/reencrypt", method: .post, headers: headers, body: ByteBuffer(string: PortalCatalogTests.form(fields)))
                #expect(forged.status == .forbidden)
                #expect(try await env.platform.datasetEncryption.running(code: code, by: system) == nil)
                let pressed = try await PortalApplicationsTests.post(client, "/backups/reencrypt", jar, fields)
                #expect(pressed.status == .seeOther)
                let next = try #require(try await env.platform.datasetEncryption.running(code: code, by: system))
                #expect(next.targetVersion == 3 && next.state == .running)
                let (_, busyPage) = try await PortalDataTests.get(client, "/backups", jar)
                #expect(busyPage.contains("encryption-running"))
            }
        }
    }
}

import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 16 (Art. 13, 21): 省人社厅 objects to wrong birth dates of three residents it read; 省数据局 (provider)
/// confirms two and corrects them through a batch, rejects one; the objector disputes; the authority rules. Every step
/// is on the calendar, audited and notified; corrected records stop being flagged; readers are told.
@Suite("Objections (Art. 21)")
struct ObjectionTests {
    static func inbox(_ client: any TestClientProtocol, _ token: String) async throws -> [[String: Any]] {
        ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: token).response)
    }

    static func objectionAudit(_ env: TestEnvironment, _ id: String) async throws -> [String] {
        try await env.platform.database.withConnection { db in
            try await db.raw("SELECT action FROM audit_events WHERE object_type = 'objection' AND object_id = \(bind: id) ORDER BY seq")
                .all().map { try $0.decode(column: "action", as: String.self) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func objectionIsAnsweredCorrectedDisputedAndRuled(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let provider = try await client.token("gd_cataloger")
                let authority = try await client.token("gd_reviewer")
                let outsider = try await client.token("psb_reviewer")
                let code = try await ExchangeTests.populationCode(client, user)
                let subscription = try #require(
                    ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"] as? String)
                // 省人社厅 reads five residents (their IDs masked to it); the provider's first five are the same rows.
                let read = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user,
                    body: #"{"purpose":"\#(subscription)","limit":5,"record_tokens":true}"#)
                #expect(read.status == .ok)
                let tokens = ExchangeTests.records(read.json).compactMap { $0["_token"] as? String }
                #expect(tokens.count == 5)
                #expect(read.json["flagged_records"] as? Int == 0)
                let own = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":6}"#)
                let keys = ExchangeTests.records(own.json).compactMap { $0["GMSFHM"] as? String }
                #expect(keys.count == 6)
                let unread = keys[5]

                // Bad input changes nothing: a record it has not read, an item it may not read, an unknown kind.
                let notRead = try await client.json(
                    .post, "/api/v1/objections", token: user,
                    body:
                        #"{"dataset":"\#(code)","kind":"wrong_value","item":"CSRQ","description":"出生日期有误","records":[{"key":"\#(unread)"}]}"#
                )
                #expect(notRead.status == .unprocessableContent)
                // The key is masked to 人社厅: a key in clear is refused whatever its value — a record it read and one it
                // did not get the same answer, so a list of guesses cannot tell which one is the masked key's value.
                #expect(fieldErrors(notRead.json).contains { $0.field == "records[0].token" && $0.rule == "token_required" })
                let readInClear = try await client.json(
                    .post, "/api/v1/objections", token: user,
                    body:
                        #"{"dataset":"\#(code)","kind":"wrong_value","item":"CSRQ","description":"出生日期有误","records":[{"key":"\#(keys[0])"}]}"#
                )
                #expect(readInClear.status == .unprocessableContent)
                #expect(fieldErrors(readInClear.json).map(\.rule) == ["token_required"])
                let hidden = try await client.json(
                    .post, "/api/v1/objections", token: user,
                    body:
                        #"{"dataset":"\#(code)","kind":"wrong_value","item":"HJDZ","description":"地址有误","records":[{"key":"\#(keys[0])"}]}"#
                )
                #expect(hidden.status == .forbidden)
                #expect(fieldErrors(hidden.json).map(\.field) == ["item"])
                let badKind = try await client.json(
                    .post, "/api/v1/objections", token: user, body: #"{"dataset":"\#(code)","kind":"typo","description":"x"}"#)
                #expect(fieldErrors(badKind.json).map(\.field) == ["kind"])
                #expect(ExchangeTests.array(try await client.json(.get, "/api/v1/objections", token: user).response).isEmpty)
                // A department that cannot read the dataset cannot object to it.
                let stranger = try await client.json(
                    .post, "/api/v1/objections", token: outsider,
                    body: #"{"dataset":"\#(code)","kind":"outdated","description":"数据过时"}"#)
                #expect(stranger.status == .forbidden)

                // Three birth dates objected to, with the values believed correct.
                let raised = try await client.json(
                    .post, "/api/v1/objections", token: user,
                    body: """
                        {"dataset":"\(code)","kind":"wrong_value","item":"CSRQ","description":"参保登记核验发现出生日期与户籍证明不符",
                         "records":[{"token":"\(tokens[0])","proposed_value":"1980-01-02"},{"token":"\(tokens[1])","proposed_value":"1981-02-03"},
                                    {"token":"\(tokens[2])","proposed_value":"1982-03-04"}]}
                        """)
                #expect(raised.status == .created, "\(raised.json)")
                let id = try #require(raised.json["id"] as? String)
                #expect(raised.json["status"] as? String == "open")
                let due = try #require(raised.json["due_on"] as? String)
                #expect(due > CivilDate(instant: env.platform.clock.now()).description)
                #expect(try await Self.inbox(client, provider).contains { $0["subject_id"] as? String == id })
                // The objector sees the keys as its reads show them (masked): objecting reveals nothing it did not see.
                let objectorView = try await client.json(.get, "/api/v1/objections/\(id)", token: user)
                let shownKey = try #require((objectorView.json["records"] as? [[String: Any]])?.first?["key"] as? String)
                #expect(shownKey != keys[0] && shownKey.hasPrefix(String(keys[0].prefix(6))) && shownKey.contains("*"), "\(shownKey)")
                // Another department sees nothing of it.
                #expect(try await client.json(.get, "/api/v1/objections/\(id)", token: outsider).status == .notFound)
                // No clear key is stored: the objection's tables hold sealed records and keyed references only.
                let stored = try await env.platform.database.withConnection { db in
                    try await db.raw("SELECT document, sealed FROM objections WHERE id = \(bind: id)").first()
                }
                let document = try #require(try stored?.decode(column: "document", as: String.self))
                let sealed = try #require(try stored?.decode(column: "sealed", as: String.self))
                #expect(!document.contains(keys[0]) && !sealed.contains(keys[0]) && !document.contains("1980-01-02"))

                // The provider confirms two and rejects one; a rejection needs its reason.
                let noReason = try await client.json(
                    .post, "/api/v1/objections/\(id)/answer", token: provider,
                    body:
                        #"{"decisions":[{"key":"\#(keys[0])","confirm":true},{"key":"\#(keys[1])","confirm":true},{"key":"\#(keys[2])","confirm":false}]}"#
                )
                #expect(fieldErrors(noReason.json).contains { $0.field == "decisions[2].reason" })
                #expect(try await client.json(.post, "/api/v1/objections/\(id)/answer", token: user, body: "{}").status == .forbidden)
                let answered = try await client.json(
                    .post, "/api/v1/objections/\(id)/answer", token: provider,
                    body: """
                        {"decisions":[{"key":"\(keys[0])","confirm":true},{"key":"\(keys[1])","confirm":true},
                          {"key":"\(keys[2])","confirm":false,"reason":"经核对户籍档案，出生日期登记无误"}],"note":"已校核"}
                        """)
                #expect(answered.status == .ok, "\(answered.json)")
                #expect(answered.json["status"] as? String == "answered")
                #expect(answered.json["answered_late"] as? Bool == false)

                // Confirmed records are flagged in every read that returns them (JSON and CSV).
                let flagged = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":5}"#)
                #expect(flagged.json["flagged_records"] as? Int == 2)
                #expect(ExchangeTests.records(flagged.json).filter { $0["_objection"] as? String == id }.count == 2)
                let csv = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":5,"format":"csv"}"#)
                let csvText = String(decoding: csv.response.body.readableBytesView, as: UTF8.self)
                #expect(csvText.hasPrefix("GMSFHM,XM,XB,CSRQ,_objection"))
                #expect(csvText.components(separatedBy: id).count - 1 == 2)

                // A correction that fails validation leaves the objection open for correction and flags in place.
                let badFix = try await client.json(
                    .post, "/api/v1/objections/\(id)/correction", token: provider,
                    body: #"{"rows":[{"GMSFHM":"\#(keys[0])","CSRQ":"1980-13-45"}]}"#)
                #expect(badFix.status == .unprocessableContent)
                let wrongRecord = try await client.json(
                    .post, "/api/v1/objections/\(id)/correction", token: provider,
                    body: #"{"rows":[{"GMSFHM":"\#(keys[2])","CSRQ":"1982-03-04"}]}"#)
                #expect(fieldErrors(wrongRecord.json).first?.rule == "not_confirmed")
                let fixed = try await client.json(
                    .post, "/api/v1/objections/\(id)/correction", token: provider,
                    body: #"{"rows":[{"GMSFHM":"\#(keys[0])","CSRQ":"1980-01-02"},{"GMSFHM":"\#(keys[1])","CSRQ":"1981-02-03"}]}"#)
                #expect(fixed.status == .created, "\(fixed.json)")
                #expect((fixed.json["notified_readers"] as? Int ?? 0) >= 1)
                let batchId = try #require((fixed.json["batch"] as? [String: Any])?["client_batch_id"] as? String)
                #expect(batchId == "objection-\(id)-1")
                // The other items of the corrected rows are kept (a correction names only what it changes).
                let after = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"\#(keys[0])"}}"#)
                let row = try #require(ExchangeTests.records(after.json).first)
                #expect(row["CSRQ"] as? String == "1980-01-02")
                #expect((row["XM"] as? String ?? "").isEmpty == false && (row["HJDZ"] as? String ?? "").isEmpty == false)
                let unflagged = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":5}"#)
                #expect(unflagged.json["flagged_records"] as? Int == 0)
                #expect(try await Self.inbox(client, user).contains { $0["kind"] as? String == "objection.corrected" })

                // Evidence: the objector attaches a document; the provider opens it, an auditor (who sees the case
                // without the residents) does not.
                let attached = try await UploadLimitsRouteTests.post(
                    client, "/api/v1/objections/\(id)/attachments?file_name=proof.txt", token: user,
                    body: ByteBuffer(string: "户籍证明：1982-03-04"), type: "text/plain")
                #expect(attached.status == .created)
                let attachment = try #require(
                    (try? JSONSerialization.jsonObject(with: Data(attached.body.readableBytesView)) as? [String: Any])?["id"] as? String)
                let opened = try await client.json(.get, "/api/v1/objections/\(id)/attachments/\(attachment)", token: provider)
                #expect(opened.status == .ok)
                let withheld = try await client.json(
                    .get, "/api/v1/objections/\(id)/attachments/\(attachment)", token: try await client.token("auditor"))
                #expect(withheld.status == .forbidden && withheld.json["code"] as? String == "attachment_withheld", "\(withheld.json)")

                // The objector disputes the rejection; the authority (someone who took no part) rules for it.
                #expect(
                    try await client.json(.post, "/api/v1/objections/\(id)/dispute", token: user, body: "{}").status
                        == .unprocessableContent)
                let disputed = try await client.json(
                    .post, "/api/v1/objections/\(id)/dispute", token: user, body: #"{"reason":"户籍证明原件显示为1982-03-04"}"#)
                #expect(disputed.json["status"] as? String == "disputed")
                #expect(disputed.json["due_on"] as? String != nil)
                #expect(
                    try await client.json(.post, "/api/v1/objections/\(id)/ruling", token: provider, body: #"{"upheld":true,"ruling":"x"}"#)
                        .status
                        == .forbidden)
                // The provider is the authority's own department: its reviewers see the case but do not rule on it; its
                // platform administrator does (`Impartiality`).
                let byParty = try await client.json(
                    .post, "/api/v1/objections/\(id)/ruling", token: authority, body: #"{"upheld":false,"ruling":"维持"}"#)
                #expect(byParty.status == .forbidden && byParty.json["code"] as? String == "authority_is_party", "\(byParty.json)")
                let admin = try await client.token("admin")
                let queue = ExchangeTests.array(try await client.json(.get, "/api/v1/objections/queue", token: admin).response)
                #expect(queue.contains { $0["id"] as? String == id })
                let ruled = try await client.json(
                    .post, "/api/v1/objections/\(id)/ruling", token: admin,
                    body: #"{"upheld":true,"ruling":"以户籍证明原件为准，提供部门应予更正"}"#)
                #expect(ruled.status == .ok, "\(ruled.json)")
                #expect(ruled.json["outcome"] as? String == "upheld")
                #expect(ruled.json["correction_due_on"] as? String != nil)
                // Binding: the third record is now flagged until the provider corrects it.
                let bound = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":5}"#)
                #expect(bound.json["flagged_records"] as? Int == 1)
                let last = try await client.json(
                    .post, "/api/v1/objections/\(id)/correction", token: provider,
                    body: #"{"rows":[{"GMSFHM":"\#(keys[2])","CSRQ":"1982-03-04"}]}"#)
                #expect(last.status == .created)
                #expect(
                    ((last.json["objection"] as? [String: Any])?["records"] as? [[String: Any]])?.allSatisfy {
                        $0["state"] as? String == "corrected"
                    } == true)

                #expect(
                    try await Self.objectionAudit(env, id) == [
                        "objection.raise", "objection.answer", "objection.correct", "objection.attach", "objection.dispute",
                        "objection.uphold", "objection.correct",
                    ])
                let stats = try await client.json(.get, "/api/v1/objections/statistics", token: authority)
                let mine = try #require((stats.json["providers"] as? [[String: Any]])?.first { ($0["received"] as? Int ?? 0) > 0 })
                #expect(mine["answered_on_time"] as? Int == 1 && mine["corrected"] as? Int == 1 && mine["disputed"] as? Int == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func unansweredObjectionGoesOverdueAndCountsLate(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let code = try await ExchangeTests.populationCode(client, user)
                let raised = try await client.json(
                    .post, "/api/v1/objections", token: user,
                    body: #"{"dataset":"\#(code)","kind":"outdated","description":"数据更新不及时"}"#)
                #expect(raised.status == .created, "\(raised.json)")
                let id = try #require(raised.json["id"] as? String)
                // The clock passes the due date: the objection shows overdue, counts late, and the sweep tells once.
                try await env.platform.database.transaction { db in
                    try await db.raw(
                        "UPDATE deadlines SET due_on = '2020-01-02' WHERE subject_type = 'objection' AND subject_id = \(bind: id)"
                    ).run()
                }
                let shown = try await client.json(.get, "/api/v1/objections/\(id)", token: user)
                #expect(shown.json["overdue"] as? Bool == true)
                let origin = RequestOrigin(requestId: "sweep", clientAddress: "test")
                #expect(try await env.platform.objections.sweep(by: .system("test"), origin: origin) == 1)
                #expect(try await env.platform.objections.sweep(by: .system("test"), origin: origin) == 0)
                let stats = try await env.platform.objections.statistics(by: .system("test"))
                #expect(stats.first { $0.received > 0 }?.late == 1)
            }
        }
    }
}

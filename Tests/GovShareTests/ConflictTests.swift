import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import GovShareServer

/// Issue 16 part 3 (Art. 13): a disagreement between two providers' datasets is found by the check (encrypted items
/// hash-joined in memory, clear ones joined in SQL), negotiated, escalated when the due date passes, arbitrated by
/// the data authority, and the authoritative source shows on both catalog entries.
@Suite("Conflicts between providers (Art. 13)")
struct ConflictTests {
    static let system = Principal.system("test")
    static let origin = RequestOrigin(requestId: "conflict-test", clientAddress: "test")

    static func code(_ env: TestEnvironment, _ classification: String) async throws -> String {
        try await DemoExchangeSeeder(platform: env.platform, actor: system, origin: origin).code(of: classification)
    }

    /// 居民户籍信息 rewritten as DemoConflictSeeder.household: residents 5, 102, 199 … born a day later, names and sexes
    /// of others differ. Returns how many birth dates differ among the first `rows` residents.
    static func disagree(_ env: TestEnvironment, rows: Int) async throws -> Int {
        let household = try await code(env, "301001")
        let changed = (0..<rows).filter { $0 % 97 == 5 || $0 % 89 == 3 }.map { (row: $0 + 2, values: DemoConflictSeeder.household($0)) }
        _ = try await env.platform.exchange.report(
            code: household, rows: changed, deletes: [], mode: .allOrNothing, clientBatchId: "conflict-test", source: .cli,
            by: system, origin: origin)
        return (0..<rows).filter { $0 % 97 == 5 }.count
    }

    static func pairBody(_ left: String, _ right: String, item: String, key: String, rightItem: String? = nil) -> String {
        #"{"left":{"entry_code":"\#(left)","item":"\#(item)","key_item":"\#(key)"},"right":{"entry_code":"\#(right)","item":"\#(rightItem ?? item)","key_item":"\#(key)"}}"#
    }

    @Test(arguments: TestDatabase.available)
    func disagreementIsFoundNegotiatedEscalatedArbitratedAndRecordedInTheCatalog(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            try await env.test { client in
                let population = try await Self.code(env, "101001"), household = try await Self.code(env, "301001")
                let expected = try await Self.disagree(env, rows: 300)
                #expect(expected == 4)
                var gd = try await client.token("gd_reviewer"), psb = try await client.token("psb_reviewer")
                let amr = try await client.token("amr_reviewer")
                var hrss = try await client.token("hrss_user")

                // Bad input names the field; a provider cannot declare; nothing is declared.
                let bad = try await client.json(
                    .post, "/api/v1/conflicts/pairs", token: gd,
                    body:
                        #"{"left":{"entry_code":"\#(population)","item":"NOSUCH","key_item":"GMSFHM"},"right":{"entry_code":"\#(household)"}}"#
                )
                #expect(bad.status == .unprocessableContent)
                let fields = Set(fieldErrors(bad.json).map(\.field))
                #expect(fields.isSuperset(of: ["right.item", "right.key_item"]), "\(bad.json)")
                let unknown = try await client.json(
                    .post, "/api/v1/conflicts/pairs", token: gd, body: Self.pairBody(population, household, item: "NOSUCH", key: "GMSFHM"))
                #expect(unknown.status == .unprocessableContent)
                #expect(fieldErrors(unknown.json).map(\.field).contains("left.item"), "\(unknown.json)")
                let byProvider = try await client.json(
                    .post, "/api/v1/conflicts/pairs", token: psb, body: Self.pairBody(population, household, item: "CSRQ", key: "GMSFHM"))
                #expect(byProvider.status == .forbidden)
                #expect(try await env.platform.conflicts.pairs(by: Self.system).isEmpty)

                let declared = try await client.json(
                    .post, "/api/v1/conflicts/pairs", token: gd, body: Self.pairBody(population, household, item: "CSRQ", key: "GMSFHM"))
                #expect(declared.status == .created, "\(declared.json)")
                let again = try await client.json(
                    .post, "/api/v1/conflicts/pairs", token: gd, body: Self.pairBody(household, population, item: "CSRQ", key: "GMSFHM"))
                #expect(again.status == .conflict)

                // The check finds exactly the residents whose birth dates differ (both items encrypted).
                #expect(try await client.json(.post, "/api/v1/conflicts/check", token: psb).status == .forbidden)
                let run = try await client.json(.post, "/api/v1/conflicts/check", token: gd)
                #expect(run.status == .created, "\(run.json)")
                #expect(run.json["disagreements"] as? Int == expected)
                #expect(run.json["cases_opened"] as? Int == 1)
                let listed = try await client.json(.get, "/api/v1/conflicts?status=open", token: psb)
                let cases = try #require(listed.json["cases"] as? [[String: Any]])
                #expect(cases.count == 1)
                let id = try #require(cases.first?["id"] as? String)
                #expect(cases.first?["status"] as? String == "negotiating")
                #expect(cases.first?["disagreements"] as? Int == expected)

                // Each provider sees its own values — 省数据局's reviewer too, its department being a party — and whoever
                // arbitrates both: here the authority's administrator (`Impartiality`); others nothing.
                let seenByPSB = try await client.json(.get, "/api/v1/conflicts/\(id)", token: psb)
                let psbFindings = try #require(seenByPSB.json["findings"] as? [[String: Any]])
                #expect(psbFindings.count == expected)
                #expect(
                    psbFindings.allSatisfy { $0["left_withheld"] as? Bool == true && $0["left_value"] == nil && $0["right_value"] != nil })
                let seenByGD = try #require(
                    try await client.json(.get, "/api/v1/conflicts/\(id)", token: gd).json["findings"] as? [[String: Any]])
                #expect(
                    seenByGD.allSatisfy { $0["right_withheld"] as? Bool == true && $0["right_value"] == nil && $0["left_value"] != nil })
                let seenByAdmin = try await client.json(.get, "/api/v1/conflicts/\(id)", token: try await client.token("admin"))
                for f in try #require(seenByAdmin.json["findings"] as? [[String: Any]]) {
                    let l = try #require(f["left_value"] as? String), r = try #require(f["right_value"] as? String)
                    #expect(CivilDate(r)! == CivilDate(l)!.adding(days: 1))
                    #expect(f["left_key"] as? String == f["right_key"] as? String)
                }
                #expect(try await client.json(.get, "/api/v1/conflicts", token: hrss).status == .forbidden)
                #expect(try await client.json(.get, "/api/v1/conflicts/\(id)", token: amr).status == .notFound)

                // Negotiation: messages both ways, a proposal; the other department's reviewer cannot act on it.
                let message = try await client.json(.post, "/api/v1/conflicts/\(id)/messages", token: psb, body: #"{"body":"以户籍登记为准"}"#)
                #expect(message.status == .created, "\(message.json)")
                let empty = try await client.json(.post, "/api/v1/conflicts/\(id)/messages", token: psb, body: #"{"body":"  "}"#)
                #expect(empty.status == .unprocessableContent)
                #expect(fieldErrors(empty.json).map(\.field) == ["body"])
                #expect(
                    try await client.json(.post, "/api/v1/conflicts/\(id)/messages", token: amr, body: #"{"body":"x"}"#).status == .notFound
                )
                let proposed = try await client.json(.post, "/api/v1/conflicts/\(id)/propose", token: gd, body: #"{"side":"left"}"#)
                #expect(proposed.status == .ok)
                #expect(proposed.json["proposed_side"] as? String == "left")
                // The proposer cannot agree with itself; arbitration waits for escalation.
                #expect(try await client.json(.post, "/api/v1/conflicts/\(id)/agree", token: gd).status == .conflict)
                let early = try await client.json(
                    .post, "/api/v1/conflicts/\(id)/arbitrate", token: try await client.token("admin"),
                    body: #"{"side":"right","reasons":"户籍登记为法定依据"}"#)
                #expect(early.status == .conflict)

                // The due date passes unagreed: the scheduled sweep escalates it, and tells both sides and the authority.
                #expect(try await env.platform.conflicts.sweep(by: Self.system, origin: Self.origin) == 0)
                clock.advance(by: 40 * 86_400)
                #expect(try await env.platform.conflicts.sweep(by: Self.system, origin: Self.origin) == 1)
                // Tokens issued 40 days ago have expired.
                gd = try await client.token("gd_reviewer")
                psb = try await client.token("psb_reviewer")
                hrss = try await client.token("hrss_user")
                let admin = try await client.token("admin")
                let escalated = try await client.json(.get, "/api/v1/conflicts/\(id)", token: admin)
                #expect((escalated.json["conflict"] as? [String: Any])?["status"] as? String == "escalated")
                #expect(escalated.json["may_arbitrate"] as? Bool == true)
                let asParty = try await client.json(.get, "/api/v1/conflicts/\(id)", token: gd)
                #expect(asParty.json["may_arbitrate"] as? Bool == false)

                // A provider cannot arbitrate; the authority must give reasons; nothing changes meanwhile.
                let byPSB = try await client.json(
                    .post, "/api/v1/conflicts/\(id)/arbitrate", token: psb, body: #"{"side":"right","reasons":"x"}"#)
                #expect(byPSB.status == .forbidden)
                let noReasons = try await client.json(.post, "/api/v1/conflicts/\(id)/arbitrate", token: gd, body: #"{"side":"middle"}"#)
                #expect(noReasons.status == .unprocessableContent)
                #expect(Set(fieldErrors(noReasons.json).map(\.field)) == ["side", "reasons"])
                let still = try await client.json(.get, "/api/v1/conflicts/\(id)", token: gd)
                #expect((still.json["conflict"] as? [String: Any])?["status"] as? String == "escalated")

                // 省数据局's reviewers would arbitrate their own department's case: refused by name.
                let byParty = try await client.json(
                    .post, "/api/v1/conflicts/\(id)/arbitrate", token: gd, body: #"{"side":"left","reasons":"人口库为准"}"#)
                #expect(byParty.status == .forbidden && byParty.json["code"] as? String == "authority_is_party", "\(byParty.json)")
                let ruled = try await client.json(
                    .post, "/api/v1/conflicts/\(id)/arbitrate", token: admin, body: #"{"side":"right","reasons":"出生日期以户籍登记为法定依据"}"#)
                #expect(ruled.status == .ok, "\(ruled.json)")
                #expect(ruled.json["status"] as? String == "arbitrated")
                #expect(ruled.json["resolved_side"] as? String == "right")

                // Both catalog entries name the authoritative source.
                let pair = try #require((ruled.json["pair"] as? [String: Any]))
                let entries = [pair["left"], pair["right"]].compactMap { ($0 as? [String: Any])?["entry_id"] as? String }
                #expect(entries.count == 2)
                for entry in entries {
                    let shown = try await client.json(.get, "/api/v1/catalog/entries/\(entry)", token: hrss)
                    let sources = try #require(shown.json["authoritative_sources"] as? [[String: Any]])
                    #expect(sources.count == 1, "\(entry): \(shown.json)")
                    #expect(sources.first?["item"] as? String == "CSRQ")
                    #expect(sources.first?["source_entry_code"] as? String == household.replacingOccurrences(of: "-", with: "/"))
                    #expect(sources.first?["decided_how"] as? String == "arbitrated")
                }

                // Every step notified the other side.
                let inbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: psb).response)
                let kinds = Set(inbox.compactMap { $0["kind"] as? String })
                #expect(
                    kinds.isSuperset(of: ["conflict.opened", "conflict.propose", "conflict.escalate", "conflict.arbitrate"]), "\(kinds)")
                let gdInbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: gd).response)
                #expect(gdInbox.contains { $0["kind"] as? String == "conflict.message" })

                // A settled pair opens no new case; statistics count it resolved for both providers.
                let rerun = try await client.json(.post, "/api/v1/conflicts/check", token: gd)
                #expect(rerun.json["disagreements"] as? Int == expected)
                #expect(rerun.json["cases_opened"] as? Int == 0)
                let stats = try await client.json(.get, "/api/v1/conflicts/statistics", token: gd)
                let providers = try #require(stats.json["providers"] as? [[String: Any]])
                #expect(providers.count == 2)
                #expect(providers.allSatisfy { $0["resolved"] as? Int == 1 && $0["arbitrated"] as? Int == 1 && $0["open"] as? Int == 0 })
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func agreementAndClearItemsJoinedInSQL(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                _ = try await Self.disagree(env, rows: 300)
                let seeder = DemoExchangeSeeder(platform: env.platform, actor: Self.system, origin: Self.origin)
                _ = try await seeder.fill(code: "102001", key: "TYSHXYDM", rows: 120, makeRow: DemoConflictSeeder.legalPerson)
                let population = try await Self.code(env, "101001"), household = try await Self.code(env, "301001")
                let legal = try await Self.code(env, "102001"), licences = try await Self.code(env, "302001")
                let gd = try await client.token("gd_reviewer"), psb = try await client.token("psb_reviewer")
                let amr = try await client.token("amr_reviewer")
                for body in [
                    Self.pairBody(population, household, item: "XM", key: "GMSFHM"),
                    Self.pairBody(legal, licences, item: "CLRQ", key: "TYSHXYDM"),
                ] {
                    #expect(try await client.json(.post, "/api/v1/conflicts/pairs", token: gd, body: body).status == .created)
                }
                let run = try await client.json(.post, "/api/v1/conflicts/check", token: gd)
                // Names: residents 3, 92, 181, 270; founding dates (clear, joined in SQL): legal persons 7, 57, 107.
                #expect(run.json["disagreements"] as? Int == 4 + 3, "\(run.json)")
                #expect(run.json["cases_opened"] as? Int == 2)
                let cases = try #require(try await client.json(.get, "/api/v1/conflicts", token: gd).json["cases"] as? [[String: Any]])
                let names = try #require(
                    cases.first { ($0["pair"] as? [String: Any]).flatMap { $0["left"] as? [String: Any] }?["item"] as? String == "XM" })
                let dates = try #require(cases.first { $0["id"] as? String != names["id"] as? String })
                #expect(names["disagreements"] as? Int == 4)
                #expect(dates["disagreements"] as? Int == 3)
                let nameId = try #require(names["id"] as? String), dateId = try #require(dates["id"] as? String)

                // 市场监管局 sees only its own case; in the clear pair each side still sees only its own values.
                let amrCases = try #require(try await client.json(.get, "/api/v1/conflicts", token: amr).json["cases"] as? [[String: Any]])
                #expect(amrCases.map { $0["id"] as? String } == [dateId])
                let amrView = try await client.json(.get, "/api/v1/conflicts/\(dateId)", token: amr)
                let amrFindings = try #require(amrView.json["findings"] as? [[String: Any]])
                #expect(amrFindings.count == 3 && amrFindings.allSatisfy { $0["left_withheld"] as? Bool == true && $0["right_key"] != nil })

                // 公安厅 proposes its register; the data authority's department agrees: the catalog records it.
                #expect(try await client.json(.post, "/api/v1/conflicts/\(nameId)/agree", token: gd).status == .conflict)
                let proposed = try await client.json(.post, "/api/v1/conflicts/\(nameId)/propose", token: psb, body: #"{"side":"right"}"#)
                #expect(proposed.status == .ok, "\(proposed.json)")
                #expect(try await client.json(.post, "/api/v1/conflicts/\(nameId)/agree", token: psb).status == .conflict)
                let agreed = try await client.json(.post, "/api/v1/conflicts/\(nameId)/agree", token: gd)
                #expect(agreed.status == .ok)
                #expect(agreed.json["status"] as? String == "agreed")
                let populationId = try #require(
                    ((agreed.json["pair"] as? [String: Any])?["left"] as? [String: Any])?["entry_id"] as? String)
                let shown = try await client.json(.get, "/api/v1/catalog/entries/\(populationId)", token: amr)
                let sources = try #require(shown.json["authoritative_sources"] as? [[String: Any]])
                #expect(sources.map { $0["item"] as? String } == ["XM"])
                #expect(sources.first?["decided_how"] as? String == "agreed")
                // Agreed is final: no more negotiation on it.
                #expect(
                    try await client.json(.post, "/api/v1/conflicts/\(nameId)/escalate", token: psb, body: #"{"note":"x"}"#).status
                        == .conflict)

                // A provider asks for arbitration before the due date.
                let asked = try await client.json(.post, "/api/v1/conflicts/\(dateId)/escalate", token: amr, body: #"{"note":"各执一词"}"#)
                #expect(asked.status == .ok)
                #expect(asked.json["status"] as? String == "escalated")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func demoLeavesAConflictInEveryState(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let cases = try #require(try await client.json(.get, "/api/v1/conflicts", token: admin).json["cases"] as? [[String: Any]])
                #expect(Set(cases.compactMap { $0["status"] as? String }) == Set(ConflictStatus.allCases.map(\.rawValue)))
                let pair = try #require(cases.first?["pair"] as? [String: Any])
                let population = try #require(
                    [pair["left"], pair["right"]].compactMap { $0 as? [String: Any] }.first { $0["entry_name"] as? String == "人口基础信息" }?[
                        "entry_id"]
                        as? String)
                let shown = try await client.json(.get, "/api/v1/catalog/entries/\(population)", token: admin)
                let sources = try #require(shown.json["authoritative_sources"] as? [[String: Any]])
                let items: [String] = sources.map { source in (source["item"] as? String) ?? "?" }.sorted()
                #expect(items == ["CSRQ", "XM"], "\(sources)")
            }
        }
    }
}

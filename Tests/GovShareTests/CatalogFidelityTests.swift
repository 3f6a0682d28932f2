import Foundation
import GovShareCore
import GovShareServer
import HummingbirdTesting
import Testing

/// Issue 12, Art. 9: an update obligation concerns one entry of its department and only that entry's publication
/// meets it; the department is reminded before the due date and the reviewing authority told after it, each once.
@Suite("Catalog fidelity: update obligations (Art. 9)")
struct CatalogObligationFidelityTests {
    /// The demo entry filed under `classification` (id, code).
    static func demoEntry(_ client: any TestClientProtocol, _ classification: String, token: String) async throws -> (
        id: String, code: String
    ) {
        let found = try await client.json(.get, "/api/v1/catalog/search?classification=\(classification)&rows=1", token: token)
        let item = try #require((found.json["items"] as? [[String: Any]])?.first, "demo entry \(classification)")
        return (try #require(item["entry_id"] as? String), try #require(item["code"] as? String))
    }

    static func obligation(_ client: any TestClientProtocol, id: String, token: String) async throws -> [String: Any] {
        let list = try await client.json(.get, "/api/v1/catalog/obligations", token: token)
        return try #require((list.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == id }, "obligation \(id)")
    }

    static func record(
        _ client: any TestClientProtocol, token: String, department: String, entryCode: String? = nil,
        trigger: String = "law_revised", date: String = "2026-09-18"
    ) async throws -> (status: Int, json: [String: Any]) {
        let entry = entryCode.map { #","entry_code":"\#($0)""# } ?? ""
        let result = try await client.json(
            .post, "/api/v1/catalog/obligations", token: token,
            body: """
                {"trigger":"\(trigger)","date":"\(date)","reference":"《广东省公安机关警务辅助人员条例》修订","department_code":"\(department)"\(entry)}
                """)
        return (Int(result.status.code), result.json)
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheLinkedEntrysPublicationMeetsAnObligation(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger"), reviewer = try await client.token("gd_reviewer")
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let huji = try await Self.demoEntry(client, "301001", token: cataloger)

                // A: a law changed 居民户籍信息 (named when recorded). B: a new function, its entry not filed yet.
                let a = try await Self.record(client, token: cataloger, department: psb.code, entryCode: huji.code)
                #expect(a.status == 201, "\(a.json)")
                #expect(a.json["entry_id"] as? String == huji.id)
                let b = try await Self.record(client, token: cataloger, department: psb.code, trigger: "function_changed")
                #expect(b.status == 201 && b.json["entry_id"] == nil, "\(b.json)")
                let aId = try #require(a.json["id"] as? String), bId = try #require(b.json["id"] as? String)

                // The new function's entry is filed; B is linked to it (by the department's cataloger).
                let created = try await client.json(
                    .post, "/api/v1/catalog/entries", token: cataloger, body: CatalogTests.draft(itemBasis: true))
                let newId = try #require(created.json["id"] as? String), newCode = try #require(created.json["code"] as? String)
                let linked = try await client.json(
                    .post, "/api/v1/catalog/obligations/\(bId)/link", token: cataloger,
                    body: #"{"entry_code":"\#(newCode.replacingOccurrences(of: "/", with: "-"))"}"#)
                #expect(linked.status == .ok && linked.json["entry_id"] as? String == newId, "\(linked.json)")

                // An unrelated publication (another entry of the same department) meets neither.
                let other = try await client.json(
                    .post, "/api/v1/catalog/entries", token: cataloger,
                    body: CatalogTests.draft(itemBasis: true).replacingOccurrences(of: "灵活就业人员参保信息", with: "无关目录"))
                let otherId = try #require(other.json["id"] as? String)
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(otherId)/submit", token: cataloger)
                let unrelated = try await client.json(
                    .post, "/api/v1/catalog/entries/\(otherId)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                #expect(unrelated.json["status"] as? String == "published", "\(unrelated.json)")
                #expect(try await Self.obligation(client, id: aId, token: reviewer)["status"] as? String == "open")
                #expect(try await Self.obligation(client, id: bId, token: reviewer)["status"] as? String == "open")

                // Publishing B's entry meets B only.
                _ = try await client.json(.post, "/api/v1/catalog/entries/\(newId)/submit", token: cataloger)
                _ = try await client.json(
                    .post, "/api/v1/catalog/entries/\(newId)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                let metB = try await Self.obligation(client, id: bId, token: reviewer)
                #expect(metB["status"] as? String == "met" && metB["met_by_entry_id"] as? String == newId, "\(metB)")
                #expect(try await Self.obligation(client, id: aId, token: reviewer)["status"] as? String == "open")

                // A new version of 居民户籍信息, published: A is met by it.
                let current = try await client.json(.get, "/api/v1/catalog/entries/\(huji.id)", token: cataloger)
                var content = try #require((current.json["version"] as? [String: Any])?["content"] as? [String: Any])
                content["update_deadline"] = "户籍变更后1个工作日内（依修订后条例）"
                let body = String(decoding: try JSONSerialization.data(withJSONObject: ["content": content]), as: UTF8.self)
                #expect(try await client.json(.put, "/api/v1/catalog/entries/\(huji.id)", token: cataloger, body: body).status == .ok)
                let submitted = try await client.json(.post, "/api/v1/catalog/entries/\(huji.id)/submit", token: cataloger)
                #expect(submitted.status == .ok, "\(submitted.json)")
                _ = try await client.json(
                    .post, "/api/v1/catalog/entries/\(huji.id)/review", token: reviewer, body: #"{"decision":"publish"}"#)
                let metA = try await Self.obligation(client, id: aId, token: reviewer)
                #expect(metA["status"] as? String == "met" && metA["met_by_entry_id"] as? String == huji.id, "\(metA)")

                // A met obligation is not linked again.
                let late = try await client.json(
                    .post, "/api/v1/catalog/obligations/\(aId)/link", token: cataloger,
                    body: #"{"entry_code":"\#(newCode)"}"#)
                #expect(late.status == .conflict)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anObligationOnlyConcernsItsOwnDepartmentsEntries(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let cataloger = try await client.token("psb_cataloger")
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let gzEntry = try await Self.demoEntry(client, "301010", token: cataloger)  // 广州市公安局's

                // Recorded with another department's entry: 422 naming entry_code; nothing recorded.
                let refused = try await Self.record(client, token: cataloger, department: psb.code, entryCode: gzEntry.code)
                #expect(refused.status == 422)
                #expect(
                    fieldErrors(refused.json).map(\.field) == ["entry_code"] && fieldErrors(refused.json).first?.rule == "department_entry")
                let unknown = try await Self.record(client, token: cataloger, department: psb.code, entryCode: "301001/999999")
                #expect(fieldErrors(unknown.json).first?.rule == "exists")

                let recorded = try await Self.record(client, token: cataloger, department: psb.code)
                let id = try #require(recorded.json["id"] as? String)
                // Linked to another department's entry: 422; by another authority (广州's): 403.
                let foreign = try await client.json(
                    .post, "/api/v1/catalog/obligations/\(id)/link", token: cataloger,
                    body: #"{"entry_code":"\#(gzEntry.code)"}"#)
                #expect(foreign.status == .unprocessableContent)
                #expect(
                    fieldErrors(foreign.json).first?.field == "entry_code" && fieldErrors(foreign.json).first?.rule == "department_entry")
                let huji = try await Self.demoEntry(client, "301001", token: cataloger)
                let otherAuthority = try await client.json(
                    .post, "/api/v1/catalog/obligations/\(id)/link", token: try await client.token("gz_reviewer"),
                    body: #"{"entry_code":"\#(huji.code)"}"#)
                #expect(otherAuthority.status == .forbidden)
                #expect(try await Self.obligation(client, id: id, token: cataloger)["entry_id"] == nil)
                // Its own reviewing authority may.
                let byAuthority = try await client.json(
                    .post, "/api/v1/catalog/obligations/\(id)/link", token: try await client.token("gd_reviewer"),
                    body: #"{"entry_code":"\#(huji.code)"}"#)
                #expect(byAuthority.status == .ok && byAuthority.json["entry_id"] as? String == huji.id)
                #expect(
                    try await client.json(.post, "/api/v1/catalog/obligations/nope/link", token: cataloger, body: "{}").status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func departmentIsRemindedThenAuthorityToldEachOnce(database: TestDatabase) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_789_689_600))  // 2026-09-18T00:00Z
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                let psb = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let recorded = try await Self.record(client, token: try await client.token("gd_reviewer"), department: psb.code)
                #expect(recorded.json["due_on"] as? String == "2026-10-15")
                let id = try #require(recorded.json["id"] as? String)
                func sweep() async throws -> [String: Any] {
                    let swept = try await client.json(.post, "/api/v1/catalog/obligations/sweep", token: try await client.token("ops"))
                    #expect(swept.status == .ok, "\(swept.json)")
                    return swept.json
                }
                func inbox(_ user: String) async throws -> [[String: Any]] {
                    ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: try await client.token(user)).response)
                        .filter { $0["subject_type"] as? String == "catalog_obligation" && $0["subject_id"] as? String == id }
                }

                #expect(try await sweep()["reminded"] as? Int == 0, "four weeks ahead: nothing yet")
                clock.advance(by: 26 * 86400)  // 2026-10-14: one working day before the due date
                #expect(try await sweep()["reminded"] as? Int == 1)
                #expect(try await sweep()["reminded"] as? Int == 0, "once")
                let reminders = try await inbox("psb_reviewer")
                #expect(reminders.map { $0["kind"] as? String } == ["catalog_obligation.reminder"])
                #expect(try await inbox("gd_reviewer").isEmpty, "the authority is not told before the due date")
                #expect(try await Self.obligation(client, id: id, token: try await client.token("gd_reviewer"))["reminded_at"] is String)

                clock.advance(by: 2 * 86400)  // 2026-10-16: overdue
                let escalated = try await sweep()
                #expect(escalated["escalated"] as? Int == 1 && escalated["reminded"] as? Int == 0, "\(escalated)")
                #expect(try await sweep()["escalated"] as? Int == 0, "once")
                #expect(try await inbox("gd_reviewer").map { $0["kind"] as? String } == ["catalog_obligation.overdue"])
                #expect(try await inbox("psb_reviewer").count == 1)
                let shown = try await Self.obligation(client, id: id, token: try await client.token("gd_reviewer"))
                #expect(shown["escalated_at"] is String && shown["overdue"] as? Bool == true)

                // The command line runs the same sweep: nothing is left to send.
                let (reminded, again) = try await env.platform.obligations.sweep(by: .system("test"), origin: .commandLine())
                #expect(reminded == 0 && again == 0)
                #expect(
                    try await client.json(.post, "/api/v1/catalog/obligations/sweep", token: try await client.token("psb_cataloger")).status
                        == .forbidden)
            }
        }
    }
}

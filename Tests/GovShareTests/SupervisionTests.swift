import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 17 parts 1, 3 and 5 (Art. 29–30): rule checks with findings, orders to correct through their states, escalation
/// when overdue, and the rectification-completion indicator of the assessment.
@Suite("Supervision (Art. 29–30)")
struct SupervisionTests {
    static let psb = "114400000060952367"

    static func findings(_ json: [String: Any]) -> [[String: Any]] { json["findings"] as? [[String: Any]] ?? [] }

    /// The authority oversees its own department too, but does not order itself to correct: its platform administrator
    /// does (`Impartiality`), and decides the response.
    @Test(arguments: TestDatabase.available)
    func theAuthoritysOwnDepartmentIsOrderedByItsAdministrator(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                let authorityId = try #require(
                    try await env.platform.database.withConnection { db in
                        try await db.raw("SELECT id FROM departments WHERE code = '11440000MB3307905U'").first()?.decode(
                            column: "id", as: String.self)
                    })
                #expect(try await client.json(.post, "/api/v1/supervision/checks", token: reviewer).status == .created)
                let all = Self.findings(try await client.json(.get, "/api/v1/supervision", token: reviewer).json)
                let own = try #require(
                    all.first { $0["department_id"] as? String == authorityId },
                    "a finding of 省数据局 itself among \(Set(all.compactMap { $0["rule"] as? String }))")
                let body = #"{"finding_id":"\#(own["id"] as? String ?? "")","what":"按期处理","basis":"第二十九条","working_days":5}"#
                let byReviewer = try await client.json(.post, "/api/v1/supervision/orders", token: reviewer, body: body)
                #expect(byReviewer.status == .forbidden && byReviewer.json["code"] as? String == "authority_is_party", "\(byReviewer.json)")
                let byAdmin = try await client.json(.post, "/api/v1/supervision/orders", token: try await client.token("admin"), body: body)
                #expect(byAdmin.status == .created, "\(byAdmin.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func checksFindAndResolveOrdersGoThroughEveryStateAndOverdueOnesEscalate(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, clock: clock) { env in
            try await env.test { client in
                var authority = try await client.token("gd_reviewer")
                let psbDepartment = try #require(
                    try await env.platform.database.withConnection { db in
                        try await db.raw("SELECT id FROM departments WHERE code = \(bind: Self.psb)").first()?.decode(
                            column: "id", as: String.self)
                    })
                // A read under 人社厅's grant before the grant started: outside its validity.
                let grant = try #require(
                    try await env.platform.database.withConnection { db in
                        try await db.raw("SELECT id, department_id, valid_from FROM grants WHERE status = 'active' LIMIT 1").first()
                    })
                let grantId = try grant.decode(column: "id", as: String.self)
                let holder = try grant.decode(column: "department_id", as: String.self)
                let validFrom = try #require(CivilDate(try grant.decode(column: "valid_from", as: String.self)))
                let before = validFrom.adding(days: -2).firstInstant
                try await env.platform.database.transaction { db in
                    try await db.raw(
                        """
                        INSERT INTO data_reads (audit_seq, dataset_id, entry_code, actor_id, actor_name, department_id, purpose_id,
                            items, filter, row_count, read_at, request_id)
                        VALUES (987654321, 'test', 'TEST/000001', 'test', 'test', \(bind: holder), \(bind: grantId), '[]', '', 3,
                            \(bind: before), 'test')
                        """
                    ).run()
                }
                // Reads outside, counted exactly: before the first day began in China Standard Time, or after the last
                // ended. A read in the first hour of the first day (16:xx UTC the day before) is inside.
                let outside = try #require(
                    try await env.platform.database.withConnection { db in
                        try await db.raw(
                            """
                            SELECT COUNT(*) AS n FROM data_reads WHERE purpose_id = \(bind: grantId)
                                AND read_at < \(bind: validFrom.firstInstant)
                            """
                        ).first()?.decode(column: "n", as: Int.self)
                    })
                let firstHour = Timestamp.format(Timestamp.parse(validFrom.firstInstant)!.addingTimeInterval(1_800))
                try await env.platform.database.transaction { db in
                    try await db.raw(
                        """
                        INSERT INTO data_reads (audit_seq, dataset_id, entry_code, actor_id, actor_name, department_id, purpose_id,
                            items, filter, row_count, read_at, request_id)
                        VALUES (987654322, 'test', 'TEST/000001', 'test', 'test', \(bind: holder), \(bind: grantId), '[]', '', 3,
                            \(bind: firstHour), 'test')
                        """
                    ).run()
                }
                #expect(
                    (try await client.json(.post, "/api/v1/supervision/checks", token: try await client.token("hrss_user"))).status
                        == .forbidden)
                let run = try await client.json(.post, "/api/v1/supervision/checks", token: authority)
                #expect(run.status == .created, "\(run.json)")
                let byRule = run.json["by_rule"] as? [String: Int] ?? [:]
                #expect((byRule["late_reply"] ?? 0) >= 1, "the demo's overdue applications: \(byRule)")
                // The demo leaves every rule something to find (DemoSupervisionSeeder.prepareEvidence).
                let silent = SupervisionRule.allCases.filter { $0 != .inspection && (byRule[$0.rawValue] ?? 0) == 0 }
                #expect(silent.isEmpty, "rules with nothing to find in the demo: \(silent.map(\.rawValue)) of \(byRule)")

                let overview = try await client.json(.get, "/api/v1/supervision?rule=grant_outside_validity", token: authority)
                let misuse = try #require(Self.findings(overview.json).first { $0["object_id"] as? String == grantId }, "\(overview.json)")
                #expect(misuse["department_id"] as? String == holder && misuse["article"] as? String == "第二十一条")
                #expect((misuse["evidence"] as? String ?? "").contains("期外读取 \(outside) 次"), "\(misuse)")
                #expect((try await client.json(.get, "/api/v1/supervision?rule=speed", token: authority)).status == .unprocessableContent)

                // A department sees its own findings only.
                let own = try await client.json(.get, "/api/v1/supervision", token: try await client.token("psb_reviewer"))
                #expect(
                    !Self.findings(own.json).isEmpty
                        && Self.findings(own.json).allSatisfy { $0["department_id"] as? String == psbDepartment })

                // Put right (the grant now covers the read): the next run resolves the finding.
                try await env.platform.database.transaction { db in
                    try await db.raw("UPDATE grants SET valid_from = '2000-01-01' WHERE id = \(bind: grantId)").run()
                }
                let again = try await client.json(.post, "/api/v1/supervision/checks", token: authority)
                #expect((again.json["resolved"] as? Int ?? 0) >= 1, "\(again.json)")
                let misuseId = try #require(misuse["id"] as? String)
                let resolved = try await client.json(.get, "/api/v1/supervision/findings/\(misuseId)", token: authority)
                #expect(resolved.json["status"] as? String == "resolved", "\(resolved.json)")

                // Orders: only the overseeing authority issues them; bad input names the field.
                let finding = try #require(
                    Self.findings((try await client.json(.get, "/api/v1/supervision?rule=late_reply", token: authority)).json)
                        .first { $0["department_id"] as? String == psbDepartment }, "a late reply of 公安厅")
                let findingId = try #require(finding["id"] as? String)
                let body = #"{"finding_id":"\#(findingId)","what":"按期答复共享申请并建立提醒机制","basis":"第二十九条","working_days":5}"#
                let city = try await client.json(
                    .post, "/api/v1/supervision/orders", token: try await client.token("gz_reviewer"), body: body)
                // 广州's authority does not oversee 公安厅: to it the finding does not exist.
                #expect(city.status == .notFound, "\(city.json)")
                let bad = try await client.json(
                    .post, "/api/v1/supervision/orders", token: authority,
                    body: #"{"finding_id":"\#(findingId)","what":"x","basis":"y","working_days":0}"#)
                #expect(bad.status == .unprocessableContent && "\(bad.json)".contains("working_days"))
                let issued = try await client.json(.post, "/api/v1/supervision/orders", token: authority, body: body)
                #expect(issued.status == .created && issued.json["status"] as? String == "issued", "\(issued.json)")
                let orderId = try #require(issued.json["id"] as? String)
                let shown = try await client.json(
                    .get, "/api/v1/supervision/orders/\(orderId)", token: try await client.token("psb_reviewer"))
                #expect(shown.json["signature_valid"] as? Bool == true, "\(shown.json)")
                let other = try await client.json(.get, "/api/v1/supervision/orders/\(orderId)", token: try await client.token("hrss_user"))
                #expect(other.status == .forbidden || other.status == .notFound)
                let cataloger = try await client.json(
                    .get, "/api/v1/supervision/orders/\(orderId)", token: try await client.token("psb_cataloger"))
                #expect(cataloger.status == .ok, "the ordered department's catalogers read it too")

                let amr = try await client.json(
                    .post, "/api/v1/supervision/orders/\(orderId)/respond", token: try await client.token("amr_reviewer"),
                    body: #"{"response":"不是本部门"}"#)
                #expect(amr.status == .notFound || amr.status == .forbidden)
                let psb = try await client.token("psb_reviewer")
                let responded = try await client.json(
                    .post, "/api/v1/supervision/orders/\(orderId)/respond", token: psb, body: #"{"response":"已答复并设置提醒"}"#)
                #expect(responded.json["status"] as? String == "responded", "\(responded.json)")
                let twice = try await client.json(
                    .post, "/api/v1/supervision/orders/\(orderId)/respond", token: psb, body: #"{"response":"再次"}"#)
                #expect(twice.status == .conflict)
                let noNote = try await client.json(.post, "/api/v1/supervision/orders/\(orderId)/return", token: authority, body: "{}")
                #expect(noNote.status == .unprocessableContent)
                let returned = try await client.json(
                    .post, "/api/v1/supervision/orders/\(orderId)/return", token: authority, body: #"{"note":"请附佐证"}"#)
                #expect(returned.json["status"] as? String == "returned")
                _ = try await client.json(
                    .post, "/api/v1/supervision/orders/\(orderId)/respond", token: psb, body: #"{"response":"已附佐证"}"#)
                let accepted = try await client.json(.post, "/api/v1/supervision/orders/\(orderId)/accept", token: authority, body: "{}")
                #expect(accepted.json["status"] as? String == "accepted", "\(accepted.json)")

                // An order nobody answers: past its due date it is escalated once, with a notice to the department.
                let late = try await client.json(.post, "/api/v1/supervision/orders", token: authority, body: body)
                let lateId = try #require(late.json["id"] as? String)
                clock.advance(by: 30 * 86_400)
                let system = Principal.system("test")
                #expect(try await env.platform.supervision.sweep(by: system, origin: .commandLine()) >= 1)
                #expect(try await env.platform.supervision.sweep(by: system, origin: .commandLine()) == 0)
                authority = try await client.token("gd_reviewer")
                let overdue = try await client.json(.get, "/api/v1/supervision/orders/\(lateId)", token: authority)
                #expect(overdue.json["overdue"] as? Bool == true && overdue.json["escalated_at"] is String, "\(overdue.json)")
                let inbox = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/notifications", token: try await client.token("psb_reviewer")).response)
                #expect(inbox.contains { $0["kind"] as? String == "rectification_overdue" })

                // The assessment counts both: one accepted on time, one overdue (the demo published the year; its month is a
                // draft, computed again).
                let dueMonth = try #require((accepted.json["due_on"] as? String)?.prefix(7))
                let year = try await client.json(.post, "/api/v1/assessments", token: authority, body: #"{"period":"\#(dueMonth)"}"#)
                #expect(year.status == .created, "\(year.json)")
                let line = AssessmentTests.line(year.json, code: Self.psb)
                let rectification = AssessmentTests.indicator(line, "rectification_completion")
                let inputs = rectification?["inputs"] as? [String: Any] ?? [:]
                #expect(
                    (inputs["due"] as? Int ?? 0) >= 2 && (inputs["accepted_on_time"] as? Int ?? 0) >= 1,
                    "\(String(describing: rectification))")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSamplingPlanIsDrawnFromASeedFixedBeforeAndDrawingAgainGivesTheSameSample(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let authority = try await client.token("gd_reviewer")
                let bad = try await client.json(
                    .post, "/api/v1/supervision/samples", token: authority, body: #"{"name":"x","population":"people","size":0}"#)
                #expect(bad.status == .unprocessableContent && "\(bad.json)".contains("population") && "\(bad.json)".contains("size"))
                #expect(
                    (try await client.json(
                        .post, "/api/v1/supervision/samples", token: try await client.token("psb_reviewer"),
                        body: #"{"name":"x","population":"entries","size":3}"#)).status == .forbidden)
                let plan = try await client.json(
                    .post, "/api/v1/supervision/samples", token: authority, body: #"{"name":"目录抽查","population":"entries","size":3}"#)
                #expect(plan.status == .created, "\(plan.json)")
                let id = try #require(plan.json["id"] as? String)
                let seed = try #require(plan.json["seed"] as? String)
                // The seed follows from the plan and the audit head recorded before anything was drawn.
                let headSeq = try #require(plan.json["head_seq"] as? Int)
                let headHash = try #require(plan.json["head_hash"] as? String)
                let stored = try await env.platform.database.withConnection { db in
                    try await db.raw("SELECT hash FROM audit_events WHERE seq = \(bind: headSeq)").first()?.decode(
                        column: "hash", as: String.self)
                }
                #expect(stored == headHash)
                let notYet = try await client.json(.get, "/api/v1/supervision/samples/\(id)/verify", token: authority)
                #expect(notYet.json["valid"] as? Bool == false)

                // Another authority cannot draw it first (that would freeze the sample to its own departments).
                let byCity = try await client.json(
                    .post, "/api/v1/supervision/samples/\(id)/draw", token: try await client.token("gz_reviewer"))
                #expect(byCity.status == .forbidden && byCity.json["code"] as? String == "not_plan_authority", "\(byCity.json)")
                let drawn = try await client.json(.post, "/api/v1/supervision/samples/\(id)/draw", token: authority)
                let sample = drawn.json["sample"] as? [[String: Any]] ?? []
                #expect(sample.count == 3 && (drawn.json["population_count"] as? Int ?? 0) >= 3, "\(drawn.json)")
                #expect((try await client.json(.post, "/api/v1/supervision/samples/\(id)/draw", token: authority)).status == .conflict)
                let verified = try await client.json(.get, "/api/v1/supervision/samples/\(id)/verify", token: authority)
                #expect(verified.json["valid"] as? Bool == true, "\(verified.json)")
                // Drawing again by hand from the recorded seed and population gives the same objects.
                let recorded = try #require(try await env.platform.supervision.plan(id: id, by: .system("test")))
                let again = SamplingPlan.draw(
                    seedHex: seed, population: recorded.populationObjects, size: 3, sm3: env.platform.keyring.crypto.sm3)
                #expect(again.map(\.id) == sample.map { $0["id"] as? String ?? "" })

                // A changed population no longer reproduces the recorded sample.
                try await env.platform.database.transaction { db in
                    try await db.raw(
                        "UPDATE sampling_plans SET population_objects = '[]' WHERE id = \(bind: id)"
                    ).run()
                }
                #expect(
                    (try await client.json(.get, "/api/v1/supervision/samples/\(id)/verify", token: authority)).json["valid"] as? Bool
                        == false)

                // An inspector's problem opens a finding against the object's department.
                let object = try #require(sample.first?["id"] as? String)
                let outsider = try await client.json(
                    .post, "/api/v1/supervision/samples/\(id)/inspections", token: authority,
                    body: #"{"object_id":"not-sampled","ok":true}"#)
                #expect(outsider.status == .unprocessableContent)
                let noNote = try await client.json(
                    .post, "/api/v1/supervision/samples/\(id)/inspections", token: authority,
                    body: #"{"object_id":"\#(object)","ok":false}"#)
                #expect(noNote.status == .unprocessableContent)
                let problem = try await client.json(
                    .post, "/api/v1/supervision/samples/\(id)/inspections", token: authority,
                    body: #"{"object_id":"\#(object)","ok":false,"note":"数据项说明缺失"}"#)
                #expect(problem.status == .created, "\(problem.json)")
                let findings = try await client.json(.get, "/api/v1/supervision?rule=inspection", token: authority)
                #expect(Self.findings(findings.json).contains { $0["object_id"] as? String == object }, "\(findings.json)")
                _ = try await client.json(
                    .post, "/api/v1/supervision/samples/\(id)/inspections", token: authority, body: #"{"object_id":"\#(object)","ok":true}"#
                )
                let after = try await client.json(.get, "/api/v1/supervision?rule=inspection&status=open", token: authority)
                #expect(!Self.findings(after.json).contains { $0["object_id"] as? String == object }, "inspected again in order: resolved")
            }
        }
    }
}

import Foundation
import GovShareCore
import GovShareServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 15, item 2 (Art. 27): incidents with deadlines per level, escalation, handling log and closure; emergency plans
/// with versions; drills with follow-ups and reminders; scope per department; every write audited.
@Suite("Security operations: incidents, plans, drills (Art. 27)")
struct SecurityOperationsTests {
    /// Departments by credit code: 省公安厅, the data authority, the operations centre.
    static let psbCode = "114400000060952367"
    static let gdCode = "11440000MB3307905U"
    static let opsCode = "91440000MA0983675M"

    /// The demo departments' ids (UUIDv7, made when the demo is seeded).
    static func ids(_ env: TestEnvironment) async throws -> (psb: String, gd: String, ops: String) {
        func id(_ code: String) async throws -> String {
            try #require(try await env.platform.directory.department(code: code, by: nil)).id
        }
        return (try await id(psbCode), try await id(gdCode), try await id(opsCode))
    }

    static func audited(_ client: any TestClientProtocol, _ auditor: String, action: String, object: String) async throws -> Int {
        let r = try await client.json(.get, "/api/v1/audit/events?action=\(action)&object_id=\(object)", token: auditor)
        #expect(r.status == .ok, "\(r.json)")
        return (r.json["items"] as? [[String: Any]])?.count ?? 0
    }

    static func inbox(_ platform: Platform, department: String, subject: String) async throws -> Int {
        let actor = Principal(kind: .user, id: "t", name: "t", departmentId: department, roles: [.securityOfficer])
        return try await platform.applications.notifications(for: actor, unreadOnly: false).filter { $0.subjectId == subject }.count
    }

    @Test(arguments: TestDatabase.available)
    func incidentDeadlineEscalationScopeAndClosure(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(
            database, demoApplications: false, settings: ["incident_report_hours_serious": "3"], clock: clock
        ) { env in
            let (psb, gd, ops) = try await Self.ids(env)
            _ = (psb, gd, ops)
            try await env.test { client in
                let officer = try await client.token("psb_security")
                let authority = try await client.token("gd_security")
                let auditor = try await client.token("auditor")
                let other = try await client.token("hrss_user")
                let occurred = Timestamp.format(clock.now().addingTimeInterval(-3600))
                // Serious, occurred an hour ago, configured 3 h: due two hours from now, not late.
                let made = try await client.json(
                    .post, "/api/v1/security/incidents", token: officer,
                    body: #"{"level":"serious","title":"数据库异常访问","description":"夜间发现异常批量查询","occurred_at":"\#(occurred)"}"#)
                #expect(made.status == .created, "\(made.json)")
                let id = try #require(made.json["id"] as? String)
                let due = try #require(Timestamp.parse(made.json["report_due_at"] as? String ?? ""))
                let expected = try #require(Timestamp.parse(occurred)).addingTimeInterval(3 * 3600)
                #expect(abs(due.timeIntervalSince(expected)) < 1, "\(made.json)")
                #expect(made.json["reported_late"] as? Bool == false && made.json["department_id"] as? String == psb)

                // General level, occurred four days ago (72 h default): reported late.
                let old = Timestamp.format(clock.now().addingTimeInterval(-4 * 86_400))
                let late = try await client.json(
                    .post, "/api/v1/security/incidents", token: officer,
                    body: #"{"level":"general","title":"终端病毒","description":"办公终端感染病毒","occurred_at":"\#(old)"}"#)
                #expect(late.status == .created && late.json["reported_late"] as? Bool == true, "\(late.json)")
                let lateId = try #require(late.json["id"] as? String)

                // Escalation: the authority and (serious) the operations centre once each; general: authority only.
                #expect(try await Self.inbox(env.platform, department: gd, subject: id) == 1)
                #expect(try await Self.inbox(env.platform, department: ops, subject: id) == 1)
                #expect(try await Self.inbox(env.platform, department: gd, subject: lateId) == 1)
                #expect(try await Self.inbox(env.platform, department: ops, subject: lateId) == 0)

                // Scope: the authority's officer sees it, another department's user gets nothing (403 without the
                // policy), and nobody outside the scope can act on it.
                #expect(try await client.json(.get, "/api/v1/security/incidents/\(id)", token: authority).status == .ok)
                #expect(try await client.json(.get, "/api/v1/security/incidents/\(id)", token: other).status == .forbidden)
                #expect(
                    try await client.json(.post, "/api/v1/security/incidents/\(id)/close", token: other, body: "{}").status == .forbidden)

                // Log, then closing without a report is refused naming the fields; with one it closes.
                let logged = try await client.json(
                    .post, "/api/v1/security/incidents/\(id)/log", token: officer, body: #"{"note":"已隔离数据库账号","status":"handling"}"#)
                #expect(logged.status == .created, "\(logged.json)")
                let refused = try await client.json(
                    .post, "/api/v1/security/incidents/\(id)/close", token: officer, body: #"{"cause":"弱口令"}"#)
                #expect(refused.status == .unprocessableContent)
                let fields = fieldErrors(refused.json).map(\.field)
                #expect(fields.contains("impact") && fields.contains("measures") && !fields.contains("cause"), "\(refused.json)")
                let closed = try await client.json(
                    .post, "/api/v1/security/incidents/\(id)/close", token: authority,
                    body: #"{"cause":"弱口令","impact":"无数据外泄","measures":"启用双因素认证"}"#)
                #expect(closed.status == .ok && closed.json["status"] as? String == "closed", "\(closed.json)")
                let detail = try await client.json(.get, "/api/v1/security/incidents/\(id)", token: officer)
                let actions = (detail.json["log"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                #expect(actions == ["reported", "handling", "closed"], "\(detail.json)")
                #expect(
                    try await client.json(.post, "/api/v1/security/incidents/\(id)/log", token: officer, body: #"{"note":"x"}"#).status
                        == .conflict)
                // Escalation did not repeat on handling or closure.
                #expect(try await Self.inbox(env.platform, department: gd, subject: id) == 1)

                for action in ["security.incident.report", "security.incident.handle", "security.incident.close"] {
                    #expect(try await Self.audited(client, auditor, action: action, object: id) == 1, "\(action)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anotherDepartmentsOfficerCannotSeeOrActOnAnIncident(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let (psb, gd, ops) = try await Self.ids(env)
            _ = (psb, gd, ops)
            try await env.test { client in
                let authority = try await client.token("gd_security")
                let officer = try await client.token("psb_security")
                let now = Timestamp.format(Date())
                // The authority's officer reports an incident of its own department: 公安厅's officer cannot see it.
                let made = try await client.json(
                    .post, "/api/v1/security/incidents", token: authority,
                    body: #"{"level":"general","title":"门户篡改","description":"首页被篡改","occurred_at":"\#(now)"}"#)
                let id = try #require(made.json["id"] as? String, "\(made.json)")
                #expect(try await client.json(.get, "/api/v1/security/incidents/\(id)", token: officer).status == .notFound)
                #expect(
                    try await client.json(.post, "/api/v1/security/incidents/\(id)/log", token: officer, body: #"{"note":"x"}"#).status
                        == .notFound)
                let list = ExchangeTests.array(try await client.json(.get, "/api/v1/security/incidents", token: officer).response)
                #expect(!list.contains { $0["id"] as? String == id })
                // Reporting for another department is only for those who see all.
                let foreign = try await client.json(
                    .post, "/api/v1/security/incidents", token: officer,
                    body: #"{"department_id":"\#(gd)","level":"general","title":"x","description":"x","occurred_at":"\#(now)"}"#)
                #expect(foreign.status == .forbidden)
                // Named as affected, 公安厅's officer reads it but cannot act on it.
                let named = try await client.json(
                    .post, "/api/v1/security/incidents", token: authority,
                    body:
                        #"{"level":"general","title":"共享接口异常","description":"x","occurred_at":"\#(now)","affected_departments":["\#(psb)"]}"#
                )
                let namedId = try #require(named.json["id"] as? String, "\(named.json)")
                #expect(try await client.json(.get, "/api/v1/security/incidents/\(namedId)", token: officer).status == .ok)
                #expect(
                    try await client.json(.post, "/api/v1/security/incidents/\(namedId)/log", token: officer, body: #"{"note":"x"}"#)
                        .status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func planVersionsIncrementAndDrillRemindersAreSentOnce(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            let (psb, gd, ops) = try await Self.ids(env)
            _ = (psb, gd, ops)
            try await env.test { client in
                let officer = try await client.token("psb_security")
                let auditor = try await client.token("auditor")
                let body = #"{"title":"数据安全事件应急预案","body":"一、总则……","effective_on":"2026-01-01","approved_by":"厅长"}"#
                let plan = try await client.json(.post, "/api/v1/security/plans", token: officer, body: body)
                #expect(plan.status == .created && plan.json["current_version"] as? Int == 1, "\(plan.json)")
                let planId = try #require(plan.json["id"] as? String)
                let v2 = try await client.json(.post, "/api/v1/security/plans/\(planId)/versions", token: officer, body: body)
                #expect(v2.status == .created && v2.json["version"] as? Int == 2, "\(v2.json)")
                let full = try await client.json(.get, "/api/v1/security/plans/\(planId)", token: officer)
                #expect((full.json["versions"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [2, 1])
                #expect(try await Self.audited(client, auditor, action: "security.plan.revise", object: planId) == 1)

                // A drill 340 days ago (interval 365, reminder 30): due in 25 days → one "due soon" reminder.
                let held = CivilDate(instant: clock.now()).adding(days: -340).description
                let drill = try await client.json(
                    .post, "/api/v1/security/drills", token: officer,
                    body: """
                        {"held_on":"\(held)","scenario":"勒索病毒","plan_id":"\(planId)","participants":["张三","李四"],
                         "findings":"备份恢复慢","follow_ups":[{"description":"演练恢复流程","owner":"信息中心"}]}
                        """)
                #expect(drill.status == .created && drill.json["plan_version"] as? Int == 2, "\(drill.json)")
                let drillId = try #require(drill.json["id"] as? String)
                let followUp = try #require((drill.json["follow_ups"] as? [[String: Any]])?.first?["id"] as? String)
                let done = try await client.json(
                    .post, "/api/v1/security/drills/\(drillId)/follow-ups/\(followUp)/done", token: officer, body: "{}")
                #expect(done.status == .ok && (done.json["follow_ups"] as? [[String: Any]])?.first?["done"] as? Bool == true)
                #expect(
                    try await client.json(
                        .post, "/api/v1/security/drills/\(drillId)/follow-ups/\(followUp)/done", token: officer, body: "{}"
                    )
                    .status == .conflict)

                let system = Principal.system("test")
                let origin = RequestOrigin(requestId: "t", clientAddress: "test")
                let first = try await env.platform.security.sweepDrillReminders(by: system, origin: origin)
                let psbAfterFirst = try await Self.inbox(env.platform, department: psb, subject: psb)
                #expect(first >= 1 && psbAfterFirst == 1)
                _ = try await env.platform.security.sweepDrillReminders(by: system, origin: origin)
                #expect(try await Self.inbox(env.platform, department: psb, subject: psb) == 1)
                // 30 days later the drill is overdue: one more, once.
                clock.advance(by: 30 * 86_400)
                _ = try await env.platform.security.sweepDrillReminders(by: system, origin: origin)
                _ = try await env.platform.security.sweepDrillReminders(by: system, origin: origin)
                #expect(try await Self.inbox(env.platform, department: psb, subject: psb) == 2)
                // A month on, the morning's tokens have expired: sign in again.
                let officerNow = try await client.token("psb_security")
                let auditorNow = try await client.token("auditor")
                let due = ExchangeTests.array(try await client.json(.get, "/api/v1/security/drills/due", token: officerNow).response)
                #expect(due.map { $0["state"] as? String } == ["overdue"], "\(due)")
                #expect(try await Self.audited(client, auditorNow, action: "security.drill.reminder", object: psb) == 2)
            }
        }
    }
}

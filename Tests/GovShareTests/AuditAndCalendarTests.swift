import Foundation
import GovShareCore
import GovShareStore
import Testing

@Suite("Audit log")
struct AuditTests {
    @Test(arguments: TestDatabase.available)
    func tamperingWithOneEntryIsFoundAndNamed(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let intact = try await env.platform.storage.auditLog.verify()
            #expect(intact.ok)
            #expect(intact.checked > 10)
            // The retention triggers (migration 27) refuse this; an attacker who owns the schema drops them first.
            try await env.platform.database.transaction { db in
                try await AuditRetentionTests.removeGuard(on: db, kind: env.platform.database.kind)
                try await db.raw("UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 7").run()
            }
            let broken = try await env.platform.storage.auditLog.verify()
            #expect(!broken.ok)
            #expect(broken.firstBrokenSeq == 7)

            try await env.test { client in
                let auditor = try await client.token("auditor")
                let verify = try await client.json(.get, "/api/v1/audit/verify", token: auditor)
                #expect(verify.json["ok"] as? Bool == false)
                #expect(verify.json["first_broken_seq"] as? Int == 7)
                let denied = try await client.json(.get, "/api/v1/audit/verify", token: try await client.token("hrss_user"))
                #expect(denied.status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func deletedEntriesAreFound(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            // The retention triggers (migration 27) refuse this; an attacker who owns the schema drops them first.
            try await env.platform.database.transaction { db in
                try await AuditRetentionTests.removeGuard(on: db, kind: env.platform.database.kind)
                try await db.raw("DELETE FROM audit_events WHERE seq = 3").run()
            }
            let result = try await env.platform.storage.auditLog.verify()
            #expect(result.firstBrokenSeq == 3)
            #expect(result.reason?.contains("missing") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anActionFailsWhenItsAuditEntryCannotBeWritten(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.platform.database.transaction { db in
                try await db.raw("DROP TABLE audit_head").run()
            }
            try await env.test { client in
                let attempt = try await client.json(
                    .post, "/api/v1/auth/token", body: #"{"username":"admin","password":"\#(demoPassword)"}"#)
                #expect(attempt.status.code >= 500)
                #expect(attempt.json["access_token"] == nil)
            }
        }
    }
}

@Suite("Calendar service")
struct CalendarServiceTests {
    @Test(arguments: TestDatabase.available)
    func dueDatesThroughTheAPI(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("hrss_user")
                let due = try await client.json(.get, "/api/v1/calendar/due?from=2026-02-21&working_days=10", token: token)
                #expect(due.json["due"] as? String == "2026-03-06")
                #expect(due.json["provisional"] as? Bool == false)
                let provisional = try await client.json(.get, "/api/v1/calendar/due?from=2026-12-28&working_days=10", token: token)
                #expect(provisional.json["provisional"] as? Bool == true)
                let bad = try await client.json(.get, "/api/v1/calendar/due?from=2026-13-01&working_days=ten", token: token)
                #expect(Set(fieldErrors(bad.json).map(\.field)) == ["from", "working_days"])
                let early = try await client.json(.get, "/api/v1/calendar/due?from=2003-05-01&working_days=10", token: token)
                #expect(early.status == .unprocessableContent)
                let farFuture = try await client.json(.get, "/api/v1/calendar/due?from=9999-12-31&working_days=3650", token: token)
                #expect(fieldErrors(farFuture.json).first?.rule == "calendar_range")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func importingANewYearRecomputesOpenProvisionalDeadlines(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let actor = Principal.system("test")
            let deadline = try await env.platform.calendar.startDeadline(
                subjectType: "application", subjectId: "a-1", receivedOn: CivilDate("2026-12-28")!, workingDays: 10,
                by: actor, origin: .commandLine())
            #expect(deadline.dueOn.description == "2027-01-11")
            #expect(deadline.provisional)
            let settled = try await env.platform.calendar.startDeadline(
                subjectType: "application", subjectId: "a-2", receivedOn: CivilDate("2026-03-02")!, workingDays: 10,
                by: actor, origin: .commandLine())

            // A 2027 calendar with a long New Year break (a test fixture, not the official one).
            let csv = """
                date,kind,name_zh,name_en
                2027-01-01,holiday,元旦,New Year's Day
                2027-01-04,holiday,元旦,New Year's Day
                2027-01-05,holiday,元旦,New Year's Day
                2027-01-09,workday,元旦,New Year's Day
                """
            try await env.test { client in
                let admin = try await client.token("admin")
                let imported = try await client.json(
                    .post, "/api/v1/calendar/import", token: admin, body: csv,
                    headers: [.contentType: "text/csv"])
                #expect(imported.status == .ok)
                #expect(imported.json["years"] as? [Int] == [2027])
                #expect(imported.json["deadlines_recomputed"] as? Int == 1)
                let denied = try await client.json(.post, "/api/v1/calendar/import", token: try await client.token("hrss_user"), body: csv)
                #expect(denied.status == .forbidden)
            }
            let updated = try #require(try await env.platform.storage.deadlines.find(id: deadline.id))
            // Dec 29-31 (3), Jan 6-8 (6), Sat Jan 9 worked (7), Jan 11-13 (10).
            #expect(updated.dueOn.description == "2027-01-13")
            #expect(!updated.provisional)
            #expect(try await env.platform.storage.deadlines.find(id: settled.id) == settled)

            // A notice that begins in the previous December (as 2019's did) merges those days and keeps that year's
            // holidays: importing it must not wipe 2026's Spring Festival.
            let spill =
                "date,kind,name_zh,name_en\n2026-12-31,holiday,元旦,New Year's Day\n2027-01-01,holiday,元旦,New Year's Day\n"
                + "2027-02-08,holiday,春节,Spring Festival\n"
            let calendar = try await env.platform.calendar.importCSV(spill, by: actor, origin: .commandLine())
            #expect(calendar.years == [2027])
            let days = try await env.platform.calendar.calendar()
            #expect(!days.isWorkingDay(CivilDate("2026-02-17")!), "2026's Spring Festival must survive")
            #expect(!days.isWorkingDay(CivilDate("2026-12-31")!))
            let due = try await env.platform.calendar.dueDate(receivedOn: CivilDate("2026-12-28")!, workingDays: 10)
            #expect(due == DueDate(date: CivilDate("2027-01-13")!, provisional: false))
        }
    }
}

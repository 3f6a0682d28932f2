import Foundation
import GovShareCore
import Testing

@Suite("Identifiers and codes")
struct CodeTests {
    @Test func creditCodeCheckCharacter() {
        // The standard's published example.
        #expect(CreditCode.isValid("91350100M000100Y43"))
        #expect(CreditCode.problem(in: "91350100M000100Y44") == .checkCharacter)
        #expect(CreditCode.problem(in: "91350100M000100Y4") == .length)
        #expect(CreditCode.problem(in: "91350100M000100YI3") == .character)
    }

    @Test func divisionCodeLevels() {
        #expect(Region.levelOf(code: "440000") == .province)
        #expect(Region.levelOf(code: "440100") == .city)
        #expect(Region.levelOf(code: "440106") == .county)
        #expect(Region.levelOf(code: "44010") == nil)
        #expect(Region.parentCode(of: "440106") == "440100")
    }

    @Test func identifiersAreTimeOrderedVersion7() {
        let a = Identifier.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        let b = Identifier.make(at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(a < b)
        #expect(Array(a)[14] == "7")
        #expect(Identifier.isValid(a))
    }
}

@Suite("Working-day calendar")
struct CalendarRuleTests {
    static let calendar: WorkingDayCalendar = {
        let parsed = try! CalendarCSV.bundled()
        return WorkingDayCalendar(days: parsed.days, years: parsed.years)
    }()

    @Test func civilDateArithmetic() throws {
        let date = try #require(CivilDate("2026-02-21"))
        #expect(date.isoWeekday == 6)
        #expect(date.adding(days: 10).description == "2026-03-03")
        #expect(CivilDate("2026-02-30") == nil)
        #expect(CivilDate(instant: Date(timeIntervalSince1970: 1_767_196_800)).description == "2026-01-01")  // 2025-12-31T16:00Z
    }

    @Test(arguments: [
        ("2026-02-21", 10, "2026-03-06"),  // received on a Spring Festival holiday
        ("2026-02-13", 10, "2026-03-05"),  // the holiday week is skipped
        ("2026-09-18", 15, "2026-10-15"),  // National Day week skipped, 2026-09-20 (Sun) and 10-10 (Sat) worked
        ("2025-12-31", 1, "2026-01-04"),  // New Year holiday 1-3 January, Sunday 4 January worked
    ])
    func dueDates(from: String, days: Int, expected: String) throws {
        let due = try Self.calendar.dueDate(receivedOn: try #require(CivilDate(from)), workingDays: days)
        #expect(due.date.description == expected)
        #expect(!due.provisional)
    }

    @Test func runningIntoAnUnloadedYearIsProvisional() throws {
        let due = try Self.calendar.dueDate(receivedOn: try #require(CivilDate("2026-12-28")), workingDays: 10)
        #expect(due.date.description == "2027-01-11")
        #expect(due.provisional)
    }

    @Test func datesBeforeTheFirstLoadedYearAreRefused() throws {
        #expect(throws: DomainError.self) {
            try Self.calendar.dueDate(receivedOn: CivilDate("2003-06-02")!, workingDays: 10)
        }
    }

    @Test func malformedCalendarLinesAreReportedByLine() {
        do {
            _ = try CalendarCSV.parse(
                "date,kind,name_zh,name_en\n2027-01-01,holiday,元旦,New Year\n2027-13-01,holiday,x,y\n2027-01-02,vacation,x,y\n")
            Issue.record("expected a validation error")
        } catch let error as DomainError {
            #expect(error.problems.map(\.field) == ["line 3", "line 4"])
        } catch { Issue.record("unexpected \(error)") }
    }
}

@Suite("Configuration")
struct ConfigTests {
    @Test func flagsOverrideEnvironmentOverrideFile() throws {
        let config = try GovShareConfig.load(
            flags: ["port": "9000"],
            environment: ["GOVSHARE_PORT": "8500", "GOVSHARE_NODE_ID": "gz-city"],
            file: ["port": "7000", "node_id": "sz-city", "host": "0.0.0.0"])
        #expect(config.port == 9000)
        #expect(config.nodeId == "gz-city")
        #expect(config.host == "0.0.0.0")
        #expect(config.rules.applicationReplyWorkingDays == 10)
        #expect(config.rules.catalogUpdateWorkingDays == 15)
    }

    @Test func everyProblemIsListedAtOnce() {
        do {
            _ = try GovShareConfig.load(
                flags: ["mode": "production", "port": "99999"],
                environment: ["GOVSHARE_DATABASE_URL": "mysql://x"], file: ["colour": "red"])
            Issue.record("expected a configuration error")
        } catch let error as ConfigError {
            let text = error.description
            #expect(text.contains("port"))
            #expect(text.contains("database_url"))
            #expect(text.contains("token_secret"))
            #expect(text.contains("colour"))
        } catch { Issue.record("unexpected \(error)") }
    }
}

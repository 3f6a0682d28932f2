import Foundation

/// One official exception to the Monday–Friday rule: a holiday, or a weekend day that is worked (调休).
public struct CalendarDay: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case holiday, workday }
    public let date: CivilDate
    public let kind: Kind
    public let nameZh: String
    public let nameEn: String
    public init(date: CivilDate, kind: Kind, nameZh: String, nameEn: String) {
        self.date = date; self.kind = kind; self.nameZh = nameZh; self.nameEn = nameEn
    }
}

/// A due date and whether it rests on a year whose official calendar is not loaded yet.
public struct DueDate: Sendable, Equatable, Codable {
    public let date: CivilDate
    public let provisional: Bool
    public init(date: CivilDate, provisional: Bool) { self.date = date; self.provisional = provisional }
}

/// The PRC working-day calendar: the State Council's holidays and adjusted working days for the years loaded,
/// the Monday–Friday rule for years not yet announced (results then marked provisional).
public struct WorkingDayCalendar: Sendable {
    public let years: Set<Int>
    private let exceptions: [Int: CalendarDay.Kind]

    public init(days: [CalendarDay], years: Set<Int>) {
        self.years = years
        var map: [Int: CalendarDay.Kind] = [:]
        for day in days { map[day.date.dayNumber] = day.kind }
        exceptions = map
    }

    public var firstYear: Int? { years.min() }
    public var lastYear: Int? { years.max() }

    public func isLoaded(year: Int) -> Bool { years.contains(year) }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        switch exceptions[date.dayNumber] {
        case .holiday?: false
        case .workday?: true
        case nil: date.isoWeekday <= 5
        }
    }

    /// The N-th working day after the day of receipt, whatever kind of day that is.
    public func dueDate(receivedOn received: CivilDate, workingDays: Int) throws -> DueDate {
        guard let first = firstYear, received.year >= first else {
            throw DomainError.invalid(
                field: "from", rule: "calendar_range",
                zh: "日期早于已载入的工作日历（最早 \(firstYear.map(String.init) ?? "无") 年）",
                en: "The date is before the first loaded calendar year (\(firstYear.map(String.init) ?? "none"))")
        }
        guard received.year < 3000 else {
            throw DomainError.invalid(
                field: "from", rule: "calendar_range", zh: "日期应早于 3000 年", en: "The date must be before the year 3000")
        }
        guard workingDays >= 1, workingDays <= 3650 else {
            throw DomainError.invalid(
                field: "working_days", rule: "range", zh: "工作日数应在 1 到 3650 之间",
                en: "working_days must be between 1 and 3650")
        }
        var day = received
        var counted = 0
        var provisional = !isLoaded(year: received.year)
        while counted < workingDays {
            day = day.adding(days: 1)
            if !isLoaded(year: day.year) { provisional = true }
            if isWorkingDay(day) { counted += 1 }
        }
        return DueDate(date: day, provisional: provisional)
    }

    /// Working days from the day after `start` up to and including `end` (0 when end is not after start).
    public func workingDays(after start: CivilDate, through end: CivilDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}

/// Reads the calendar CSV layout shipped with the project: `date,kind,name_zh,name_en`, `#` comments.
public enum CalendarCSV {
    public struct Parsed: Sendable {
        public let days: [CalendarDay]
        public let years: Set<Int>
        public init(days: [CalendarDay], years: Set<Int>) { self.days = days; self.years = years }
    }

    public static func parse(_ text: String) throws -> Parsed {
        var days: [CalendarDay] = []
        var problems: [FieldProblem] = []
        var sawHeader = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if !sawHeader && columns.first == "date" { sawHeader = true; continue }
            let lineNumber = index + 1
            guard columns.count >= 2, let date = CivilDate(columns[0]) else {
                problems.append(
                    FieldProblem(
                        field: "line \(lineNumber)", rule: "date",
                        message: LocalizedText(
                            zh: "第 \(lineNumber) 行：日期应为 YYYY-MM-DD",
                            en: "line \(lineNumber): date must be YYYY-MM-DD")))
                continue
            }
            guard let kind = CalendarDay.Kind(rawValue: columns[1]) else {
                problems.append(
                    FieldProblem(
                        field: "line \(lineNumber)", rule: "kind",
                        message: LocalizedText(
                            zh: "第 \(lineNumber) 行：类型应为 holiday 或 workday",
                            en: "line \(lineNumber): kind must be holiday or workday")))
                continue
            }
            let names = (zh: columns.count > 2 ? columns[2] : "", en: columns.count > 3 ? columns[3] : "")
            if InputLimits.exceeds(names.zh, InputLimits.holidayName) || InputLimits.exceeds(names.en, InputLimits.holidayName) {
                problems.append(
                    FieldProblem(
                        field: "line \(lineNumber)", rule: "max_length",
                        message: LocalizedText(
                            zh: "第 \(lineNumber) 行：名称不能超过 \(InputLimits.holidayName) 个字符",
                            en: "line \(lineNumber): names are at most \(InputLimits.holidayName) characters")))
                continue
            }
            days.append(CalendarDay(date: date, kind: kind, nameZh: names.zh, nameEn: names.en))
        }
        if !problems.isEmpty { throw DomainError.validation(problems) }
        if days.isEmpty {
            throw DomainError.invalid(field: "file", rule: "empty", zh: "日历文件没有任何日期", en: "The calendar file has no dates")
        }
        // A year's notice also fixes days of its neighbours (2019's begins with 2018-12-29 … 12-31): days of a year
        // that are all in December before a year the file has (or all in January after one) are merged day by day;
        // every other year in the file is replaced whole.
        let byYear = Dictionary(grouping: days.map(\.date)) { $0.year }
        let spilled = Set(
            byYear.compactMap { year, dates -> Int? in
                let months = Set(dates.map(\.components.month))
                return (months == [12] && byYear[year + 1] != nil) || (months == [1] && byYear[year - 1] != nil) ? year : nil
            })
        return Parsed(days: days, years: Set(byYear.keys).subtracting(spilled))
    }

    /// The official calendar 2004–2026 shipped inside the binary.
    public static func bundled() throws -> Parsed {
        guard let url = Bundle.module.url(forResource: "cn-workdays", withExtension: "csv") else {
            throw DomainError(
                .unavailable, code: "calendar_missing",
                message: LocalizedText(zh: "缺少内置工作日历", en: "The bundled calendar is missing"))
        }
        return try parse(String(contentsOf: url, encoding: .utf8))
    }
}

import GovShareCore
import Hummingbird

struct CalendarInfoDTO: Codable, Sendable {
    let years: [Int]
    let firstYear: Int?
    let lastYear: Int?
    enum CodingKeys: String, CodingKey { case years; case firstYear = "first_year", lastYear = "last_year" }
}

struct DueDateDTO: Codable, Sendable {
    let from: String
    let workingDays: Int
    let due: String
    let provisional: Bool
    enum CodingKeys: String, CodingKey { case from, due, provisional; case workingDays = "working_days" }
}

struct CalendarImportDTO: Codable, Sendable {
    let years: [Int]
    let deadlinesRecomputed: Int
    enum CodingKeys: String, CodingKey { case years; case deadlinesRecomputed = "deadlines_recomputed" }
}

/// The official working-day calendar: what is loaded, due dates, and importing a newly announced year.
struct CalendarController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("calendar", use: info)
        group.get("calendar/due", use: due)
        group.post("calendar/import", use: importYear)
    }

    @Sendable func info(request: Request, context: AppRequestContext) async throws -> JSONResponse<CalendarInfoDTO> {
        _ = try context.require(.readDirectory)
        let calendar = try await platform.calendar.calendar()
        return JSONResponse(CalendarInfoDTO(years: calendar.years.sorted(), firstYear: calendar.firstYear, lastYear: calendar.lastYear))
    }

    @Sendable func due(request: Request, context: AppRequestContext) async throws -> JSONResponse<DueDateDTO> {
        _ = try context.require(.readDirectory)
        let query = request.uri.queryParameters
        var v = Validator()
        let from = query["from"].flatMap { CivilDate(String($0)) }
        if from == nil { v.fail("from", "date", zh: "from 应为 YYYY-MM-DD 格式的日期", en: "from must be a date YYYY-MM-DD") }
        let days = query["working_days"].flatMap { Int(String($0)) }
        if days == nil { v.fail("working_days", "integer", zh: "working_days 应为整数", en: "working_days must be an integer") }
        try v.check()
        let result = try await platform.calendar.dueDate(receivedOn: from!, workingDays: days!)
        return JSONResponse(
            DueDateDTO(
                from: from!.description, workingDays: days!, due: result.date.description,
                provisional: result.provisional))
    }

    /// Body: the CSV itself (`text/csv`), in the shipped layout.
    @Sendable func importYear(request: Request, context: AppRequestContext) async throws -> JSONResponse<CalendarImportDTO> {
        let actor = try context.require(.manageCalendar)
        let buffer = try await request.body.collect(upTo: ParserLimits.uploadBytes)
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw DomainError.invalid(field: "body", rule: "utf8", zh: "日历文件应为 UTF-8 编码", en: "The calendar file must be UTF-8")
        }
        if text.contains("\u{0}") { throw InputSanity.nul(field: "body") }
        let result = try await platform.calendar.importCSV(text, by: actor, origin: context.origin)
        return JSONResponse(CalendarImportDTO(years: result.years, deadlinesRecomputed: result.recomputed.count))
    }
}

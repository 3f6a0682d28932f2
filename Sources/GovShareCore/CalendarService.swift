import Foundation

/// The working-day calendar in force, cached and reloaded when another process (the CLI) imports a year.
public actor CalendarService {
    let repository: any CalendarRepository
    let deadlines: any DeadlineRepository
    let clock: any WallClock
    let nodeId: String
    let reloadInterval: TimeInterval
    private var cached: WorkingDayCalendar?
    private var loadedAt = Date.distantPast

    public init(
        repository: any CalendarRepository, deadlines: any DeadlineRepository, clock: any WallClock,
        nodeId: String, reloadInterval: TimeInterval = 30
    ) {
        self.repository = repository; self.deadlines = deadlines; self.clock = clock; self.nodeId = nodeId
        self.reloadInterval = reloadInterval
    }

    public func calendar() async throws -> WorkingDayCalendar {
        let now = Date()
        if let cached, now.timeIntervalSince(loadedAt) < reloadInterval { return cached }
        let parsed = try await repository.load()
        let calendar = WorkingDayCalendar(days: parsed?.days ?? [], years: parsed?.years ?? [])
        cached = calendar
        loadedAt = now
        return calendar
    }

    public func dueDate(receivedOn date: CivilDate, workingDays: Int) async throws -> DueDate {
        try await calendar().dueDate(receivedOn: date, workingDays: workingDays)
    }

    /// Loads the years in the file (replacing those years if present) and recomputes open provisional deadlines.
    public func importCSV(_ text: String, by actor: Principal, origin: RequestOrigin) async throws -> (years: [Int], recomputed: [Deadline])
    {
        try Policy.manageCalendar.check(actor)
        let parsed = try CalendarCSV.parse(text)
        let changed = try await repository.importYears(
            parsed,
            recompute: { calendar in
                { deadline in
                    guard let due = try? calendar.dueDate(receivedOn: deadline.receivedOn, workingDays: deadline.workingDays) else {
                        return deadline
                    }
                    var updated = deadline
                    updated.dueOn = due.date
                    updated.provisional = due.provisional
                    return updated
                }
            },
            audit: AuditRecord(
                actor: actor, action: "calendar.import", objectType: "calendar",
                objectId: parsed.years.sorted().map(String.init).joined(separator: ","), origin: origin))
        cached = nil
        return (parsed.years.sorted(), changed)
    }

    /// Starts a working-day clock for a subject (an application, a catalog update obligation …).
    public func startDeadline(
        subjectType: String, subjectId: String, receivedOn: CivilDate, workingDays: Int,
        by actor: Principal, origin: RequestOrigin
    ) async throws -> Deadline {
        let due = try await dueDate(receivedOn: receivedOn, workingDays: workingDays)
        let deadline = Deadline(
            id: Identifier.make(at: clock.now()), subjectType: subjectType, subjectId: subjectId,
            receivedOn: receivedOn, workingDays: workingDays, dueOn: due.date,
            provisional: due.provisional, status: .open, nodeId: nodeId)
        try await deadlines.insert(
            deadline,
            audit: AuditRecord(
                actor: actor, action: "deadline.start", objectType: subjectType, objectId: subjectId,
                after: AuditJSON.encode(deadline), origin: origin))
        return deadline
    }
}

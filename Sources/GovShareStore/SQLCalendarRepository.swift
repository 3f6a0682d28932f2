import GovShareCore
import SQLKit

public struct SQLCalendarRepository: CalendarRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func load() async throws -> CalendarCSV.Parsed? {
        try await context.database.withConnection { db in
            let years = try await db.select().column("year").from("calendar_years").all().map { try $0.int("year") }
            guard !years.isEmpty else { return nil }
            let days = try await db.select().column("*").from("calendar_days").orderBy("day").all().compactMap { row -> CalendarDay? in
                guard let date = CivilDate(try row.string("day")),
                    let kind = CalendarDay.Kind(rawValue: try row.string("kind"))
                else { return nil }
                return CalendarDay(date: date, kind: kind, nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"))
            }
            return CalendarCSV.Parsed(days: days, years: Set(years))
        }
    }

    public func importYears(
        _ parsed: CalendarCSV.Parsed,
        recompute: @Sendable (WorkingDayCalendar) -> @Sendable (Deadline) -> Deadline,
        audit: AuditRecord
    ) async throws -> [Deadline] {
        let context = self.context
        let current = try await load()
        // The merged calendar the recomputation uses: imported years replace what was there for those years.
        let imported = Set(parsed.days.map(\.date))
        let keptDays = (current?.days ?? []).filter { !parsed.years.contains($0.date.year) && !imported.contains($0.date) }
        let merged = WorkingDayCalendar(days: keptDays + parsed.days, years: (current?.years ?? []).union(parsed.years))
        let update = recompute(merged)
        return try await context.database.transaction { db in
            for year in parsed.years {
                try await db.delete(from: "calendar_days")
                    .where("day", .greaterThanOrEqual, "\(year)-01-01").where("day", .lessThanOrEqual, "\(year)-12-31").run()
                try await db.delete(from: "calendar_years").where("year", .equal, year).run()
                try await db.insert(into: "calendar_years").columns("year", "source", "imported_at")
                    .values(SQLBind(year), SQLBind("import"), SQLBind(context.now)).run()
            }
            for day in parsed.days {
                try await db.delete(from: "calendar_days").where("day", .equal, day.date.description).run()
                try await db.insert(into: "calendar_days").columns("day", "kind", "name_zh", "name_en")
                    .values(SQLBind(day.date.description), SQLBind(day.kind.rawValue), SQLBind(day.nameZh), SQLBind(day.nameEn))
                    .run()
            }
            var changed: [Deadline] = []
            let open = try await db.select().column("*").from("deadlines")
                .where("status", .equal, Deadline.Status.open.rawValue).all()
            for row in open {
                let before = try SQLDeadlineRepository.deadline(from: row)
                // Provisional deadlines, and any whose clock runs through a changed year (a corrected notice).
                let touched = imported.contains { $0 >= before.receivedOn && $0 <= max(before.dueOn, before.receivedOn) }
                guard before.provisional || touched || parsed.years.contains(before.receivedOn.year) else { continue }
                let after = update(before)
                guard after != before else { continue }
                try await db.update("deadlines").set("due_on", to: after.dueOn.description)
                    .set("provisional", to: after.provisional).set("updated_at", to: context.now)
                    .where("id", .equal, after.id).run()
                changed.append(after)
            }
            var record = audit
            record.detail =
                "years=\(parsed.years.sorted().map(String.init).joined(separator: ",")); days=\(parsed.days.count); deadlines_recomputed=\(changed.count)"
            _ = try await AuditChain.append(record, context: context, on: db)
            return changed
        }
    }
}

public struct SQLDeadlineRepository: DeadlineRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insert(_ deadline: Deadline, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await Self.insert(deadline, context: context, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    /// Inside the caller's transaction, so a deadline starts together with what it times.
    static func insert(_ deadline: Deadline, context: StoreContext, on db: any SQLDatabase) async throws {
        try await db.insert(into: "deadlines")
            .columns(
                "id", "subject_type", "subject_id", "received_on", "working_days", "due_on", "provisional",
                "status", "node_id", "created_at", "updated_at"
            )
            .values(
                SQLBind(deadline.id), SQLBind(deadline.subjectType), SQLBind(deadline.subjectId),
                SQLBind(deadline.receivedOn.description), SQLBind(deadline.workingDays),
                SQLBind(deadline.dueOn.description), SQLBind(deadline.provisional),
                SQLBind(deadline.status.rawValue), SQLBind(deadline.nodeId), SQLBind(context.now), SQLBind(context.now)
            )
            .run()
    }

    public func find(id: String) async throws -> Deadline? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("deadlines").where("id", .equal, id).first().map(Self.deadline(from:))
        }
    }

    public func open() async throws -> [Deadline] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("deadlines").where("status", .equal, Deadline.Status.open.rawValue)
                .orderBy("due_on").all().map(Self.deadline(from:))
        }
    }

    static func deadline(from row: any SQLRow) throws -> Deadline {
        guard let received = CivilDate(try row.string("received_on")), let due = CivilDate(try row.string("due_on")) else {
            throw DomainError(
                .unavailable, code: "corrupt_deadline",
                message: LocalizedText(zh: "期限记录日期格式错误", en: "A deadline record has a malformed date"))
        }
        return Deadline(
            id: try row.string("id"), subjectType: try row.string("subject_type"),
            subjectId: try row.string("subject_id"), receivedOn: received,
            workingDays: try row.int("working_days"), dueOn: due,
            provisional: try row.decode(column: "provisional", as: Bool.self),
            status: Deadline.Status(rawValue: try row.string("status")) ?? .open,
            nodeId: try row.string("node_id"))
    }
}

import Foundation

/// Art. 9: after a law is revised or a function changes, the affected department updates its catalog within
/// 15 working days (configurable). An obligation concerns one entry of that department — named when it is recorded or
/// linked later (the entry filed for a new function) — and closes only when that entry is published; publishing some
/// other entry answers nothing. The department is reminded before the due date and its reviewing authority told once
/// it is overdue (`sweep`, CatalogObligations+Sweep.swift).
public struct CatalogObligationService: Sendable {
    let repository: any CatalogRepository
    let departments: any DepartmentRepository
    let calendar: CalendarService
    let clock: any WallClock
    let workingDays: Int
    /// Reminders go out this many working days before the due date (`rules.catalogReminderWorkingDays`).
    let reminderWorkingDays: Int

    public init(
        repository: any CatalogRepository, departments: any DepartmentRepository, calendar: CalendarService,
        clock: any WallClock, workingDays: Int, reminderWorkingDays: Int = RegulationRules().catalogReminderWorkingDays
    ) {
        self.repository = repository; self.departments = departments; self.calendar = calendar; self.clock = clock
        self.workingDays = workingDays; self.reminderWorkingDays = reminderWorkingDays
    }

    var now: String { Timestamp.format(clock.now()) }
    var today: CivilDate { CivilDate(instant: clock.now()) }

    public func record(
        trigger: String?, date: String?, reference: String?, departmentCode: String?, entryCode: String? = nil,
        by actor: Principal, origin: RequestOrigin
    ) async throws -> CatalogObligation {
        try Self.requireRole(actor)
        var v = Validator()
        let kind = trigger.flatMap(CatalogObligation.Trigger.init(rawValue:))
        if kind == nil {
            v.fail(
                "trigger", "enum", zh: "trigger 应为 law_revised 或 function_changed", en: "trigger must be law_revised or function_changed")
        }
        let day = date.flatMap(CivilDate.init)
        if day == nil { v.fail("date", "date", zh: "date 应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD") }
        v.require(reference, field: "reference", maxLength: 500)
        v.require(departmentCode, field: "department_code", maxLength: 18)
        v.limit(entryCode, field: "entry_code", maxLength: InputLimits.entryCode)
        try v.check()
        let department = try await departments.require(code: departmentCode!, field: "department_code")
        try await requireMaySet(actor, on: department)
        let entry = try await entry(code: entryCode, of: department)
        let due = try await calendar.dueDate(receivedOn: day!, workingDays: workingDays)
        let obligation = CatalogObligation(
            id: Identifier.make(at: clock.now()), trigger: kind!, triggerDate: day!,
            reference: reference!, departmentId: department.id, workingDays: workingDays, dueOn: due.date,
            provisional: due.provisional, status: .open, metByEntryId: nil,
            createdAt: now, entryId: entry?.id)
        try await repository.insertObligation(
            obligation,
            audit: AuditRecord(
                actor: actor, action: "catalog.obligation", objectType: "department", objectId: department.id,
                after: AuditJSON.encode(obligation), origin: origin))
        return obligation
    }

    /// Names the entry an open obligation concerns (or replaces a wrong one), e.g. the entry filed for a new function.
    /// The same people who may record it may link it; the entry must be the department's own.
    public func link(obligationId: String, entryCode: String?, by actor: Principal, origin: RequestOrigin) async throws -> CatalogObligation
    {
        try Self.requireRole(actor)
        guard var obligation = try await repository.obligation(id: obligationId) else {
            throw DomainError.notFound("Catalog obligation", zh: "目录更新义务")
        }
        guard let department = try await departments.find(id: obligation.departmentId) else {
            throw DomainError.notFound("Department", zh: "部门")
        }
        try await requireMaySet(actor, on: department)
        var v = Validator()
        v.require(entryCode, field: "entry_code", maxLength: InputLimits.entryCode)
        try v.check()
        guard obligation.status == .open else {
            throw DomainError.conflict(
                code: "obligation_closed", zh: "该目录更新义务已办结，不能再关联目录",
                en: "The obligation is no longer open; it cannot be linked")
        }
        let entry = try await entry(code: entryCode, of: department)!
        let before = AuditJSON.encode(obligation)
        obligation.entryId = entry.id
        guard
            try await repository.linkObligation(
                id: obligation.id, entryId: entry.id,
                audit: AuditRecord(
                    actor: actor, action: "catalog.obligation.link", objectType: "catalog_obligation", objectId: obligation.id,
                    before: before, after: AuditJSON.encode(obligation), detail: "entry \(entry.code)", origin: origin))
        else {
            throw DomainError.conflict(
                code: "obligation_closed", zh: "该目录更新义务已办结，不能再关联目录",
                en: "The obligation is no longer open; it cannot be linked")
        }
        return obligation
    }

    /// Obligations are supervision data (Art. 30): every signed-in role may list them.
    public func list(departmentIds: [String]?, openOnly: Bool) async throws -> [CatalogObligation] {
        try await repository.obligations(departmentIds: departmentIds, openOnly: openOnly)
    }

    /// The entries the obligations concern, by id (lists show their codes).
    public func linkedEntries(of obligations: [CatalogObligation]) async throws -> [String: CatalogEntry] {
        var entries: [String: CatalogEntry] = [:]
        for id in Set(obligations.compactMap(\.entryId)) {
            if let entry = try await repository.entry(id: id) { entries[id] = entry }
        }
        return entries
    }

    /// Whether the actor may link this obligation (the portal shows the form only then; `link` decides).
    public func mayLink(_ actor: Principal, _ obligation: CatalogObligation) async throws -> Bool {
        guard obligation.status == .open, (try? Self.requireRole(actor)) != nil,
            let department = try await departments.find(id: obligation.departmentId)
        else { return false }
        return (try? await requireMaySet(actor, on: department)) != nil
    }

    static func requireRole(_ actor: Principal) throws {
        try Policy.manageCatalogObligations.check(actor)  // the platform itself holds every role
    }

    /// The department's entry with this resource code (either `/` or `-` between its parts, as in paths), or a
    /// validation error naming `entry_code`: an obligation only ever concerns its own department's catalog.
    func entry(code: String?, of department: Department) async throws -> CatalogEntry? {
        guard let code, !code.isEmpty else { return nil }
        guard let entry = try await repository.entry(code: code.replacingOccurrences(of: "-", with: "/")) else {
            throw DomainError.invalid(field: "entry_code", rule: "exists", zh: "目录代码 \(code) 不存在", en: "No catalog entry has code \(code)")
        }
        guard entry.providerId == department.id else {
            throw DomainError.invalid(
                field: "entry_code", rule: "department_entry",
                zh: "只能关联该部门自己的目录（第九条：各部门更新本部门目录）",
                en: "An obligation concerns one of that department's own entries (Art. 9)")
        }
        try entry.requireLocal()  // a copy from another node is updated there, never here
        return entry
    }

    /// A department records its own obligation (its catalogers); a data authority sets them on the departments whose
    /// catalog it reviews (the province's on provincial departments, a city's on its city and the counties without
    /// their own authority, a county's on its county), never on another authority's; administrators anywhere.
    func requireMaySet(_ actor: Principal, on department: Department) async throws {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) { return }
        if Policy.editCatalog.allows(actor), actor.departmentId == department.id { return }
        if Policy.reviewCatalog.allows(actor), try await departments.reviewingAuthority(for: department)?.id == actor.departmentId {
            return
        }
        throw DomainError(
            .forbidden, code: "not_reviewing_authority",
            message: LocalizedText(
                zh: "只能为本部门或本主管部门负责的部门登记目录更新义务", en: "Obligations are set on one's own department or on those one's authority reviews"))
    }
}

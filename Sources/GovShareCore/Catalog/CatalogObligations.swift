import Foundation

/// Art. 9: after a law is revised or a function changes, the affected department updates its catalog within
/// 15 working days (configurable). The obligation closes when a new version of one of its entries is published.
public struct CatalogObligationService: Sendable {
    let repository: any CatalogRepository
    let departments: any DepartmentRepository
    let calendar: CalendarService
    let clock: any WallClock
    let workingDays: Int

    public init(repository: any CatalogRepository, departments: any DepartmentRepository, calendar: CalendarService,
                clock: any WallClock, workingDays: Int) {
        self.repository = repository; self.departments = departments; self.calendar = calendar; self.clock = clock
        self.workingDays = workingDays
    }

    public func record(trigger: String?, date: String?, reference: String?, departmentCode: String?, by actor: Principal,
                       origin: RequestOrigin) async throws -> CatalogObligation {
        guard actor.kind == .system || actor.roles.contains(.authorityReviewer) || actor.roles.contains(.cataloger)
                || actor.roles.contains(.platformAdmin) else {
            throw DomainError.forbidden(policy: "catalog.obligation")
        }
        var v = Validator()
        let kind = trigger.flatMap(CatalogObligation.Trigger.init(rawValue:))
        if kind == nil { v.fail("trigger", "enum", zh: "trigger 应为 law_revised 或 function_changed", en: "trigger must be law_revised or function_changed") }
        let day = date.flatMap(CivilDate.init)
        if day == nil { v.fail("date", "date", zh: "date 应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD") }
        v.require(reference, field: "reference", maxLength: 500)
        v.require(departmentCode, field: "department_code", maxLength: 18)
        try v.check()
        let department = try await departments.require(code: departmentCode!, field: "department_code")
        try await requireMaySet(actor, on: department)
        let due = try await calendar.dueDate(receivedOn: day!, workingDays: workingDays)
        let obligation = CatalogObligation(id: Identifier.make(at: clock.now()), trigger: kind!, triggerDate: day!,
                                           reference: reference!, departmentId: department.id, workingDays: workingDays, dueOn: due.date,
                                           provisional: due.provisional, status: .open, metByEntryId: nil,
                                           createdAt: Timestamp.format(clock.now()))
        try await repository.insertObligation(obligation, audit: AuditRecord(
            actor: actor, action: "catalog.obligation", objectType: "department", objectId: department.id,
            after: AuditJSON.encode(obligation), origin: origin))
        return obligation
    }

    /// A department records its own obligation (its catalogers); a data authority sets them on the departments whose
    /// catalog it reviews (the province's on provincial departments, a city's on its city and counties), never on
    /// another authority's; administrators anywhere.
    func requireMaySet(_ actor: Principal, on department: Department) async throws {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) { return }
        if actor.roles.contains(.cataloger), actor.departmentId == department.id { return }
        if actor.roles.contains(.authorityReviewer), try await departments.reviewingAuthority(for: department)?.id == actor.departmentId { return }
        throw DomainError(.forbidden, code: "not_reviewing_authority", message: LocalizedText(
            zh: "只能为本部门或本主管部门负责的部门登记目录更新义务", en: "Obligations are set on one's own department or on those one's authority reviews"))
    }
}

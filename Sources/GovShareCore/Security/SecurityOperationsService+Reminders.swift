import Foundation

extension SecurityOperationsService {
    /// Where each department with a security officer (or a drill on record) stands with its periodic drill: due
    /// `drill_interval_days` after its last drill, "due soon" within `drill_reminder_days`, overdue after (or when it
    /// has never recorded one). Scoped like every read.
    public func drillsDue(by actor: Principal) async throws -> [DrillDue] {
        let scope = try await scope(actor, policy: .readSecurityRecords)
        return try await drillStatus().filter { scope == nil || $0.departmentId == scope }
    }

    func drillStatus() async throws -> [DrillDue] {
        let last = try await records.lastDrills()
        var departmentIds = Set(last.keys)
        for user in try await accounts.listUsers(departmentId: nil) where user.status == .active {
            for grant in user.roles where grant.role == .securityOfficer { departmentIds.insert(grant.departmentId) }
        }
        let today = CivilDate(instant: clock.now())
        return departmentIds.sorted().map { id in
            guard let held = last[id] else { return DrillDue(departmentId: id, lastHeldOn: nil, dueOn: nil, state: .overdue) }
            let due = held.adding(days: settings.drillIntervalDays)
            let state: DrillDue.State =
                today > due ? .overdue : today >= due.adding(days: -settings.drillReminderDays) ? .dueSoon : .current
            return DrillDue(departmentId: id, lastHeldOn: held, dueOn: due, state: state)
        }
    }

    /// The scheduler's round: tells each department's security officers (its inbox, webhook, mail) once when its drill
    /// is due soon and once when it is overdue; a later drill sets a new due date and so new reminders. Returns how many
    /// reminders were sent now.
    @discardableResult
    public func sweepDrillReminders(by actor: Principal, origin: RequestOrigin) async throws -> Int {
        try Policy.manageDrills.check(actor)
        guard actor.kind == .system else { throw DomainError.forbidden(policy: .manageDrills) }
        var sent = 0
        for status in try await drillStatus() where status.state != .current {
            let kind: DrillReminder.Kind = status.state == .overdue ? .overdue : .dueSoon
            let reminder = DrillReminder(departmentId: status.departmentId, kind: kind, dueOn: status.dueOn?.description ?? "never")
            let due = status.dueOn?.description
            let message: LocalizedText =
                switch (kind, due) {
                case (.dueSoon, let due?):
                    LocalizedText(zh: "本部门年度应急演练将于 \(due) 到期，请按应急预案组织演练", en: "The department's periodic drill is due on \(due)")
                case (_, let due?):
                    LocalizedText(
                        zh: "本部门年度应急演练已于 \(due) 逾期，请尽快组织演练并登记", en: "The department's periodic drill was due on \(due) and is overdue")
                default:
                    LocalizedText(zh: "本部门尚无应急演练记录，请按应急预案组织演练并登记", en: "The department has no drill on record; hold one and record it")
                }
            let notification = InboxMessage(
                id: Identifier.make(at: clock.now()), departmentId: status.departmentId, kind: "drill_\(kind.rawValue)",
                subjectType: "drill_schedule", subjectId: status.departmentId, message: message, createdAt: Timestamp.format(clock.now()))
            let recorded = try await records.recordReminder(
                reminder, notification: notification,
                audit: AuditRecord(
                    actor: actor, action: "security.drill.reminder", objectType: "department", objectId: status.departmentId,
                    after: AuditJSON.encode(["kind": kind.rawValue, "due_on": reminder.dueOn]), origin: origin))
            if recorded { sent += 1 }
        }
        return sent
    }

    /// What waits on a security officer (and on those who see all): open incidents by their deadlines, departments
    /// whose drill is due, and the current plans.
    public struct Work: Sendable {
        public var openIncidents: [Incident] = []
        public var drillsDue: [DrillDue] = []
        public var plans: [EmergencyPlan] = []
        /// The platform clock's time the lists were read at (what "overdue" is measured against).
        public var now = Date()
    }

    public func work(for actor: Principal) async throws -> Work {
        guard Policy.readSecurityRecords.allows(actor) else { return Work() }
        let now = clock.now()
        let open = try await incidents(openOnly: true, by: actor).sorted {
            ($0.isOverdue(at: now) ? 0 : 1, $0.closeDueAt) < ($1.isOverdue(at: now) ? 0 : 1, $1.closeDueAt)
        }
        return Work(
            openIncidents: open, drillsDue: try await drillsDue(by: actor).filter { $0.state != .current },
            plans: try await plans(by: actor), now: now)
    }
}

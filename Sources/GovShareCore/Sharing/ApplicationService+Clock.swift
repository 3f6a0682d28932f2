import Foundation

/// Per department and role: how applications were answered against the reply clock (Art. 19), with lateness counted
/// against whoever held the application. A provider holds it until the silence point (its own answer is due then); the
/// authority holds the final answer, due on the due date.
public struct ReplyStatistics: Sendable, Codable, Equatable {
    public var departmentId: String
    public var role: ReviewerRole
    public var received: Int
    public var answered: Int
    public var answeredOnTime: Int
    /// Answered after its point (the silence point for a provider, the due date for the authority), or still
    /// unanswered past it.
    public var late: Int
    public var open: Int
    /// Applications the provider had not answered by the silence point, so the authority could decide alone
    /// (provider rows only).
    public var silent: Int
    public var averageWorkingDays: Double?

    enum CodingKeys: String, CodingKey {
        case received, answered, late, open, role, silent
        case departmentId = "department_id", answeredOnTime = "answered_on_time", averageWorkingDays = "average_working_days"
    }
}

extension ApplicationService {
    /// Reminders `applicationReminderWorkingDays` before the due date, the silence point (the authority may decide
    /// alone), and escalation to the authority once overdue; each happens once per application. Run by the server's
    /// scheduler and by `govshare applications sweep`.
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> (reminded: Int, escalated: Int) {
        let working = try await calendar.calendar()
        var reminded = 0, escalated = 0
        for var a in try await applications.list(departmentIds: nil, openOnly: true) where a.status == .underReview {
            guard let deadline = try await deadlines.find(id: a.deadlineId) else { continue }
            let before = AuditJSON.encode(a)
            var notes: [InboxMessage] = []
            var remind = false, escalate = false
            if deadline.isOverdue(on: today), a.escalatedAt == nil {
                a.escalatedAt = now
                notes.append(
                    notify(
                        a.authorityId, "application.overdue", a,
                        LocalizedText(
                            zh: "共享申请已逾期未答复（应于 \(deadline.dueOn) 前答复），请督办",
                            en: "An application is overdue (due \(deadline.dueOn)); please follow up")))
                escalate = true
            } else if a.remindedAt == nil, !deadline.isOverdue(on: today),
                working.workingDays(after: today, through: deadline.dueOn) <= rules.applicationReminderWorkingDays
            {
                a.remindedAt = now
                notes += [a.providerId, a.authorityId].map {
                    notify(
                        $0, "application.reminder", a,
                        LocalizedText(
                            zh: "共享申请将于 \(deadline.dueOn) 到期，请及时答复",
                            en: "An application is due on \(deadline.dueOn)"))
                }
                remind = true
            }
            let (silenceNotes, grant) = try await silenceStep(&a, deadline: deadline, by: actor)
            notes += silenceNotes
            if notes.isEmpty { continue }
            do {
                try await applications.save(
                    a, replacing: before, dueOn: nil, grant: grant, notifications: notes,
                    documents: try await signedLetters(for: a, grant: grant, origin: origin),
                    audit: AuditRecord(
                        actor: actor, action: notes.first!.kind, objectType: "application", objectId: a.id,
                        before: before, after: AuditJSON.encode(a), origin: origin))
                if remind { reminded += 1 }
                if escalate { escalated += 1 }
            } catch let error as DomainError where error.code == "application_changed" {
                // Decided or answered since the list was read: the next sweep sees it as it is now.
            }
        }
        return (reminded, escalated)
    }

    public func statistics() async throws -> [ReplyStatistics] {
        let working = try await calendar.calendar()
        let all = try await applications.list(departmentIds: nil, openOnly: false).filter { $0.status != .withdrawn }
        var rows: [String: ReplyStatistics] = [:]
        var days: [String: [Int]] = [:]
        let today = self.today
        func tally(
            _ department: String, _ role: ReviewerRole, answeredOn: CivilDate?, point: CivilDate, open: Bool, silent: Bool,
            received: CivilDate, paused: Int
        ) {
            let key = "\(department):\(role.rawValue)"
            var s =
                rows[key]
                ?? ReplyStatistics(
                    departmentId: department, role: role, received: 0, answered: 0, answeredOnTime: 0,
                    late: 0, open: 0, silent: 0, averageWorkingDays: nil)
            s.received += 1
            if silent { s.silent += 1 }
            if let answeredOn {
                s.answered += 1
                if answeredOn <= point { s.answeredOnTime += 1 } else { s.late += 1 }
                days[key, default: []].append(max(0, working.workingDays(after: received, through: answeredOn) - paused))
            } else {
                if open { s.open += 1 }
                if silent || today > point { s.late += 1 }
            }
            rows[key] = s
        }
        func day(_ timestamp: String?) -> CivilDate? { timestamp.flatMap(Timestamp.parse).map { CivilDate(instant: $0) } }
        for a in all {
            guard let deadline = try await deadlines.find(id: a.deadlineId), let received = CivilDate(a.receivedOn) else { continue }
            let point = try await silencePoint(of: deadline)
            // The provider's own answer, if it gave one (an overruled decision was still its answer).
            let providerDecision = a.decisions.first { $0.role == .provider }
            let silent = providerDecision == nil && (a.providerSilentAt != nil || a.decisions.contains { $0.withoutProvider == true })
            tally(
                a.providerId, .provider, answeredOn: day(providerDecision?.decidedAt), point: point,
                open: a.status.isOpen && providerDecision == nil, silent: silent, received: received, paused: a.pausedWorkingDays)
            let decided = a.status.isOpen ? nil : day(a.decidedAt)
            tally(
                a.authorityId, .authority, answeredOn: decided, point: deadline.dueOn, open: a.status.isOpen,
                silent: false, received: received, paused: a.pausedWorkingDays)
        }
        return rows.sorted { $0.key < $1.key }.map { key, row in
            var row = row
            if let d = days[key], !d.isEmpty { row.averageWorkingDays = (Double(d.reduce(0, +)) / Double(d.count) * 10).rounded() / 10 }
            return row
        }
    }

    /// The reviewer's queue: open applications the actor reviews, overdue first, then by due date.
    public func queue(for actor: Principal) async throws -> [(ShareApplication, Deadline)] {
        var rows: [(ShareApplication, Deadline)] = []
        for a in try await applications.list(departmentIds: [actor.departmentId], openOnly: true) where role(of: actor, on: a) != nil {
            if let d = try await deadlines.find(id: a.deadlineId) { rows.append((a, d)) }
        }
        let day = today
        return rows.sorted { l, r in
            let lo = l.0.isOverdue(l.1, on: day), ro = r.0.isOverdue(r.1, on: day)
            return lo != ro ? lo : l.1.dueOn < r.1.dueOn
        }
    }
}

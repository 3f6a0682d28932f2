import Foundation

/// Per provider department: how applications were answered against the reply clock (Art. 19).
public struct ReplyStatistics: Sendable, Codable, Equatable {
    public var departmentId: String
    public var received: Int
    public var answered: Int
    public var answeredOnTime: Int
    /// Answered after the due date, or still open past it.
    public var late: Int
    public var open: Int
    public var averageWorkingDays: Double?

    enum CodingKeys: String, CodingKey {
        case received, answered, late, open
        case departmentId = "department_id", answeredOnTime = "answered_on_time", averageWorkingDays = "average_working_days"
    }
}

extension ApplicationService {
    /// Reminders two working days before the due date, and escalation to the authority once overdue; each happens
    /// once per application. Run by the server's scheduler and by `govshare applications sweep`.
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> (reminded: Int, escalated: Int) {
        let working = try await calendar.calendar()
        var reminded = 0, escalated = 0
        for var a in try await applications.list(departmentIds: nil, openOnly: true) where a.status == .underReview {
            guard let deadline = try await deadlines.find(id: a.deadlineId) else { continue }
            let before = AuditJSON.encode(a)
            var notes: [InboxMessage] = []
            if deadline.isOverdue(on: today), a.escalatedAt == nil {
                a.escalatedAt = now
                notes.append(notify(a.authorityId, "application.overdue", a,
                                    LocalizedText(zh: "共享申请已逾期未答复（应于 \(deadline.dueOn) 前答复），请督办",
                                                  en: "An application is overdue (due \(deadline.dueOn)); please follow up")))
                escalated += 1
            } else if a.remindedAt == nil, !deadline.isOverdue(on: today), working.workingDays(after: today, through: deadline.dueOn) <= 2 {
                a.remindedAt = now
                notes += [a.providerId, a.authorityId].map {
                    notify($0, "application.reminder", a, LocalizedText(zh: "共享申请将于 \(deadline.dueOn) 到期，请及时答复",
                                                                        en: "An application is due on \(deadline.dueOn)"))
                }
                reminded += 1
            }
            if notes.isEmpty { continue }
            do {
                try await applications.save(a, replacing: before, dueOn: nil, grant: nil, notifications: notes,
                                            audit: AuditRecord(actor: actor, action: notes.first!.kind, objectType: "application", objectId: a.id,
                                                               before: before, after: AuditJSON.encode(a), origin: origin))
            } catch let error as DomainError where error.code == "application_changed" {
                // Decided or answered since the list was read: the next sweep sees it as it is now.
                if notes.first?.kind == "application.overdue" { escalated -= 1 } else { reminded -= 1 }
            }
        }
        return (reminded, escalated)
    }

    public func statistics() async throws -> [ReplyStatistics] {
        let working = try await calendar.calendar()
        let all = try await applications.list(departmentIds: nil, openOnly: false)
        var result: [ReplyStatistics] = []
        for (department, group) in Dictionary(grouping: all, by: \.providerId).sorted(by: { $0.key < $1.key }) {
            var s = ReplyStatistics(departmentId: department, received: group.count, answered: 0, answeredOnTime: 0, late: 0, open: 0,
                                    averageWorkingDays: nil)
            var days: [Int] = []
            for a in group where a.status != .withdrawn {
                guard let deadline = try await deadlines.find(id: a.deadlineId), let received = CivilDate(a.receivedOn) else { continue }
                if let decided = a.decidedAt.flatMap(Timestamp.parse).map({ CivilDate(instant: $0) }) {
                    s.answered += 1
                    if decided <= deadline.dueOn { s.answeredOnTime += 1 } else { s.late += 1 }
                    days.append(max(0, working.workingDays(after: received, through: decided) - a.pausedWorkingDays))
                } else {
                    s.open += 1
                    if a.isOverdue(deadline, on: today) { s.late += 1 }
                }
            }
            s.averageWorkingDays = days.isEmpty ? nil : (Double(days.reduce(0, +)) / Double(days.count) * 10).rounded() / 10
            result.append(s)
        }
        return result
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

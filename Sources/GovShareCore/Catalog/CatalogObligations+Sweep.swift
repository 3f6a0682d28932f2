import Foundation

extension CatalogObligationService {
    /// Art. 9's 15 working days, watched as Art. 19's reply clock is (ApplicationService.sweep): the department is
    /// reminded `reminderWorkingDays` working days before the due date, and once the obligation is overdue its reviewing
    /// authority is told, so it can supervise (Art. 30). Each notice is sent once per obligation: the repository records
    /// it only if it was not recorded meanwhile. Run by the server's scheduler and by `govshare catalog obligations sweep`.
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> (reminded: Int, escalated: Int) {
        if actor.kind != .system { try Policy.manageCalendar.check(actor) }  // as the applications' sweep: the operators
        let working = try await calendar.calendar()
        let day = today
        var reminded = 0, escalated = 0
        for o in try await repository.obligations(departmentIds: nil, openOnly: true) {
            guard let department = try await departments.find(id: o.departmentId) else { continue }
            // Without a linked entry nothing the department publishes meets it: the reminder says so.
            let hint =
                o.entryId != nil
                ? LocalizedText(zh: "", en: "")
                : LocalizedText(zh: "；尚未关联所涉目录，请先关联再发布", en: "; no entry is linked yet: link the entry concerned, then publish it")
            if o.isOverdue(on: day) {
                guard o.escalatedAt == nil, let authority = try await departments.reviewingAuthority(for: department) else { continue }
                let note = notice(
                    to: authority.id, kind: "catalog_obligation.overdue", o,
                    LocalizedText(
                        zh: "\(department.nameZh)的目录更新义务已逾期（应于 \(o.dueOn) 前完成，依据：\(o.reference)），请督办（第九条）",
                        en:
                            "\(department.nameEn ?? department.nameZh) is overdue updating its catalog (due \(o.dueOn); \(o.reference)); please follow up (Art. 9)"
                    ))
                if try await repository.noteObligation(
                    id: o.id, notice: .escalated, notifications: [note], audit: audit(o, note, actor, origin))
                {
                    escalated += 1
                }
            } else if o.remindedAt == nil, working.workingDays(after: day, through: o.dueOn) <= reminderWorkingDays {
                let note = notice(
                    to: department.id, kind: "catalog_obligation.reminder", o,
                    LocalizedText(
                        zh: "本部门目录应于 \(o.dueOn) 前完成更新（依据：\(o.reference)，第九条）\(hint.zh)",
                        en: "Your department's catalog update is due on \(o.dueOn) (\(o.reference); Art. 9)\(hint.en)"))
                if try await repository.noteObligation(
                    id: o.id, notice: .reminded, notifications: [note], audit: audit(o, note, actor, origin))
                {
                    reminded += 1
                }
            }
        }
        return (reminded, escalated)
    }

    func notice(to departmentId: String, kind: String, _ o: CatalogObligation, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "catalog_obligation",
            subjectId: o.id, message: message, createdAt: now)
    }

    func audit(_ o: CatalogObligation, _ note: InboxMessage, _ actor: Principal, _ origin: RequestOrigin) -> AuditRecord {
        AuditRecord(
            actor: actor, action: note.kind, objectType: "catalog_obligation", objectId: o.id,
            detail: "to \(note.departmentId); due \(o.dueOn)", origin: origin)
    }
}

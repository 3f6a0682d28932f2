import Foundation

/// The provider's answer and correction, the objector's acceptance or dispute, and the authority's ruling.
extension ObjectionService {
    public struct Decision: Sendable {
        /// The record's key as the objection lists it; empty for the objection's whole subject.
        public var key: String?
        public var confirm: Bool?
        public var reason: String?
        public init(key: String?, confirm: Bool?, reason: String?) { self.key = key; self.confirm = confirm; self.reason = reason }
    }

    /// The provider answers every record: confirm (to be corrected) or reject with a reason. A reviewer or cataloger
    /// of the provider department; once, while the objection is open.
    public func answer(id: String, decisions: [Decision], note: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> Objection
    {
        try Policy.answerObjection.check(actor)
        let previous = try await load(id, by: actor)
        guard previous.providerId == actor.departmentId else { throw DomainError.forbidden(policy: .answerObjection) }
        guard previous.status == .open else { throw Self.notInStatus(previous, .open) }
        var v = Validator()
        v.limit(note, field: "note", maxLength: Limits.reason)
        var byKey: [String: (Bool, String?)] = [:]
        for (i, d) in decisions.enumerated() {
            let key = d.key?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let confirm = d.confirm else {
                v.fail("decisions[\(i)].confirm", "required", zh: "请逐条选择确认或不予认可", en: "Confirm or reject each record")
                continue
            }
            guard previous.records.contains(where: { $0.key == key }) else {
                v.fail("decisions[\(i)].key", "not_in_objection", zh: "该记录不在此异议中", en: "The record is not part of this objection")
                continue
            }
            let reason = d.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            if !confirm, (reason ?? "").isEmpty {
                v.fail("decisions[\(i)].reason", "required", zh: "不予认可须说明理由", en: "A rejection needs a reason")
            }
            v.limit(reason, field: "decisions[\(i)].reason", maxLength: Limits.reason)
            byKey[key] = (confirm, reason)
        }
        for (i, r) in previous.records.enumerated() where byKey[r.key] == nil {
            v.fail("decisions", "missing", zh: "第 \(i + 1) 条记录未答复", en: "Record \(i + 1) has no decision")
        }
        try v.check()
        var o = previous
        for i in o.records.indices {
            let (confirm, reason) = byKey[o.records[i].key]!
            o.records[i].state = confirm ? .confirmed : .rejected
            o.records[i].reason = reason
        }
        let day = today
        let due = o.dueOn.flatMap(CivilDate.init) ?? day
        o.status = .answered
        o.answer = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        o.answeredAt = now
        o.answeredBy = actor.name
        o.answeredLate = day > due
        o.answerWorkingDays = try await workingDays(from: o.createdAt, to: day)
        // Art. 21 校核: what is confirmed is corrected within the same term (or at once when the answer is late).
        if !o.openConfirmed.isEmpty { o.correctionDueOn = max(due, day).description }
        let closing = o.deadlineId
        o.deadlineId = nil
        o.dueOn = nil
        o.dueProvisional = nil
        step(&o, "objection.answer", actor, o.answer)
        let confirmed = o.openConfirmed.count
        try await repository.save(
            o, replacing: previous, closing: closing, starting: nil,
            notifications: [
                notify(
                    o.objectorDepartmentId, "objection.answered", o,
                    LocalizedText(
                        zh: "「\(o.entryName)」的数据异议已答复：确认 \(confirmed) 条，不予认可 \(o.records.count - confirmed) 条；请确认或提出争议",
                        en: "Your objection to \(o.entryName) was answered: \(confirmed) confirmed, \(o.records.count - confirmed) rejected"
                    ))
            ],
            audit: audit(actor, "objection.answer", o, before: previous, origin: origin))
        return o
    }

    /// The objector accepts the answer: the objection closes (confirmed records stay flagged until corrected).
    public func accept(id: String, by actor: Principal, origin: RequestOrigin) async throws -> Objection {
        let previous = try await objectorsOwn(id, by: actor)
        guard previous.status == .answered else { throw Self.notInStatus(previous, .answered) }
        var o = previous
        o.status = .closed
        o.outcome = .accepted
        step(&o, "objection.accept", actor, nil)
        try await repository.save(
            o, replacing: previous, closing: nil, starting: nil,
            notifications: [
                notify(
                    o.providerId, "objection.accepted", o,
                    LocalizedText(zh: "异议方已认可对「\(o.entryName)」异议的答复", en: "The objector accepted your answer on \(o.entryName)"))
            ],
            audit: audit(actor, "objection.accept", o, before: previous, origin: origin))
        return o
    }

    /// The objector disputes a rejection: the authority over the provider rules within `objectionRulingWorkingDays`.
    public func dispute(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Objection {
        var v = Validator()
        v.require(reason, field: "reason", maxLength: Limits.reason)
        try v.check()
        let previous = try await objectorsOwn(id, by: actor)
        guard previous.status == .answered else { throw Self.notInStatus(previous, .answered) }
        guard previous.hasRejected else {
            throw DomainError.conflict(
                code: "nothing_rejected", zh: "提供部门已确认全部记录，无可争议之处", en: "The provider confirmed every record; there is nothing to dispute")
        }
        var o = previous
        let deadline = try await startClock(o.id, workingDays: rules.objectionRulingWorkingDays)
        o.status = .disputed
        o.disputeReason = reason!.trimmingCharacters(in: .whitespacesAndNewlines)
        o.deadlineId = deadline.id
        o.dueOn = deadline.dueOn.description
        o.dueProvisional = deadline.provisional
        step(&o, "objection.dispute", actor, o.disputeReason)
        let message = LocalizedText(
            zh: "对「\(o.entryName)」异议答复的争议已提交主管部门，应于 \(deadline.dueOn) 前裁定",
            en: "A dispute over an objection to \(o.entryName) awaits the authority's ruling, due \(deadline.dueOn)")
        try await repository.save(
            o, replacing: previous, closing: nil, starting: deadline,
            notifications: [
                notify(o.authorityId, "objection.disputed", o, message), notify(o.providerId, "objection.disputed", o, message),
            ],
            audit: audit(actor, "objection.dispute", o, before: previous, origin: origin))
        return o
    }

    /// The objector withdraws an objection not yet closed.
    public func withdraw(id: String, by actor: Principal, origin: RequestOrigin) async throws -> Objection {
        let previous = try await objectorsOwn(id, by: actor)
        guard previous.status != .closed else { throw Self.notInStatus(previous, .open, .answered, .disputed) }
        var o = previous
        let closing = o.deadlineId
        o.status = .closed
        o.outcome = .withdrawn
        o.deadlineId = nil
        o.dueOn = nil
        step(&o, "objection.withdraw", actor, nil)
        try await repository.save(
            o, replacing: previous, closing: closing, starting: nil,
            notifications: [
                notify(
                    o.providerId, "objection.withdrawn", o,
                    LocalizedText(zh: "对「\(o.entryName)」的异议已撤回", en: "An objection to \(o.entryName) was withdrawn"))
            ],
            audit: audit(actor, "objection.withdraw", o, before: previous, origin: origin))
        return o
    }

    /// The authority's ruling on a dispute, final and binding (Art. 13, 21): upheld, the rejected records become
    /// confirmed and must be corrected within `objectionCorrectionWorkingDays`; dismissed, the answer stands. A
    /// reviewer of the authority over the provider who took no part in the answer.
    public func rule(id: String, upheld: Bool?, ruling: String?, by actor: Principal, origin: RequestOrigin) async throws -> Objection {
        try Impartiality.checkEntry(actor, .ruleObjection)
        var v = Validator()
        v.require(ruling, field: "ruling", maxLength: Limits.reason)
        if upheld == nil { v.fail("upheld", "required", zh: "请选择支持异议或维持答复", en: "upheld must be true or false") }
        try v.check()
        let previous = try await load(id, by: actor)
        guard try await departments.reviewed(by: actor.departmentId).contains(previous.providerId) else {
            throw DomainError.forbidden(policy: .ruleObjection)
        }
        try Impartiality.check(actor, parties: [previous.providerId, previous.objectorDepartmentId], policy: .ruleObjection)
        guard previous.status == .disputed else { throw Self.notInStatus(previous, .disputed) }
        guard !previous.history.contains(where: { $0.actorId == actor.id && $0.action != "objection.attach" }) else {
            throw DomainError(
                .forbidden, code: "separation_of_duties",
                message: LocalizedText(zh: "参与过答复或异议的人员不能裁定", en: "Someone who took part in the objection cannot rule on it"))
        }
        var o = previous
        let closing = o.deadlineId
        o.status = .closed
        o.outcome = upheld! ? .upheld : .dismissed
        o.ruling = ruling!.trimmingCharacters(in: .whitespacesAndNewlines)
        o.ruledBy = actor.name
        o.deadlineId = nil
        o.dueOn = nil
        o.dueProvisional = nil
        if upheld! {
            for i in o.records.indices where o.records[i].state == .rejected { o.records[i].state = .confirmed }
            let due = try await calendar.dueDate(receivedOn: today, workingDays: rules.objectionCorrectionWorkingDays)
            o.correctionDueOn = due.date.description
        }
        step(&o, upheld! ? "objection.uphold" : "objection.dismiss", actor, o.ruling)
        let message =
            upheld!
            ? LocalizedText(
                zh: "主管部门裁定支持对「\(o.entryName)」的异议，提供部门应于 \(o.correctionDueOn ?? "") 前更正",
                en: "The authority upheld the objection to \(o.entryName); the provider corrects by \(o.correctionDueOn ?? "")")
            : LocalizedText(zh: "主管部门裁定维持对「\(o.entryName)」异议的答复", en: "The authority ruled for the provider on \(o.entryName)")
        try await repository.save(
            o, replacing: previous, closing: closing, starting: nil,
            notifications: [
                notify(o.providerId, "objection.ruled", o, message), notify(o.objectorDepartmentId, "objection.ruled", o, message),
            ],
            audit: audit(actor, upheld! ? "objection.uphold" : "objection.dismiss", o, before: previous, origin: origin))
        return o
    }

    /// Whether the actor rules: a reviewer of the data authority over the objection's provider — its platform
    /// administrator when the authority's own department is the provider or the objector (`Impartiality`).
    public func mayRule(_ o: Objection, by actor: Principal, ignoringStatus: Bool = false) async throws -> Bool {
        guard ignoringStatus || o.status == .disputed,
            Impartiality.mayDecide(actor, parties: [o.providerId, o.objectorDepartmentId], policy: .ruleObjection)
        else { return false }
        return try await departments.reviewed(by: actor.departmentId).contains(o.providerId)
    }

    func objectorsOwn(_ id: String, by actor: Principal) async throws -> Objection {
        try Policy.raiseObjection.check(actor)
        let o = try await load(id, by: actor)
        guard o.objectorDepartmentId == actor.departmentId else { throw DomainError.forbidden(policy: .raiseObjection) }
        return o
    }

    /// Working days from the day of `createdAt` (China Standard Time) through `day`.
    func workingDays(from createdAt: String, to day: CivilDate) async throws -> Int? {
        guard let instant = Timestamp.parse(createdAt) else { return nil }
        return try await calendar.calendar().workingDays(after: CivilDate(instant: instant), through: day)
    }
}

/// What the actor may do on an objection now (the portal shows only these forms; the service checks again).
public struct ObjectionActions: Sendable, Equatable {
    public var answer = false
    public var correct = false
    public var accept = false
    public var dispute = false
    public var withdraw = false
    public var rule = false
    public var attach = false
}

extension ObjectionService {
    public func actions(on o: Objection, by actor: Principal) async throws -> ObjectionActions {
        var a = ObjectionActions()
        let provider = o.providerId == actor.departmentId && Policy.answerObjection.allows(actor)
        let objector = o.objectorDepartmentId == actor.departmentId && Policy.raiseObjection.allows(actor)
        a.answer = provider && o.status == .open
        a.correct = provider && Policy.reportData.allows(actor) && !o.openConfirmed.isEmpty
        a.accept = objector && o.status == .answered
        a.dispute = objector && o.status == .answered && o.hasRejected
        a.withdraw = objector && o.status != .closed
        a.rule =
            try await mayRule(o, by: actor)
            && !o.history.contains(where: { $0.actorId == actor.id && $0.action != "objection.attach" })
        a.attach = (provider || objector) && o.status != .closed
        return a
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

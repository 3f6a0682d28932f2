import Foundation

extension ApplicationService {
    public struct Decision: Sendable {
        public var approvedItems: [String]
        public var refusals: [Refusal]
        public var conditions: String?
        public var validUntil: String?
        /// The authority sets aside the provider's refusals (Art. 16: a refusal needs a legal basis).
        public var overruleProvider: Bool
        /// Approved items this side lets the applicant read in clear (only items the applicant asked for in clear).
        public var clearItems: [String]
        public init(
            approvedItems: [String], refusals: [Refusal], conditions: String?, validUntil: String?, overruleProvider: Bool = false,
            clearItems: [String] = []
        ) {
            self.approvedItems = approvedItems; self.refusals = refusals; self.conditions = conditions; self.validUntil = validUntil
            self.overruleProvider = overruleProvider; self.clearItems = clearItems
        }
    }

    /// `register` holds what may be cited as a basis (Art. 16): laws, regulations, rules and State Council or
    /// provincial government normative documents, never a department's internal rules (`LegalBasisRegister.check`).
    static func check(_ d: Decision, against a: ShareApplication, register: LegalBasisRegister) throws {
        var v = Validator()
        v.limit(d.approvedItems, field: "approved_items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        v.limit(d.conditions, field: "conditions", maxLength: InputLimits.conditions)
        if d.refusals.count > InputLimits.items {
            v.fail(
                "refusals", "max_count", zh: "refusals 最多 \(InputLimits.items) 项", en: "refusals has at most \(InputLimits.items) entries")
        }
        for (i, r) in d.refusals.prefix(InputLimits.items).enumerated() {
            v.limit(r.item, field: "refusals[\(i)].item", maxLength: InputLimits.itemCode)
            v.limit(r.reason, field: "refusals[\(i)].reason", maxLength: InputLimits.reason)
            v.limit(r.basis?.instrument, field: "refusals[\(i)].basis.instrument", maxLength: InputLimits.legalInstrument)
            v.limit(r.basis?.article, field: "refusals[\(i)].basis.article", maxLength: InputLimits.legalArticle)
        }
        // Over-long input is refused before the rules below quote it back.
        try v.check()
        let requested = Set(a.items)
        let approved = Set(d.approvedItems)
        let refused = Set(d.refusals.map(\.item))
        for item in approved.union(refused) where !requested.contains(item) {
            v.fail("items.\(item)", "not_requested", zh: "「\(item)」不在申请的信息项中", en: "'\(item)' was not applied for")
        }
        if !approved.isDisjoint(with: refused) {
            v.fail("refusals", "overlap", zh: "同一信息项不能既批准又拒绝", en: "An item cannot be both approved and refused")
        }
        for item in requested.subtracting(approved).subtracting(refused).sorted() {
            v.fail("items.\(item)", "undecided", zh: "信息项「\(item)」须批准或拒绝", en: "Item '\(item)' must be approved or refused")
        }
        for (i, r) in d.refusals.enumerated() {
            if (r.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                v.fail("refusals[\(i)].reason", "reason_required", zh: "拒绝信息项「\(r.item)」须说明理由", en: "Refusing '\(r.item)' needs reasons")
            }
            if !(r.basis?.isComplete ?? false) {
                v.fail(
                    "refusals[\(i)].basis", "legal_basis_required", zh: "拒绝信息项「\(r.item)」须注明法律法规依据（名称及条款，第十六条）",
                    en: "Refusing '\(r.item)' needs a legal basis: instrument and article (Art. 16)")
            } else {
                register.check(r.basis?.instrument, field: "refusals[\(i)].basis.instrument", into: &v)
            }
        }
        if let until = d.validUntil, CivilDate(until) == nil {
            v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD")
        }
        try v.check()
    }

    public func review(id: String, decision d: Decision, by actor: Principal, origin: RequestOrigin) async throws -> ShareApplication {
        var a = try await load(id: id, for: actor)
        guard let role = role(of: actor, on: a) else { throw DomainError.forbidden(policy: Policy.reviewApplications) }
        // Separation of duties: nobody decides their own application, and an authority cannot set aside a provider's
        // refusal of data its own department asked for.
        if actor.id == a.applicantId {
            throw DomainError(
                .forbidden, code: "own_application",
                message: LocalizedText(zh: "不能审核本人提出的共享申请", en: "You cannot review an application you made"))
        }
        if d.overruleProvider, a.applicantDepartmentId == actor.departmentId {
            throw DomainError(
                .forbidden, code: "own_department",
                message: LocalizedText(
                    zh: "主管部门不能为本部门的申请纠正提供部门的拒绝意见",
                    en: "The authority cannot overrule a provider's refusal of its own department's application"))
        }
        guard a.status == .underReview else {
            throw DomainError.conflict(
                code: "not_under_review", zh: "该申请当前不在审核中（\(a.status.name.zh)）",
                en: "The application is not under review (\(a.status.rawValue))")
        }
        if a.decision(role) != nil {
            throw DomainError.conflict(code: "already_decided", zh: "您所在的一方已作出审核意见", en: "Your side has already decided")
        }
        // Past the silence point the authority decides alone, whatever the review order (Art. 19).
        let providerSilent = role == .authority ? try await providerIsSilent(a, on: today) : false
        switch (order, role) {
        case (.authorityFirst, .provider) where a.decision(.authority) == nil,
            (.providerFirst, .authority) where a.decision(.provider) == nil && !d.overruleProvider && !providerSilent:
            throw DomainError.conflict(
                code: "review_order", zh: "按审核顺序（\(order.rawValue)），须待另一方先审核",
                en: "Review order \(order.rawValue): the other side decides first")
        default: break
        }
        try Self.check(d, against: a, register: try await legalBasis.register())
        try Self.checkClear(d, against: a)
        if let until = d.validUntil.flatMap(CivilDate.init), until <= today {
            throw DomainError.invalid(field: "valid_until", rule: "future", zh: "使用期限应晚于今天", en: "valid_until must be after today")
        }
        let before = AuditJSON.encode(a)
        if d.overruleProvider {
            guard role == .authority, let provider = a.decision(.provider), !provider.refusals.isEmpty else {
                throw DomainError.invalid(
                    field: "overrule_provider", rule: "nothing_to_overrule",
                    zh: "只有主管部门可以纠正提供部门已作出的拒绝意见", en: "Only the authority overrules a provider's refusal")
            }
            for i in a.decisions.indices where a.decisions[i].role == .provider && a.decisions[i].overruledBy == nil {
                a.decisions[i].overruledBy = actor.id
            }
        }
        var decision = ReviewDecision(
            role: role, reviewerId: actor.id, reviewerName: actor.name, departmentId: actor.departmentId,
            approvedItems: d.approvedItems, refusals: d.refusals, conditions: d.conditions ?? "",
            validUntil: d.validUntil.flatMap(CivilDate.init)?.description, decidedAt: now)
        decision.clearItems = d.clearItems.isEmpty ? nil : d.clearItems
        if providerSilent {
            decision.withoutProvider = true
            if a.providerSilentAt == nil { a.providerSilentAt = now }
        }
        a.decisions.append(decision)
        let finished = finish(&a, by: actor)
        let notes = outcomeNotes(a, grant: finished)
        try await applications.save(
            a, replacing: before, dueOn: nil, grant: finished, notifications: notes,
            documents: try await signedLetters(for: a, grant: finished, origin: origin),
            audit: AuditRecord(
                actor: actor, action: "application.review.\(role.rawValue)", objectType: "application",
                objectId: a.id, before: before, after: AuditJSON.encode(a), origin: origin))
        return a
    }

    /// Settles the application once both sides have spoken (an overruled or silent provider counts as spoken), or
    /// at once when the authority refuses everything. Returns the grant an approval creates.
    func finish(_ a: inout ShareApplication, by actor: Principal) -> Grant? {
        guard let authority = a.decision(.authority) else { return nil }
        if authority.approvedItems.isEmpty {
            a.status = .refused
            a.decidedAt = now
            return nil
        }
        guard a.providerSeatSettled else { return nil }
        a.decidedAt = now
        guard let grant = makeGrant(a, authority: authority, provider: a.decision(.provider), by: actor) else {
            a.status = .refused
            return nil
        }
        a.status = .approved
        a.grantId = grant.id
        return grant
    }

    public func requestInfo(id: String, question: String?, by actor: Principal, origin: RequestOrigin) async throws -> ShareApplication {
        var a = try await load(id: id, for: actor)
        guard role(of: actor, on: a) != nil else { throw DomainError.forbidden(policy: Policy.reviewApplications) }
        guard a.status == .underReview else {
            throw DomainError.conflict(code: "not_under_review", zh: "该申请当前不在审核中", en: "The application is not under review")
        }
        var v = Validator()
        v.require(question, field: "question", maxLength: InputLimits.question)
        try v.check()
        let before = AuditJSON.encode(a)
        a.status = .infoRequested
        a.infoRequests.append(InfoRequest(askedBy: actor.id, question: question!, askedAt: today.description))
        try await applications.save(
            a, replacing: before, dueOn: nil, grant: nil,
            notifications: [
                notify(
                    a.applicantDepartmentId, "application.info_requested", a,
                    LocalizedText(zh: "审核方要求补充材料：\(question!)", en: "The reviewers ask: \(question!)"))
            ],
            audit: AuditRecord(
                actor: actor, action: "application.info_request", objectType: "application",
                objectId: a.id, before: before, after: AuditJSON.encode(a), origin: origin))
        return a
    }

    /// The applicant answers; the clock resumes and the due date moves by the working days it was paused.
    public func respond(id: String, answer: String?, by actor: Principal, origin: RequestOrigin) async throws -> ShareApplication {
        var a = try await load(id: id, for: actor)
        try Policy.respondToApplication.check(actor)
        guard actor.departmentId == a.applicantDepartmentId else { throw DomainError.forbidden(policy: Policy.respondToApplication) }
        guard a.status == .infoRequested, var request = a.infoRequests.last, request.answer == nil else {
            throw DomainError.conflict(code: "no_open_question", zh: "没有待答复的补充材料要求", en: "No question awaits an answer")
        }
        var v = Validator()
        v.require(answer, field: "answer", maxLength: InputLimits.answer)
        try v.check()
        let before = AuditJSON.encode(a)
        let working = try await calendar.calendar()
        let paused = CivilDate(request.askedAt).map { working.workingDays(after: $0, through: today) } ?? 0
        request.answer = answer
        request.answeredAt = today.description
        request.pausedWorkingDays = paused
        a.infoRequests[a.infoRequests.count - 1] = request
        a.status = .underReview
        var moved: MovedDeadline?
        if paused > 0, let deadline = try await deadlines.find(id: a.deadlineId) {
            let due = try await calendar.dueDate(receivedOn: deadline.dueOn, workingDays: paused)
            moved = MovedDeadline(dueOn: due.date, provisional: due.provisional || deadline.provisional, addedWorkingDays: paused)
            a.remindedAt = nil  // a reminder comes again before the new due date
        }
        try await applications.save(
            a, replacing: before, dueOn: moved, grant: nil,
            notifications: [a.providerId, a.authorityId].map {
                notify($0, "application.answered", a, LocalizedText(zh: "申请方已补充材料", en: "The applicant answered"))
            },
            audit: AuditRecord(
                actor: actor, action: "application.respond", objectType: "application",
                objectId: a.id, before: before, after: AuditJSON.encode(a), origin: origin))
        return a
    }
}

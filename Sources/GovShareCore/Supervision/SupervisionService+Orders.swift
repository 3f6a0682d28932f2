import Foundation

/// Orders to correct (Art. 29): issued from a finding by the authority over the department, signed, on the calendar.
extension SupervisionService {
    public struct NewOrder: Sendable {
        public var findingId: String?
        public var what: String?
        public var basis: String?
        public var workingDays: Int?
        public init(findingId: String?, what: String?, basis: String?, workingDays: Int?) {
            self.findingId = findingId; self.what = what; self.basis = basis; self.workingDays = workingDays
        }
    }

    /// Whether the actor may order the finding's department to correct: the authority that oversees it — its platform
    /// administrator when that department is the authority's own (`Impartiality`).
    public func mayOrder(_ finding: SupervisionFinding, by actor: Principal) async throws -> Bool {
        guard Impartiality.mayDecide(actor, parties: [finding.departmentId], policy: .orderRectification) else { return false }
        if actor.kind == .system { return true }
        return try await departments.reviewed(by: actor.departmentId).contains(finding.departmentId)
    }

    public func issueOrder(_ input: NewOrder, by actor: Principal, origin: RequestOrigin) async throws -> RectificationOrder {
        try Impartiality.checkEntry(actor, .orderRectification)
        var v = Validator()
        v.require(input.findingId, field: "finding_id", maxLength: 64)
        v.require(input.what, field: "what", maxLength: Limits.what)
        v.require(input.basis, field: "basis", maxLength: Limits.basis)
        let days = input.workingDays ?? settings.orderWorkingDays
        if !Limits.orderWorkingDays.contains(days) {
            v.fail(
                "working_days", "range", zh: "working_days 应为 1–60 个工作日", en: "working_days must be 1–60 working days")
        }
        try v.check()
        let finding = try await finding(id: input.findingId!, by: actor)
        try Impartiality.check(actor, parties: [finding.departmentId], policy: .orderRectification)
        guard try await mayOrder(finding, by: actor) else {
            throw DomainError(
                .forbidden, code: "not_overseeing_authority",
                message: LocalizedText(
                    zh: "只有对该部门负有监督职责的政务数据主管部门可以责令整改（第二十九条）",
                    en: "Only the data authority overseeing the department orders it to correct (Art. 29)"))
        }
        let department = try await departments.find(id: finding.departmentId)
        let authority = try await departments.find(id: actor.departmentId)
        let now = clock.now()
        let today = CivilDate(instant: now)
        let due = try await calendar.dueDate(receivedOn: today, workingDays: days)
        let id = Identifier.make(at: now)
        let what = input.what!.trimmingCharacters(in: .whitespacesAndNewlines)
        let basis = input.basis!.trimmingCharacters(in: .whitespacesAndNewlines)
        let document = RectificationOrderDocument(
            id: id, finding: finding.id, rule: finding.rule.rawValue, ruleVersion: finding.ruleVersion, article: finding.rule.article,
            evidence: finding.evidence, department: department?.nameZh ?? finding.departmentId,
            departmentCode: department?.code ?? "", authority: authority?.nameZh ?? actor.departmentId, what: what, basis: basis,
            workingDays: days, issuedOn: today.description, dueOn: due.date.description, issuedBy: actor.name,
            issuedAt: Timestamp.format(now), nodeId: nodeId
        ).bytes
        let signed = try await seals.signAsAuthorityForRecord(document: document, purpose: "rectification order \(id)", origin: origin)
        let deadline = Deadline(
            id: Identifier.make(at: now), subjectType: "rectification_order", subjectId: id, receivedOn: today, workingDays: days,
            dueOn: due.date, provisional: due.provisional, status: .open, nodeId: nodeId)
        let order = RectificationOrder(
            id: id, findingId: finding.id, rule: finding.rule, departmentId: finding.departmentId,
            authorityId: actor.kind == .system ? (authority?.id ?? "") : actor.departmentId, what: what, basis: basis,
            workingDays: days, issuedOn: today, dueOn: due.date, deadlineId: deadline.id, status: .issued, issuedBy: actor.id,
            issuedByName: actor.name, issuedAt: Timestamp.format(now), document: document, signature: signed.signatureDER,
            sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex, updatedAt: Timestamp.format(now), nodeId: nodeId)
        try await repository.insert(
            order, deadline: deadline,
            notifications: [
                notice(
                    to: order.departmentId, kind: "rectification_issued", order,
                    LocalizedText(
                        zh: "主管部门责令整改：\(what)（应于 \(due.date) 前报送整改情况，第二十九条）",
                        en: "Ordered to correct: \(what) (respond by \(due.date), Art. 29)"))
            ],
            audits: [
                AuditRecord(
                    actor: actor, action: "rectification.issue", objectType: "rectification_order", objectId: id,
                    after: AuditJSON.encode([
                        "finding": finding.id, "rule": finding.rule.rawValue, "department_id": finding.departmentId,
                        "due_on": due.date.description, "sm3": signed.documentSM3Hex,
                    ]), origin: origin),
                SealService.signingAudit(
                    sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex, documentBytes: document.count,
                    signedAt: Timestamp.format(signed.signedAt), purpose: "rectification order \(id)", actor: .system("platform"),
                    origin: origin),
            ])
        return order
    }

    /// The department reports what it did (its reviewers, while the order is its turn).
    public func respond(orderId: String, response: String?, by actor: Principal, origin: RequestOrigin) async throws -> RectificationOrder {
        try Policy.respondRectification.check(actor)
        var v = Validator()
        v.require(response, field: "response", maxLength: Limits.response)
        try v.check()
        var o = try await order(id: orderId, by: actor)
        guard actor.departmentId == o.departmentId else {
            throw DomainError(
                .forbidden, code: "not_ordered_department",
                message: LocalizedText(zh: "只有被责令整改的部门可以报送整改情况", en: "Only the department ordered to correct responds"))
        }
        guard o.status.awaitsDepartment else { throw Self.wrongStatus(o) }
        let expected = o.status
        let now = Timestamp.format(clock.now())
        o.status = .responded; o.response = response!.trimmingCharacters(in: .whitespacesAndNewlines)
        o.respondedByName = actor.name; o.respondedAt = now; o.updatedAt = now
        try await save(
            o, expected: expected, action: "rectification.respond", by: actor, origin: origin, notify: o.authorityId,
            LocalizedText(zh: "部门已报送整改情况，请审核：\(o.what)", en: "The department responded; review it: \(o.what)"))
        return o
    }

    /// The authority that issued the order accepts the response (the order is done) or returns it for more.
    public func decide(orderId: String, accept: Bool, note: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> RectificationOrder
    {
        try Impartiality.checkEntry(actor, .orderRectification)
        var v = Validator()
        if accept { v.limit(note, field: "note", maxLength: Limits.note) } else { v.require(note, field: "note", maxLength: Limits.note) }
        try v.check()
        var o = try await order(id: orderId, by: actor)
        guard actor.kind == .system || actor.departmentId == o.authorityId else {
            throw DomainError(
                .forbidden, code: "not_issuing_authority",
                message: LocalizedText(zh: "只有发出整改通知的主管部门可以审核整改情况", en: "Only the authority that issued the order reviews it"))
        }
        try Impartiality.check(actor, parties: [o.departmentId], policy: .orderRectification)
        guard o.status == .responded else { throw Self.wrongStatus(o) }
        let now = Timestamp.format(clock.now())
        o.status = accept ? .accepted : .returned
        o.decisionNote = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        o.decidedByName = actor.name; o.decidedAt = now; o.updatedAt = now
        try await save(
            o, expected: .responded, action: accept ? "rectification.accept" : "rectification.return", by: actor, origin: origin,
            notify: o.departmentId,
            accept
                ? LocalizedText(zh: "整改情况已审核通过：\(o.what)", en: "Your correction was accepted: \(o.what)")
                : LocalizedText(zh: "整改不到位，已退回：\(note ?? "")", en: "Returned for more: \(note ?? "")"))
        return o
    }

    /// Orders past their due date on the department's turn, not yet escalated: escalated once, with a notice to the
    /// department and to the authority. Returns how many.
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> Int {
        try Policy.runSupervisionChecks.check(actor)
        let today = CivilDate(instant: clock.now())
        var escalated = 0
        for var o in try await repository.orders(departmentIds: nil, limit: 10_000) where o.isOverdue(on: today) && o.escalatedAt == nil {
            let expected = o.status
            o.escalatedAt = Timestamp.format(clock.now()); o.updatedAt = o.escalatedAt!
            let message = LocalizedText(
                zh: "整改通知逾期未报送整改情况（应于 \(o.dueOn) 前），已升级督办：\(o.what)",
                en: "The order to correct was not answered by \(o.dueOn) and is escalated: \(o.what)")
            if try await repository.update(
                o, expected: expected,
                notifications: [
                    notice(to: o.departmentId, kind: "rectification_overdue", o, message),
                    notice(to: o.authorityId, kind: "rectification_overdue", o, message),
                ],
                audit: AuditRecord(
                    actor: actor, action: "rectification.escalate", objectType: "rectification_order", objectId: o.id,
                    after: AuditJSON.encode(["due_on": o.dueOn.description]), origin: origin))
            {
                escalated += 1
            }
        }
        return escalated
    }

    func save(
        _ o: RectificationOrder, expected: RectificationOrder.Status, action: String, by actor: Principal, origin: RequestOrigin,
        notify: String, _ message: LocalizedText
    ) async throws {
        let saved = try await repository.update(
            o, expected: expected, notifications: [notice(to: notify, kind: action.replacingOccurrences(of: ".", with: "_"), o, message)],
            audit: AuditRecord(
                actor: actor, action: action, objectType: "rectification_order", objectId: o.id,
                after: AuditJSON.encode(["status": o.status.rawValue]), origin: origin))
        guard saved else {
            throw DomainError(
                .conflict, code: "order_changed",
                message: LocalizedText(zh: "整改通知已被他人处理，请刷新后重试", en: "The order was changed meanwhile; reload and try again"))
        }
    }

    static func wrongStatus(_ o: RectificationOrder) -> DomainError {
        DomainError(
            .conflict, code: "order_status",
            message: LocalizedText(
                zh: "整改通知当前状态为「\(o.status.name.zh)」，不能进行此操作", en: "The order is \(o.status.name.en): this step does not apply"))
    }

    func notice(to departmentId: String, kind: String, _ o: RectificationOrder, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "rectification_order",
            subjectId: o.id, message: message, createdAt: Timestamp.format(clock.now()))
    }
}

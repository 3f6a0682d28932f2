import Foundation

/// A case as one reader sees it.
public struct ConflictCaseDetail: Sendable {
    public var conflict: ConflictCase
    public var pair: FactPair
    public var findings: [ResolvedFinding]
    public var messages: [ConflictMessage]
    public var mayNegotiate: Bool
    public var mayAgree: Bool
    public var mayArbitrate: Bool
}

extension ConflictService {
    /// Cases the actor may see, open ones first (escalated, then negotiating, by due date), then the settled ones.
    public func cases(status: String?, by actor: Principal) async throws -> [(ConflictCase, FactPair)] {
        try Policy.readConflicts.check(actor)
        var statuses: Set<ConflictStatus>?
        if let status, !status.isEmpty {
            if status == "open" {
                statuses = [.negotiating, .escalated]
            } else if let s = ConflictStatus(rawValue: status) {
                statuses = [s]
            } else {
                throw DomainError.invalid(
                    field: "status", rule: "one_of", zh: "status 应为 open、negotiating、agreed、escalated 或 arbitrated",
                    en: "status must be open, negotiating, agreed, escalated or arbitrated")
            }
        }
        let visible = try await visibleProviders(actor)
        var filter = ConflictCaseFilter(statuses: statuses, limit: Limits.listed)
        if let visible { filter.providerIds = visible; filter.authorityIds = [actor.departmentId] }
        let rank: [ConflictStatus: Int] = [.escalated: 0, .negotiating: 1, .agreed: 2, .arbitrated: 2]
        var out: [(ConflictCase, FactPair)] = []
        for c in try await repository.cases(filter) { if let p = try await repository.pair(id: c.pairId) { out.append((c, p)) } }
        return out.sorted { a, b in
            (rank[a.0.status]!, a.0.status.isOpen ? a.0.dueOn : "", b.0.updatedAt) < (
                rank[b.0.status]!, b.0.status.isOpen ? b.0.dueOn : "", a.0.updatedAt
            )
        }
    }

    /// One case with its messages and the first disagreeing records. A side's key and value are opened only for that
    /// side's provider and the arbitrating authority (an audited read); everyone else sees them withheld.
    public func detail(id: String, by actor: Principal, origin: RequestOrigin) async throws -> ConflictCaseDetail {
        try Policy.readConflicts.check(actor)
        let (c, pair) = try await visibleCase(id, by: actor)
        let findings = try await repository.findings(caseId: c.id, limit: Limits.shownFindings)
        var opened: [ConflictSide: [String: OpenedRecord]] = [:]
        for side in ConflictSide.allCases where mayOpen(side, of: c, by: actor) && !findings.isEmpty {
            let s = pair.side(side)
            let dataset = try await exchange.dataset(code: s.entryCode)
            opened[side] = try await repository.open(
                refs: findings.map { side == .left ? $0.leftRef : $0.rightRef }, in: dataset, keyItem: s.keyItem, item: s.item,
                audit: AuditRecord(
                    actor: actor, action: "conflict.case.open_values", objectType: "conflict_case", objectId: c.id,
                    detail: "\(s.entryCode).\(s.item): \(findings.count) records", origin: origin))
        }
        let resolved = findings.map { f in
            let l = opened[.left]?[f.leftRef], r = opened[.right]?[f.rightRef]
            return ResolvedFinding(
                id: f.id, leftKey: l?.key, leftValue: l?.value, rightKey: r?.key, rightValue: r?.value,
                leftWithheld: opened[.left] == nil, rightWithheld: opened[.right] == nil)
        }
        return ConflictCaseDetail(
            conflict: c, pair: pair, findings: resolved, messages: try await repository.messages(caseId: c.id),
            mayNegotiate: mayNegotiate(c, by: actor), mayAgree: mayAgree(c, by: actor), mayArbitrate: try await mayArbitrate(c, by: actor))
    }

    public func post(caseId: String, body: String?, by actor: Principal, origin: RequestOrigin) async throws -> ConflictMessage {
        try Policy.negotiateConflicts.check(actor)
        let text = try Self.text(body, field: "body", max: Limits.message)
        let (c, pair) = try await visibleCase(caseId, by: actor)
        guard c.side(of: actor.departmentId) != nil else { throw DomainError.forbidden(policy: .negotiateConflicts) }
        guard c.status.isOpen else { throw Self.notInStatus(c, "negotiating/escalated") }
        let message = makeMessage(c, .message, text, actor)
        try await save(
            c, expected: c.status, message: message, pair: pair, action: "conflict.message", by: actor, origin: origin,
            notify: others(of: c, than: actor.departmentId), LocalizedText(zh: "数据冲突协商有新留言", en: "A new message in a data conflict"))
        return message
    }

    /// A provider proposes which side is the authoritative source; the other side may then agree.
    public func propose(caseId: String, side: String?, note: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> ConflictCaseWithPair
    {
        try Policy.negotiateConflicts.check(actor)
        let chosen = try Self.side(side)
        let text = try Self.text(note, field: "note", max: Limits.note, required: false)
        var (c, pair) = try await visibleCase(caseId, by: actor)
        guard c.side(of: actor.departmentId) != nil else { throw DomainError.forbidden(policy: .negotiateConflicts) }
        guard c.status == .negotiating else { throw Self.notInStatus(c, "negotiating") }
        c.proposedSide = chosen; c.proposedBy = actor.departmentId; c.proposedAt = Timestamp.format(clock.now())
        c.updatedAt = c.proposedAt!
        let s = pair.side(chosen)
        let message = makeMessage(
            c, .proposal,
            "提议以 \(s.entryName).\(s.item) 为权威来源 / proposes \(s.entryCode).\(s.item) as the authoritative source"
                + (text.isEmpty ? "" : "：\(text)"), actor)
        try await save(
            c, expected: .negotiating, message: message, pair: pair, action: "conflict.propose", by: actor, origin: origin,
            notify: others(of: c, than: actor.departmentId),
            LocalizedText(
                zh: "对方提议以 \(s.entryName).\(s.item) 为权威来源，请确认或继续协商",
                en: "The other department proposes \(s.entryCode).\(s.item) as the authoritative source: agree or keep negotiating"))
        return ConflictCaseWithPair(conflict: c, pair: pair)
    }

    /// The other side agrees to the proposal: the case is settled and the catalog records the source.
    public func agree(caseId: String, by actor: Principal, origin: RequestOrigin) async throws -> ConflictCaseWithPair {
        try Policy.negotiateConflicts.check(actor)
        var (c, pair) = try await visibleCase(caseId, by: actor)
        guard c.side(of: actor.departmentId) != nil else { throw DomainError.forbidden(policy: .negotiateConflicts) }
        guard c.status == .negotiating, let proposed = c.proposedSide,
            c.proposedBy != actor.departmentId || c.leftProviderId == c.rightProviderId
        else {
            throw DomainError.conflict(
                code: "no_proposal", zh: "没有待对方确认的提议（提议须由另一方确认）", en: "There is no proposal from the other department to agree to")
        }
        let now = Timestamp.format(clock.now())
        c.status = .agreed; c.resolvedSide = proposed; c.resolvedBy = actor.name; c.resolvedAt = now; c.updatedAt = now
        let s = pair.side(proposed)
        c.reasons = "双方协商一致 / agreed by both providers"
        let source = AuthoritativeSource(
            id: Identifier.make(at: clock.now()), pairId: pair.id, caseId: c.id, side: proposed, decidedHow: .agreed,
            decidedByName: actor.name,
            reasons: c.reasons!, decidedAt: now, nodeId: nodeId)
        try await save(
            c, expected: .negotiating, message: makeMessage(c, .agreement, "同意 / agreed: \(s.entryCode).\(s.item)", actor), source: source,
            pair: pair, action: "conflict.agree", by: actor, origin: origin,
            notify: others(of: c, than: actor.departmentId) + [c.authorityId],
            LocalizedText(
                zh: "数据冲突已协商一致：以 \(s.entryName).\(s.item) 为权威来源",
                en: "Data conflict agreed: \(s.entryCode).\(s.item) is the authoritative source"))
        return ConflictCaseWithPair(conflict: c, pair: pair)
    }

    /// A provider asks the authority to arbitrate before the due date (negotiation has failed).
    public func escalate(caseId: String, note: String?, by actor: Principal, origin: RequestOrigin) async throws -> ConflictCaseWithPair {
        try Policy.negotiateConflicts.check(actor)
        let text = try Self.text(note, field: "note", max: Limits.note)
        var (c, pair) = try await visibleCase(caseId, by: actor)
        guard c.side(of: actor.departmentId) != nil else { throw DomainError.forbidden(policy: .negotiateConflicts) }
        guard c.status == .negotiating else { throw Self.notInStatus(c, "negotiating") }
        c.status = .escalated; c.escalatedAt = Timestamp.format(clock.now()); c.updatedAt = c.escalatedAt!
        try await save(
            c, expected: .negotiating, message: makeMessage(c, .escalation, text, actor), pair: pair, action: "conflict.escalate",
            by: actor, origin: origin, notify: others(of: c, than: actor.departmentId) + [c.authorityId],
            LocalizedText(zh: "数据冲突协商未果，已提请主管部门裁定（第十三条）", en: "Negotiation failed; the data conflict goes to the authority (Art. 13)"))
        return ConflictCaseWithPair(conflict: c, pair: pair)
    }

    /// The data authority names the authoritative source of an escalated case, with reasons; the catalog records it.
    public func arbitrate(caseId: String, side: String?, reasons: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> ConflictCaseWithPair
    {
        try Impartiality.checkEntry(actor, .arbitrateConflicts)
        var v = Validator()
        let chosen = ConflictSide(rawValue: side ?? "")
        if chosen == nil { v.fail("side", "one_of", zh: "side 应为 left 或 right", en: "side must be left or right") }
        v.require(reasons, field: "reasons", maxLength: Limits.note)
        try v.check()
        var (c, pair) = try await visibleCase(caseId, by: actor)
        try Impartiality.check(actor, parties: [c.leftProviderId, c.rightProviderId], policy: .arbitrateConflicts)
        guard try await mayArbitrateScope(c, by: actor) else { throw DomainError.forbidden(policy: .arbitrateConflicts) }
        guard c.status == .escalated else { throw Self.notInStatus(c, "escalated") }
        let now = Timestamp.format(clock.now())
        let why = reasons!.trimmingCharacters(in: .whitespacesAndNewlines)
        c.status = .arbitrated; c.resolvedSide = chosen; c.resolvedBy = actor.name; c.resolvedAt = now; c.reasons = why; c.updatedAt = now
        let s = pair.side(chosen!)
        let source = AuthoritativeSource(
            id: Identifier.make(at: clock.now()), pairId: pair.id, caseId: c.id, side: chosen!, decidedHow: .arbitrated,
            decidedByName: actor.name, reasons: why, decidedAt: now, nodeId: nodeId)
        try await save(
            c, expected: .escalated,
            message: makeMessage(
                c, .arbitration, "裁定以 \(s.entryCode).\(s.item) 为权威来源 / rules \(s.entryCode).\(s.item) authoritative：\(why)", actor),
            source: source, pair: pair, action: "conflict.arbitrate", by: actor, origin: origin,
            notify: [c.leftProviderId, c.rightProviderId],
            LocalizedText(
                zh: "主管部门裁定：以 \(s.entryName).\(s.item) 为权威来源（\(why)）",
                en: "The authority ruled \(s.entryCode).\(s.item) the authoritative source (\(why))"))
        return ConflictCaseWithPair(conflict: c, pair: pair)
    }

    /// Escalates cases still negotiating after their due date (the scheduler and `govshare conflicts sweep`).
    public func sweep(by actor: Principal, origin: RequestOrigin) async throws -> Int {
        try Policy.runConflictChecks.check(actor)
        let today = CivilDate(instant: clock.now()).description
        var escalated = 0
        for var c in try await repository.cases(ConflictCaseFilter(statuses: [.negotiating], limit: 10_000)) where c.dueOn < today {
            guard let pair = try await repository.pair(id: c.pairId) else { continue }
            c.status = .escalated; c.escalatedAt = Timestamp.format(clock.now()); c.updatedAt = c.escalatedAt!
            let message = ConflictMessage(
                id: Identifier.make(at: clock.now()), caseId: c.id, kind: .escalation, departmentId: "", authorId: actor.id,
                authorName: actor.name, body: "协商期限 \(c.dueOn) 已过，自动提请主管部门裁定 / not agreed by \(c.dueOn): escalated",
                createdAt: c.updatedAt, nodeId: nodeId)
            if try await update(
                c, expected: .negotiating, message: message, source: nil, pair: pair, action: "conflict.escalate", by: actor,
                origin: origin, notify: [c.leftProviderId, c.rightProviderId, c.authorityId],
                LocalizedText(
                    zh: "数据冲突未在 \(c.dueOn) 前协商一致，已提请主管部门裁定（第十三条）",
                    en: "The data conflict was not agreed by \(c.dueOn) and goes to the authority (Art. 13)"))
            {
                escalated += 1
            }
        }
        return escalated
    }

    /// Per provider: conflicts open and resolved (Art. 30 supervision inputs), within the actor's view.
    public func statistics(by actor: Principal) async throws -> [ConflictProviderStatistics] {
        try Policy.readConflicts.check(actor)
        let visible = try await visibleProviders(actor)
        return try await repository.statistics(providerIds: visible)
    }

    /// The authoritative sources named for a catalog entry's items (anyone who sees the entry sees these).
    public func sources(entryId: String) async throws -> [EntryAuthoritativeSource] { try await repository.sources(entryId: entryId) }
}

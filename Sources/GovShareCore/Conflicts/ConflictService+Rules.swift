import Foundation

/// Who sees and acts on which case, and the one way a case step is written (case, message, source, notices, audit).
extension ConflictService {
    /// nil: every provider (the system, administrators, auditors); else the actor's department and, for an authority
    /// reviewer, the departments its authority reviews.
    func visibleProviders(_ actor: Principal) async throws -> Set<String>? {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) || actor.roles.contains(.securityAuditor) { return nil }
        var ids: Set<String> = [actor.departmentId]
        if actor.roles.contains(.authorityReviewer) { ids.formUnion(try await departments.reviewed(by: actor.departmentId)) }
        return ids
    }

    /// The case and its pair, or 404 when the actor may not see it (nothing tells it exists).
    func visibleCase(_ id: String, by actor: Principal) async throws -> (ConflictCase, FactPair) {
        guard Identifier.isValid(id), let c = try await repository.caseById(id), let pair = try await repository.pair(id: c.pairId) else {
            throw DomainError.notFound("Conflict case", zh: "数据冲突")
        }
        if let visible = try await visibleProviders(actor),
            visible.isDisjoint(with: [c.leftProviderId, c.rightProviderId]) && c.authorityId != actor.departmentId
        {
            throw DomainError.notFound("Conflict case", zh: "数据冲突")
        }
        return (c, pair)
    }

    /// A side's values open for that side's provider and for the arbitrating authority's reviewers.
    func mayOpen(_ side: ConflictSide, of c: ConflictCase, by actor: Principal) -> Bool {
        if actor.kind == .system { return false }
        if c.provider(side) == actor.departmentId && Policy.negotiateConflicts.allows(actor) { return true }
        return c.authorityId == actor.departmentId
            && Impartiality.mayDecide(actor, parties: [c.leftProviderId, c.rightProviderId], policy: .arbitrateConflicts)
    }

    public func mayNegotiate(_ c: ConflictCase, by actor: Principal) -> Bool {
        Policy.negotiateConflicts.allows(actor) && c.side(of: actor.departmentId) != nil && c.status == .negotiating
    }

    public func mayAgree(_ c: ConflictCase, by actor: Principal) -> Bool {
        mayNegotiate(c, by: actor) && c.proposedSide != nil && c.proposedBy != actor.departmentId
    }

    public func mayArbitrate(_ c: ConflictCase, by actor: Principal) async throws -> Bool {
        guard c.status == .escalated else { return false }
        return try await mayArbitrateScope(c, by: actor)
    }

    /// The authority that declared the pair, over both providers — its platform administrator when one provider is the
    /// authority's own department (`Impartiality`).
    func mayArbitrateScope(_ c: ConflictCase, by actor: Principal) async throws -> Bool {
        guard actor.kind != .system,
            Impartiality.mayDecide(actor, parties: [c.leftProviderId, c.rightProviderId], policy: .arbitrateConflicts)
        else { return false }
        guard c.authorityId == actor.departmentId else { return false }
        let reviewed = try await departments.reviewed(by: actor.departmentId)
        return reviewed.contains(c.leftProviderId) && reviewed.contains(c.rightProviderId)
    }

    func others(of c: ConflictCase, than departmentId: String) -> [String] {
        [c.leftProviderId, c.rightProviderId].filter { $0 != departmentId }
    }

    func makeMessage(_ c: ConflictCase, _ kind: ConflictMessage.Kind, _ body: String, _ actor: Principal) -> ConflictMessage {
        ConflictMessage(
            id: Identifier.make(at: clock.now()), caseId: c.id, kind: kind, departmentId: actor.departmentId, authorId: actor.id,
            authorName: actor.name, body: body, createdAt: Timestamp.format(clock.now()), nodeId: nodeId)
    }

    func save(
        _ c: ConflictCase, expected: ConflictStatus, message: ConflictMessage, source: AuthoritativeSource? = nil, pair: FactPair,
        action: String, by actor: Principal, origin: RequestOrigin, notify: [String], _ text: LocalizedText
    ) async throws {
        guard
            try await update(
                c, expected: expected, message: message, source: source, pair: pair, action: action, by: actor, origin: origin,
                notify: notify, text)
        else {
            throw DomainError.conflict(
                code: "conflict_changed", zh: "该数据冲突已被他人处理，请刷新", en: "Someone acted on this conflict first; reload it")
        }
    }

    func update(
        _ c: ConflictCase, expected: ConflictStatus, message: ConflictMessage?, source: AuthoritativeSource?, pair: FactPair,
        action: String, by actor: Principal, origin: RequestOrigin, notify: [String], _ text: LocalizedText
    ) async throws -> Bool {
        let label = LocalizedText(
            zh: "\(text.zh)（\(pair.left.entryName).\(pair.left.item) ↔ \(pair.right.entryName).\(pair.right.item)）",
            en: "\(text.en) (\(pair.left.entryCode).\(pair.left.item) ↔ \(pair.right.entryCode).\(pair.right.item))")
        let notices = Array(Set(notify)).sorted().map { notice(to: $0, kind: action, c, label) }
        return try await repository.update(
            c, expected: expected, message: message, source: source, notifications: notices,
            audit: AuditRecord(
                actor: actor, action: action, objectType: "conflict_case", objectId: c.id,
                before: AuditJSON.encode(["status": expected.rawValue]),
                after: AuditJSON.encode([
                    "status": c.status.rawValue, "proposed_side": c.proposedSide?.rawValue ?? "",
                    "resolved_side": c.resolvedSide?.rawValue ?? "",
                    "source": source.map { pair.side($0.side).entryCode + "." + pair.side($0.side).item } ?? "",
                ]), detail: message?.body, origin: origin))
    }

    static func text(_ value: String?, field: String, max: Int, required: Bool = true) throws -> String {
        var v = Validator()
        if required {
            v.require(value, field: field, maxLength: max)
        } else if let value, InputLimits.exceeds(value, max) {
            v.fail(field, "max_length", zh: "\(field) 不能超过 \(max) 个字符", en: "\(field) must be at most \(max) characters")
        }
        try v.check()
        return value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    static func side(_ value: String?) throws -> ConflictSide {
        guard let s = ConflictSide(rawValue: value ?? "") else {
            throw DomainError.invalid(field: "side", rule: "one_of", zh: "side 应为 left 或 right", en: "side must be left or right")
        }
        return s
    }

    static func notInStatus(_ c: ConflictCase, _ expected: String) -> DomainError {
        DomainError.conflict(
            code: "conflict_status", zh: "该数据冲突当前为「\(c.status.name.zh)」，此操作需要「\(expected)」",
            en: "The conflict is \(c.status.rawValue); this needs \(expected)")
    }
}

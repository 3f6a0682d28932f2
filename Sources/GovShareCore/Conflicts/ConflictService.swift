import Foundation

/// Conflicts between providers (Art. 13): the data authority declares which items of two providers' datasets describe
/// the same fact; a check (scheduled, and on demand) compares them record by record and opens a case between the two
/// providers for each pair that disagrees; they negotiate with messages until a due date in working days; either may
/// propose the authoritative source and the other agree; if they do not agree in time the case escalates and the
/// authority arbitrates. The source agreed or named is recorded against the pair and shown on both catalog entries.
/// Every step is audited and notifies the other side. docs/conflicts.md.
public struct ConflictService: Sendable {
    public enum Limits {
        public static let note = 2_000
        public static let message = 4_000
        /// Findings kept per case (the count is always exact); the rest are found again by the next check.
        public static let keptFindings = 1_000
        public static let listed = 200
        public static let shownFindings = 50
    }

    let repository: any ConflictRepository
    let exchange: ExchangeService
    let departments: any DepartmentRepository
    let calendar: CalendarService
    let clock: any WallClock
    let nodeId: String
    /// Working days the providers have to agree before the authority arbitrates (`conflict_negotiation_working_days`).
    let negotiationWorkingDays: Int

    public init(
        repository: any ConflictRepository, exchange: ExchangeService, departments: any DepartmentRepository,
        calendar: CalendarService, clock: any WallClock, nodeId: String, negotiationWorkingDays: Int
    ) {
        self.repository = repository; self.exchange = exchange; self.departments = departments; self.calendar = calendar
        self.clock = clock; self.nodeId = nodeId; self.negotiationWorkingDays = negotiationWorkingDays
    }

    public struct PairInput: Sendable {
        public var leftEntry, leftItem, leftKey, rightEntry, rightItem, rightKey, note: String?
        public init(
            leftEntry: String?, leftItem: String?, leftKey: String?, rightEntry: String?, rightItem: String?, rightKey: String?,
            note: String?
        ) {
            self.leftEntry = leftEntry; self.leftItem = leftItem; self.leftKey = leftKey; self.rightEntry = rightEntry
            self.rightItem = rightItem; self.rightKey = rightKey; self.note = note
        }
    }

    /// Declares a fact pair: an authority reviewer, over two different providers its authority reviews.
    public func declare(_ input: PairInput, by actor: Principal, origin: RequestOrigin) async throws -> FactPair {
        try Policy.declareFactPairs.check(actor)
        var v = Validator()
        v.require(input.leftEntry, field: "left.entry_code")
        v.require(input.leftItem, field: "left.item", maxLength: 64)
        v.require(input.leftKey, field: "left.key_item", maxLength: 64)
        v.require(input.rightEntry, field: "right.entry_code")
        v.require(input.rightItem, field: "right.item", maxLength: 64)
        v.require(input.rightKey, field: "right.key_item", maxLength: 64)
        if let note = input.note, InputLimits.exceeds(note, Limits.note) {
            v.fail("note", "max_length", zh: "note 不能超过 \(Limits.note) 个字符", en: "note must be at most \(Limits.note) characters")
        }
        try v.check()
        let left = try await side("left", entry: input.leftEntry!, item: input.leftItem!, key: input.leftKey!)
        let right = try await side("right", entry: input.rightEntry!, item: input.rightItem!, key: input.rightKey!)
        var w = Validator()
        if left.datasetId == right.datasetId {
            w.fail("right.entry_code", "distinct", zh: "两侧须为不同的数据资源", en: "The two sides must be different datasets")
        }
        if left.providerId == right.providerId {
            w.fail(
                "right.entry_code", "other_provider", zh: "两侧须为不同提供部门的数据（第十三条：部门间数据冲突）",
                en: "The two sides must be different providers' data (Art. 13: conflicts between departments)")
        }
        try w.check()
        let reviewed = try await scope(of: actor)
        guard reviewed.contains(left.providerId), reviewed.contains(right.providerId) else {
            throw DomainError.forbidden(policy: .declareFactPairs)
        }
        if try await repository.pairs(authorityIds: nil, includeRetired: false).contains(where: { Self.same($0, left, right) }) {
            throw DomainError.conflict(code: "pair_exists", zh: "该事实对应关系已声明", en: "This fact pair is already declared")
        }
        let now = clock.now()
        let pair = FactPair(
            id: Identifier.make(at: now), authorityId: actor.departmentId, left: left, right: right,
            note: input.note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", status: .active, declaredBy: actor.id,
            declaredByName: actor.name, declaredAt: Timestamp.format(now), nodeId: nodeId)
        try await repository.insertPair(
            pair,
            audit: AuditRecord(
                actor: actor, action: "conflict.pair.declare", objectType: "fact_pair", objectId: pair.id, after: pair.auditSummary,
                origin: origin))
        return pair
    }

    public func retire(pairId: String, by actor: Principal, origin: RequestOrigin) async throws -> FactPair {
        try Policy.declareFactPairs.check(actor)
        var pair = try await findPair(pairId)
        let reviewed = try await scope(of: actor)
        guard reviewed.contains(pair.left.providerId), reviewed.contains(pair.right.providerId) else {
            throw DomainError.forbidden(policy: .declareFactPairs)
        }
        let now = Timestamp.format(clock.now())
        guard
            try await repository.retirePair(
                id: pair.id, at: now,
                audit: AuditRecord(
                    actor: actor, action: "conflict.pair.retire", objectType: "fact_pair", objectId: pair.id, origin: origin))
        else { throw DomainError.conflict(code: "pair_retired", zh: "该事实对应关系已停用", en: "The fact pair is already retired") }
        pair.status = .retired
        pair.retiredAt = now
        return pair
    }

    /// The pairs the actor may see: its authority's, those involving its department; all for the platform's staff.
    public func pairs(by actor: Principal, includeRetired: Bool = false) async throws -> [FactPair] {
        try Policy.readConflicts.check(actor)
        let all = try await repository.pairs(authorityIds: nil, includeRetired: includeRetired)
        guard let visible = try await visibleProviders(actor) else { return all }
        return all.filter { !$0.providerIds.isDisjoint(with: visible) || $0.authorityId == actor.departmentId }
    }

    public func mayDeclare(_ actor: Principal) -> Bool { Policy.declareFactPairs.allows(actor) }
    public func mayCheck(_ actor: Principal) -> Bool { Policy.runConflictChecks.allows(actor) }

    /// Runs the check over the active pairs in the actor's scope (all for the scheduler, administrators and operators;
    /// an authority reviewer's authority's pairs), telling `progress` after each pair.
    public func check(
        trigger: ConflictCheckRun.Trigger, by actor: Principal, origin: RequestOrigin,
        progress: @Sendable (_ done: Int, _ total: Int, _ pair: FactPair, _ found: Int) -> Void = { _, _, _, _ in }
    ) async throws -> ConflictCheckRun {
        try Policy.runConflictChecks.check(actor)
        let started = clock.now()
        let everything = actor.kind == .system || !actor.roles.isDisjoint(with: [.platformAdmin, .platformOperator])
        let pairs = try await repository.pairs(authorityIds: everything ? nil : [actor.departmentId], includeRetired: false)
        let runId = Identifier.make(at: started)
        var disagreements = 0, opened = 0
        for (i, pair) in pairs.enumerated() {
            let found = try await checkPair(pair, runId: runId, by: actor, origin: origin)
            disagreements += found.count
            if found.opened { opened += 1 }
            progress(i + 1, pairs.count, pair, found.count)
        }
        let finished = clock.now()
        let run = ConflictCheckRun(
            id: runId, trigger: trigger, startedBy: actor.name, startedAt: Timestamp.format(started),
            finishedAt: Timestamp.format(finished), pairsChecked: pairs.count, disagreements: disagreements, casesOpened: opened,
            milliseconds: Int(finished.timeIntervalSince(started) * 1000), nodeId: nodeId)
        try await repository.insertRun(
            run,
            audit: AuditRecord(
                actor: actor, action: "conflict.check", objectType: "conflict_check_run", objectId: run.id,
                after: AuditJSON.encode([
                    "trigger": trigger.rawValue, "pairs": String(run.pairsChecked), "disagreements": String(disagreements),
                    "cases_opened": String(opened),
                ]), origin: origin))
        return run
    }

    /// The scheduler's check: runs when the last run (of any trigger, on any node) is at least `hours` old.
    public func checkIfDue(hours: Int, by actor: Principal, origin: RequestOrigin) async throws -> ConflictCheckRun? {
        if let last = try await repository.runs(limit: 1).first, let at = Timestamp.parse(last.startedAt),
            clock.now().timeIntervalSince(at) < Double(hours) * 3600
        {
            return nil
        }
        guard !(try await repository.pairs(authorityIds: nil, includeRetired: false)).isEmpty else { return nil }
        return try await check(trigger: .scheduled, by: actor, origin: origin)
    }

    public func runs(by actor: Principal) async throws -> [ConflictCheckRun] {
        try Policy.readConflicts.check(actor)
        return try await repository.runs(limit: 20)
    }

    /// One pair: compare, then open a case (or refresh the open one). A pair whose source is already settled opens
    /// no new case: the remaining disagreements are the other side's to correct, and the run counts them.
    func checkPair(_ pair: FactPair, runId: String, by actor: Principal, origin: RequestOrigin) async throws -> (count: Int, opened: Bool) {
        let left = try await exchange.dataset(code: pair.left.entryCode)
        let right = try await exchange.dataset(code: pair.right.entryCode)
        guard left.column(item: pair.left.item) != nil, left.column(item: pair.left.keyItem) != nil,
            right.column(item: pair.right.item) != nil, right.column(item: pair.right.keyItem) != nil
        else { return (0, false) }  // an item dropped from the catalog since: nothing to compare
        let comparison = try await repository.compare(pair, left: left, right: right, keep: Limits.keptFindings)
        let existing = try await repository.openCase(pairId: pair.id)
        guard comparison.count > 0 else { return (0, false) }
        if existing == nil, try await repository.source(pairId: pair.id) != nil { return (comparison.count, false) }
        let now = clock.now()
        let stamp = Timestamp.format(now)
        var c: ConflictCase
        if let existing {
            c = existing
            c.disagreements = comparison.count
            c.lastRunId = runId
            c.updatedAt = stamp
        } else {
            let due = try await calendar.dueDate(receivedOn: CivilDate(instant: now), workingDays: negotiationWorkingDays)
            c = ConflictCase(
                id: Identifier.make(at: now), pairId: pair.id, authorityId: pair.authorityId, leftProviderId: pair.left.providerId,
                rightProviderId: pair.right.providerId, status: .negotiating, disagreements: comparison.count, lastRunId: runId,
                openedAt: stamp, dueOn: due.date.description, updatedAt: stamp, nodeId: nodeId)
        }
        let findings = comparison.refs.map {
            ConflictFinding(id: Identifier.make(at: now), caseId: c.id, leftRef: $0.left, rightRef: $0.right, foundAt: stamp)
        }
        let label = "\(pair.left.entryName).\(pair.left.item) ↔ \(pair.right.entryName).\(pair.right.item)"
        let notes =
            existing != nil
            ? []
            : [pair.left.providerId, pair.right.providerId].map {
                notice(
                    to: $0, kind: "conflict.opened", c,
                    LocalizedText(
                        zh: "数据冲突：\(label) 有 \(comparison.count) 条记录不一致，请与对方部门在 \(c.dueOn) 前协商确定权威来源（第十三条）",
                        en:
                            "Data conflict: \(comparison.count) records disagree on \(label); agree the authoritative source with the other department by \(c.dueOn) (Art. 13)"
                    ))
            }
        try await repository.saveCheckedCase(
            c, isNew: existing == nil, findings: findings, notifications: notes,
            audit: AuditRecord(
                actor: actor, action: existing == nil ? "conflict.case.open" : "conflict.case.refresh", objectType: "conflict_case",
                objectId: c.id,
                after: AuditJSON.encode(["pair_id": pair.id, "disagreements": String(comparison.count), "due_on": c.dueOn, "run_id": runId]
                ),
                origin: origin))
        return (comparison.count, existing == nil)
    }

    func side(_ name: String, entry: String, item: String, key: String) async throws -> FactPairSide {
        let code = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        let dataset: Dataset
        do { dataset = try await exchange.dataset(code: code) } catch let e as DomainError where e.kind == .notFound {
            throw DomainError.invalid(
                field: "\(name).entry_code", rule: "mounted", zh: "\(name).entry_code：目录 \(code) 未发布或没有挂接数据",
                en: "\(name).entry_code: catalog entry \(code) is not published or has no mounted data")
        }
        var v = Validator()
        for (field, value) in [("item", item), ("key_item", key)]
        where dataset.column(item: value.trimmingCharacters(in: .whitespaces)) == nil {
            v.fail(
                "\(name).\(field)", "exists", zh: "\(name).\(field)：数据资源 \(code) 没有信息项 \(value)",
                en: "\(name).\(field): dataset \(code) has no item \(value)")
        }
        if item == key { v.fail("\(name).item", "not_key", zh: "\(name).item 不能是键本身", en: "\(name).item must not be the key item itself") }
        try v.check()
        let (catalogEntry, content) = try await exchange.publishedEntry(code: dataset.entryId)
        return FactPairSide(
            datasetId: dataset.id, entryId: catalogEntry.id, entryCode: catalogEntry.code, entryName: content.name ?? catalogEntry.code,
            providerId: dataset.providerId, item: item.trimmingCharacters(in: .whitespaces),
            keyItem: key.trimmingCharacters(in: .whitespaces))
    }

    static func same(_ p: FactPair, _ l: FactPairSide, _ r: FactPairSide) -> Bool {
        let a = [p.left.datasetId + "." + p.left.item, p.right.datasetId + "." + p.right.item].sorted()
        return a == [l.datasetId + "." + l.item, r.datasetId + "." + r.item].sorted()
    }

    func findPair(_ id: String) async throws -> FactPair {
        guard Identifier.isValid(id), let pair = try await repository.pair(id: id) else {
            throw DomainError.notFound("Fact pair", zh: "事实对应关系")
        }
        return pair
    }

    /// The departments an authority reviewer's authority reviews (the system: none needed, it passes every check).
    func scope(of actor: Principal) async throws -> OversightScope {
        actor.kind == .system ? .all : .departments(try await departments.reviewed(by: actor.departmentId))
    }

    func notice(to departmentId: String, kind: String, _ c: ConflictCase, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "conflict_case", subjectId: c.id,
            message: message, createdAt: Timestamp.format(clock.now()))
    }
}

extension FactPair {
    var auditSummary: String {
        AuditJSON.encode([
            "left": "\(left.entryCode).\(left.item) by \(left.keyItem)", "right": "\(right.entryCode).\(right.item) by \(right.keyItem)",
            "authority_id": authorityId,
        ])
    }
}

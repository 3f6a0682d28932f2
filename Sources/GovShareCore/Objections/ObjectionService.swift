import Foundation

/// Objections to shared data (数据异议, Art. 21; national 校核纠错): a consumer that read records and believes them
/// wrong raises an objection; the provider confirms and corrects, or rejects with reasons, within
/// `objectionReplyWorkingDays` on the official calendar; the objector accepts or disputes; the data authority over the
/// provider rules on a dispute within `objectionRulingWorkingDays`, and its ruling binds the provider. Confirmed
/// records are flagged in every read until a correction batch lands; readers of the last `correctionNoticeDays` are
/// told when it does. Every step is audited and notifies the other side.
public struct ObjectionService: Sendable {
    public enum Limits {
        public static let description = 2_000
        public static let reason = 2_000
        public static let records = 100
        public static let key = 200
        public static let value = 1_000
        public static let listed = 500
        public static let attachments = 10
    }

    let repository: any ObjectionRepository
    let exchange: ExchangeService
    let departments: any DepartmentRepository
    let calendar: CalendarService
    let files: any FileStore
    let clock: any WallClock
    let nodeId: String
    let rules: RegulationRules
    public let maxAttachmentBytes: Int

    public init(
        repository: any ObjectionRepository, exchange: ExchangeService, departments: any DepartmentRepository,
        calendar: CalendarService, files: any FileStore, clock: any WallClock, nodeId: String, rules: RegulationRules,
        maxAttachmentBytes: Int = 10 << 20
    ) {
        self.repository = repository; self.exchange = exchange; self.departments = departments; self.calendar = calendar
        self.files = files; self.clock = clock; self.nodeId = nodeId; self.rules = rules
        self.maxAttachmentBytes = maxAttachmentBytes
    }

    var now: String { Timestamp.format(clock.now()) }
    var today: CivilDate { CivilDate(instant: clock.now()) }

    public struct RecordInput: Sendable {
        public var key: String?
        /// Instead of the key: the token a read gave the department for the row (the portal's preview), for a reader
        /// who sees the key masked.
        public var token: String?
        public var proposedValue: String?
        public init(key: String?, token: String? = nil, proposedValue: String?) {
            self.key = key; self.token = token; self.proposedValue = proposedValue
        }
    }

    public struct RaiseInput: Sendable {
        public var datasetCode, kind, item, description: String?
        public var records: [RecordInput]
        public init(datasetCode: String?, kind: String?, item: String?, description: String?, records: [RecordInput]) {
            self.datasetCode = datasetCode; self.kind = kind; self.item = item; self.description = description
            self.records = records
        }
    }

    /// Raises an objection. The objector's department must be able to read the dataset now (a subscription or grant
    /// in force), may name only items it may read, and only records its department has read (the read trace says so):
    /// objecting never reveals whether a record it has not seen exists. Nothing is stored when any check fails.
    public func raise(_ input: RaiseInput, by actor: Principal, origin: RequestOrigin) async throws -> Objection {
        try Policy.raiseObjection.check(actor)
        var v = Validator()
        v.require(input.datasetCode, field: "dataset", maxLength: 200)
        v.require(input.description, field: "description", maxLength: Limits.description)
        let kind = input.kind.flatMap(ObjectionKind.init(rawValue:))
        if kind == nil {
            v.fail(
                "kind", "one_of", zh: "kind 应为 \(ObjectionKind.allCases.map(\.rawValue).joined(separator: "、")) 之一",
                en: "kind must be one of \(ObjectionKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if input.records.count > Limits.records {
            v.fail("records", "max_count", zh: "一次异议最多 \(Limits.records) 条记录", en: "An objection names at most \(Limits.records) records")
        }
        if kind == .missingRecord, !input.records.isEmpty {
            v.fail("records", "not_allowed", zh: "缺失记录的异议不列记录主键，请在说明中描述", en: "A missing-record objection names no records; describe it")
        }
        if kind == .format, (input.item ?? "").isEmpty {
            v.fail("item", "required", zh: "格式异议须指明信息项", en: "A format objection names the item")
        }
        for (i, r) in input.records.enumerated() {
            if r.token == nil { v.require(r.key, field: "records[\(i)].key", maxLength: Limits.key) }
            v.limit(r.token, field: "records[\(i)].token", maxLength: 1_024)
            v.limit(r.proposedValue, field: "records[\(i)].proposed_value", maxLength: Limits.value)
        }
        try v.check()
        let dataset = try await exchange.dataset(code: input.datasetCode!.trimmingCharacters(in: .whitespaces))
        guard dataset.providerId != actor.departmentId else {
            throw DomainError(
                .forbidden, code: "own_dataset",
                message: LocalizedText(
                    zh: "提供部门直接报送更正，不对本部门数据提出异议", en: "The provider corrects its own data by reporting; it does not object to it"))
        }
        // What the department may read now, under any of its purposes: the union of their readable items.
        var readable = Set<String>()
        var clear = Set<String>()
        for basis in try await exchange.readPurposes(dataset, for: actor) {
            let columns = try AccessPolicy.readable(dataset, reader: actor, basis: basis, requested: nil, today: exchange.today)
            readable.formUnion(columns.map(\.column.itemCode))
            clear.formUnion(columns.filter { $0.mask == .clear }.map(\.column.itemCode))
        }
        guard !readable.isEmpty else { throw DomainError.forbidden(policy: .raiseObjection) }
        let item = input.item.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let item, !readable.contains(item) {
            throw DomainError(
                .forbidden, code: "item_not_readable",
                message: LocalizedText(zh: "item：贵部门无权读取信息项「\(item)」", en: "item: your department may not read item '\(item)'"),
                problems: [
                    FieldProblem(
                        field: "item", rule: "readable", message: LocalizedText(zh: "无权读取该信息项", en: "Not readable by your department"))
                ])
        }
        var records: [ObjectionRecord] = []
        var seen = Set<String>()
        var problems = Validator()
        for (i, r) in input.records.enumerated() {
            var named = r.key
            // A key the department sees only masked is named by the row's token: taking it in clear would make the
            // "not read" answer below an oracle that tells which of a hundred guesses is the masked key's value.
            if r.token == nil, !clear.contains(dataset.primaryKey) {
                problems.fail(
                    "records[\(i)].token", "token_required", zh: "贵部门看到的主键是遮蔽的，请用读取结果中的记录标识（token）指明记录",
                    en: "Your department sees the key masked: name the record by the token its read returned")
                continue
            }
            if let token = r.token {
                named = try await exchange.datasets.openRecordToken(token, datasetId: dataset.id, departmentId: actor.departmentId)
                if named == nil {
                    problems.fail("records[\(i)].token", "token", zh: "记录标识无效", en: "The record token is not valid for your department")
                    continue
                }
            }
            let raw = named!.trimmingCharacters(in: .whitespaces)
            guard let key = (try? ExchangeService.normalisedKeys([raw], dataset: dataset))?.first else {
                problems.fail("records[\(i)].key", "format", zh: "主键格式不符", en: "The key does not have the key item's format")
                continue
            }
            guard seen.insert(key).inserted else {
                problems.fail("records[\(i)].key", "duplicate", zh: "同一记录重复列出", en: "The same record is listed twice")
                continue
            }
            // The same answer for a record that does not exist and one that exists but was not read by this department.
            let reads = try await exchange.datasets.reads(
                ReadTraceQuery(recordKey: key, datasetId: dataset.id, departmentId: actor.departmentId, limit: 1))
            if reads.isEmpty {
                problems.fail(
                    "records[\(i)].key", "not_read", zh: "贵部门未读取过该记录，只能对读取过的记录提出异议",
                    en: "Your department has not read this record; objections name records it has read")
                continue
            }
            records.append(ObjectionRecord(key: key, proposedValue: r.proposedValue.map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        try problems.check()
        if records.isEmpty { records = [ObjectionRecord(key: "", proposedValue: nil)] }
        let provider = try await departments.find(id: dataset.providerId)
        let authorities = try await departments.list(DepartmentFilter()).filter { $0.kind == .dataAuthority }
        let authorityId = provider.flatMap { Oversight.reviewingAuthority(for: $0, among: authorities)?.id } ?? dataset.providerId
        let entryName = (try? await exchange.publishedEntry(code: dataset.entryId).1.name) ?? dataset.entryCode
        var objection = Objection(
            id: Identifier.make(at: clock.now()), datasetId: dataset.id, entryCode: dataset.entryCode, entryName: entryName,
            providerId: dataset.providerId, objectorDepartmentId: actor.departmentId, authorityId: authorityId, item: item,
            kind: kind!, description: input.description!.trimmingCharacters(in: .whitespacesAndNewlines), records: records,
            createdBy: actor.id, createdByName: actor.name, createdAt: now, nodeId: nodeId)
        let deadline = try await startClock(objection.id, workingDays: rules.objectionReplyWorkingDays)
        objection.deadlineId = deadline.id
        objection.dueOn = deadline.dueOn.description
        objection.dueProvisional = deadline.provisional
        step(&objection, "objection.raise", actor, nil)
        try await repository.insert(
            objection, deadline: deadline,
            notifications: [
                notify(
                    objection.providerId, "objection.raised", objection,
                    LocalizedText(
                        zh: "收到对「\(entryName)」的数据异议，请于 \(deadline.dueOn) 前校核答复",
                        en: "An objection to \(entryName) was raised; answer by \(deadline.dueOn)"))
            ],
            audit: audit(actor, "objection.raise", objection, before: nil, origin: origin))
        return objection
    }

    // MARK: Seeing objections

    /// Whether the actor may see this objection: a data-handling role in the objector's or the provider's department,
    /// a reviewer of the authority over the provider, or supervision (administrators and auditors).
    public func mayView(_ o: Objection, by actor: Principal) async throws -> Bool {
        if actor.kind == .system || Policy.readAllObjections.allows(actor) { return true }
        if [o.objectorDepartmentId, o.providerId].contains(actor.departmentId),
            Policy.raiseObjection.allows(actor) || Policy.answerObjection.allows(actor)
        {
            return true
        }
        // The authority over the provider sees the case, also where its own department is a party and its
        // administrators rule (`mayRule`).
        if Policy.ruleObjection.allows(actor), try await departments.reviewed(by: actor.departmentId).contains(o.providerId) {
            return true
        }
        return try await mayRule(o, by: actor, ignoringStatus: true)
    }

    /// Whether the actor sees the records' keys and proposed values: the parties and the authority, not supervision
    /// alone (auditors see the case, not the residents it concerns).
    public func seesRecords(_ o: Objection, by actor: Principal) async throws -> Bool {
        if actor.kind == .system || [o.objectorDepartmentId, o.providerId].contains(actor.departmentId) { return true }
        return try await mayRule(o, by: actor, ignoringStatus: true)
    }

    public func find(id: String, by actor: Principal) async throws -> Objection {
        guard Identifier.isValid(id), let o = try await repository.find(id: id), try await mayView(o, by: actor) else {
            throw DomainError.notFound("Objection", zh: "数据异议")
        }
        var masks: [String: MaskRule?] = [:]
        return try await shown(o, to: actor, masks: &masks)
    }

    /// The objection as this viewer may see it: supervision alone sees the case without the residents; the objector
    /// sees the keys as its reads show them (masked where its purposes mask the key item), so naming a row it read
    /// masked never reveals the clear key.
    func shown(_ o: Objection, to actor: Principal, masks: inout [String: MaskRule?]) async throws -> Objection {
        var o = o
        guard try await seesRecords(o, by: actor) else {
            o.records = o.records.map(Self.withheld)
            return o
        }
        guard actor.departmentId == o.objectorDepartmentId, actor.kind != .system else { return o }
        if masks[o.datasetId] == nil { masks[o.datasetId] = try await keyMask(entryCode: o.entryCode, for: actor) }
        if let mask = masks[o.datasetId] ?? nil {
            for i in o.records.indices where !o.records[i].isWholeSubject { o.records[i].key = mask.apply(o.records[i].key) }
        }
        return o
    }

    /// How the department's reads show the dataset's key item: nil when some purpose shows it in clear.
    func keyMask(entryCode: String, for actor: Principal) async throws -> MaskRule? {
        guard let dataset = try? await exchange.dataset(code: entryCode) else { return .full }
        let key = dataset.keyColumn.itemCode
        var best: MaskRule? = .full
        for basis in try await exchange.readPurposes(dataset, for: actor) {
            let columns = (try? AccessPolicy.readable(dataset, reader: actor, basis: basis, requested: nil, today: exchange.today)) ?? []
            if let column = columns.first(where: { $0.column.itemCode == key }) {
                if column.mask == .clear { return nil }
                best = column.mask
            }
        }
        return best
    }

    /// The objections the actor may see, those due soonest (overdue first) on top of the actor's own queue.
    public func list(by actor: Principal) async throws -> [Objection] {
        let ids: Set<String>?
        if actor.kind == .system || Policy.readAllObjections.allows(actor) {
            ids = nil
        } else {
            guard Policy.raiseObjection.allows(actor) || Policy.answerObjection.allows(actor) || Policy.ruleObjection.allows(actor) else {
                throw DomainError.forbidden(policy: .raiseObjection)
            }
            var scope: Set<String> = [actor.departmentId]
            if actor.roles.contains(.authorityReviewer) { scope.formUnion(try await departments.reviewed(by: actor.departmentId)) }
            ids = scope
        }
        var out: [Objection] = []
        var masks: [String: MaskRule?] = [:]
        for o in try await repository.list(departmentIds: ids, limit: Limits.listed) where try await mayView(o, by: actor) {
            out.append(try await shown(o, to: actor, masks: &masks))
        }
        return out
    }

    /// What the actor's department must do next, overdue first, then by due date.
    public func queue(by actor: Principal) async throws -> [Objection] {
        // The provider's staff answer and correct, the objector's staff accept or dispute, the authority's reviewers
        // rule (the provincial authority is also a provider: its catalogers do not see disputes as theirs).
        let mine = try await list(by: actor).filter { o in
            switch o.status {
            case .open: o.providerId == actor.departmentId && Policy.answerObjection.allows(actor)
            case .answered:
                (o.objectorDepartmentId == actor.departmentId && Policy.raiseObjection.allows(actor))
                    || (o.providerId == actor.departmentId && Policy.answerObjection.allows(actor) && !o.openConfirmed.isEmpty)
            case .disputed:
                o.authorityId == actor.departmentId
                    && Impartiality.mayDecide(actor, parties: [o.providerId, o.objectorDepartmentId], policy: .ruleObjection)
            case .closed: o.providerId == actor.departmentId && Policy.answerObjection.allows(actor) && !o.openConfirmed.isEmpty
            }
        }
        let day = today
        return mine.sorted { a, b in
            let (ao, bo) = (a.isOverdue(on: day), b.isOverdue(on: day))
            if ao != bo { return ao }
            return (a.dueOn ?? a.correctionDueOn ?? "9") < (b.dueOn ?? b.correctionDueOn ?? "9")
        }
    }

    static func withheld(_ r: ObjectionRecord) -> ObjectionRecord {
        var r = r
        if !r.key.isEmpty { r.key = "****" + String(r.key.suffix(2)) }
        r.proposedValue = r.proposedValue == nil ? nil : "[withheld]"
        return r
    }

    // MARK: Helpers shared by the steps

    func startClock(_ id: String, workingDays: Int) async throws -> Deadline {
        let received = today
        let due = try await calendar.dueDate(receivedOn: received, workingDays: workingDays)
        return Deadline(
            id: Identifier.make(at: clock.now()), subjectType: "objection", subjectId: id, receivedOn: received,
            workingDays: workingDays, dueOn: due.date, provisional: due.provisional, status: .open, nodeId: nodeId)
    }

    func notify(_ departmentId: String, _ kind: String, _ o: Objection, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "objection", subjectId: o.id,
            message: message, createdAt: now)
    }

    func step(_ o: inout Objection, _ action: String, _ actor: Principal, _ note: String?) {
        o.history.append(
            ObjectionStep(at: now, action: action, actorId: actor.id, actorName: actor.name, departmentId: actor.departmentId, note: note))
        o.updatedAt = now
    }

    /// The audit entry: the case's state, never the records' keys or proposed values (personal data).
    func audit(_ actor: Principal, _ action: String, _ o: Objection, before: Objection?, origin: RequestOrigin, detail: String? = nil)
        -> AuditRecord
    {
        AuditRecord(
            actor: actor, action: action, objectType: "objection", objectId: o.id, before: before.map(Self.summary),
            after: Self.summary(o), detail: detail, origin: origin)
    }

    static func summary(_ o: Objection) -> String {
        var states: [String: Int] = [:]
        for r in o.records { states[r.state.rawValue, default: 0] += 1 }
        return AuditJSON.encode([
            "dataset_id": o.datasetId, "entry_code": o.entryCode, "provider_id": o.providerId,
            "objector_department_id": o.objectorDepartmentId, "kind": o.kind.rawValue, "item": o.item ?? "",
            "status": o.status.rawValue, "outcome": o.outcome?.rawValue ?? "", "due_on": o.dueOn ?? "",
            "records": states.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
        ])
    }

    func load(_ id: String, by actor: Principal) async throws -> Objection {
        guard Identifier.isValid(id), let o = try await repository.find(id: id), try await mayView(o, by: actor) else {
            throw DomainError.notFound("Objection", zh: "数据异议")
        }
        return o
    }

    static func notInStatus(_ o: Objection, _ expected: ObjectionStatus...) -> DomainError {
        DomainError.conflict(
            code: "objection_status",
            zh: "该异议当前为「\(o.status.name.zh)」，此操作需要「\(expected.map(\.name.zh).joined(separator: "」或「"))」",
            en: "The objection is \(o.status.rawValue); this needs \(expected.map(\.rawValue).joined(separator: " or "))")
    }
}

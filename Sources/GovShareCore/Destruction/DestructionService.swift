import Foundation

/// Destroying data (Art. 27, lifecycle: 销毁): the provider's reviewer asks — every row of a withdrawn dataset, or the
/// rows last updated before a date past their retention — with a basis; the data authority over the provider approves
/// or rejects (never the requester); then the provider's reviewer executes it: one transaction reads the rows, digests
/// them (SM3, `DestructionDigest`), deletes them and writes the destruction record and its audit entry. The audit
/// log and the read trace are never destroyed here (they are archived, issue 15 item 4).
public struct DestructionService: Sendable {
    public enum Limits {
        public static let basis = 2_000
        public static let note = 1_000
        public static let listed = 200
    }

    let repository: any DestructionRepository
    let datasets: any DatasetRepository
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let crypto: any NationalCrypto
    let clock: any WallClock
    let nodeId: String

    public init(
        repository: any DestructionRepository, datasets: any DatasetRepository, catalog: any CatalogRepository,
        departments: any DepartmentRepository, crypto: any NationalCrypto, clock: any WallClock, nodeId: String
    ) {
        self.repository = repository; self.datasets = datasets; self.catalog = catalog; self.departments = departments
        self.crypto = crypto; self.clock = clock; self.nodeId = nodeId
    }

    public struct RequestInput: Sendable {
        public var entryCode, scope, before, basis: String?
        public init(entryCode: String?, scope: String?, before: String?, basis: String?) {
            self.entryCode = entryCode; self.scope = scope; self.before = before; self.basis = basis
        }
    }

    public func request(_ input: RequestInput, by actor: Principal, origin: RequestOrigin) async throws -> DestructionRequest {
        try Policy.requestDestruction.check(actor)
        var v = Validator()
        v.require(input.entryCode, field: "entry_code", maxLength: 200)
        v.require(input.basis, field: "basis", maxLength: Limits.basis)
        let scope = input.scope.flatMap(DestructionScope.init(rawValue:))
        if scope == nil {
            v.fail("scope", "one_of", zh: "scope 应为 dataset 或 updated_before", en: "scope must be dataset or updated_before")
        }
        let today = CivilDate(instant: clock.now())
        var before: CivilDate?
        if scope == .before {
            before = input.before.flatMap(CivilDate.init)
            if before == nil {
                v.fail("before", "date", zh: "before 应为日期（YYYY-MM-DD）", en: "before must be a date (YYYY-MM-DD)")
            } else if before! > today {
                v.fail("before", "not_future", zh: "before 不能晚于今天", en: "before must not be after today")
            }
        }
        try v.check()
        let code = input.entryCode!.trimmingCharacters(in: .whitespacesAndNewlines)
        let found = try await catalog.entry(code: code)
        let entry: CatalogEntry?
        if let found { entry = found } else { entry = Identifier.isValid(code) ? try await catalog.entry(id: code) : nil }
        guard let entry, let dataset = try await datasets.find(entryId: entry.id) else {
            throw DomainError.invalid(
                field: "entry_code", rule: "exists", zh: "目录 \(code) 没有挂接的数据", en: "Catalog entry \(code) has no mounted dataset")
        }
        guard dataset.providerId == actor.departmentId else { throw DomainError.forbidden(policy: .requestDestruction) }
        if scope == .dataset { try Self.requireRetired(entry) }
        let now = clock.now()
        let request = DestructionRequest(
            id: Identifier.make(at: now), datasetId: dataset.id, entryId: entry.id, entryCode: entry.code,
            providerId: dataset.providerId, scope: scope!, before: before?.description,
            basis: input.basis!.trimmingCharacters(in: .whitespacesAndNewlines), status: .pending, requestedBy: actor.id,
            requestedByName: actor.name, requestedAt: Timestamp.format(now), nodeId: nodeId)
        try await repository.insert(
            request,
            audit: AuditRecord(
                actor: actor, action: "destruction.request", objectType: "destruction_request", objectId: request.id,
                after: request.auditSummary, origin: origin))
        return request
    }

    /// Approves or rejects a pending request: a reviewer of the data authority over the provider, who did not ask.
    public func decide(id: String, approve: Bool, note: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> DestructionRequest
    {
        try Impartiality.checkEntry(actor, .approveDestruction)
        var v = Validator()
        if let note, InputLimits.exceeds(note, Limits.note) {
            v.fail("note", "max_length", zh: "note 不能超过 \(Limits.note) 个字符", en: "note must be at most \(Limits.note) characters")
        }
        if !approve, (note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "").isEmpty {
            v.fail("note", "required", zh: "驳回须说明理由", en: "A rejection needs a note")
        }
        try v.check()
        var request = try await find(id)
        guard try await departments.reviewed(by: actor.departmentId).contains(request.providerId) else {
            throw DomainError.forbidden(policy: .approveDestruction)
        }
        try Impartiality.check(actor, parties: [request.providerId], policy: .approveDestruction)
        guard request.requestedBy != actor.id else {
            throw DomainError(
                .forbidden, code: "separation_of_duties",
                message: LocalizedText(zh: "销毁申请不能由申请人本人审批", en: "A destruction request cannot be approved by its requester"))
        }
        guard request.status == .pending else { throw Self.notInStatus(request, "pending") }
        request.status = approve ? .approved : .rejected
        request.decidedBy = actor.id
        request.decidedByName = actor.name
        request.decidedAt = Timestamp.format(clock.now())
        request.decisionNote = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard
            try await repository.decide(
                request,
                audit: AuditRecord(
                    actor: actor, action: approve ? "destruction.approve" : "destruction.reject",
                    objectType: "destruction_request", objectId: request.id, after: request.auditSummary,
                    detail: request.decisionNote, origin: origin))
        else { throw Self.notInStatus(request, "pending") }
        return request
    }

    /// Carries out an approved request (the provider's reviewer); returns the destruction record.
    public func execute(id: String, by actor: Principal, origin: RequestOrigin) async throws -> DestructionRecord {
        try Policy.requestDestruction.check(actor)
        let request = try await find(id)
        guard request.providerId == actor.departmentId else { throw DomainError.forbidden(policy: .requestDestruction) }
        guard request.status == .approved, let approver = request.decidedByName else { throw Self.notInStatus(request, "approved") }
        guard let entry = try await catalog.entry(id: request.entryId), let dataset = try await datasets.find(entryId: entry.id) else {
            throw DomainError.notFound("Dataset", zh: "数据资源")
        }
        if request.scope == .dataset { try Self.requireRetired(entry) }
        let cutoff = request.before.flatMap(CivilDate.init).map {
            $0.firstInstant
        }
        let now = Timestamp.format(clock.now())
        let recordId = Identifier.make(at: clock.now())
        let node = nodeId
        let executor = actor.name
        guard
            let record = try await repository.execute(
                request, dataset: dataset, cutoff: cutoff, digest: DestructionDigest(crypto: crypto),
                record: { rows, sm3 in
                    DestructionRecord(
                        id: recordId, requestId: request.id, datasetId: dataset.id, entryCode: request.entryCode,
                        providerId: request.providerId, scope: request.scope, before: request.before, basis: request.basis,
                        requestedBy: request.requestedByName, approvedBy: approver, executedBy: executor, rowCount: rows, sm3: sm3,
                        executedAt: now, nodeId: node)
                },
                audit: { record in
                    AuditRecord(
                        actor: actor, action: "destruction.execute", objectType: "destruction_record", objectId: record.id,
                        after: AuditJSON.encode([
                            "request_id": record.requestId, "dataset_id": record.datasetId, "entry_code": record.entryCode,
                            "scope": record.scope.rawValue, "before": record.before ?? "", "rows": String(record.rowCount),
                            "sm3": record.sm3, "approved_by": record.approvedBy,
                        ]), detail: record.basis, origin: origin)
                })
        else { throw Self.notInStatus(request, "approved") }
        return record
    }

    /// Requests and records the actor may see: their own department's, and those of the departments the actor's
    /// authority reviews (everyone's for administrators, auditors and security officers of the data authority).
    public func list(by actor: Principal) async throws -> (requests: [DestructionRequest], records: [DestructionRecord]) {
        try Policy.readDestructions.check(actor)
        let ids = try await visibleProviders(actor)
        return (
            try await repository.requests(providerIds: ids, limit: Limits.listed),
            try await repository.records(providerIds: ids, limit: Limits.listed)
        )
    }

    /// Whether the actor could approve this request (the portal shows the buttons only then).
    public func mayDecide(_ request: DestructionRequest, by actor: Principal) async throws -> Bool {
        guard Impartiality.mayDecide(actor, parties: [request.providerId], policy: .approveDestruction), request.status == .pending,
            request.requestedBy != actor.id
        else { return false }
        return try await departments.reviewed(by: actor.departmentId).contains(request.providerId)
    }

    public func mayRequest(_ actor: Principal) -> Bool { Policy.requestDestruction.allows(actor) }

    public func mayExecute(_ request: DestructionRequest, by actor: Principal) -> Bool {
        Policy.requestDestruction.allows(actor) && request.status == .approved && request.providerId == actor.departmentId
    }

    func visibleProviders(_ actor: Principal) async throws -> Set<String>? {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) || actor.roles.contains(.securityAuditor)
            || actor.roles.contains(.securityOfficer)
        {
            return nil
        }
        var ids: Set<String> = [actor.departmentId]
        if actor.roles.contains(.authorityReviewer) { ids.formUnion(try await departments.reviewed(by: actor.departmentId)) }
        return ids
    }

    func find(_ id: String) async throws -> DestructionRequest {
        guard Identifier.isValid(id), let request = try await repository.request(id: id) else {
            throw DomainError.notFound("Destruction request", zh: "销毁申请")
        }
        return request
    }

    static func requireRetired(_ entry: CatalogEntry) throws {
        guard entry.status == .withdrawn else {
            throw DomainError.conflict(
                code: "dataset_not_retired",
                zh: "目录 \(entry.code) 仍在发布（可被订阅和授权）：先下架，才能销毁其全部数据",
                en:
                    "Catalog entry \(entry.code) is still published (open to subscriptions and grants): withdraw it before destroying its data"
            )
        }
    }

    static func notInStatus(_ r: DestructionRequest, _ expected: String) -> DomainError {
        DomainError.conflict(
            code: "destruction_status", zh: "该销毁申请当前为「\(r.status.name.zh)」，此操作需要「\(expected)」",
            en: "The destruction request is \(r.status.rawValue); this needs \(expected)")
    }
}

extension DestructionRequest {
    var auditSummary: String {
        AuditJSON.encode([
            "dataset_id": datasetId, "entry_code": entryCode, "scope": scope.rawValue, "before": before ?? "",
            "status": status.rawValue, "requested_by": requestedBy, "decided_by": decidedBy ?? "",
        ])
    }
}

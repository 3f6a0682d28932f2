import Foundation

/// Random sampling (随机抽查, Art. 30): plans, the draw, inspections, and re-running a draw to check it.
extension SupervisionService {
    public enum SamplingLimits {
        public static let name = 200
        public static let size = 1...500
        public static let note = 1000
    }

    public struct NewPlan: Sendable {
        public var name: String?
        public var population: String?
        public var departmentCode: String?
        public var size: Int?
        public init(name: String?, population: String?, departmentCode: String?, size: Int?) {
            self.name = name; self.population = population; self.departmentCode = departmentCode; self.size = size
        }
    }

    /// Records a plan with its seed, fixed now from the audit chain's head — before anything is drawn.
    public func createPlan(_ input: NewPlan, by actor: Principal, origin: RequestOrigin) async throws -> SamplingPlan {
        try Policy.orderRectification.check(actor)
        var v = Validator()
        v.require(input.name, field: "name", maxLength: SamplingLimits.name)
        let population = input.population.flatMap(SamplingPopulation.init(rawValue:))
        if population == nil {
            v.fail(
                "population", "enum", zh: "population 应为 entries、datasets、grants 或 departments",
                en: "population must be entries, datasets, grants or departments")
        }
        if !SamplingLimits.size.contains(input.size ?? 0) {
            v.fail("size", "range", zh: "size 应为 1–500", en: "size must be 1–500")
        }
        try v.check()
        var departmentId: String?
        if let code = input.departmentCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            departmentId = try await departments.require(code: code, field: "department_code").id
        }
        let end = try await checkpoints.chainEnd()
        guard let headSeq = end.headSeq, let headHash = end.headHash else {
            throw DomainError(
                .unavailable, code: "audit_head", message: LocalizedText(zh: "审计链头不可用", en: "The audit chain's head is not available"))
        }
        let now = clock.now()
        var plan = SamplingPlan(
            id: Identifier.make(at: now), name: input.name!.trimmingCharacters(in: .whitespacesAndNewlines), population: population!,
            departmentFilter: departmentId, size: input.size!, headSeq: headSeq, headHash: headHash, seedHex: "", createdBy: actor.name,
            createdAt: Timestamp.format(now), nodeId: nodeId, authorityId: actor.kind == .system ? nil : actor.departmentId)
        plan.seedHex = SamplingPlan.seed(terms: plan.terms, headHash: headHash, sm3: keyring.crypto.sm3)
        try await repository.insert(
            plan,
            audit: AuditRecord(
                actor: actor, action: "sampling.plan", objectType: "sampling_plan", objectId: plan.id,
                after: AuditJSON.encode([
                    "population": plan.population.rawValue, "size": String(plan.size), "head_seq": String(headSeq), "seed": plan.seedHex,
                ]), origin: origin))
        return plan
    }

    /// The draw, once: the population as it is now, frozen with the plan, and the sample taken by the seed.
    public func draw(planId: String, by actor: Principal, origin: RequestOrigin) async throws -> SamplingPlan {
        try Policy.orderRectification.check(actor)
        var plan = try await plan(id: planId, by: actor)
        try requirePlanAuthority(plan, actor)
        guard plan.drawnAt == nil else {
            throw DomainError(.conflict, code: "already_drawn", message: LocalizedText(zh: "该抽查计划已抽取", en: "This plan was drawn already"))
        }
        // Within the drawing authority's oversight: it samples the departments it supervises (Art. 30), so whatever it
        // finds is a finding it may order corrected.
        let oversight = try await scope(of: actor)
        plan.populationObjects = try await population(plan.population, departmentId: plan.departmentFilter)
            .filter { oversight.contains($0.departmentId) }.sorted { $0.id < $1.id }
        plan.sample = SamplingPlan.draw(seedHex: plan.seedHex, population: plan.populationObjects, size: plan.size, sm3: keyring.crypto.sm3)
        plan.drawnAt = Timestamp.format(clock.now())
        let recorded = try await repository.recordDraw(
            plan,
            audit: AuditRecord(
                actor: actor, action: "sampling.draw", objectType: "sampling_plan", objectId: plan.id,
                after: AuditJSON.encode([
                    "population": String(plan.populationObjects.count), "sample": plan.sample.map(\.id).joined(separator: ","),
                ]), origin: origin))
        guard recorded else {
            throw DomainError(.conflict, code: "already_drawn", message: LocalizedText(zh: "该抽查计划已抽取", en: "This plan was drawn already"))
        }
        return plan
    }

    func population(_ kind: SamplingPopulation, departmentId: String?) async throws -> [SampledObject] {
        var objects: [SampledObject]
        switch kind {
        case .entries:
            objects = try await catalog.entries(with: .published, status: nil, providerIds: nil, ids: nil)
                .filter { $0.entry.status != .withdrawn && $0.entry.homeNode == nil }
                .map {
                    SampledObject(
                        id: $0.entry.id, departmentId: $0.entry.providerId, label: "\($0.entry.code) \($0.version.content.name ?? "")")
                }
        case .datasets:
            objects = try await facts.datasetUpdates(before: Timestamp.format(clock.now()))
                .map { SampledObject(id: $0.datasetId, departmentId: $0.providerId, label: $0.entryCode) }
        case .grants:
            let today = CivilDate(instant: clock.now())
            objects = try await access.grants(departmentId: nil).filter { $0.isInForce(on: today) }
                .map { SampledObject(id: $0.id, departmentId: $0.departmentId, label: "\($0.entryId) · \($0.validUntil)") }
        case .departments:
            let providers = Set(
                try await catalog.entries(with: .published, status: nil, providerIds: nil, ids: nil).filter { $0.entry.homeNode == nil }
                    .map(\.entry.providerId))
            objects = try await departments.list(DepartmentFilter()).filter { providers.contains($0.id) }
                .map { SampledObject(id: $0.id, departmentId: $0.id, label: $0.nameZh) }
        }
        if let departmentId { objects = objects.filter { $0.departmentId == departmentId } }
        return objects
    }

    public func plan(id: String, by viewer: Principal) async throws -> SamplingPlan {
        try Policy.readSamplingPlans.check(viewer)
        guard Identifier.isValid(id), let plan = try await repository.plan(id: id) else {
            throw DomainError.notFound("Sampling plan", zh: "抽查计划")
        }
        return plan
    }

    public func mayReadPlans(_ viewer: Principal) -> Bool { Policy.readSamplingPlans.allows(viewer) }

    public func plans(by viewer: Principal) async throws -> [SamplingPlan] {
        try Policy.readSamplingPlans.check(viewer)
        return try await repository.plans(limit: Limits.listed)
    }

    public func inspections(planId: String, by viewer: Principal) async throws -> [SamplingInspection] {
        _ = try await plan(id: planId, by: viewer)
        return try await repository.inspections(planId: planId)
    }

    /// An inspector's result on a sampled object; a problem opens a finding against the object's department.
    public func inspect(planId: String, objectId: String?, ok: Bool, note: String?, by actor: Principal, origin: RequestOrigin)
        async throws -> SamplingInspection
    {
        try Policy.orderRectification.check(actor)
        var v = Validator()
        v.require(objectId, field: "object_id", maxLength: 64)
        if ok {
            v.limit(note, field: "note", maxLength: SamplingLimits.note)
        } else {
            v.require(note, field: "note", maxLength: SamplingLimits.note)
        }
        try v.check()
        let plan = try await plan(id: planId, by: actor)
        try requirePlanAuthority(plan, actor)
        guard let object = plan.sample.first(where: { $0.id == objectId }) else {
            throw DomainError.invalid(
                field: "object_id", rule: "sampled", zh: "object_id 不是本计划抽中的对象", en: "object_id is not an object this plan drew")
        }
        guard try await scope(of: actor).contains(object.departmentId) else {
            throw DomainError(
                .forbidden, code: "not_overseeing_authority",
                message: LocalizedText(
                    zh: "只有对该部门负有监督职责的政务数据主管部门可以记录抽查结果", en: "Only the authority overseeing the department records the result"))
        }
        let now = clock.now()
        let text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let finding =
            ok
            ? nil
            : SupervisionFinding(
                id: Identifier.make(at: now), rule: .inspection, ruleVersion: SupervisionRule.inspection.version,
                departmentId: object.departmentId, objectType: "sampled_\(plan.population.rawValue)", objectId: object.id,
                objectLabel: object.label, evidence: "抽查「\(plan.name)」发现 / inspection of \(plan.id): \(text)",
                severity: SupervisionRule.inspection.severity, status: .open, runId: plan.id, firstSeenAt: Timestamp.format(now),
                lastSeenAt: Timestamp.format(now), resolvedAt: nil, nodeId: nodeId)
        let inspection = SamplingInspection(
            planId: plan.id, objectId: object.id, ok: ok, note: text, inspectorName: actor.name, inspectedAt: Timestamp.format(now),
            findingId: finding?.id)
        try await repository.insert(
            inspection, finding: finding,
            audit: AuditRecord(
                actor: actor, action: "sampling.inspect", objectType: "sampling_plan", objectId: plan.id,
                after: AuditJSON.encode(["object": object.id, "ok": ok ? "true" : "false"]), origin: origin))
        return inspection
    }

    /// Re-runs the plan: the recorded head hash is the chain's entry at that sequence number, the seed follows from the
    /// plan and that hash, and the recorded population drawn with it gives the recorded sample.
    public func verify(planId: String, by viewer: Principal) async throws -> SamplingVerification {
        let plan = try await plan(id: planId, by: viewer)
        var reasons: [LocalizedText] = []
        let stored = try await checkpoints.hashes(at: [plan.headSeq])[plan.headSeq]
        if let stored, stored != plan.headHash {
            reasons.append(
                LocalizedText(
                    zh: "记录的审计链头与审计链第 \(plan.headSeq) 条不符", en: "The recorded head is not the audit chain's entry \(plan.headSeq)"))
        } else if stored == nil, plan.headSeq > 0 {
            reasons.append(
                LocalizedText(
                    zh: "审计链第 \(plan.headSeq) 条已归档，请以归档包核对", en: "Audit entry \(plan.headSeq) is archived: check it against the package"))
        }
        if SamplingPlan.seed(terms: plan.terms, headHash: plan.headHash, sm3: keyring.crypto.sm3) != plan.seedHex {
            reasons.append(LocalizedText(zh: "种子与计划及链头不符", en: "The seed does not follow from the plan and the head"))
        }
        if plan.drawnAt == nil {
            reasons.append(LocalizedText(zh: "尚未抽取", en: "Not drawn yet"))
        } else if SamplingPlan.draw(seedHex: plan.seedHex, population: plan.populationObjects, size: plan.size, sm3: keyring.crypto.sm3)
            != plan.sample
        {
            reasons.append(LocalizedText(zh: "按记录的总体重新抽取得到的样本不同", en: "Drawing again from the recorded population gives another sample"))
        }
        return SamplingVerification(planId: plan.id, valid: reasons.isEmpty, reasons: reasons)
    }
}

extension SupervisionService {
    /// Whether the actor's authority recorded the plan (the portal shows draw and inspect only then). Another
    /// authority drawing first would freeze the sample to its own departments and leave the plan's owner nothing.
    public func mayWork(on plan: SamplingPlan, by actor: Principal) -> Bool {
        guard Policy.orderRectification.allows(actor) else { return false }
        return actor.kind == .system || plan.authorityId == nil || plan.authorityId == actor.departmentId
    }

    func requirePlanAuthority(_ plan: SamplingPlan, _ actor: Principal) throws {
        guard mayWork(on: plan, by: actor) else {
            throw DomainError(
                .forbidden, code: "not_plan_authority",
                message: LocalizedText(
                    zh: "只有制定该抽查计划的主管部门可以抽取和检查", en: "Only the authority that recorded the plan draws and inspects it"))
        }
    }
}

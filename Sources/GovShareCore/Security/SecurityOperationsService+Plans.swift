import Foundation

extension SecurityOperationsService {
    public struct PlanInput: Sendable {
        public var departmentId: String?
        public var title: String?
        public var body: String?
        public var effectiveOn: String?
        public var approvedBy: String?
        public init(departmentId: String? = nil, title: String?, body: String?, effectiveOn: String?, approvedBy: String?) {
            self.departmentId = departmentId; self.title = title; self.body = body; self.effectiveOn = effectiveOn
            self.approvedBy = approvedBy
        }
    }

    public func plans(by actor: Principal) async throws -> [EmergencyPlan] {
        try await records.plans(departmentId: try await scope(actor, policy: .readSecurityRecords))
    }

    /// A plan with its versions (newest first); 404 outside the actor's scope.
    public func plan(id: String, by actor: Principal) async throws -> (plan: EmergencyPlan, versions: [EmergencyPlanVersion]) {
        let plan = try await visiblePlan(id, actor)
        return (plan, try await records.planVersions(planId: plan.id))
    }

    func visiblePlan(_ id: String, _ actor: Principal) async throws -> EmergencyPlan {
        let scope = try await scope(actor, policy: .readSecurityRecords)
        guard Identifier.isValid(id), let plan = try await records.plan(id: id), scope == nil || plan.departmentId == scope else {
            throw DomainError.notFound("Emergency plan", zh: "应急预案")
        }
        return plan
    }

    /// A new plan: version 1.
    public func createPlan(_ input: PlanInput, by actor: Principal, origin: RequestOrigin) async throws -> EmergencyPlan {
        try Policy.manageEmergencyPlans.check(actor)
        let effective = try validate(input)
        let department = try await department(named: input.departmentId, for: actor, policy: .manageEmergencyPlans)
        let now = clock.now()
        let plan = EmergencyPlan(
            id: Identifier.make(at: now), nodeId: nodeId, departmentId: department.id, title: trimmed(input.title),
            currentVersion: 1, effectiveOn: effective, createdAt: now, updatedAt: now)
        let version = planVersion(plan.id, 1, input, effective, actor)
        try await records.insertPlan(
            plan, version: version,
            audit: AuditRecord(
                actor: actor, action: "security.plan.create", objectType: "emergency_plan", objectId: plan.id,
                after: AuditJSON.encode(Self.summary(plan, version)), origin: origin))
        return plan
    }

    /// The plan's next version (its number is the current one plus one; two editors at once: the second gets 409).
    public func revisePlan(id: String, _ input: PlanInput, by actor: Principal, origin: RequestOrigin) async throws -> EmergencyPlanVersion
    {
        try Policy.manageEmergencyPlans.check(actor)
        let plan = try await visiblePlan(id, actor)
        if plan.departmentId != actor.departmentId, !(try await seesAll(actor)) {
            throw DomainError.forbidden(policy: .manageEmergencyPlans)
        }
        let effective = try validate(input)
        let version = planVersion(plan.id, plan.currentVersion + 1, input, effective, actor)
        try await records.insertPlanVersion(
            version,
            audit: AuditRecord(
                actor: actor, action: "security.plan.revise", objectType: "emergency_plan", objectId: plan.id,
                before: String(plan.currentVersion), after: AuditJSON.encode(Self.summary(plan, version)), origin: origin))
        return version
    }

    func validate(_ input: PlanInput) throws -> CivilDate {
        var v = Validator()
        v.require(input.title, field: "title", maxLength: Limits.title)
        v.require(input.body, field: "body", maxLength: Limits.planBody)
        v.require(input.approvedBy, field: "approved_by", maxLength: Limits.person)
        v.limit(input.departmentId, field: "department_id", maxLength: 64)
        let date = input.effectiveOn.flatMap { CivilDate($0.trimmingCharacters(in: .whitespaces)) }
        if date == nil {
            v.fail("effective_on", "date", zh: "effective_on 应为日期（YYYY-MM-DD）", en: "effective_on must be a date (YYYY-MM-DD)")
        }
        try v.check()
        return date!
    }

    func planVersion(_ planId: String, _ number: Int, _ input: PlanInput, _ effective: CivilDate, _ actor: Principal)
        -> EmergencyPlanVersion
    {
        EmergencyPlanVersion(
            id: Identifier.make(at: clock.now()), planId: planId, version: number, title: trimmed(input.title), body: trimmed(input.body),
            effectiveOn: effective, approvedBy: trimmed(input.approvedBy), recordedBy: actor.id, recordedByName: actor.name,
            createdAt: clock.now())
    }

    static func summary(_ plan: EmergencyPlan, _ v: EmergencyPlanVersion) -> [String: String] {
        [
            "department_id": plan.departmentId, "title": v.title, "version": String(v.version), "effective_on": v.effectiveOn.description,
            "approved_by": v.approvedBy, "body_chars": String(v.body.count),
        ]
    }

    func trimmed(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
}

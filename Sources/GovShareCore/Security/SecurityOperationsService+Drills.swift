import Foundation

extension SecurityOperationsService {
    public struct FollowUpInput: Sendable {
        public var description: String?
        public var owner: String?
        public init(description: String?, owner: String?) { self.description = description; self.owner = owner }
    }

    public struct DrillInput: Sendable {
        public var departmentId: String?
        public var heldOn: String?
        public var scenario: String?
        public var planId: String?
        public var planVersion: Int?
        public var participants: [String]?
        public var findings: String?
        public var followUps: [FollowUpInput]?
        public init(
            departmentId: String? = nil, heldOn: String?, scenario: String?, planId: String? = nil, planVersion: Int? = nil,
            participants: [String]?, findings: String?, followUps: [FollowUpInput]? = nil
        ) {
            self.departmentId = departmentId; self.heldOn = heldOn; self.scenario = scenario; self.planId = planId
            self.planVersion = planVersion; self.participants = participants; self.findings = findings; self.followUps = followUps
        }
    }

    public func drills(by actor: Principal) async throws -> [Drill] {
        try await records.drills(departmentId: try await scope(actor, policy: .readSecurityRecords))
    }

    public func drill(id: String, by actor: Principal) async throws -> Drill {
        let scope = try await scope(actor, policy: .readSecurityRecords)
        guard Identifier.isValid(id), let drill = try await records.drill(id: id), scope == nil || drill.departmentId == scope else {
            throw DomainError.notFound("Drill", zh: "演练记录")
        }
        return drill
    }

    /// Records a drill held (not in the future), naming the plan version exercised when one is given.
    public func recordDrill(_ input: DrillInput, by actor: Principal, origin: RequestOrigin) async throws -> Drill {
        try Policy.manageDrills.check(actor)
        var v = Validator()
        v.require(input.scenario, field: "scenario", maxLength: Limits.text)
        v.require(input.findings, field: "findings", maxLength: Limits.text)
        v.limit(input.participants, field: "participants", maxCount: Limits.participants, maxLength: Limits.participant)
        v.limit(input.departmentId, field: "department_id", maxLength: 64)
        v.limit(input.planId, field: "plan_id", maxLength: 64)
        if (input.participants ?? []).allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            v.fail("participants", "required", zh: "participants 至少列出一名参演人员", en: "participants must name at least one person")
        }
        if (input.followUps?.count ?? 0) > Limits.followUps {
            v.fail(
                "follow_ups", "max_count", zh: "follow_ups 最多 \(Limits.followUps) 项",
                en: "follow_ups has at most \(Limits.followUps) entries")
        } else {
            for (i, f) in (input.followUps ?? []).enumerated() {
                v.require(f.description, field: "follow_ups[\(i)].description", maxLength: Limits.note)
                v.require(f.owner, field: "follow_ups[\(i)].owner", maxLength: Limits.person)
            }
        }
        let held = input.heldOn.flatMap { CivilDate($0.trimmingCharacters(in: .whitespaces)) }
        let today = CivilDate(instant: clock.now())
        if held == nil {
            v.fail("held_on", "date", zh: "held_on 应为日期（YYYY-MM-DD）", en: "held_on must be a date (YYYY-MM-DD)")
        } else if held! > today || held! < today.adding(days: -Limits.longestDelayDays) {
            v.fail("held_on", "range", zh: "held_on 不能晚于今天，也不能早于十年前", en: "held_on must not lie in the future nor more than ten years back")
        }
        try v.check()
        let department = try await department(named: input.departmentId, for: actor, policy: .manageDrills)
        var planVersion: Int?
        if let planId = input.planId, !planId.isEmpty {
            guard Identifier.isValid(planId), let plan = try await records.plan(id: planId), plan.departmentId == department.id else {
                throw DomainError.invalid(
                    field: "plan_id", rule: "exists", zh: "plan_id 不是该部门的应急预案", en: "plan_id is not an emergency plan of that department")
            }
            planVersion = input.planVersion ?? plan.currentVersion
            guard (1...plan.currentVersion).contains(planVersion!) else {
                throw DomainError.invalid(
                    field: "plan_version", rule: "exists", zh: "plan_version 不是该预案已有的版本", en: "plan_version is not a version of that plan")
            }
        }
        let now = clock.now()
        let id = Identifier.make(at: now)
        let drill = Drill(
            id: id, nodeId: nodeId, departmentId: department.id, heldOn: held!, scenario: trimmed(input.scenario),
            planId: planVersion == nil ? nil : input.planId, planVersion: planVersion,
            participants: (input.participants ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            findings: trimmed(input.findings), recordedBy: actor.id, createdAt: now,
            followUps: (input.followUps ?? []).map {
                DrillFollowUp(
                    id: Identifier.make(at: now), drillId: id, description: trimmed($0.description), owner: trimmed($0.owner),
                    done: false, doneAt: nil, doneBy: nil)
            })
        try await records.insertDrill(
            drill,
            audit: AuditRecord(
                actor: actor, action: "security.drill.record", objectType: "drill", objectId: drill.id,
                after: AuditJSON.encode([
                    "department_id": drill.departmentId, "held_on": drill.heldOn.description, "scenario": drill.scenario,
                    "plan_id": drill.planId ?? "", "plan_version": drill.planVersion.map(String.init) ?? "",
                    "follow_ups": String(drill.followUps.count),
                ]), origin: origin))
        return drill
    }

    func actingDrill(_ id: String, _ actor: Principal) async throws -> Drill {
        try Policy.manageDrills.check(actor)
        let drill = try await drill(id: id, by: actor)
        if drill.departmentId != actor.departmentId, !(try await seesAll(actor)) { throw DomainError.forbidden(policy: .manageDrills) }
        return drill
    }

    public func addFollowUp(drillId: String, _ input: FollowUpInput, by actor: Principal, origin: RequestOrigin) async throws
        -> DrillFollowUp
    {
        let drill = try await actingDrill(drillId, actor)
        var v = Validator()
        v.require(input.description, field: "description", maxLength: Limits.note)
        v.require(input.owner, field: "owner", maxLength: Limits.person)
        if drill.followUps.count >= Limits.followUps {
            v.fail(
                "follow_ups", "max_count", zh: "一次演练最多 \(Limits.followUps) 项整改", en: "A drill has at most \(Limits.followUps) follow-ups")
        }
        try v.check()
        let f = DrillFollowUp(
            id: Identifier.make(at: clock.now()), drillId: drill.id, description: trimmed(input.description), owner: trimmed(input.owner),
            done: false, doneAt: nil, doneBy: nil)
        try await records.insertFollowUp(
            f,
            audit: AuditRecord(
                actor: actor, action: "security.drill.follow_up", objectType: "drill", objectId: drill.id,
                after: AuditJSON.encode(["follow_up_id": f.id, "description": f.description, "owner": f.owner]), origin: origin))
        return f
    }

    /// Marks a follow-up done (once: 409 when it already is).
    public func completeFollowUp(drillId: String, followUpId: String, by actor: Principal, origin: RequestOrigin) async throws -> Drill {
        let drill = try await actingDrill(drillId, actor)
        guard drill.followUps.contains(where: { $0.id == followUpId }) else { throw DomainError.notFound("Follow-up", zh: "整改事项") }
        let done = try await records.markDone(
            followUpId: followUpId, drillId: drill.id, by: actor.id, at: clock.now(),
            audit: AuditRecord(
                actor: actor, action: "security.drill.follow_up_done", objectType: "drill", objectId: drill.id,
                after: AuditJSON.encode(["follow_up_id": followUpId]), origin: origin))
        guard done else {
            throw DomainError.conflict(code: "follow_up_done", zh: "该整改事项已完成", en: "The follow-up is already done")
        }
        return try await self.drill(id: drill.id, by: actor)
    }
}

import Foundation
import GovShareCore
import SQLKit

extension SQLSupervisionRepository {
    public func insert(_ p: SamplingPlan, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "sampling_plans").columns(
                "id", "name", "population", "department_filter", "size", "head_seq", "head_hash", "seed", "created_by", "created_at",
                "node_id", "authority_id"
            ).values(
                SQLBind(p.id), SQLBind(p.name), SQLBind(p.population.rawValue), SQLBind(p.departmentFilter), SQLBind(p.size),
                SQLBind(p.headSeq), SQLBind(p.headHash), SQLBind(p.seedHex), SQLBind(p.createdBy), SQLBind(p.createdAt), SQLBind(p.nodeId),
                SQLBind(p.authorityId)
            ).run()
        }
    }

    public func recordDraw(_ p: SamplingPlan, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let drawn = try await db.raw(
                """
                UPDATE sampling_plans SET drawn_at = \(bind: p.drawnAt), population_objects = \(bind: Self.json(p.populationObjects)),
                    sample = \(bind: Self.json(p.sample))
                WHERE id = \(bind: p.id) AND drawn_at IS NULL RETURNING id
                """
            ).first()
            guard drawn != nil else { return false }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    static func json(_ objects: [SampledObject]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(objects)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func objects(_ text: String?) -> [SampledObject] {
        text.flatMap { try? JSONDecoder().decode([SampledObject].self, from: Data($0.utf8)) } ?? []
    }

    public func plan(id: String) async throws -> SamplingPlan? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM sampling_plans WHERE id = \(bind: id)").first().map { try Self.plan($0, full: true) }
        }
    }

    public func plans(limit: Int) async throws -> [SamplingPlan] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT id, name, population, department_filter, size, head_seq, head_hash, seed, created_by, created_at, drawn_at, node_id,
                    authority_id
                FROM sampling_plans ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """
            ).all().map { try Self.plan($0, full: false) }
        }
    }

    static func plan(_ row: any SQLRow, full: Bool) throws -> SamplingPlan {
        SamplingPlan(
            id: try row.string("id"), name: try row.string("name"),
            population: SamplingPopulation(rawValue: try row.string("population")) ?? .entries,
            departmentFilter: try row.optionalString("department_filter"), size: try row.int("size"),
            headSeq: try row.decode(column: "head_seq", as: Int64.self), headHash: try row.string("head_hash"),
            seedHex: try row.string("seed"), createdBy: try row.string("created_by"), createdAt: try row.string("created_at"),
            drawnAt: try row.optionalString("drawn_at"),
            populationObjects: full ? objects(try row.optionalString("population_objects")) : [],
            sample: full ? objects(try row.optionalString("sample")) : [], nodeId: try row.string("node_id"),
            authorityId: try row.optionalString("authority_id"))
    }

    /// A second inspection of the same object replaces the first: a problem found again refreshes the open finding,
    /// an object now in order resolves it.
    public func insert(_ inspection: SamplingInspection, finding: SupervisionFinding?, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            var i = inspection
            let objectId = finding?.objectId ?? inspection.objectId
            let existing = try await db.raw(
                """
                SELECT id FROM supervision_findings WHERE rule = 'inspection' AND object_id = \(bind: objectId) AND status = 'open'
                """
            ).first()?.decode(column: "id", as: String.self)
            if let finding {
                if let existing {
                    try await db.update("supervision_findings").set("evidence", to: finding.evidence)
                        .set("last_seen_at", to: finding.lastSeenAt).set("run_id", to: finding.runId).where("id", .equal, existing).run()
                    i.findingId = existing
                } else {
                    try await Self.insert([finding], on: db)
                }
            } else if let existing {
                try await db.update("supervision_findings").set("status", to: SupervisionFinding.Status.resolved.rawValue)
                    .set("resolved_at", to: inspection.inspectedAt).where("id", .equal, existing).run()
            }
            try await db.raw(
                "DELETE FROM sampling_inspections WHERE plan_id = \(bind: i.planId) AND object_id = \(bind: i.objectId)"
            ).run()
            try await db.insert(into: "sampling_inspections").columns(
                "plan_id", "object_id", "ok", "note", "inspector_name", "inspected_at", "finding_id"
            ).values(
                SQLBind(i.planId), SQLBind(i.objectId), SQLBind(i.ok), SQLBind(i.note), SQLBind(i.inspectorName),
                SQLBind(i.inspectedAt), SQLBind(i.findingId)
            ).run()
        }
    }

    public func inspections(planId: String) async throws -> [SamplingInspection] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM sampling_inspections WHERE plan_id = \(bind: planId) ORDER BY inspected_at").all().map {
                SamplingInspection(
                    planId: try $0.string("plan_id"), objectId: try $0.string("object_id"), ok: try $0.decode(column: "ok", as: Bool.self),
                    note: try $0.string("note"), inspectorName: try $0.string("inspector_name"),
                    inspectedAt: try $0.string("inspected_at"), findingId: try $0.optionalString("finding_id"))
            }
        }
    }
}

import Foundation
import GovShareCore
import SQLKit

/// Supervision runs, findings and orders to correct (migration 42), and the facts the checks read beyond the catalog.
public struct SQLSupervisionRepository: SupervisionRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func lateReplies(today: String, since: String) async throws -> [LateReplyFact] {
        try await context.database.withConnection { db in
            var facts: [LateReplyFact] = []
            let sources = [
                ("application", "share_applications", "JOIN catalog_entries r ON r.id = s.entry_id", "r.code"),
                ("objection", "objections", "JOIN datasets r ON r.id = s.dataset_id", "r.entry_code"),
            ]
            for (type, table, join, code) in sources {
                facts += try await db.raw(
                    """
                    SELECT t.subject_id, s.provider_id, t.due_on, t.status, t.updated_at, \(unsafeRaw: code) AS entry_code
                    FROM deadlines t JOIN \(unsafeRaw: table) s ON s.id = t.subject_id \(unsafeRaw: join)
                    WHERE t.subject_type = \(bind: type) AND ((t.status = 'open' AND t.due_on < \(bind: today))
                        OR (t.status = 'met' AND t.due_on >= \(bind: since) AND t.updated_at >= (t.due_on || 'T16:00:00')))
                    """
                ).all().map {
                    LateReplyFact(
                        subjectType: type, subjectId: try $0.string("subject_id"), entryCode: try $0.string("entry_code"),
                        providerId: try $0.string("provider_id"),
                        dueOn: try $0.string("due_on"),
                        metAt: try $0.string("status") == "met" ? try $0.string("updated_at") : nil)
                }
            }
            return facts
        }
    }

    public func grantMisuse(since: String) async throws -> [GrantMisuseFact] {
        // valid_from and valid_until are civil dates in China Standard Time: the first day begins at 16:00 UTC of the
        // day before, the last ends at 16:00 UTC. SQL narrows with bounds a day wide on the early side (text dates
        // have no portable arithmetic); the exact comparison is on the civil day of each read.
        let rows = try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT g.id, g.department_id, r.entry_code, g.valid_from, g.valid_until, r.read_at
                FROM data_reads r JOIN grants g ON g.id = r.purpose_id
                WHERE r.read_at >= \(bind: since)
                    AND (r.read_at < (g.valid_from || 'T16:00:00') OR r.read_at >= (g.valid_until || 'T16:00:00'))
                """
            ).all()
        }
        var facts: [String: GrantMisuseFact] = [:]
        for row in rows {
            let readAt = try row.string("read_at")
            let validFrom = try row.string("valid_from"), validUntil = try row.string("valid_until")
            guard let instant = Timestamp.parse(readAt), let from = CivilDate(validFrom), let until = CivilDate(validUntil) else {
                continue
            }
            let day = CivilDate(instant: instant)
            guard day < from || day > until else { continue }
            let id = try row.string("id")
            let department = try row.string("department_id"), entryCode = try row.string("entry_code")
            var fact =
                facts[id]
                ?? GrantMisuseFact(
                    grantId: id, departmentId: department, entryCode: entryCode, validFrom: validFrom, validUntil: validUntil,
                    reads: 0, lastReadAt: readAt)
            fact.reads += 1
            fact.lastReadAt = max(fact.lastReadAt, readAt)
            facts[id] = fact
        }
        return facts.values.sorted { $0.grantId < $1.grantId }
    }

    public func overdueObligations(today: String) async throws -> [OverdueObligationFact] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT o.id, o.department_id, o.reference, t.due_on FROM catalog_obligations o JOIN deadlines t ON t.id = o.deadline_id
                WHERE t.status = 'open' AND t.due_on < \(bind: today)
                """
            ).all().map {
                OverdueObligationFact(
                    id: try $0.string("id"), departmentId: try $0.string("department_id"), reference: try $0.string("reference"),
                    dueOn: try $0.string("due_on"))
            }
        }
    }

    public func record(_ run: SupervisionRun, findings: [SupervisionFinding], audit: AuditRecord) async throws -> (
        opened: Int, resolved: Int
    ) {
        let context = self.context
        return try await context.database.transaction { db in
            try await db.insert(into: "supervision_runs").columns(
                "id", "trigger_kind", "started_by", "started_at", "finished_at", "found", "opened", "resolved", "milliseconds",
                "by_rule", "node_id"
            ).values(
                SQLBind(run.id), SQLBind(run.trigger), SQLBind(run.startedBy), SQLBind(run.startedAt), SQLBind(run.finishedAt),
                SQLBind(run.found), SQLBind(0), SQLBind(0), SQLBind(run.milliseconds), SQLBind(AuditJSON.encode(run.byRule)),
                SQLBind(run.nodeId)
            ).run()
            // One statement per 200 rows, not per finding: a run over a year of records finds thousands.
            var open: [String: (id: String, evidence: String, label: String)] = [:]
            for row in try await db.raw(
                """
                SELECT id, rule, department_id, object_id, evidence, object_label FROM supervision_findings
                WHERE status = 'open' AND rule <> 'inspection'
                """
            ).all() {
                open["\(try row.string("rule"))|\(try row.string("department_id"))|\(try row.string("object_id"))"] = (
                    try row.string("id"), try row.string("evidence"), try row.string("object_label")
                )
            }
            var seen = Set<String>()
            var fresh: [SupervisionFinding] = []
            var again: [String] = []
            for f in findings {
                let key = "\(f.rule.rawValue)|\(f.departmentId)|\(f.objectId)"
                guard seen.insert(key).inserted else { continue }
                guard let known = open[key] else {
                    fresh.append(f)
                    continue
                }
                again.append(known.id)
                if known.evidence != f.evidence || known.label != f.objectLabel {
                    try await db.update("supervision_findings").set("evidence", to: f.evidence).set("object_label", to: f.objectLabel)
                        .where("id", .equal, known.id).run()
                }
            }
            for chunk in stride(from: 0, to: again.count, by: 500) {
                let ids = Array(again[chunk..<min(chunk + 500, again.count)])
                try await db.raw(
                    """
                    UPDATE supervision_findings SET last_seen_at = \(bind: run.finishedAt), run_id = \(bind: run.id)
                    WHERE id IN (\(binds: ids))
                    """
                ).run()
            }
            for chunk in stride(from: 0, to: fresh.count, by: 200) {
                try await Self.insert(Array(fresh[chunk..<min(chunk + 200, fresh.count)]), on: db)
            }
            let opened = fresh.count
            let gone = open.filter { !seen.contains($0.key) }.map(\.value.id)
            for chunk in stride(from: 0, to: gone.count, by: 500) {
                let ids = Array(gone[chunk..<min(chunk + 500, gone.count)])
                try await db.raw(
                    "UPDATE supervision_findings SET status = 'resolved', resolved_at = \(bind: run.finishedAt) WHERE id IN (\(binds: ids))"
                ).run()
            }
            try await db.update("supervision_runs").set("opened", to: opened).set("resolved", to: gone.count).where("id", .equal, run.id)
                .run()
            _ = try await AuditChain.append(audit, context: context, on: db)
            return (opened, gone.count)
        }
    }

    /// Several findings in one statement.
    static func insert(_ findings: [SupervisionFinding], on db: any SQLDatabase) async throws {
        guard !findings.isEmpty else { return }
        var insert = db.insert(into: "supervision_findings").columns(
            "id", "rule", "rule_version", "department_id", "object_type", "object_id", "object_label", "evidence", "severity", "status",
            "run_id", "first_seen_at", "last_seen_at", "resolved_at", "node_id")
        for f in findings {
            insert = insert.values(
                SQLBind(f.id), SQLBind(f.rule.rawValue), SQLBind(f.ruleVersion), SQLBind(f.departmentId), SQLBind(f.objectType),
                SQLBind(f.objectId), SQLBind(f.objectLabel), SQLBind(f.evidence), SQLBind(f.severity.rawValue),
                SQLBind(f.status.rawValue), SQLBind(f.runId), SQLBind(f.firstSeenAt), SQLBind(f.lastSeenAt), SQLBind(f.resolvedAt),
                SQLBind(f.nodeId))
        }
        try await insert.run()
    }

    public func lastRun() async throws -> SupervisionRun? { try await runs(limit: 1).first }

    public func runs(limit: Int) async throws -> [SupervisionRun] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM supervision_runs ORDER BY started_at DESC, id DESC LIMIT \(bind: limit)").all().map {
                SupervisionRun(
                    id: try $0.string("id"), trigger: try $0.string("trigger_kind"), startedBy: try $0.string("started_by"),
                    startedAt: try $0.string("started_at"), finishedAt: try $0.string("finished_at"), found: try $0.int("found"),
                    opened: try $0.int("opened"), resolved: try $0.int("resolved"),
                    milliseconds: Int(try $0.decode(column: "milliseconds", as: Int64.self)),
                    byRule: (try? JSONDecoder().decode([String: Int].self, from: Data(try $0.string("by_rule").utf8))) ?? [:],
                    nodeId: try $0.string("node_id"))
            }
        }
    }

    public func findings(_ filter: SupervisionFindingFilter) async throws -> [SupervisionFinding] {
        if let ids = filter.departmentIds, ids.isEmpty { return [] }
        return try await context.database.withConnection { db in
            var query = db.select().column("*").from("supervision_findings")
            if let ids = filter.departmentIds { query = query.where("department_id", .in, Array(ids)) }
            if let status = filter.status { query = query.where("status", .equal, status.rawValue) }
            if let rule = filter.rule { query = query.where("rule", .equal, rule.rawValue) }
            return try await query.orderBy("last_seen_at", .descending).orderBy("id", .descending).limit(filter.limit).all()
                .map(Self.finding)
        }
    }

    public func finding(id: String) async throws -> SupervisionFinding? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM supervision_findings WHERE id = \(bind: id)").first().map(Self.finding)
        }
    }

    public func openCounts(departmentIds: Set<String>?) async throws -> [SupervisionRule: Int] {
        if let ids = departmentIds, ids.isEmpty { return [:] }
        return try await context.database.withConnection { db in
            var query = db.select().column("rule").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("supervision_findings").where("status", .equal, "open")
            if let ids = departmentIds { query = query.where("department_id", .in, Array(ids)) }
            var counts: [SupervisionRule: Int] = [:]
            for row in try await query.groupBy("rule").all() {
                if let rule = SupervisionRule(rawValue: try row.string("rule")) {
                    counts[rule] = Int(try row.decode(column: "n", as: Int64.self))
                }
            }
            return counts
        }
    }

    static func finding(_ row: any SQLRow) throws -> SupervisionFinding {
        SupervisionFinding(
            id: try row.string("id"), rule: SupervisionRule(rawValue: try row.string("rule")) ?? .inspection,
            ruleVersion: try row.int("rule_version"), departmentId: try row.string("department_id"),
            objectType: try row.string("object_type"), objectId: try row.string("object_id"),
            objectLabel: try row.string("object_label"), evidence: try row.string("evidence"),
            severity: RiskSeverity(rawValue: try row.string("severity")) ?? .medium,
            status: SupervisionFinding.Status(rawValue: try row.string("status")) ?? .open, runId: try row.string("run_id"),
            firstSeenAt: try row.string("first_seen_at"), lastSeenAt: try row.string("last_seen_at"),
            resolvedAt: try row.optionalString("resolved_at"), nodeId: try row.string("node_id"))
    }
}

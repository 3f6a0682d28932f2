import Foundation
import GovShareCore
import SQLKit

/// Fact pairs, check runs, conflict cases, findings, messages and authoritative sources (migration 40). The check
/// itself is in SQLConflictRepository+Check.swift.
public struct SQLConflictRepository: ConflictRepository {
    let context: StoreContext
    let keys: DatasetKeyring
    public init(context: StoreContext, keys: DatasetKeyring) { self.context = context; self.keys = keys }

    public func insertPair(_ p: FactPair, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            var columns = ["id", "authority_id", "note", "status", "declared_by", "declared_by_name", "declared_at", "node_id"]
            var values: [any SQLExpression] = [
                SQLBind(p.id), SQLBind(p.authorityId), SQLBind(p.note), SQLBind(p.status.rawValue), SQLBind(p.declaredBy),
                SQLBind(p.declaredByName), SQLBind(p.declaredAt), SQLBind(p.nodeId),
            ]
            for (prefix, s) in [("left_", p.left), ("right_", p.right)] {
                columns += ["dataset_id", "entry_id", "entry_code", "entry_name", "provider_id", "item", "key_item"].map { prefix + $0 }
                values += [s.datasetId, s.entryId, s.entryCode, s.entryName, s.providerId, s.item, s.keyItem].map { SQLBind($0) }
            }
            try await db.insert(into: "fact_pairs").columns(columns).values(values).run()
        }
    }

    public func pair(id: String) async throws -> FactPair? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("fact_pairs").where("id", .equal, id).first().map(Self.pair)
        }
    }

    public func pairs(authorityIds: Set<String>?, includeRetired: Bool) async throws -> [FactPair] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("fact_pairs")
            if let authorityIds { select.where("authority_id", .in, SQLBind.group(Array(authorityIds).sorted())) }
            if !includeRetired { select.where("status", .equal, FactPair.Status.active.rawValue) }
            return try await select.orderBy("declared_at").all().map(Self.pair)
        }
    }

    public func retirePair(id: String, at: String, audit: AuditRecord) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let rows = try await db.raw(
                "UPDATE fact_pairs SET status = 'retired', retired_at = \(bind: at) WHERE id = \(bind: id) AND status = 'active' RETURNING id"
            ).all()
            guard !rows.isEmpty else { return false }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func openCase(pairId: String) async throws -> ConflictCase? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("conflict_cases").where("pair_id", .equal, pairId)
                .where("status", .in, SQLBind.group(["negotiating", "escalated"])).first().map(Self.conflictCase)
        }
    }

    public func source(pairId: String) async throws -> AuthoritativeSource? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("authoritative_sources").where("pair_id", .equal, pairId).first().map { row in
                AuthoritativeSource(
                    id: try row.string("id"), pairId: try row.string("pair_id"), caseId: try row.string("case_id"),
                    side: ConflictSide(rawValue: try row.string("side")) ?? .left,
                    decidedHow: ConflictStatus(rawValue: try row.string("decided_how")) ?? .arbitrated,
                    decidedByName: try row.string("decided_by_name"), reasons: try row.string("reasons"),
                    decidedAt: try row.string("decided_at"), nodeId: try row.string("node_id"))
            }
        }
    }

    public func saveCheckedCase(
        _ c: ConflictCase, isNew: Bool, findings: [ConflictFinding], notifications: [InboxMessage], audit: AuditRecord
    ) async throws {
        let node = context.nodeId
        try await context.write(audit) { db in
            if isNew {
                try await Self.insertCase(c, on: db)
            } else {
                try await db.update("conflict_cases").set("disagreements", to: c.disagreements).set("last_run_id", to: c.lastRunId)
                    .set("updated_at", to: c.updatedAt).where("id", .equal, c.id).run()
                try await db.delete(from: "conflict_findings").where("case_id", .equal, c.id).run()
            }
            for chunk in findings.chunked(200) {
                try await db.insert(into: "conflict_findings").columns("id", "case_id", "left_ref", "right_ref", "found_at", "node_id")
                    .rows(
                        chunk.map { f -> [any SQLExpression] in
                            [SQLBind(f.id), SQLBind(f.caseId), SQLBind(f.leftRef), SQLBind(f.rightRef), SQLBind(f.foundAt), SQLBind(node)]
                        }
                    ).run()
            }
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func insertRun(_ r: ConflictCheckRun, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "conflict_runs").columns(
                "id", "trigger_kind", "started_by", "started_at", "finished_at", "pairs_checked", "disagreements", "cases_opened",
                "milliseconds", "node_id"
            ).values(
                SQLBind(r.id), SQLBind(r.trigger.rawValue), SQLBind(r.startedBy), SQLBind(r.startedAt), SQLBind(r.finishedAt),
                SQLBind(r.pairsChecked), SQLBind(r.disagreements), SQLBind(r.casesOpened), SQLBind(r.milliseconds), SQLBind(r.nodeId)
            ).run()
        }
    }

    public func runs(limit: Int) async throws -> [ConflictCheckRun] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("conflict_runs").orderBy("started_at", .descending).limit(limit).all().map { row in
                ConflictCheckRun(
                    id: try row.string("id"), trigger: ConflictCheckRun.Trigger(rawValue: try row.string("trigger_kind")) ?? .onDemand,
                    startedBy: try row.string("started_by"), startedAt: try row.string("started_at"),
                    finishedAt: try row.string("finished_at"), pairsChecked: try row.int("pairs_checked"),
                    disagreements: try row.int("disagreements"), casesOpened: try row.int("cases_opened"),
                    milliseconds: try row.int("milliseconds"), nodeId: try row.string("node_id"))
            }
        }
    }

    public func caseById(_ id: String) async throws -> ConflictCase? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("conflict_cases").where("id", .equal, id).first().map(Self.conflictCase)
        }
    }

    public func cases(_ f: ConflictCaseFilter) async throws -> [ConflictCase] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("conflict_cases")
            if f.providerIds != nil || f.authorityIds != nil {
                let providers = Array(f.providerIds ?? []).sorted(), authorities = Array(f.authorityIds ?? []).sorted()
                select.where { g in
                    g.where("left_provider_id", .in, SQLBind.group(providers)).orWhere("right_provider_id", .in, SQLBind.group(providers))
                        .orWhere("authority_id", .in, SQLBind.group(authorities))
                }
            }
            if let statuses = f.statuses { select.where("status", .in, SQLBind.group(statuses.map(\.rawValue).sorted())) }
            if let pairId = f.pairId { select.where("pair_id", .equal, pairId) }
            return try await select.orderBy("updated_at", .descending).limit(f.limit).all().map(Self.conflictCase)
        }
    }

    public func findings(caseId: String, limit: Int) async throws -> [ConflictFinding] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("conflict_findings").where("case_id", .equal, caseId).orderBy("id").limit(limit).all()
                .map { row in
                    ConflictFinding(
                        id: try row.string("id"), caseId: try row.string("case_id"), leftRef: try row.string("left_ref"),
                        rightRef: try row.string("right_ref"), foundAt: try row.string("found_at"))
                }
        }
    }

    public func messages(caseId: String) async throws -> [ConflictMessage] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("conflict_messages").where("case_id", .equal, caseId).orderBy("created_at").orderBy("id")
                .all().map { row in
                    ConflictMessage(
                        id: try row.string("id"), caseId: try row.string("case_id"),
                        kind: ConflictMessage.Kind(rawValue: try row.string("kind")) ?? .message,
                        departmentId: try row.string("department_id"),
                        authorId: try row.string("author_id"), authorName: try row.string("author_name"), body: try row.string("body"),
                        createdAt: try row.string("created_at"), nodeId: try row.string("node_id"))
                }
        }
    }
}

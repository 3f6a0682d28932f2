import Foundation
import GovShareCore
import SQLKit

extension SQLConflictRepository {
    public func update(
        _ c: ConflictCase, expected: ConflictStatus, message: ConflictMessage?, source: AuthoritativeSource?,
        notifications: [InboxMessage], audit: AuditRecord
    ) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE conflict_cases SET status = \(bind: c.status.rawValue), proposed_side = \(bind: c.proposedSide?.rawValue),
                    proposed_by = \(bind: c.proposedBy), proposed_at = \(bind: c.proposedAt),
                    resolved_side = \(bind: c.resolvedSide?.rawValue), resolved_by = \(bind: c.resolvedBy),
                    resolved_at = \(bind: c.resolvedAt), reasons = \(bind: c.reasons), escalated_at = \(bind: c.escalatedAt),
                    updated_at = \(bind: c.updatedAt)
                WHERE id = \(bind: c.id) AND status = \(bind: expected.rawValue) RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { return false }
            if let m = message {
                try await db.insert(into: "conflict_messages").columns(
                    "id", "case_id", "kind", "department_id", "author_id", "author_name", "body", "created_at", "node_id"
                ).values(
                    SQLBind(m.id), SQLBind(m.caseId), SQLBind(m.kind.rawValue), SQLBind(m.departmentId), SQLBind(m.authorId),
                    SQLBind(m.authorName), SQLBind(m.body), SQLBind(m.createdAt), SQLBind(m.nodeId)
                ).run()
            }
            if let s = source {
                // One source per pair: a later decision on the pair replaces the earlier one.
                try await db.delete(from: "authoritative_sources").where("pair_id", .equal, s.pairId).run()
                try await db.insert(into: "authoritative_sources").columns(
                    "id", "pair_id", "case_id", "side", "decided_how", "decided_by_name", "reasons", "decided_at", "node_id"
                ).values(
                    SQLBind(s.id), SQLBind(s.pairId), SQLBind(s.caseId), SQLBind(s.side.rawValue), SQLBind(s.decidedHow.rawValue),
                    SQLBind(s.decidedByName), SQLBind(s.reasons), SQLBind(s.decidedAt), SQLBind(s.nodeId)
                ).run()
            }
            try await SQLApplicationRepository.insert(notifications, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    public func statistics(providerIds: Set<String>?) async throws -> [ConflictProviderStatistics] {
        let rows = try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT provider_id, status, COUNT(*) AS n FROM (
                    SELECT left_provider_id AS provider_id, status FROM conflict_cases
                    UNION ALL SELECT right_provider_id AS provider_id, status FROM conflict_cases) AS sides
                GROUP BY provider_id, status
                """
            ).all()
        }
        var byProvider: [String: ConflictProviderStatistics] = [:]
        for row in rows {
            let id = try row.string("provider_id")
            if let providerIds, !providerIds.contains(id) { continue }
            var s = byProvider[id] ?? ConflictProviderStatistics(providerId: id)
            let n = try row.int("n")
            switch ConflictStatus(rawValue: try row.string("status")) {
            case .negotiating: s.negotiating += n
            case .escalated: s.escalated += n
            case .agreed: s.agreed += n
            case .arbitrated: s.arbitrated += n
            case nil: break
            }
            byProvider[id] = s
        }
        return byProvider.values.sorted { $0.providerId < $1.providerId }
    }

    public func sources(entryId: String) async throws -> [EntryAuthoritativeSource] {
        let rows = try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT p.*, s.side, s.decided_how, s.decided_at, s.case_id FROM authoritative_sources s
                JOIN fact_pairs p ON p.id = s.pair_id
                WHERE p.left_entry_id = \(bind: entryId) OR p.right_entry_id = \(bind: entryId)
                ORDER BY s.decided_at
                """
            ).all()
        }
        return try rows.map { row in
            let pair = try Self.pair(row)
            let source = pair.side(ConflictSide(rawValue: try row.string("side")) ?? .left)
            let here = pair.left.entryId == entryId ? pair.left : pair.right
            return EntryAuthoritativeSource(
                item: here.item, sourceEntryCode: source.entryCode, sourceEntryName: source.entryName, sourceItem: source.item,
                decidedHow: ConflictStatus(rawValue: try row.string("decided_how")) ?? .arbitrated, decidedAt: try row.string("decided_at"),
                caseId: try row.string("case_id"))
        }
    }

    static func insertCase(_ c: ConflictCase, on db: any SQLDatabase) async throws {
        try await db.insert(into: "conflict_cases").columns(
            "id", "pair_id", "authority_id", "left_provider_id", "right_provider_id", "status", "disagreements", "last_run_id",
            "opened_at", "due_on", "updated_at", "node_id"
        ).values(
            SQLBind(c.id), SQLBind(c.pairId), SQLBind(c.authorityId), SQLBind(c.leftProviderId), SQLBind(c.rightProviderId),
            SQLBind(c.status.rawValue), SQLBind(c.disagreements), SQLBind(c.lastRunId), SQLBind(c.openedAt), SQLBind(c.dueOn),
            SQLBind(c.updatedAt), SQLBind(c.nodeId)
        ).run()
    }

    static func pair(_ row: any SQLRow) throws -> FactPair {
        func side(_ p: String) throws -> FactPairSide {
            FactPairSide(
                datasetId: try row.string(p + "dataset_id"), entryId: try row.string(p + "entry_id"),
                entryCode: try row.string(p + "entry_code"), entryName: try row.string(p + "entry_name"),
                providerId: try row.string(p + "provider_id"), item: try row.string(p + "item"), keyItem: try row.string(p + "key_item"))
        }
        return FactPair(
            id: try row.string("id"), authorityId: try row.string("authority_id"), left: try side("left_"), right: try side("right_"),
            note: try row.string("note"), status: FactPair.Status(rawValue: try row.string("status")) ?? .retired,
            declaredBy: try row.string("declared_by"), declaredByName: try row.string("declared_by_name"),
            declaredAt: try row.string("declared_at"), retiredAt: try row.optionalString("retired_at"), nodeId: try row.string("node_id"))
    }

    static func conflictCase(_ row: any SQLRow) throws -> ConflictCase {
        ConflictCase(
            id: try row.string("id"), pairId: try row.string("pair_id"), authorityId: try row.string("authority_id"),
            leftProviderId: try row.string("left_provider_id"), rightProviderId: try row.string("right_provider_id"),
            status: ConflictStatus(rawValue: try row.string("status")) ?? .negotiating, disagreements: try row.int("disagreements"),
            lastRunId: try row.string("last_run_id"), openedAt: try row.string("opened_at"), dueOn: try row.string("due_on"),
            proposedSide: try row.optionalString("proposed_side").flatMap(ConflictSide.init(rawValue:)),
            proposedBy: try row.optionalString("proposed_by"), proposedAt: try row.optionalString("proposed_at"),
            resolvedSide: try row.optionalString("resolved_side").flatMap(ConflictSide.init(rawValue:)),
            resolvedBy: try row.optionalString("resolved_by"), resolvedAt: try row.optionalString("resolved_at"),
            reasons: try row.optionalString("reasons"), escalatedAt: try row.optionalString("escalated_at"),
            updatedAt: try row.string("updated_at"), nodeId: try row.string("node_id"))
    }
}

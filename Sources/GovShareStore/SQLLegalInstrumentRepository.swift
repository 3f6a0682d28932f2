import Foundation
import GovShareCore
import SQLKit

/// Proposed legal instruments (Art. 16, 18) and the provincial data authority's decisions on them.
public struct SQLLegalInstrumentRepository: LegalInstrumentRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func proposals() async throws -> [LegalInstrumentProposal] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("legal_instrument_proposals")
                .orderBy("created_at", .descending).orderBy("id", .descending).all().map(Self.proposal(from:))
        }
    }

    public func find(id: String) async throws -> LegalInstrumentProposal? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("legal_instrument_proposals").where("id", .equal, id).first().map(Self.proposal(from:))
        }
    }

    public func insert(_ p: LegalInstrumentProposal, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            // Two proposals of one instrument sent together: the second waits here and then finds the first
            // (SQLite's writer is exclusive already; the unique index is the last line either way).
            if context.database.kind == .postgres {
                try await db.raw("SELECT \(AdvisoryLock.transactionLock(AdvisoryLock.legalInstruments))").run()
            }
            if let open = try await db.select().column("status").from("legal_instrument_proposals")
                .where("name_key", .equal, p.key).where("status", .notEqual, LegalInstrumentProposal.Status.rejected.rawValue)
                .first()
            {
                let status = LegalInstrumentProposal.Status(rawValue: try open.string("status")) ?? .pending
                throw DomainError.conflict(
                    code: status == .confirmed ? "already_accepted" : "already_proposed",
                    zh: "《\(p.instrument.name)》已\(status == .confirmed ? "确认为认可的依据" : "提出认定，正待确认")",
                    en:
                        "'\(p.instrument.name)' is \(status == .confirmed ? "accepted already" : "proposed already and awaits confirmation")"
                )
            }
            try await db.insert(into: "legal_instrument_proposals")
                .columns(
                    "id", "name", "name_key", "level", "issuer", "document_number", "reference", "status", "proposed_by",
                    "proposed_by_name", "department_id", "node_id", "created_at"
                )
                .values(
                    SQLBind(p.id), SQLBind(p.instrument.name), SQLBind(p.key), SQLBind(p.instrument.level.rawValue),
                    SQLBind(p.instrument.issuer), SQLBind(p.instrument.documentNumber), SQLBind(p.reference),
                    SQLBind(p.status.rawValue), SQLBind(p.proposedBy), SQLBind(p.proposedByName), SQLBind(p.departmentId),
                    SQLBind(p.nodeId), SQLBind(p.createdAt)
                )
                .run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func decide(_ p: LegalInstrumentProposal, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
            // Two decisions sent together: the row is locked, so the second reads the first's outcome and stops.
            guard
                let row = try await db.raw("SELECT status FROM legal_instrument_proposals WHERE id = \(bind: p.id)\(unsafeRaw: lock)")
                    .first(),
                try row.string("status") == LegalInstrumentProposal.Status.pending.rawValue
            else {
                throw DomainError.conflict(code: "proposal_decided", zh: "该依据已被确认或驳回", en: "The proposal was decided already")
            }
            try await db.update("legal_instrument_proposals")
                .set("status", to: p.status.rawValue).set("decided_by", to: p.decidedBy).set("decided_by_name", to: p.decidedByName)
                .set("decided_at", to: p.decidedAt).set("decision_reason", to: p.decisionReason)
                .where("id", .equal, p.id).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func proposal(from row: any SQLRow) throws -> LegalInstrumentProposal {
        LegalInstrumentProposal(
            id: try row.string("id"),
            instrument: LegalInstrument(
                name: try row.string("name"),
                level: InstrumentLevel(rawValue: try row.string("level")) ?? .rule,
                issuer: try row.string("issuer"), documentNumber: try row.optionalString("document_number")),
            reference: try row.string("reference"),
            status: LegalInstrumentProposal.Status(rawValue: try row.string("status")) ?? .pending,
            proposedBy: try row.string("proposed_by"), proposedByName: try row.string("proposed_by_name"),
            departmentId: try row.string("department_id"), createdAt: try row.string("created_at"),
            decidedBy: try row.optionalString("decided_by"), decidedByName: try row.optionalString("decided_by_name"),
            decidedAt: try row.optionalString("decided_at"), decisionReason: try row.optionalString("decision_reason"),
            nodeId: try row.string("node_id"))
    }
}

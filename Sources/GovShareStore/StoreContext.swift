import Crypto
import Foundation
import GovShareCore
import SQLKit

/// What every repository needs: the database, the node records are created on, and the clock.
public struct StoreContext: Sendable {
    public let database: GovShareDatabase
    public let nodeId: String
    public let clock: any WallClock
    /// Unwraps the node's symmetric keys (`platform_keys`, wrapped since migration 34); nil only where none is read.
    public let custody: (any KeyCustody)?

    public init(database: GovShareDatabase, nodeId: String, clock: any WallClock, custody: (any KeyCustody)? = nil) {
        self.database = database; self.nodeId = nodeId; self.clock = clock; self.custody = custody
    }

    public var now: String { Timestamp.format(clock.now()) }

    /// Runs `body` and appends the audit entry in one transaction: the change and its record commit together.
    func write(_ audit: AuditRecord, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let context = self
        try await database.transaction { db in
            try await body(db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }
}

/// Appends audit entries to the hash chain inside the caller's transaction, so an action and its entry commit
/// together; if the entry cannot be written, the action is rolled back.
enum AuditChain {
    static func append(_ record: AuditRecord, context: StoreContext, on db: any SQLDatabase) async throws -> AuditEvent {
        try await appendAll([record], context: context, on: db)[0]
    }

    /// Appends several entries in order with one read of the head, one multi-row insert and one head update (the
    /// read audit's group commit writes dozens at a time).
    static func appendAll(_ records: [AuditRecord], context: StoreContext, on db: any SQLDatabase) async throws -> [AuditEvent] {
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        guard let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)").first() else {
            throw DomainError(
                .unavailable, code: "audit_unavailable",
                message: LocalizedText(zh: "审计日志不可用，操作未执行", en: "The audit log is unavailable; nothing was done"))
        }
        var prevSeq = try head.decode(column: "seq", as: Int64.self)
        var prevHash = try head.decode(column: "hash", as: String.self)
        let now = context.clock.now()
        let occurredAt = Timestamp.format(now)
        var events: [AuditEvent] = []
        events.reserveCapacity(records.count)
        for record in records {
            var event = AuditEvent(
                seq: prevSeq + 1, id: Identifier.make(at: now), occurredAt: occurredAt,
                actorKind: record.actor.kind.rawValue, actorId: record.actor.id, actorName: record.actor.name,
                departmentId: record.actor.departmentId, action: record.action, objectType: record.objectType,
                objectId: record.objectId, outcome: record.outcome, before: record.before, after: record.after,
                detail: record.detail, requestId: record.origin.requestId, clientAddress: record.origin.clientAddress,
                nodeId: context.nodeId, prevHash: prevHash, hash: "")
            event.hash = hash(of: event)
            events.append(event)
            prevSeq = event.seq
            prevHash = event.hash
        }
        for chunk in events.chunked(200) {
            try await db.insert(into: "audit_events").columns(
                "seq", "id", "occurred_at", "actor_kind", "actor_id", "actor_name", "department_id", "action", "object_type",
                "object_id", "outcome", "before_state", "after_state", "detail", "request_id", "client_address", "node_id",
                "prev_hash", "hash"
            ).rows(
                chunk.map { e -> [any SQLExpression] in
                    [
                        SQLBind(e.seq), SQLBind(e.id), SQLBind(e.occurredAt), SQLBind(e.actorKind), SQLBind(e.actorId),
                        SQLBind(e.actorName), SQLBind(e.departmentId), SQLBind(e.action), SQLBind(e.objectType), SQLBind(e.objectId),
                        SQLBind(e.outcome), SQLBind(e.before), SQLBind(e.after), SQLBind(e.detail), SQLBind(e.requestId),
                        SQLBind(e.clientAddress), SQLBind(e.nodeId), SQLBind(e.prevHash), SQLBind(e.hash),
                    ]
                }
            ).run()
        }
        if let last = events.last {
            try await db.raw("UPDATE audit_head SET seq = \(bind: last.seq), hash = \(bind: last.hash) WHERE id = 1").run()
        }
        return events
    }

    static func hash(of event: AuditEvent) -> String {
        let digest = SHA256.hash(data: Data(event.canonicalForm.utf8))
        return Hex.encode(digest)
    }
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
}

import Crypto
import Foundation
import GovShareCore
import SQLKit

/// What every repository needs: the database, the node records are created on, and the clock.
public struct StoreContext: Sendable {
    public let database: GovShareDatabase
    public let nodeId: String
    public let clock: any WallClock

    public init(database: GovShareDatabase, nodeId: String, clock: any WallClock) {
        self.database = database; self.nodeId = nodeId; self.clock = clock
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
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        guard let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)").first() else {
            throw DomainError(.unavailable, code: "audit_unavailable",
                              message: LocalizedText(zh: "审计日志不可用，操作未执行", en: "The audit log is unavailable; nothing was done"))
        }
        let prevSeq = try head.decode(column: "seq", as: Int64.self)
        let prevHash = try head.decode(column: "hash", as: String.self)
        var event = AuditEvent(
            seq: prevSeq + 1, id: Identifier.make(at: context.clock.now()), occurredAt: context.now,
            actorKind: record.actor.kind.rawValue, actorId: record.actor.id, actorName: record.actor.name,
            departmentId: record.actor.departmentId, action: record.action, objectType: record.objectType,
            objectId: record.objectId, outcome: record.outcome, before: record.before, after: record.after,
            detail: record.detail, requestId: record.origin.requestId, clientAddress: record.origin.clientAddress,
            nodeId: context.nodeId, prevHash: prevHash, hash: "")
        event.hash = hash(of: event)
        try await db.raw("""
            INSERT INTO audit_events (seq, id, occurred_at, actor_kind, actor_id, actor_name, department_id, action,
                object_type, object_id, outcome, before_state, after_state, detail, request_id, client_address, node_id,
                prev_hash, hash)
            VALUES (\(bind: event.seq), \(bind: event.id), \(bind: event.occurredAt), \(bind: event.actorKind),
                \(bind: event.actorId), \(bind: event.actorName), \(bind: event.departmentId), \(bind: event.action),
                \(bind: event.objectType), \(bind: event.objectId), \(bind: event.outcome), \(bind: event.before),
                \(bind: event.after), \(bind: event.detail), \(bind: event.requestId), \(bind: event.clientAddress),
                \(bind: event.nodeId), \(bind: event.prevHash), \(bind: event.hash))
            """).run()
        try await db.raw("UPDATE audit_head SET seq = \(bind: event.seq), hash = \(bind: event.hash) WHERE id = 1").run()
        return event
    }

    static func hash(of event: AuditEvent) -> String {
        let digest = SHA256.hash(data: Data(event.canonicalForm.utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
}

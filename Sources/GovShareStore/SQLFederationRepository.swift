import Foundation
import GovShareCore
import SQLKit

/// Peers, outbox and inbox of federation (migration 43).
public struct SQLFederationRepository: FederationRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func peers() async throws -> [PeerNode] {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM federation_peers ORDER BY region_code, id").all().map(Self.peer)
        }
    }

    public func peer(id: String) async throws -> PeerNode? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM federation_peers WHERE id = \(bind: id)").first().map(Self.peer)
        }
    }

    public func insertPeer(_ p: PeerNode, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            // Checked inside the transaction (the unique index on active regions is the last word).
            if try await db.raw("SELECT id FROM federation_peers WHERE id = \(bind: p.id)").first() != nil {
                throw DomainError.conflict(code: "node_exists", zh: "该节点标识已登记", en: "A node with this id is registered")
            }
            try await db.raw(
                """
                INSERT INTO federation_peers (id, name, region_code, relation, base_url, certificate, status, registered_by,
                registered_at, node_id)
                VALUES (\(bind: p.id), \(bind: p.name), \(bind: p.regionCode), \(bind: p.relation.rawValue), \(bind: p.baseURL),
                \(bind: p.certificateDER), \(bind: p.status.rawValue), \(bind: p.registeredBy), \(bind: p.registeredAt), \(bind: p.nodeId))
                """
            ).run()
        }
    }

    public func revokePeer(id: String, at: String, reason: String, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                UPDATE federation_peers SET status = 'revoked', revoked_at = \(bind: at), revoked_reason = \(bind: reason)
                WHERE id = \(bind: id) AND status = 'active'
                """
            ).run()
        }
    }

    public func enqueue(peerId: String, id: String, kind: String, body: String, at: String, audit: AuditRecord) async throws
        -> OutboxMessage
    {
        let nodeId = context.nodeId
        let box = SequenceBox()
        try await context.write(audit) { db in
            box.set(try await Self.append(peerId: peerId, id: id, kind: kind, body: body, at: at, nodeId: nodeId, on: db))
        }
        return OutboxMessage(id: id, peerId: peerId, seq: box.value, kind: kind, body: body, createdAt: at, nextAttemptAt: at)
    }

    /// Appends one message to the peer's outbox under its next sequence number (inside the caller's transaction).
    static func append(peerId: String, id: String, kind: String, body: String, at: String, nodeId: String, on db: any SQLDatabase)
        async throws -> Int64
    {
        // The increment and its read in one statement: two writers never take the same number.
        guard
            let row = try await db.raw(
                """
                UPDATE federation_peers SET last_sent_seq = last_sent_seq + 1 WHERE id = \(bind: peerId) AND status = 'active'
                RETURNING last_sent_seq
                """
            ).first()
        else {
            throw DomainError.conflict(code: "node_revoked", zh: "该节点未登记或已撤销", en: "The node is not registered or is revoked")
        }
        let seq = try row.decode(column: "last_sent_seq", as: Int64.self)
        try await db.raw(
            """
            INSERT INTO federation_outbox (id, peer_id, seq, kind, body, created_at, next_attempt_at, node_id)
            VALUES (\(bind: id), \(bind: peerId), \(bind: seq), \(bind: kind), \(bind: body), \(bind: at), \(bind: at), \(bind: nodeId))
            """
        ).run()
        return seq
    }

    public func pending(peerId: String, limit: Int) async throws -> [OutboxMessage] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM federation_outbox WHERE peer_id = \(bind: peerId) AND delivered_at IS NULL
                ORDER BY seq LIMIT \(bind: limit)
                """
            ).all().map(Self.message)
        }
    }

    public func pendingCounts() async throws -> [String: Int] {
        try await context.database.withConnection { db in
            let rows = try await db.raw(
                "SELECT peer_id, COUNT(*) AS n FROM federation_outbox WHERE delivered_at IS NULL GROUP BY peer_id"
            ).all()
            var counts: [String: Int] = [:]
            for row in rows { counts[try row.string("peer_id")] = try row.decode(column: "n", as: Int.self) }
            return counts
        }
    }

    public func markDelivered(_ m: OutboxMessage, at: String) async throws {
        try await context.database.transaction { db in
            try await db.raw(
                """
                UPDATE federation_outbox SET delivered_at = \(bind: at), attempts = attempts + 1, last_error = NULL
                WHERE id = \(bind: m.id)
                """
            ).run()
            try await db.raw(
                "UPDATE federation_peers SET last_delivered_at = \(bind: at), last_error = NULL WHERE id = \(bind: m.peerId)"
            ).run()
        }
    }

    public func markFailed(_ m: OutboxMessage, at: String, error: String, nextAttemptAt: String) async throws {
        try await context.database.transaction { db in
            try await db.raw(
                """
                UPDATE federation_outbox SET attempts = attempts + 1, last_error = \(bind: error), next_attempt_at = \(bind: nextAttemptAt)
                WHERE id = \(bind: m.id)
                """
            ).run()
            try await db.raw("UPDATE federation_peers SET last_error = \(bind: error) WHERE id = \(bind: m.peerId)").run()
        }
    }

    public func inbound(fromNode: String, seq: Int64) async throws -> InboundRecord? {
        try await context.database.withConnection { db in
            try await db.raw("SELECT * FROM federation_inbox WHERE from_node = \(bind: fromNode) AND seq = \(bind: seq)").first().map {
                InboundRecord(
                    id: try $0.string("id"), fromNode: try $0.string("from_node"), seq: try $0.decode(column: "seq", as: Int64.self),
                    kind: try $0.string("kind"), sm3: try $0.string("sm3"), receivedAt: try $0.string("received_at"))
            }
        }
    }

    public func accept(_ r: InboundRecord, changes: InboundChanges, audit: AuditRecord) async throws -> Bool {
        let nodeId = context.nodeId
        let box = SequenceBox()
        do {
            try await context.write(audit) { db in
                // Advances only from the sequence the check saw: a concurrent delivery of the same number loses here.
                guard
                    try await db.raw(
                        """
                        UPDATE federation_peers SET last_received_seq = \(bind: r.seq), last_received_at = \(bind: r.receivedAt)
                        WHERE id = \(bind: r.fromNode) AND status = 'active' AND last_received_seq = \(bind: r.seq - 1) RETURNING id
                        """
                    ).first() != nil
                else { throw SequenceMoved() }
                try await db.raw(
                    """
                    INSERT INTO federation_inbox (from_node, seq, id, kind, sm3, received_at, node_id)
                    VALUES (\(bind: r.fromNode), \(bind: r.seq), \(bind: r.id), \(bind: r.kind), \(bind: r.sm3), \(bind: r.receivedAt),
                    \(bind: nodeId))
                    """
                ).run()
                for copy in changes.copies { try await Self.apply(copy, on: db) }
                try await Self.store(changes, from: r.fromNode, at: r.receivedAt, on: db)
                box.set(1)
            }
        } catch is SequenceMoved {
            return false
        }
        return box.value == 1
    }

    private struct SequenceMoved: Error {}

    /// Carries a value out of a `write` body (which returns nothing).
    final class SequenceBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Int64 = 0
        var value: Int64 { lock.withLock { stored } }
        func set(_ v: Int64) { lock.withLock { stored = v } }
    }

    static func peer(_ row: any SQLRow) throws -> PeerNode {
        PeerNode(
            id: try row.string("id"), name: try row.string("name"), regionCode: try row.string("region_code"),
            relation: PeerRelation(rawValue: try row.string("relation")) ?? .child, baseURL: try row.string("base_url"),
            certificateDER: try row.decode(column: "certificate", as: Data.self),
            status: PeerStatus(rawValue: try row.string("status")) ?? .revoked, registeredBy: try row.string("registered_by"),
            registeredAt: try row.string("registered_at"), revokedAt: try row.optionalString("revoked_at"),
            revokedReason: try row.optionalString("revoked_reason"), lastSentSeq: try row.decode(column: "last_sent_seq", as: Int64.self),
            lastReceivedSeq: try row.decode(column: "last_received_seq", as: Int64.self),
            lastDeliveredAt: try row.optionalString("last_delivered_at"), lastReceivedAt: try row.optionalString("last_received_at"),
            lastError: try row.optionalString("last_error"),
            lastCheckpointSeq: try row.decode(column: "last_checkpoint_seq", as: Int64?.self), nodeId: try row.string("node_id"))
    }

    static func message(_ row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.string("id"), peerId: try row.string("peer_id"), seq: try row.decode(column: "seq", as: Int64.self),
            kind: try row.string("kind"), body: try row.string("body"), createdAt: try row.string("created_at"),
            attempts: try row.decode(column: "attempts", as: Int.self), deliveredAt: try row.optionalString("delivered_at"),
            nextAttemptAt: try row.string("next_attempt_at"), lastError: try row.optionalString("last_error"))
    }
}

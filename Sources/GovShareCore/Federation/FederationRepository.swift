import Foundation

public protocol FederationRepository: Sendable {
    func peers() async throws -> [PeerNode]
    func peer(id: String) async throws -> PeerNode?
    /// Inserts; throws a conflict when the id is taken.
    func insertPeer(_ peer: PeerNode, audit: AuditRecord) async throws
    func revokePeer(id: String, at: String, reason: String, audit: AuditRecord) async throws
    /// Appends a message to the peer's outbox under the peer's next sequence number, with its audit entry, in one
    /// transaction; returns it.
    func enqueue(peerId: String, id: String, kind: String, body: String, at: String, audit: AuditRecord) async throws -> OutboxMessage
    /// The peer's undelivered messages, lowest sequence first.
    func pending(peerId: String, limit: Int) async throws -> [OutboxMessage]
    /// Undelivered messages per peer.
    func pendingCounts() async throws -> [String: Int]
    func markDelivered(_ message: OutboxMessage, at: String) async throws
    func markFailed(_ message: OutboxMessage, at: String, error: String, nextAttemptAt: String) async throws
    /// The accepted message `seq` from `fromNode`, if any.
    func inbound(fromNode: String, seq: Int64) async throws -> InboundRecord?
    /// Records an accepted message, applies its catalog copies and advances the peer's received sequence from
    /// `record.seq - 1`, with the audit entry, in one transaction; returns false (and changes nothing) when the
    /// sequence moved meanwhile. A copy that would overwrite one of this node's own entries, or take another entry's
    /// code, fails the whole message (a conflict).
    func accept(_ record: InboundRecord, changes: InboundChanges, audit: AuditRecord) async throws -> Bool
    /// How far `stream` has been queued to `peerId`; nil before the first time.
    func position(peerId: String, stream: FederationStream) async throws -> Int64?
    /// The entries named in the change log after `position` (at most `limit` log rows), as copies of their state now.
    func catalogChanges(after position: Int64, limit: Int) async throws -> CatalogChanges
    /// This node's own signed audit checkpoints attesting entries after `seq`, oldest first, at most `limit`.
    func ownCheckpoints(after seq: Int64, limit: Int) async throws -> [AuditCheckpoint]
    /// A peer's audit checkpoints received here, oldest first, and the root certificate it sent with them.
    func receivedCheckpoints(fromNode: String) async throws -> (checkpoints: [AuditCheckpoint], root: Data?)
    /// Queues `bodies` as messages of `kind` to the peer and moves its position in `stream`, in one transaction.
    func enqueue(
        _ kind: NodeMessageKind, stream: FederationStream, peerId: String, bodies: [(id: String, body: String)], position: Int64,
        at: String, audit: AuditRecord?
    ) async throws
}

/// What a node sends its peers in order, each from its own position: the catalog's change log, and (a sub-node to its
/// parent) its signed audit checkpoints.
public enum FederationStream: String, Sendable {
    case catalog
    case auditCheckpoints = "audit_checkpoints"
}

/// What an accepted message changes here, written in the transaction that accepts it.
public struct InboundChanges: Sendable, Equatable {
    public var copies: [CatalogCopyWrite] = []
    /// A sub-node's checkpoints (signatures already checked) and its root certificate.
    public var checkpoints: [AuditCheckpoint] = []
    public var rootCertificate: Data?
    public init() {}
}

/// Carries a signed envelope to a peer's `POST /api/v1/federation/messages` and returns the HTTP status and the
/// answer's error code, if any.
public protocol NodeTransport: Sendable {
    /// Posts the encoded envelope with its signed request header (`NodeRequestSignature`).
    func deliver(_ request: NodeWireRequest, to baseURL: String) async throws -> (status: Int, code: String?)
}

import Foundation

/// Where a peer sits relative to this node (Art. 15): the provincial node registers each city sub-node as a child; a
/// city sub-node registers the provincial node as its one parent.
public enum PeerRelation: String, Sendable, Codable, CaseIterable {
    case parent, child
}

public enum PeerStatus: String, Sendable, Codable, CaseIterable {
    case active, revoked
}

/// A node this node trusts (issue 18, part 1): its id and region, where it is reached, and the certificate of its SM2
/// node key, which must verify every message it sends. The link state (sequence numbers, last contact, last error) is
/// kept with it.
public struct PeerNode: Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    public var relation: PeerRelation
    public var baseURL: String
    public var certificateDER: Data
    public var status: PeerStatus
    public var registeredBy: String
    public var registeredAt: String
    public var revokedAt: String?
    public var revokedReason: String?
    /// The last sequence number this node gave a message to the peer, and the last it accepted from the peer.
    public var lastSentSeq: Int64
    public var lastReceivedSeq: Int64
    public var lastDeliveredAt: String?
    public var lastReceivedAt: String?
    public var lastError: String?
    /// The newest audit entry the peer's checkpoints received here attest (a sub-node's, on the provincial node).
    public var lastCheckpointSeq: Int64?
    /// The node the record lives on (this node).
    public var nodeId: String

    public init(
        id: String, name: String, regionCode: String, relation: PeerRelation, baseURL: String, certificateDER: Data,
        status: PeerStatus = .active, registeredBy: String, registeredAt: String, revokedAt: String? = nil,
        revokedReason: String? = nil, lastSentSeq: Int64 = 0, lastReceivedSeq: Int64 = 0, lastDeliveredAt: String? = nil,
        lastReceivedAt: String? = nil, lastError: String? = nil, lastCheckpointSeq: Int64? = nil, nodeId: String
    ) {
        self.id = id; self.name = name; self.regionCode = regionCode; self.relation = relation; self.baseURL = baseURL
        self.certificateDER = certificateDER; self.status = status; self.registeredBy = registeredBy
        self.registeredAt = registeredAt; self.revokedAt = revokedAt; self.revokedReason = revokedReason
        self.lastSentSeq = lastSentSeq; self.lastReceivedSeq = lastReceivedSeq; self.lastDeliveredAt = lastDeliveredAt
        self.lastReceivedAt = lastReceivedAt; self.lastError = lastError; self.lastCheckpointSeq = lastCheckpointSeq
        self.nodeId = nodeId
    }
}

/// What an administrator submits to register a peer (the peer's `GET /api/v1/nodes/self` gives all but the URL).
public struct PeerRegistration: Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    public var baseURL: String
    /// The peer's node certificate, PEM or DER.
    public var certificate: Data
    public init(id: String, name: String, regionCode: String, baseURL: String, certificate: Data) {
        self.id = id; self.name = name; self.regionCode = regionCode; self.baseURL = baseURL; self.certificate = certificate
    }
}

/// This node as a peer registers it: id, region, name and the certificate of its node key.
public struct NodeDescription: Sendable, Equatable {
    public let id: String
    public let name: String
    public let regionCode: String
    public let isProvince: Bool
    public let certificateDER: Data
    public let certificateSubject: String
    public let certificateNotAfter: Date
}

/// The kinds of message nodes exchange. Each later part of issue 18 (catalog up-flow, data up-flow, distribution)
/// adds its kind here; a receiver refuses a kind it does not know.
public enum NodeMessageKind: String, Sendable, Codable, CaseIterable {
    /// Proves the link end to end: signed, checked, sequenced and recorded like every message; carries no change.
    case linkCheck = "link.check"
    /// Catalog entries published, republished or withdrawn on their home node (part 2): a `CatalogCopyBatch`.
    case catalogEntry = "catalog.entry"
    /// A sub-node's signed audit checkpoints, to its parent (part 6): an `AuditCheckpointFile`.
    case auditCheckpoints = "audit.checkpoints"
}

/// A message between nodes, signed by the sender's node key (SM2 with SM3) over `signedBytes`. `seq` counts the
/// sender's messages to this receiver from 1 without gaps, so a replay (a number already used, other content) and a
/// reordering (a gap) are refused, and a retry of the last accepted message is answered as a duplicate.
public struct NodeEnvelope: Sendable, Equatable, Codable {
    public var id: String
    public var from: String
    public var to: String
    public var seq: Int64
    public var kind: String
    public var sentAt: String
    public var body: String
    /// Base64 of the SM2 signature (DER).
    public var signature: String

    public init(id: String, from: String, to: String, seq: Int64, kind: String, sentAt: String, body: String, signature: String) {
        self.id = id; self.from = from; self.to = to; self.seq = seq; self.kind = kind; self.sentAt = sentAt; self.body = body
        self.signature = signature
    }

    /// The bytes the signature covers: a version line, then every field but the signature, one per line, the body last
    /// (fields other than the body may not contain a line break, `NodeEnvelope.check` refuses them).
    public var signedBytes: Data {
        Data("govshare-node-message/1\n\(id)\n\(from)\n\(to)\n\(seq)\n\(kind)\n\(sentAt)\n\(body)".utf8)
    }

    enum CodingKeys: String, CodingKey {
        case id, from, to, seq, kind, body, signature
        case sentAt = "sent_at"
    }

    /// The largest body a message may carry (bytes of UTF-8).
    public static let maximumBody = 1 << 20

    /// Field problems of a received envelope, before anything else is read from it.
    public func problems() -> [FieldProblem] {
        var v = Validator()
        let single = [("id", id, 64), ("from", from, 63), ("to", to, 63), ("kind", kind, 64), ("sent_at", sentAt, 40)]
        for (field, value, limit) in single
        where value.isEmpty || value.utf8.count > limit || value.contains(where: { $0.isNewline || $0.isASCII && $0.asciiValue! < 0x20 }) {
            v.fail(field, "format", zh: "字段 \(field) 为空、过长或含控制字符", en: "\(field) is empty, too long or holds control characters")
        }
        if seq < 1 { v.fail("seq", "min", zh: "序号从 1 开始", en: "seq starts at 1") }
        if body.utf8.count > Self.maximumBody {
            v.fail("body", "max_bytes", zh: "消息体超过 1 MiB", en: "The body is larger than 1 MiB")
        }
        if signature.isEmpty || signature.utf8.count > 512 {
            v.fail("signature", "format", zh: "签名缺失或过长", en: "The signature is missing or too long")
        }
        return v.problems
    }
}

/// One queued message to a peer (the outbox, issue 18 part 5): written in the transaction of the change it reports,
/// delivered in sequence order, retried with backoff until the peer accepts it.
public struct OutboxMessage: Sendable, Equatable {
    public let id: String
    public let peerId: String
    public let seq: Int64
    public let kind: String
    public let body: String
    public let createdAt: String
    public var attempts: Int
    public var deliveredAt: String?
    public var nextAttemptAt: String
    public var lastError: String?
    public init(
        id: String, peerId: String, seq: Int64, kind: String, body: String, createdAt: String, attempts: Int = 0,
        deliveredAt: String? = nil, nextAttemptAt: String, lastError: String? = nil
    ) {
        self.id = id; self.peerId = peerId; self.seq = seq; self.kind = kind; self.body = body; self.createdAt = createdAt
        self.attempts = attempts; self.deliveredAt = deliveredAt; self.nextAttemptAt = nextAttemptAt; self.lastError = lastError
    }
}

/// One accepted inbound message, as recorded (the receiver's half of the trace).
public struct InboundRecord: Sendable, Equatable {
    public let id: String
    public let fromNode: String
    public let seq: Int64
    public let kind: String
    public let sm3: String
    public let receivedAt: String
    public init(id: String, fromNode: String, seq: Int64, kind: String, sm3: String, receivedAt: String) {
        self.id = id; self.fromNode = fromNode; self.seq = seq; self.kind = kind; self.sm3 = sm3; self.receivedAt = receivedAt
    }
}

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
    func deliver(_ envelope: NodeEnvelope, to baseURL: String) async throws -> (status: Int, code: String?)
}

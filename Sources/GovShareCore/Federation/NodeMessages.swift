import Foundation

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

    /// The largest body a message may carry (bytes of UTF-8): a catalog batch holds at least one entry whole, and one
    /// entry at the catalog's own limits (500 items with their descriptions) fits. The request around it may be up to
    /// twice as long (`maximumRequest`): JSON escapes the body's quotes, backslashes and slashes again.
    public static let maximumBody = 8 << 20
    public static let maximumRequest = 2 * maximumBody + 16 * 1024

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
            v.fail("body", "max_bytes", zh: "消息体超过 8 MiB", en: "The body is larger than 8 MiB")
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

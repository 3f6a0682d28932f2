import Foundation

/// A signed statement by this node that its audit chain's entry `seq` had hash `headHash` at `time` (Art. 28). The
/// chain alone is unkeyed: whoever can write the database can rewrite entries from N onward and recompute every hash
/// after. A checkpoint is signed with the node's SM2 key, whose private half is wrapped by a key-encryption key that
/// is not in the database, so a rewritten chain no longer matches a checkpoint exported before the rewrite.
public struct AuditCheckpoint: Sendable, Equatable {
    /// The audit entry the checkpoint attests (the chain's head when it was made).
    public let seq: Int64
    public let headHash: String
    /// When it was signed (`Timestamp` form, UTC).
    public let time: String
    public let nodeId: String
    /// SM2 with SM3, ID 1234567812345678, DER SEQUENCE { r, s }, over `message`.
    public let signature: Data
    /// The node certificate that names the signing key (issued by the platform root).
    public let certificateDER: Data

    public init(seq: Int64, headHash: String, time: String, nodeId: String, signature: Data, certificateDER: Data) {
        self.seq = seq; self.headHash = headHash; self.time = time; self.nodeId = nodeId; self.signature = signature
        self.certificateDER = certificateDER
    }

    public var message: Data { Self.message(seq: seq, headHash: headHash, time: time, nodeId: nodeId) }

    /// The signed bytes: a version tag, then seq, head hash, time and node id, each length-prefixed as the audit chain's
    /// canonical form is (`12:…|`), so no field can imitate a separator or shift into its neighbour.
    public static func message(seq: Int64, headHash: String, time: String, nodeId: String) -> Data {
        let fields = [messageTag, String(seq), headHash, time, nodeId]
        return Data(fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8)
    }

    public static let messageTag = "govshare-audit-checkpoint/1"
}

/// The stored checkpoints and what verifying the database against them needs to read.
public protocol AuditCheckpointRepository: Sendable {
    /// The chain's head (`audit_head`) and its last stored entry: a truncation that forgot the head shows as a difference.
    func chainEnd() async throws -> AuditChainEnd
    /// The newest checkpoint of this node.
    func latest() async throws -> AuditCheckpoint?
    /// Every checkpoint of this node, oldest first.
    func all() async throws -> [AuditCheckpoint]
    /// Stores a checkpoint and its audit entry in one transaction.
    func insert(_ checkpoint: AuditCheckpoint, audit: AuditRecord) async throws
    /// The stored hash of each of these entries (absent when the entry is not there).
    func hashes(at seqs: [Int64]) async throws -> [Int64: String]
    /// The reads after `afterSeq` whose audit entry carries a reference digest, oldest first, at most `limit`, each
    /// with the digest recomputed from what the read trace holds now.
    func readReferences(afterSeq: Int64, limit: Int) async throws -> [StoredReadReferences]
    /// The ranges of the chain moved into archival packages (`audit_segments`), oldest first.
    func archivedSegments() async throws -> [AuditSegment]
}

public struct AuditChainEnd: Sendable, Equatable {
    /// `audit_head.seq` (0 for an empty chain, nil when the head row is gone).
    public let headSeq: Int64?
    public let headHash: String?
    /// The highest `seq` in `audit_events`, else the last archived one (0 when none).
    public let lastSeq: Int64
    public init(headSeq: Int64?, headHash: String?, lastSeq: Int64) {
        self.headSeq = headSeq; self.headHash = headHash; self.lastSeq = lastSeq
    }
}

/// One read as the trace holds it now, beside what its audit entry recorded.
public struct StoredReadReferences: Sendable, Equatable {
    public let seq: Int64
    /// The audit entry's `after` (where the read's reference digest is recorded).
    public let recorded: String?
    /// Whether the `data_reads` row is still there.
    public let readRowPresent: Bool
    /// The digest and count of the references found now (`data_read_refs` and a not yet indexed `data_reads.refs`).
    public let found: ReadReferenceDigest
    public init(seq: Int64, recorded: String?, readRowPresent: Bool, found: ReadReferenceDigest) {
        self.seq = seq; self.recorded = recorded; self.readRowPresent = readRowPresent; self.found = found
    }
}

/// The digest of a read's record references, put into the read's own audit entry (`after`) so the hash chain — and
/// the checkpoints over it — cover the references too: deleting, adding or changing one changes the digest.
/// Computed by the store, which holds the references (`RecordReferencer`); the form is defined here.
public struct ReadReferenceDigest: Sendable, Equatable, Codable {
    /// How many distinct references the read returned.
    public let count: Int
    /// Lower-case hex SHA-256 of the 32-byte references sorted bytewise and concatenated (the store says why SHA-256).
    public let sha256: String
    public init(count: Int, sha256: String) { self.count = count; self.sha256 = sha256 }

    enum CodingKeys: String, CodingKey {
        case count = "read_refs"
        case sha256 = "read_refs_sha256"
    }

    /// The audit entry's `after`: `{"read_refs":N,"read_refs_sha256":"…"}` (keys sorted, so the entry is stable). An
    /// `after` the caller already set is kept as text under `"recorded_after"` (which sorts after the digest's keys).
    public func auditJSON(keeping after: String?) -> String {
        // The common case, on the read path: written directly (keys in sorted order, values digits and hex), as
        // AuditJSON would encode it, without an encoder per read.
        guard let after else { return "{\"read_refs\":\(count),\"read_refs_sha256\":\"\(sha256)\"}" }
        struct Wrapped: Encodable {
            let digest: ReadReferenceDigest
            let after: String
            func encode(to encoder: any Encoder) throws {
                try digest.encode(to: encoder)
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(after, forKey: Key(stringValue: "recorded_after"))
            }
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
        }
        return AuditJSON.encode(Wrapped(digest: self, after: after))
    }

    /// The digest an audit entry's `after` records, or nil when it records none (entries other than reads, and reads
    /// audited before digests were recorded).
    public static func recorded(in after: String?) -> ReadReferenceDigest? {
        guard let after, after.hasPrefix("{\"read_refs\":") else { return nil }
        return try? JSONDecoder().decode(ReadReferenceDigest.self, from: Data(after.utf8))
    }
}

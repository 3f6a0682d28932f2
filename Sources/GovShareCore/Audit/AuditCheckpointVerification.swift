import Foundation

/// What `govshare audit verify --checkpoints FILE` (and `POST /api/v1/audit/checkpoints/verify`) found: every problem,
/// each naming the entry or read it concerns, not only the first.
public struct AuditCheckpointVerification: Sendable, Equatable {
    public enum FindingKind: String, Sendable, Codable {
        /// The root certificate is not a self-signed certification authority, or differs from the pinned one.
        case rootCertificate = "root_certificate"
        /// A checkpoint's certificate does not chain to the root, was not valid at the checkpoint's time, or is not
        /// the certificate of the checkpoint's node.
        case checkpointCertificate = "checkpoint_certificate"
        /// A checkpoint's signature does not verify: the file was edited.
        case checkpointSignature = "checkpoint_signature"
        /// A checkpoint of another node than the database's.
        case checkpointNode = "checkpoint_node"
        /// The entry a checkpoint attests has another hash in the database: entries up to it were rewritten (hashes
        /// recomputed) or it is gone.
        case chainRewritten = "chain_rewritten"
        /// The database's chain ends before the last checkpoint: its tail was cut off.
        case chainTruncated = "chain_truncated"
        /// The chain does not verify by itself (an entry altered without recomputing, a gap, a broken link).
        case chainBroken = "chain_broken"
        /// A read's references differ from the digest its audit entry recorded (deleted, added or altered).
        case readReferences = "read_references"
    }

    public struct Finding: Sendable, Equatable {
        public let kind: FindingKind
        /// The audit entry (or read, by its entry) concerned, when there is one.
        public let seq: Int64?
        public let message: LocalizedText
        public init(_ kind: FindingKind, seq: Int64?, zh: String, en: String) {
            self.kind = kind; self.seq = seq; self.message = LocalizedText(zh: zh, en: en)
        }
    }

    public var ok: Bool { findings.isEmpty }
    /// Checkpoints in the file, and how many of them are signed by a certificate of the root.
    public var checkpoints: Int
    public var validCheckpoints: Int
    /// The last entry the database holds, and the highest entry the valid checkpoints attest.
    public var databaseLastSeq: Int64
    public var lastCheckpointSeq: Int64
    /// Reads whose reference digest was recomputed.
    public var readsChecked: Int
    /// The root the checkpoints were checked against (subject), and whether it was pinned by the caller.
    public var root: String
    public var rootPinned: Bool
    public var findings: [Finding]
    /// Checkpoints attesting an entry inside an archived segment other than its last: their entries are no longer
    /// in the database but in the segment's package (`govshare archive verify` re-walks it); not checked here.
    public var archivedCheckpoints = 0
    /// Entries 1…`archivedThrough` are archived (0: none).
    public var archivedThrough: Int64 = 0

    public init(
        checkpoints: Int, validCheckpoints: Int, databaseLastSeq: Int64, lastCheckpointSeq: Int64, readsChecked: Int, root: String,
        rootPinned: Bool, findings: [Finding]
    ) {
        self.checkpoints = checkpoints; self.validCheckpoints = validCheckpoints; self.databaseLastSeq = databaseLastSeq
        self.lastCheckpointSeq = lastCheckpointSeq; self.readsChecked = readsChecked; self.root = root
        self.rootPinned = rootPinned; self.findings = findings
    }

    /// At most this many read findings are listed (a mass deletion would otherwise list millions).
    public static let maxReadFindings = 100
}

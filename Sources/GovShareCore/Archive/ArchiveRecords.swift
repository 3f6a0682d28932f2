import Foundation

/// A registered archival package (`archives`): where it lies and the Merkle root its signed manifest carries.
public struct ArchiveRecord: Sendable, Equatable, Codable {
    public var id: String
    public var kind: ArchiveKind
    public var nodeId: String
    /// The package's directory (absolute path on the node that made it).
    public var location: String
    public var merkleRoot: String
    /// Hex SM3 of `manifest.json`.
    public var manifestSM3: String
    public var fileCount: Int
    public var sizeBytes: Int64
    public var periodFrom: String?
    public var periodTo: String?
    public var createdAt: String
    public var createdBy: String
    public var createdByName: String

    public init(
        id: String, kind: ArchiveKind, nodeId: String, location: String, merkleRoot: String, manifestSM3: String, fileCount: Int,
        sizeBytes: Int64, periodFrom: String?, periodTo: String?, createdAt: String, createdBy: String, createdByName: String
    ) {
        self.id = id; self.kind = kind; self.nodeId = nodeId; self.location = location; self.merkleRoot = merkleRoot
        self.manifestSM3 = manifestSM3; self.fileCount = fileCount; self.sizeBytes = sizeBytes; self.periodFrom = periodFrom
        self.periodTo = periodTo; self.createdAt = createdAt; self.createdBy = createdBy; self.createdByName = createdByName
    }
}

/// A range of the audit chain moved into a package (`audit_segments`). The live chain starts after the newest one.
public struct AuditSegment: Sendable, Equatable, Codable {
    public var id: String
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var firstPrevHash: String
    public var lastHash: String
    public var archiveId: String
    public var archivedAt: String
    public var entries: Int64
    public var reads: Int64
    public var readReferences: Int64
    public init(
        id: String, firstSeq: Int64, lastSeq: Int64, firstPrevHash: String, lastHash: String, archiveId: String, archivedAt: String,
        entries: Int64, reads: Int64, readReferences: Int64
    ) {
        self.id = id; self.firstSeq = firstSeq; self.lastSeq = lastSeq; self.firstPrevHash = firstPrevHash; self.lastHash = lastHash
        self.archiveId = archiveId; self.archivedAt = archivedAt; self.entries = entries; self.reads = reads
        self.readReferences = readReferences
    }
}

/// A `data_reads` row as an audit-segment package keeps it (its packed references are in `data_read_refs.jsonl`).
public struct ArchivedRead: Sendable, Codable, Equatable {
    public var auditSeq: Int64
    public var datasetId: String
    public var entryCode: String
    public var actorId: String
    public var actorName: String
    public var departmentId: String
    public var purposeId: String
    public var items: String
    public var filter: String
    public var rowCount: Int
    public var readAt: String
    public var requestId: String
    public init(
        auditSeq: Int64, datasetId: String, entryCode: String, actorId: String, actorName: String, departmentId: String,
        purposeId: String, items: String, filter: String, rowCount: Int, readAt: String, requestId: String
    ) {
        self.auditSeq = auditSeq; self.datasetId = datasetId; self.entryCode = entryCode; self.actorId = actorId
        self.actorName = actorName; self.departmentId = departmentId; self.purposeId = purposeId; self.items = items
        self.filter = filter; self.rowCount = rowCount; self.readAt = readAt; self.requestId = requestId
    }
}

/// One record reference of a read (`data_read_refs`, and a not yet indexed read's packed `refs`), hex.
public struct ArchivedReadReference: Sendable, Codable, Equatable {
    public var auditSeq: Int64
    public var ref: String
    public init(auditSeq: Int64, ref: String) { self.auditSeq = auditSeq; self.ref = ref }
}

/// The audit chain's own hashes, which are the store's (SHA-256 over the canonical form, and the read reference
/// digest): the offline verifier re-walks an archived chain with them.
public protocol AuditHashing: Sendable {
    func entryHash(_ event: AuditEvent) -> String
    func readReferenceDigest(_ references: [Data]) -> ReadReferenceDigest
}

/// The registry of packages, the archived segments, and the cut itself.
public protocol ArchiveRepository: Sendable {
    func list(kind: ArchiveKind?, limit: Int) async throws -> [ArchiveRecord]
    func find(id: String) async throws -> ArchiveRecord?
    func insert(_ record: ArchiveRecord, audit: AuditRecord) async throws
    /// Archived segments, oldest first.
    func segments() async throws -> [AuditSegment]
    /// The live chain's first entry number and the hash it links to: after the newest segment, else entry 1 and 64 zeros.
    func liveStart() async throws -> (seq: Int64, prevHash: String)
    /// The largest N such that every live entry from `from` through N occurred before `before` (nil: none does), at
    /// most `from + maxEntries - 1`.
    func archivableEnd(from: Int64, before: String, maxEntries: Int) async throws -> Int64?
    /// Live entries `from`…`through` in order, one page.
    func events(from: Int64, through: Int64, limit: Int) async throws -> [AuditEvent]
    func reads(from: Int64, through: Int64) async throws -> [ArchivedRead]
    /// The references of reads `from`…`through` (indexed and not yet indexed), ordered by read then reference.
    func readReferences(from: Int64, through: Int64) async throws -> [ArchivedReadReference]
    /// In one transaction: registers the package and the segment, deletes the segment's `data_read_refs`, `data_reads`
    /// and `audit_events` rows (the retention triggers refuse a younger one, and then nothing is deleted), checks that
    /// none is left and writes `audit`. Fails with 409 when the live chain no longer starts at `segment.firstSeq`.
    func cut(_ segment: AuditSegment, archive: ArchiveRecord, audit: AuditRecord) async throws
}

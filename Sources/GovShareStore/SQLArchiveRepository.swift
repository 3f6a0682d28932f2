import Crypto
import Foundation
import GovShareCore
import SQLKit

/// The audit chain's hashes as the store computes them, for the offline verifier of audit-segment packages.
public struct AuditChainHashing: AuditHashing {
    public init() {}
    public func entryHash(_ event: AuditEvent) -> String { AuditChain.hash(of: event) }
    public func readReferenceDigest(_ references: [Data]) -> ReadReferenceDigest { RecordReferencer.digest(references) }
}

/// The archive registry (`archives`), the archived audit segments (`audit_segments`) and the retention cut.
public struct SQLArchiveRepository: ArchiveRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func list(kind: ArchiveKind?, limit: Int) async throws -> [ArchiveRecord] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("archives")
            if let kind { select.where("kind", .equal, kind.rawValue) }
            return try await select.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit).all()
                .map(Self.record(from:))
        }
    }

    public func find(id: String) async throws -> ArchiveRecord? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("archives").where("id", .equal, id).first().map(Self.record(from:))
        }
    }

    public func insert(_ record: ArchiveRecord, audit: AuditRecord) async throws {
        try await context.write(audit) { db in try await Self.insert(record, on: db) }
    }

    static func insert(_ r: ArchiveRecord, on db: any SQLDatabase) async throws {
        try await db.insert(into: "archives").columns(
            "id", "node_id", "kind", "location", "merkle_root", "manifest_sm3", "file_count", "size_bytes", "period_from", "period_to",
            "created_at", "created_by", "created_by_name"
        ).values(
            SQLBind(r.id), SQLBind(r.nodeId), SQLBind(r.kind.rawValue), SQLBind(r.location), SQLBind(r.merkleRoot),
            SQLBind(r.manifestSM3), SQLBind(r.fileCount), SQLBind(r.sizeBytes), SQLBind(r.periodFrom), SQLBind(r.periodTo),
            SQLBind(r.createdAt), SQLBind(r.createdBy), SQLBind(r.createdByName)
        ).run()
    }

    public func segments() async throws -> [AuditSegment] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("audit_segments").orderBy("first_seq").all().map(Self.segment(from:))
        }
    }

    public func liveStart() async throws -> (seq: Int64, prevHash: String) {
        try await context.database.withConnection { db in try await Self.liveStart(on: db) }
    }

    static func liveStart(on db: any SQLDatabase) async throws -> (seq: Int64, prevHash: String) {
        guard let row = try await db.raw("SELECT last_seq, last_hash FROM audit_segments ORDER BY last_seq DESC LIMIT 1").first() else {
            return (1, AuditEvent.genesisHash)
        }
        return (try row.decode(column: "last_seq", as: Int64.self) + 1, try row.string("last_hash"))
    }

    /// Looks at the live entries from `from` by key only (no scan of the whole log): the first entry's age first,
    /// then the first entry of the window that is not old enough.
    public func archivableEnd(from: Int64, before: String, maxEntries: Int) async throws -> Int64? {
        try await context.database.withConnection { db in
            guard let first = try await db.raw("SELECT occurred_at FROM audit_events WHERE seq = \(bind: from)").first(),
                try first.string("occurred_at") < before
            else { return nil }
            let window = from + Int64(maxEntries) - 1
            let young = try await db.raw(
                """
                SELECT MIN(seq) AS seq FROM audit_events WHERE seq >= \(bind: from) AND seq <= \(bind: window)
                AND occurred_at >= \(bind: before)
                """
            ).first()?.decode(column: "seq", as: Int64?.self)
            if let young { return young - 1 }
            let last = try await db.raw("SELECT MAX(seq) AS seq FROM audit_events WHERE seq <= \(bind: window)").first()?
                .decode(column: "seq", as: Int64?.self)
            return last
        }
    }

    public func events(from: Int64, through: Int64, limit: Int) async throws -> [AuditEvent] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("audit_events").where("seq", .greaterThanOrEqual, from)
                .where("seq", .lessThanOrEqual, through).orderBy("seq").limit(limit).all().map(SQLAuditLog.event(from:))
        }
    }

    public func reads(from: Int64, through: Int64) async throws -> [ArchivedRead] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT audit_seq, dataset_id, entry_code, actor_id, actor_name, department_id, purpose_id, items, filter, row_count,
                    read_at, request_id FROM data_reads WHERE audit_seq >= \(bind: from) AND audit_seq <= \(bind: through) ORDER BY audit_seq
                """
            ).all().map { row in
                ArchivedRead(
                    auditSeq: try row.decode(column: "audit_seq", as: Int64.self), datasetId: try row.string("dataset_id"),
                    entryCode: try row.string("entry_code"), actorId: try row.string("actor_id"), actorName: try row.string("actor_name"),
                    departmentId: try row.string("department_id"), purposeId: try row.string("purpose_id"), items: try row.string("items"),
                    filter: try row.string("filter"), rowCount: try row.int("row_count"), readAt: try row.string("read_at"),
                    requestId: try row.string("request_id"))
            }
        }
    }

    /// Indexed references and a not yet indexed read's packed ones, as one set per read, ordered by read then bytes.
    /// `data_read_refs` is keyed by reference: this is a scan of it per call (the cut runs off-peak, a page at a time).
    public func readReferences(from: Int64, through: Int64) async throws -> [ArchivedReadReference] {
        try await context.database.withConnection { db in
            var refs: [Int64: Set<Data>] = [:]
            for row in try await db.raw(
                "SELECT audit_seq, refs FROM data_reads WHERE audit_seq >= \(bind: from) AND audit_seq <= \(bind: through) AND refs IS NOT NULL"
            ).all() {
                let packed = try row.decode(column: "refs", as: Data.self)
                refs[try row.decode(column: "audit_seq", as: Int64.self), default: []].formUnion(RecordReferencer.unpack(packed))
            }
            for row in try await db.raw(
                "SELECT ref, audit_seq FROM data_read_refs WHERE audit_seq >= \(bind: from) AND audit_seq <= \(bind: through)"
            ).all() {
                refs[try row.decode(column: "audit_seq", as: Int64.self), default: []].insert(try row.decode(column: "ref", as: Data.self))
            }
            return refs.keys.sorted().flatMap { seq in
                refs[seq]!.map(Hex.encode).sorted().map { ArchivedReadReference(auditSeq: seq, ref: $0) }
            }
        }
    }

    public func cut(_ segment: AuditSegment, archive: ArchiveRecord, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            if context.database.kind == .postgres {
                // Serialises cuts with each other and with appends (which lock the head).
                try await db.raw("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").run()
            }
            let start = try await Self.liveStart(on: db)
            let stored = try await db.raw(
                "SELECT COUNT(*) AS n, MAX(hash) AS h FROM audit_events WHERE seq = \(bind: segment.lastSeq)"
            ).first()
            let inRange = try await db.raw(
                "SELECT COUNT(*) AS n FROM audit_events WHERE seq >= \(bind: segment.firstSeq) AND seq <= \(bind: segment.lastSeq)"
            ).first()?.decode(column: "n", as: Int64.self)
            guard start.seq == segment.firstSeq, start.prevHash == segment.firstPrevHash,
                try stored?.decode(column: "h", as: String?.self) == segment.lastHash, inRange == segment.entries
            else {
                throw DomainError.conflict(
                    code: "audit_segment_changed", zh: "审计链在归档期间已变化（已由他人归档或条目不符），未删除任何条目",
                    en: "The audit chain changed while archiving (archived by another run, or entries differ); nothing was deleted")
            }
            try await Self.insert(archive, on: db)
            try await db.insert(into: "audit_segments").columns(
                "id", "first_seq", "last_seq", "first_prev_hash", "last_hash", "archive_id", "archived_at", "entries", "reads", "read_refs",
                "node_id"
            ).values(
                SQLBind(segment.id), SQLBind(segment.firstSeq), SQLBind(segment.lastSeq), SQLBind(segment.firstPrevHash),
                SQLBind(segment.lastHash), SQLBind(segment.archiveId), SQLBind(segment.archivedAt), SQLBind(segment.entries),
                SQLBind(segment.reads), SQLBind(segment.readReferences), SQLBind(context.nodeId)
            ).run()
            let range = "\(segment.firstSeq) AND \(segment.lastSeq)"
            // References first: their retention trigger dates them by their read (or entry).
            try await db.raw("DELETE FROM data_read_refs WHERE audit_seq BETWEEN \(unsafeRaw: range)").run()
            try await db.raw("DELETE FROM data_reads WHERE audit_seq BETWEEN \(unsafeRaw: range)").run()
            try await db.raw("DELETE FROM audit_events WHERE seq BETWEEN \(unsafeRaw: range)").run()
            let left = try await db.raw(
                """
                SELECT (SELECT COUNT(*) FROM audit_events WHERE seq BETWEEN \(unsafeRaw: range))
                     + (SELECT COUNT(*) FROM data_reads WHERE audit_seq BETWEEN \(unsafeRaw: range)) AS n
                """
            ).first()?.decode(column: "n", as: Int64.self)
            guard left == 0 else {
                throw DomainError(
                    .unavailable, code: "audit_cut_incomplete",
                    message: LocalizedText(zh: "归档删除未完成，已回滚", en: "The archived rows were not all deleted; rolled back"))
            }
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func record(from row: any SQLRow) throws -> ArchiveRecord {
        ArchiveRecord(
            id: try row.string("id"), kind: ArchiveKind(rawValue: try row.string("kind")) ?? .auditSegment,
            nodeId: try row.string("node_id"),
            location: try row.string("location"), merkleRoot: try row.string("merkle_root"), manifestSM3: try row.string("manifest_sm3"),
            fileCount: try row.int("file_count"), sizeBytes: try row.decode(column: "size_bytes", as: Int64.self),
            periodFrom: try row.optionalString("period_from"), periodTo: try row.optionalString("period_to"),
            createdAt: try row.string("created_at"), createdBy: try row.string("created_by"),
            createdByName: try row.string("created_by_name"))
    }

    static func segment(from row: any SQLRow) throws -> AuditSegment {
        AuditSegment(
            id: try row.string("id"), firstSeq: try row.decode(column: "first_seq", as: Int64.self),
            lastSeq: try row.decode(column: "last_seq", as: Int64.self), firstPrevHash: try row.string("first_prev_hash"),
            lastHash: try row.string("last_hash"), archiveId: try row.string("archive_id"), archivedAt: try row.string("archived_at"),
            entries: try row.decode(column: "entries", as: Int64.self), reads: try row.decode(column: "reads", as: Int64.self),
            readReferences: try row.decode(column: "read_refs", as: Int64.self))
    }
}

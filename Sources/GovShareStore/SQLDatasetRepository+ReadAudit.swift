import Crypto
import Foundation
import GovShareCore
import SQLKit

/// The read audit (Art. 28): every read is written before its rows are sent, in groups (`ReadAuditBatcher`); each
/// read row carries the keyed references of the records it returned, packed, and `indexReadReferences` moves them
/// into `data_read_refs` afterwards, so a lookup by record searches that index and the not yet indexed reads.
extension SQLDatasetRepository {
    public func recordRead(_ read: DataRead, keys: [String], audit: AuditRecord) async throws -> DataRead {
        try await batcher.submit(ReadAuditBatcher.Job(read: read, keys: keys, audit: audit))
    }

    /// Writes a group of reads in one transaction: their audit entries, then one read row each with its references.
    static func writeReads(
        _ jobs: [ReadAuditBatcher.Job], context: StoreContext,
        keyFor: @escaping @Sendable (any SQLDatabase) async throws -> SymmetricKey
    ) async throws -> [DataRead] {
        try await context.database.transaction { db in
            let referencer = RecordReferencer(key: try await keyFor(db))
            // Each read's entry carries the digest of its references, so the chain (and the signed checkpoints over
            // it) covers them: one hash per read, over bytes already in memory.
            let packed = jobs.map { referencer.packed(datasetId: $0.read.datasetId, keys: $0.keys) }
            let audits = zip(jobs, packed).map { job, refs in
                var audit = job.audit
                audit.after = RecordReferencer.digest(packed: refs).auditJSON(keeping: audit.after)
                return audit
            }
            let events = try await AuditChain.appendAll(audits, context: context, on: db)
            var written: [DataRead] = []
            var readRows: [[any SQLExpression]] = []
            for ((job, event), refs) in zip(zip(jobs, events), packed) {
                var read = job.read
                read.auditSeq = event.seq
                written.append(read)
                readRows.append([
                    SQLBind(read.auditSeq), SQLBind(read.datasetId), SQLBind(read.entryCode), SQLBind(read.actorId),
                    SQLBind(read.actorName), SQLBind(read.departmentId), SQLBind(read.purposeId),
                    SQLBind(read.items.joined(separator: ",")), SQLBind(read.filter), SQLBind(read.rows), SQLBind(read.readAt),
                    SQLBind(read.requestId), SQLBind(refs),
                ])
            }
            for chunk in readRows.chunked(200) {
                try await db.insert(into: "data_reads").columns(
                    "audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id", "items",
                    "filter", "row_count", "read_at", "request_id", "refs"
                ).rows(Array(chunk)).run()
            }
            return written
        }
    }

    public var readsAuditedRecently: Bool {
        batcher.lastWrite.withLock { $0.map { ContinuousClock.now - $0 < .seconds(1) } ?? false }
    }

    /// Moves the packed references of up to `limit` reads, and no more reads than it takes to reach `references`
    /// references (at least one read), into `data_read_refs`, in read order, in one transaction; returns how many reads
    /// it indexed (0 when it has caught up). The bound is on references because a read of a 1,000-row page carries
    /// 1,000 of them: a hundred such reads in one transaction held SQLite's writer for about a second on a
    /// 10,000,000-reference index, and every audited read waited behind it (docs/benchmarks.md). The reads are chosen
    /// by their row counts first, so only the packed references that will be moved are loaded.
    public func indexReadReferences(limit: Int, references: Int) async throws -> Int {
        let kind = context.database.kind
        return try await context.database.transaction { db in
            let lock = kind == .postgres ? " FOR UPDATE" : ""
            guard let state = try await db.raw("SELECT indexed_through FROM data_read_ref_index WHERE id = 1\(unsafeRaw: lock)").first()
            else {
                return 0
            }
            let through = try state.decode(column: "indexed_through", as: Int64.self)
            let counts = try await db.raw(
                """
                SELECT audit_seq, row_count FROM data_reads WHERE audit_seq > \(bind: through) ORDER BY audit_seq \
                LIMIT \(bind: limit)
                """
            ).all()
            var last = through
            var indexed = 0
            var planned = 0
            for row in counts {
                let rows = max(0, try row.decode(column: "row_count", as: Int.self))
                if indexed > 0 && planned + rows > references { break }
                planned += rows
                last = try row.decode(column: "audit_seq", as: Int64.self)
                indexed += 1
            }
            guard indexed > 0 else { return 0 }
            let pending = try await db.raw(
                """
                SELECT audit_seq, refs FROM data_reads WHERE audit_seq > \(bind: through) AND audit_seq <= \(bind: last) \
                ORDER BY audit_seq
                """
            ).all()
            var refRows: [[any SQLExpression]] = []
            for row in pending {
                let seq = try row.decode(column: "audit_seq", as: Int64.self)
                let packed = try row.decode(column: "refs", as: Data?.self) ?? Data()
                for ref in RecordReferencer.unpack(packed) { refRows.append([SQLBind(ref), SQLBind(seq)]) }
            }
            for chunk in refRows.chunked(Self.rowsPerStatement * 2) {
                try await db.insert(into: "data_read_refs").columns("ref", "audit_seq").rows(Array(chunk)).run()
            }
            try await db.raw(
                """
                UPDATE data_reads SET refs = NULL WHERE audit_seq > \(bind: through) AND audit_seq <= \(bind: last)
                """
            ).run()
            try await db.raw("UPDATE data_read_ref_index SET indexed_through = \(bind: last) WHERE id = 1").run()
            return indexed
        }
    }

    public func reads(_ q: ReadTraceQuery) async throws -> [DataRead] {
        // Record references are per dataset: look the datasets up only when a record is asked for.
        let datasetIds: [String]
        if q.recordKey == nil {
            datasetIds = []
        } else if let id = q.datasetId {
            datasetIds = [id]
        } else {
            // Service-interface and file resources are read under their entry id (a file's record is the file).
            let services = try await context.database.withConnection { db in
                try await db.raw("SELECT entry_id FROM service_mounts UNION SELECT DISTINCT entry_id FROM resource_files").all()
                    .map { try $0.decode(column: "entry_id", as: String.self) }
            }
            datasetIds = try await list().map(\.id) + services
        }
        return try await context.database.withConnection { db in
            let select = db.select().columns(
                "audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id", "items",
                "filter", "row_count", "read_at", "request_id"
            ).from("data_reads")
            if let key = q.recordKey {
                let referencer = RecordReferencer(key: try await loadKey(on: db))
                var refs: [String: Data] = [:]
                for id in datasetIds { refs[id] = referencer.reference(datasetId: id, key: key) }
                if refs.isEmpty { return [] }
                // Not yet indexed reads first, then the index: a read the indexer moves in between is found there.
                let tail = try await unindexedReads(containing: refs, on: db)
                let indexed = SQLSubquery.select {
                    $0.column("audit_seq").from("data_read_refs")
                        .where("ref", .in, SQLGroupExpression(refs.values.map { SQLBind($0) as any SQLExpression }))
                }
                select.where { g in
                    let inIndex = g.where(SQLColumn("audit_seq"), .in, indexed)
                    return tail.isEmpty
                        ? inIndex
                        : inIndex.orWhere(SQLColumn("audit_seq"), .in, SQLGroupExpression(tail.map { SQLBind($0) as any SQLExpression }))
                }
            }
            if let d = q.datasetId { select.where(SQLColumn("dataset_id"), .equal, SQLBind(d)) }
            if let d = q.departmentId { select.where(SQLColumn("department_id"), .equal, SQLBind(d)) }
            if let purpose = q.purposeId { select.where(SQLColumn("purpose_id"), .equal, SQLBind(purpose)) }
            if let from = q.from { select.where(SQLColumn("read_at"), .greaterThanOrEqual, SQLBind(from)) }
            if let to = q.to { select.where(SQLColumn("read_at"), .lessThan, SQLBind(to)) }
            return try await select.orderBy("audit_seq", .descending).limit(min(max(q.limit, 1), 100_000)).all().map { row in
                DataRead(
                    auditSeq: try row.decode(column: "audit_seq", as: Int64.self), datasetId: try row.string("dataset_id"),
                    entryCode: try row.string("entry_code"), actorId: try row.string("actor_id"),
                    actorName: try row.string("actor_name"), departmentId: try row.string("department_id"),
                    purposeId: try row.string("purpose_id"),
                    items: try row.string("items").split(separator: ",").map(String.init), filter: try row.string("filter"),
                    rows: try row.int("row_count"), readAt: try row.string("read_at"), requestId: try row.string("request_id"))
            }
        }
    }

    /// Reads after the indexer's mark whose packed references contain the record's reference for their dataset,
    /// scanned a thousand at a time.
    private func unindexedReads(containing refs: [String: Data], on db: any SQLDatabase) async throws -> [Int64] {
        guard let state = try await db.raw("SELECT indexed_through FROM data_read_ref_index WHERE id = 1").first() else { return [] }
        var after = try state.decode(column: "indexed_through", as: Int64.self)
        var found: [Int64] = []
        while true {
            let page = try await db.raw(
                """
                SELECT audit_seq, dataset_id, refs FROM data_reads WHERE audit_seq > \(bind: after) ORDER BY audit_seq LIMIT 1000
                """
            ).all()
            for row in page {
                after = try row.decode(column: "audit_seq", as: Int64.self)
                guard let ref = refs[try row.string("dataset_id")], let packed = try row.decode(column: "refs", as: Data?.self) else {
                    continue
                }
                if RecordReferencer.unpack(packed).contains(ref) { found.append(after) }
            }
            if page.count < 1000 { return found }
        }
    }
}

/// The keyed reference of a returned record: HMAC-SHA256(node key, dataset id ‖ 0x01 ‖ primary key). The keyed state
/// is set up once and copied per record (a read returns up to 1,000 records).
struct RecordReferencer {
    static let size = 32
    private let keyed: HMAC<SHA256>
    init(key: SymmetricKey) { keyed = HMAC<SHA256>(key: key) }

    /// One record's reference, by the same construction the read audit packs (a lookup must match it byte for byte).
    func reference(datasetId: String, key: String) -> Data {
        packed(datasetId: datasetId, keys: [key])
    }

    /// The references of a read's distinct records, concatenated. The dataset prefix is absorbed once; each key is
    /// fed from its UTF-8 storage (the same HMAC as `reference`, without a buffer per record).
    func packed(datasetId: String, keys: [String]) -> Data {
        var out = Data(capacity: keys.count * Self.size)
        var prefixed = keyed
        prefixed.update(data: Data("\(datasetId)\u{1}".utf8))
        for var key in Set(keys) {
            var mac = prefixed
            key.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
            mac.finalize().withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The digest a read's audit entry records of its references: SHA-256 of the 32-byte references sorted bytewise
    /// and concatenated. Sorted, because a read packs them in no fixed order (a set of keys) and the index gives them
    /// back in any order. SHA-256 because the chain that carries the digest is SHA-256 (the digest is worth no more
    /// than the chain over it; SM2/SM3 enter at the signed checkpoint over the chain's head), and because it runs
    /// here, on the read path, next to the HMAC-SHA256 references with the same library — no extra dependency, and
    /// at hardware speed on the at most 32 KB of a 1,000-record read.
    static func digest(packed: Data) -> ReadReferenceDigest {
        let count = packed.count / size
        var hasher = SHA256()
        packed.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            let order = (0..<count).sorted { memcmp(base + $0 * size, base + $1 * size, size) < 0 }
            for i in order { hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + i * size, count: size)) }
        }
        return ReadReferenceDigest(count: count, sha256: Hex.encode(hasher.finalize()))
    }

    /// The same digest of references found one by one (the verifier's side).
    static func digest(_ refs: [Data]) -> ReadReferenceDigest {
        var packed = Data(capacity: refs.count * size)
        for ref in refs { packed.append(ref) }
        return digest(packed: packed)
    }

    static func unpack(_ packed: Data) -> [Data] {
        stride(from: 0, to: packed.count - packed.count % size, by: size).map { i in
            packed.subdata(in: packed.startIndex + i..<packed.startIndex + i + size)
        }
    }
}

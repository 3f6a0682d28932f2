import Foundation
import GovShareCore
import SQLKit

/// The node's signed audit checkpoints, and what verifying the database against them reads.
public struct SQLAuditCheckpointRepository: AuditCheckpointRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func chainEnd() async throws -> AuditChainEnd {
        try await context.database.withConnection { db in
            let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
            let last = try await db.raw(
                "SELECT COALESCE((SELECT MAX(seq) FROM audit_events), (SELECT MAX(last_seq) FROM audit_segments), 0) AS seq"
            ).first()
            return AuditChainEnd(
                headSeq: try head?.decode(column: "seq", as: Int64.self), headHash: try head?.string("hash"),
                lastSeq: try last?.decode(column: "seq", as: Int64.self) ?? 0)
        }
    }

    public func latest() async throws -> AuditCheckpoint? {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM audit_checkpoints WHERE node_id = \(bind: context.nodeId) ORDER BY seq DESC, signed_at DESC LIMIT 1
                """
            ).first().map(Self.checkpoint(from:))
        }
    }

    public func all() async throws -> [AuditCheckpoint] {
        try await context.database.withConnection { db in
            try await db.raw(
                "SELECT * FROM audit_checkpoints WHERE node_id = \(bind: context.nodeId) ORDER BY seq, signed_at"
            ).all().map(Self.checkpoint(from:))
        }
    }

    public func insert(_ checkpoint: AuditCheckpoint, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "audit_checkpoints").columns(
                "id", "seq", "head_hash", "signed_at", "node_id", "signature", "certificate"
            ).values(
                SQLBind(Identifier.make()), SQLBind(checkpoint.seq), SQLBind(checkpoint.headHash), SQLBind(checkpoint.time),
                SQLBind(checkpoint.nodeId), SQLBind(checkpoint.signature), SQLBind(checkpoint.certificateDER)
            ).run()
        }
    }

    public func hashes(at seqs: [Int64]) async throws -> [Int64: String] {
        guard !seqs.isEmpty else { return [:] }
        return try await context.database.withConnection { db in
            var found: [Int64: String] = [:]
            for chunk in Array(Set(seqs)).chunked(500) {
                let rows = try await db.select().columns("seq", "hash").from("audit_events")
                    .where("seq", .in, SQLGroupExpression(chunk.map { SQLBind($0) as any SQLExpression })).all()
                for row in rows { found[try row.decode(column: "seq", as: Int64.self)] = try row.string("hash") }
            }
            return found
        }
    }

    /// Reads whose audit entry records a reference digest (`after` begins `{"read_refs":`), with the trace as it is
    /// now. The read row (and its not yet indexed `refs`) is read before `data_read_refs`: should the indexer move
    /// the references in between, they are seen twice, never missed, and a read's references are distinct, so a set
    /// removes the double.
    /// `data_read_refs` has no index on `audit_seq` (its key is the reference, for lookups by record), so the page's
    /// references come from one range scan per page, not one lookup per read.
    public func readReferences(afterSeq: Int64, limit: Int) async throws -> [StoredReadReferences] {
        try await context.database.withConnection { db in
            let rows = try await db.raw(
                """
                SELECT e.seq, e.after_state, r.audit_seq AS read_seq, r.refs FROM audit_events e
                LEFT JOIN data_reads r ON r.audit_seq = e.seq
                WHERE e.seq > \(bind: afterSeq) AND e.after_state LIKE '{"read_refs":%'
                ORDER BY e.seq LIMIT \(bind: limit)
                """
            ).all()
            guard let first = rows.first, let last = rows.last else { return [] }
            let low = try first.decode(column: "seq", as: Int64.self)
            let high = try last.decode(column: "seq", as: Int64.self)
            var refs: [Int64: Set<Data>] = [:]
            var present: [Int64: Bool] = [:]
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                present[seq] = try row.decode(column: "read_seq", as: Int64?.self) != nil
                if let packed = try row.decode(column: "refs", as: Data?.self) {
                    refs[seq, default: []].formUnion(RecordReferencer.unpack(packed))
                }
            }
            let indexed = try await db.raw(
                """
                SELECT ref, audit_seq FROM data_read_refs WHERE audit_seq >= \(bind: low) AND audit_seq <= \(bind: high)
                """
            ).all()
            for row in indexed {
                let seq = try row.decode(column: "audit_seq", as: Int64.self)
                guard present[seq] != nil else { continue }
                refs[seq, default: []].insert(try row.decode(column: "ref", as: Data.self))
            }
            return try rows.map { row in
                let seq = try row.decode(column: "seq", as: Int64.self)
                let found = Array(refs[seq] ?? [])
                return StoredReadReferences(
                    seq: seq, recorded: try row.optionalString("after_state"), readRowPresent: present[seq] ?? false,
                    found: RecordReferencer.digest(found))
            }
        }
    }

    public func archivedSegments() async throws -> [AuditSegment] {
        try await SQLArchiveRepository(context: context).segments()
    }

    static func checkpoint(from row: any SQLRow) throws -> AuditCheckpoint {
        AuditCheckpoint(
            seq: try row.decode(column: "seq", as: Int64.self), headHash: try row.string("head_hash"),
            time: try row.string("signed_at"), nodeId: try row.string("node_id"),
            signature: try row.decode(column: "signature", as: Data.self),
            certificateDER: try row.decode(column: "certificate", as: Data.self))
    }
}

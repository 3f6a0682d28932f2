import GovShareCore
import SQLKit

public struct SQLAuditLog: AuditLog {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func append(_ record: AuditRecord) async throws -> AuditEvent {
        let context = self.context
        return try await context.database.transaction { db in
            try await AuditChain.append(record, context: context, on: db)
        }
    }

    public func events(_ query: AuditQuery) async throws -> [AuditEvent] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("audit_events")
            if let after = query.beforeSeq { select.where("seq", .lessThan, after) }
            if let action = query.action { select.where("action", .equal, action) }
            if let actor = query.actorId { select.where("actor_id", .equal, actor) }
            if let object = query.objectId { select.where("object_id", .equal, object) }
            if let department = query.departmentId { select.where("department_id", .equal, department) }
            return try await select.orderBy("seq", .descending).limit(min(max(query.limit, 1), 1000)).all()
                .map(Self.event(from:))
        }
    }

    /// Walks the whole chain in order: sequence without gaps, each link to the previous hash, each hash recomputed,
    /// and the head matching the last entry (so a deleted tail is found too).
    public func verify() async throws -> AuditVerification {
        try await context.database.withConnection { db in
            // Archived segments (audit_segments) come first: they must chain from entry 1 to the live chain's start,
            // whose first entry must link to the newest segment's last hash.
            var expectedSeq: Int64 = 1
            var previousHash = AuditEvent.genesisHash
            var archive: String?
            for segment in try await db.select().column("*").from("audit_segments").orderBy("first_seq").all()
                .map(SQLArchiveRepository.segment(from:))
            {
                guard segment.firstSeq == expectedSeq, segment.firstPrevHash == previousHash else {
                    return AuditVerification(
                        ok: false, checked: expectedSeq - 1, firstBrokenSeq: expectedSeq,
                        reason:
                            "archived segment \(segment.firstSeq)–\(segment.lastSeq) (package \(segment.archiveId)) does not continue the chain at entry \(expectedSeq)",
                        fromSeq: 1, archivedBefore: archive)
                }
                expectedSeq = segment.lastSeq + 1
                previousHash = segment.lastHash
                archive = segment.archiveId
            }
            let fromSeq = expectedSeq
            func result(_ ok: Bool, _ checked: Int64, _ broken: Int64?, _ reason: String?) -> AuditVerification {
                AuditVerification(
                    ok: ok, checked: checked, firstBrokenSeq: broken, reason: reason, fromSeq: fromSeq, archivedBefore: archive)
            }
            let pageSize = 2000
            while true {
                let rows = try await db.select().column("*").from("audit_events")
                    .where("seq", .greaterThanOrEqual, expectedSeq).orderBy("seq").limit(pageSize).all()
                for row in rows {
                    let event = try Self.event(from: row)
                    if event.seq != expectedSeq {
                        return result(false, expectedSeq - 1, expectedSeq, "entry \(expectedSeq) is missing")
                    }
                    if event.prevHash != previousHash {
                        return result(
                            false, expectedSeq - 1, event.seq,
                            event.seq == fromSeq && archive != nil
                                ? "entry \(event.seq) does not link to the last hash of the archived segment before it (package \(archive!))"
                                : "entry \(event.seq) does not link to entry \(event.seq - 1)")
                    }
                    if AuditChain.hash(of: event) != event.hash {
                        return result(false, expectedSeq - 1, event.seq, "entry \(event.seq) was altered (hash mismatch)")
                    }
                    previousHash = event.hash
                    expectedSeq += 1
                }
                if rows.count < pageSize { break }
            }
            let lastSeq = expectedSeq - 1
            if let head = try await db.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() {
                let headSeq = try head.decode(column: "seq", as: Int64.self)
                let headHash = try head.string("hash")
                if headSeq != lastSeq || headHash != previousHash {
                    return result(false, lastSeq, lastSeq + 1, "entries after \(lastSeq) are missing (the chain head is at \(headSeq))")
                }
            } else {
                return result(false, lastSeq, nil, "the chain head is missing")
            }
            return result(true, lastSeq, nil, nil)
        }
    }

    static func event(from row: any SQLRow) throws -> AuditEvent {
        AuditEvent(
            seq: try row.decode(column: "seq", as: Int64.self), id: try row.string("id"),
            occurredAt: try row.string("occurred_at"), actorKind: try row.string("actor_kind"),
            actorId: try row.string("actor_id"), actorName: try row.string("actor_name"),
            departmentId: try row.string("department_id"), action: try row.string("action"),
            objectType: try row.string("object_type"), objectId: try row.string("object_id"),
            outcome: try row.string("outcome"), before: try row.optionalString("before_state"),
            after: try row.optionalString("after_state"), detail: try row.optionalString("detail"),
            requestId: try row.string("request_id"), clientAddress: try row.string("client_address"),
            nodeId: try row.string("node_id"), prevHash: try row.string("prev_hash"), hash: try row.string("hash"))
    }
}

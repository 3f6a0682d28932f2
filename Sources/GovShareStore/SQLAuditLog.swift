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
            var expectedSeq: Int64 = 1
            var previousHash = AuditEvent.genesisHash
            let pageSize = 2000
            while true {
                let rows = try await db.select().column("*").from("audit_events")
                    .where("seq", .greaterThanOrEqual, expectedSeq).orderBy("seq").limit(pageSize).all()
                for row in rows {
                    let event = try Self.event(from: row)
                    if event.seq != expectedSeq {
                        return AuditVerification(
                            ok: false, checked: expectedSeq - 1, firstBrokenSeq: expectedSeq,
                            reason: "entry \(expectedSeq) is missing")
                    }
                    if event.prevHash != previousHash {
                        return AuditVerification(
                            ok: false, checked: expectedSeq - 1, firstBrokenSeq: event.seq,
                            reason: "entry \(event.seq) does not link to entry \(event.seq - 1)")
                    }
                    if AuditChain.hash(of: event) != event.hash {
                        return AuditVerification(
                            ok: false, checked: expectedSeq - 1, firstBrokenSeq: event.seq,
                            reason: "entry \(event.seq) was altered (hash mismatch)")
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
                    return AuditVerification(
                        ok: false, checked: lastSeq, firstBrokenSeq: lastSeq + 1,
                        reason: "entries after \(lastSeq) are missing (the chain head is at \(headSeq))")
                }
            } else {
                return AuditVerification(ok: false, checked: lastSeq, firstBrokenSeq: nil, reason: "the chain head is missing")
            }
            return AuditVerification(ok: true, checked: lastSeq, firstBrokenSeq: nil, reason: nil)
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

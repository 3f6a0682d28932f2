import Foundation

/// Reading the audit log (Art. 28), for security auditors and administrators. Every read is itself recorded, the same
/// way whichever door it came through (API, portal): `audit.query` with the query asked, `audit.verify` with the result.
public struct AuditService: Sendable {
    let log: any AuditLog

    public init(log: any AuditLog) { self.log = log }

    /// Whether the actor reads the audit log, asked before its query is looked at.
    public func authorizeRead(by actor: Principal) throws { try Policy.readAudit.check(actor) }

    /// The events the query selects, newest first; the record of this read is among them when it falls in the page.
    public func events(_ query: AuditQuery, by actor: Principal, origin: RequestOrigin) async throws -> [AuditEvent] {
        try authorizeRead(by: actor)
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "audit.query", objectType: "audit_log", objectId: "*",
                detail: query.parameters, origin: origin))
        return try await log.events(query)
    }

    /// Walks the hash chain and records the result.
    public func verify(by actor: Principal, origin: RequestOrigin) async throws -> AuditVerification {
        try authorizeRead(by: actor)
        let result = try await log.verify()
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "audit.verify", objectType: "audit_log", objectId: "*",
                outcome: result.ok ? "success" : "failure", detail: result.reason, origin: origin))
        return result
    }
}

extension AuditQuery {
    /// The query as the API's query parameters, in a fixed order (what an `audit.query` entry records).
    public var parameters: String {
        let pairs: [(String, String?)] = [
            ("before_seq", beforeSeq.map(String.init)), ("limit", String(limit)), ("action", action),
            ("actor_id", actorId), ("object_id", objectId), ("department_id", departmentId),
        ]
        return pairs.compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: "&")
    }
}

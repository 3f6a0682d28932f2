import GovShareCore
import Hummingbird

/// The audit log for security auditors: `GET /api/v1/audit/events`, `GET /api/v1/audit/verify`.
/// Reading the log is itself recorded.
struct AuditController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("audit/events", use: events)
        group.get("audit/verify", use: verify)
    }

    @Sendable func events(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<AuditEventDTO>> {
        let actor = try context.requirePrincipal()
        try platform.audit.authorizeRead(by: actor)  // 403 before 422
        let query = try Self.query(from: request.uri.queryParameters)
        return JSONResponse(
            ListDTO(items: try await platform.audit.events(query, by: actor, origin: context.origin).map(AuditEventDTO.init)))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<AuditVerificationDTO> {
        let result = try await platform.audit.verify(by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(AuditVerificationDTO(result))
    }

    static func query(from parameters: Parameters) throws -> AuditQuery {
        var v = Validator()
        var query = AuditQuery()
        if let text = parameters["before_seq"].map(String.init) {
            if let n = Int64(text), n > 0 {
                query.beforeSeq = n
            } else {
                v.fail("before_seq", "integer", zh: "before_seq 应为正整数", en: "before_seq must be a positive integer")
            }
        }
        if let text = parameters["limit"].map(String.init) {
            if let n = Int(text), (1...1000).contains(n) {
                query.limit = n
            } else {
                v.fail("limit", "range", zh: "limit 应为 1 到 1000 之间的整数", en: "limit must be an integer from 1 to 1000")
            }
        }
        query.action = parameters["action"].map(String.init)
        query.actorId = parameters["actor_id"].map(String.init)
        query.objectId = parameters["object_id"].map(String.init)
        try v.check()
        return query
    }
}

struct AuditVerificationDTO: Codable, Sendable {
    let ok: Bool
    let checked: Int64
    let firstBrokenSeq: Int64?
    let reason: String?
    /// The first live entry walked, and the package holding the archived entries before it (docs/archiving.md).
    let fromSeq: Int64
    let archivedBefore: String?
    init(_ v: AuditVerification) {
        ok = v.ok; checked = v.checked; firstBrokenSeq = v.firstBrokenSeq; reason = v.reason; fromSeq = v.fromSeq
        archivedBefore = v.archivedBefore
    }
    enum CodingKeys: String, CodingKey {
        case ok, checked, reason
        case firstBrokenSeq = "first_broken_seq", fromSeq = "from_seq", archivedBefore = "archived_before"
    }
}

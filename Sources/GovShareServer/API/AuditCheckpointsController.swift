import Foundation
import GovShareCore
import Hummingbird
import NIOCore

/// Signed audit checkpoints for auditors (Art. 28): `GET /api/v1/audit/checkpoints/export` (the JSON-lines file) and
/// `POST /api/v1/audit/checkpoints/verify` (this database against a file). Both are recorded in the audit log.
struct AuditCheckpointsController {
    let platform: Platform
    /// A year of ten-minute checkpoints is about 60 MB of JSON lines.
    static let verifyBodyBytes = 128 << 20

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("audit/checkpoints/export", use: export)
        group.post("audit/checkpoints/verify", use: verify)
    }

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        let file = try await platform.auditCheckpoints.export(by: try context.requirePrincipal(), origin: context.origin)
        return Self.download(file)
    }

    /// The file as a download (also the audit page's link).
    static func download(_ file: AuditCheckpointFile) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/x-ndjson; charset=utf-8",
                .contentDisposition: "attachment; filename=\"audit-checkpoints-\(file.nodeId).jsonl\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: file.text)))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<AuditCheckpointVerificationDTO> {
        let actor = try context.requirePrincipal()
        try platform.audit.authorizeRead(by: actor)  // 403 before reading a large body
        let body = try await JSONBody.decode(CheckpointVerifyRequest.self, from: request, context: context, limit: Self.verifyBodyBytes)
        let report = try await platform.auditCheckpoints.verify(
            file: body.checkpoints, rootPEM: body.rootCertificate, by: actor, origin: context.origin)
        return JSONResponse(AuditCheckpointVerificationDTO(report))
    }
}

struct CheckpointVerifyRequest: Decodable {
    /// The exported file's text.
    let checkpoints: String
    /// The platform's root certificate (PEM) to pin; without it the file's own root is used.
    let rootCertificate: String?
    enum CodingKeys: String, CodingKey {
        case checkpoints
        case rootCertificate = "root_certificate"
    }
}

struct AuditCheckpointVerificationDTO: Encodable, Sendable {
    struct Finding: Encodable, Sendable {
        let kind: String
        let seq: Int64?
        let messageZh: String
        let messageEn: String
        enum CodingKeys: String, CodingKey {
            case kind, seq
            case messageZh = "message_zh"
            case messageEn = "message_en"
        }
    }
    let ok: Bool
    let checkpoints: Int
    let validCheckpoints: Int
    let databaseLastSeq: Int64
    let lastCheckpointSeq: Int64
    let readsChecked: Int
    let root: String
    let rootPinned: Bool
    let findings: [Finding]
    let archivedCheckpoints: Int
    let archivedThrough: Int64

    init(_ r: AuditCheckpointVerification) {
        archivedCheckpoints = r.archivedCheckpoints; archivedThrough = r.archivedThrough
        ok = r.ok; checkpoints = r.checkpoints; validCheckpoints = r.validCheckpoints; databaseLastSeq = r.databaseLastSeq
        lastCheckpointSeq = r.lastCheckpointSeq; readsChecked = r.readsChecked; root = r.root; rootPinned = r.rootPinned
        findings = r.findings.map { Finding(kind: $0.kind.rawValue, seq: $0.seq, messageZh: $0.message.zh, messageEn: $0.message.en) }
    }

    enum CodingKeys: String, CodingKey {
        case ok, checkpoints, root, findings
        case validCheckpoints = "valid_checkpoints"
        case databaseLastSeq = "database_last_seq"
        case lastCheckpointSeq = "last_checkpoint_seq"
        case readsChecked = "reads_checked"
        case rootPinned = "root_pinned"
        case archivedCheckpoints = "archived_checkpoints"
        case archivedThrough = "archived_through"
    }
}

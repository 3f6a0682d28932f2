import Foundation
import GovShareCore
import Hummingbird

struct ArchiveDTO: Codable, Sendable {
    let id, kind, kindName, nodeId, location, merkleRoot, manifestSM3, createdAt, createdBy, createdByName: String
    let fileCount: Int
    let sizeBytes: Int64
    let periodFrom, periodTo: String?

    init(_ r: ArchiveRecord) {
        id = r.id; kind = r.kind.rawValue; kindName = r.kind.name.zh; nodeId = r.nodeId; location = r.location
        merkleRoot = r.merkleRoot; manifestSM3 = r.manifestSM3; createdAt = r.createdAt; createdBy = r.createdBy
        createdByName = r.createdByName; fileCount = r.fileCount; sizeBytes = r.sizeBytes; periodFrom = r.periodFrom; periodTo = r.periodTo
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, location
        case kindName = "kind_name", nodeId = "node_id", merkleRoot = "merkle_root", manifestSM3 = "manifest_sm3"
        case createdAt = "created_at", createdBy = "created_by", createdByName = "created_by_name", fileCount = "file_count"
        case sizeBytes = "size_bytes", periodFrom = "period_from", periodTo = "period_to"
    }
}

struct AuditSegmentDTO: Codable, Sendable {
    let id, firstPrevHash, lastHash, archiveId, archivedAt: String
    let firstSeq, lastSeq, entries, reads, readReferences: Int64

    init(_ s: AuditSegment) {
        id = s.id; firstPrevHash = s.firstPrevHash; lastHash = s.lastHash; archiveId = s.archiveId; archivedAt = s.archivedAt
        firstSeq = s.firstSeq; lastSeq = s.lastSeq; entries = s.entries; reads = s.reads; readReferences = s.readReferences
    }

    enum CodingKeys: String, CodingKey {
        case id, entries, reads
        case firstPrevHash = "first_prev_hash", lastHash = "last_hash", archiveId = "archive_id", archivedAt = "archived_at"
        case firstSeq = "first_seq", lastSeq = "last_seq", readReferences = "read_refs"
    }
}

struct ArchiveVerificationDTO: Codable, Sendable {
    struct Failure: Codable, Sendable {
        let code, messageZh, messageEn: String
        enum CodingKeys: String, CodingKey { case code; case messageZh = "message_zh", messageEn = "message_en" }
    }
    let ok: Bool
    let checked: [String]
    let failures: [Failure]
    let merkleRoot: String?
    let signer: String?

    init(_ r: ArchiveVerification) {
        ok = r.ok; checked = r.checked; merkleRoot = r.manifest?.merkleRoot; signer = r.signerSubject
        failures = r.failures.map { Failure(code: $0.code, messageZh: $0.message.zh, messageEn: $0.message.en) }
    }

    enum CodingKeys: String, CodingKey { case ok, checked, failures, signer; case merkleRoot = "merkle_root" }
}

/// The archive registry (Art. 26) for auditors and operators: `GET /api/v1/archives`, `GET /api/v1/archives/{id}`,
/// `POST /api/v1/archives/{id}/verify` (the package where it lies) and `GET /api/v1/audit/segments`. Packages are made
/// at the console and by the scheduler (`govshare archive create`, `govshare audit archive`).
struct ArchivesController {
    let platform: Platform
    var service: ArchiveService { platform.archives }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("archives", use: list)
        group.get("archives/{id}", use: archive)
        group.post("archives/{id}/verify", use: verify)
        group.get("audit/segments", use: segments)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ArchiveDTO]> {
        let actor = try context.requirePrincipal()
        let kind = request.uri.queryParameters["kind"].map(String.init)
        return JSONResponse(try await service.list(kind: kind, by: actor).map(ArchiveDTO.init))
    }

    @Sendable func archive(request: Request, context: AppRequestContext) async throws -> JSONResponse<ArchiveDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(ArchiveDTO(try await service.find(try context.parameters.require("id"), by: actor)))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<ArchiveVerificationDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(ArchiveVerificationDTO(try await service.verify(try context.parameters.require("id"), by: actor)))
    }

    @Sendable func segments(request: Request, context: AppRequestContext) async throws -> JSONResponse<[AuditSegmentDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await service.segments(by: actor).map(AuditSegmentDTO.init))
    }
}

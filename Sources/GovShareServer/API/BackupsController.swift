import Foundation
import GovShareCore
import Hummingbird

/// The registry of backups (Art. 26): `GET /api/v1/backups` (operations, administration, audit) and
/// `POST /api/v1/backups` (starts one on the server and answers when it is complete; docs/backups.md).
struct BackupsController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("backups", use: list)
        group.post("backups", use: make)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<BackupOverviewDTO> {
        let overview = try await platform.backups.overview(by: try context.requirePrincipal())
        return JSONResponse(BackupOverviewDTO(overview))
    }

    @Sendable func make(request: Request, context: AppRequestContext) async throws -> JSONResponse<BackupDTO> {
        let made = try await platform.backups.make(by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(BackupDTO(made.record), status: .created)
    }
}

struct BackupDTO: Encodable, Sendable {
    let id: String
    let nodeId: String
    let status: String
    let startedAt: String
    let finishedAt: String?
    let sizeBytes: Int64?
    let sm3: String?
    let location: String
    let createdBy: String
    let databaseKind: String
    let schemaVersion: Int
    let auditSeq: Int64?
    let auditHash: String?
    let kekId: String?
    let error: String?

    init(_ r: BackupRecord) {
        id = r.id; nodeId = r.nodeId; status = r.status.rawValue; startedAt = r.startedAt; finishedAt = r.finishedAt
        sizeBytes = r.sizeBytes; sm3 = r.sm3; location = r.location; createdBy = r.createdBy; databaseKind = r.databaseKind
        schemaVersion = r.schemaVersion; auditSeq = r.auditSeq; auditHash = r.auditHash; kekId = r.keyEncryptionKeyId; error = r.error
    }

    enum CodingKeys: String, CodingKey {
        case id, status, sm3, location, error
        case nodeId = "node_id", startedAt = "started_at", finishedAt = "finished_at", sizeBytes = "size_bytes"
        case createdBy = "created_by", databaseKind = "database_kind", schemaVersion = "schema_version", auditSeq = "audit_seq"
        case auditHash = "audit_hash", kekId = "kek_id"
    }
}

struct BackupOverviewDTO: Encodable, Sendable {
    let backups: [BackupDTO]
    let newestCompletedAt: String?
    let newestAgeHours: Double?
    let maxAgeHours: Int
    let overdue: Bool

    init(_ o: BackupOverview) {
        backups = o.backups.map(BackupDTO.init)
        newestCompletedAt = o.newestCompleted?.finishedAt
        newestAgeHours = o.newestAgeHours.map { ($0 * 10).rounded() / 10 }
        maxAgeHours = o.maxAgeHours
        overdue = o.isOverdue
    }

    enum CodingKeys: String, CodingKey {
        case backups, overdue
        case newestCompletedAt = "newest_completed_at", newestAgeHours = "newest_age_hours", maxAgeHours = "max_age_hours"
    }
}

import Foundation
import GovShareCore
import Hummingbird

/// Encryption at rest of one dataset (docs/encryption-at-rest.md): `GET /api/v1/datasets/{code}/encryption` shows the
/// encrypted items, key versions and re-encryption jobs; `POST …/encryption/reencrypt` opens a re-encryption (under a
/// new data key with `new_key`), which the scheduler then runs batch by batch in the background (202).
struct DatasetEncryptionController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("datasets/{code}/encryption", use: status)
        group.post("datasets/{code}/encryption/reencrypt", use: reencrypt)
    }

    @Sendable func status(request: Request, context: AppRequestContext) async throws -> JSONResponse<DatasetEncryptionDTO> {
        let status = try await platform.datasetEncryption.status(
            code: try context.parameters.require("code"), by: try context.requirePrincipal())
        return JSONResponse(DatasetEncryptionDTO(status))
    }

    @Sendable func reencrypt(request: Request, context: AppRequestContext) async throws -> JSONResponse<ReencryptionJobDTO> {
        // Authorised before the body is read.
        let actor = try context.require(.manageEncryption)
        let body = try await JSONBody.decode(ReencryptRequest.self, from: request, context: context)
        let job = try await platform.datasetEncryption.start(
            code: try context.parameters.require("code"), newKey: body.newKey ?? false, by: actor, origin: context.origin)
        return JSONResponse(ReencryptionJobDTO(job), status: .accepted)
    }
}

struct ReencryptRequest: Decodable, Sendable {
    let newKey: Bool?
    enum CodingKeys: String, CodingKey { case newKey = "new_key" }
}

struct ReencryptionJobDTO: Encodable, Sendable {
    let id: String
    let state: String
    let reason: String
    let targetVersion: Int
    let rowsDone: Int
    let rowsTotal: Int
    let createdBy: String
    let createdAt: String
    let updatedAt: String
    let finishedAt: String?

    init(_ j: ReencryptionJob) {
        id = j.id; state = j.state.rawValue; reason = j.reason.rawValue; targetVersion = j.targetVersion; rowsDone = j.rowsDone
        rowsTotal = j.rowsTotal; createdBy = j.createdBy; createdAt = j.createdAt; updatedAt = j.updatedAt; finishedAt = j.finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, state, reason
        case targetVersion = "target_version", rowsDone = "rows_done", rowsTotal = "rows_total", createdBy = "created_by"
        case createdAt = "created_at", updatedAt = "updated_at", finishedAt = "finished_at"
    }
}

struct DatasetEncryptionDTO: Encodable, Sendable {
    struct KeyVersion: Encodable, Sendable {
        let version: Int
        let state: String
        let kekId: String
        let items: [String]
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case version, state, items
            case kekId = "kek_id", createdAt = "created_at"
        }
    }
    let entryCode: String
    let encryptedItems: [String]
    let pending: Bool
    let keyVersions: [KeyVersion]
    let jobs: [ReencryptionJobDTO]

    init(_ s: DatasetEncryptionStatus) {
        let items = s.dataset.itemCodes(ofColumns:)
        entryCode = s.dataset.entryCode
        encryptedItems = items(s.dataset.encryptedColumns)
        pending = s.dataset.encryptionPending
        keyVersions = s.keyVersions.map {
            KeyVersion(
                version: $0.version, state: $0.state.rawValue, kekId: $0.keyEncryptionKeyId, items: items($0.columns),
                createdAt: $0.createdAt)
        }
        jobs = s.jobs.map(ReencryptionJobDTO.init)
    }

    enum CodingKeys: String, CodingKey {
        case pending, jobs
        case entryCode = "entry_code", encryptedItems = "encrypted_items", keyVersions = "key_versions"
    }
}

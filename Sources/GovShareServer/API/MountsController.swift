import Foundation
import GovShareCore
import Hummingbird

struct InheritRequest: Codable, Sendable { var note: String? }
struct ServiceMountRequest: Codable, Sendable { var endpoint: String? }
struct ServiceCallRequest: Codable, Sendable {
    var purpose: String?
    var parameters: [String: Scalar]?
}

struct InheritedMountDTO: Codable, Sendable {
    let id, datasetId, departmentId, note, createdAt: String
    init(_ m: InheritedMount) { id = m.id; datasetId = m.datasetId; departmentId = m.departmentId; note = m.note; createdAt = m.createdAt }
    enum CodingKeys: String, CodingKey {
        case id, note
        case datasetId = "dataset_id", departmentId = "department_id", createdAt = "created_at"
    }
}

struct ResourceFileDTO: Codable, Sendable {
    let id, entryId, fileName, contentType, sha256, uploadedAt: String
    let size: Int
    init(_ f: ResourceFile) {
        id = f.id; entryId = f.entryId; fileName = f.fileName; contentType = f.contentType; sha256 = f.sha256
        uploadedAt = f.uploadedAt; size = f.size
    }
    enum CodingKeys: String, CodingKey {
        case id, sha256, size
        case entryId = "entry_id", fileName = "file_name", contentType = "content_type", uploadedAt = "uploaded_at"
    }
}

struct ServiceMountDTO: Codable, Sendable {
    let id, entryId, host, createdAt: String
    enum CodingKeys: String, CodingKey { case id, host; case entryId = "entry_id", createdAt = "created_at" }
}

struct ServiceCallDTO: Encodable, Sendable {
    let fields: [QueryFieldDTO]
    let records: [[String: String?]]
}

/// Inherited mounts, file resources and proxied service interfaces (Art. 15, 20).
struct MountsController {
    let platform: Platform
    var mounts: MountService { platform.mounts }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("datasets/{code}/inherit", use: inherit)
        group.get("datasets/{code}/inherited", use: inherited)
        group.post("resources/{code}/files", use: upload)
        group.get("resources/{code}/files", use: files)
        group.get("files/{id}", use: download)
        group.post("resources/{code}/service", use: mountService)
        group.post("resources/{code}/call", use: call)
    }

    @Sendable func inherit(request: Request, context: AppRequestContext) async throws -> JSONResponse<InheritedMountDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(InheritRequest.self, from: request, context: context)
        let mount = try await mounts.inherit(
            code: try context.parameters.require("code"), note: body.note, by: actor, origin: context.origin)
        return JSONResponse(InheritedMountDTO(mount), status: .created)
    }

    @Sendable func inherited(request: Request, context: AppRequestContext) async throws -> JSONResponse<[InheritedMountDTO]> {
        let viewer = try context.require(.readDirectory)
        return JSONResponse(
            try await mounts.inherited(code: try context.parameters.require("code"), by: viewer).map(InheritedMountDTO.init))
    }

    /// The body is the file; its name comes as `file_name` in the query.
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> JSONResponse<ResourceFileDTO> {
        let actor = try context.requirePrincipal()
        let code = try context.parameters.require("code")
        // Authorised before up to 64 MiB is read.
        try await mounts.authorizeUpload(code: code, by: actor)
        let bytes = try await request.body.collect(upTo: ParserLimits.resourceFileBytes)
        let file = try await mounts.uploadFile(
            code: code,
            fileName: request.uri.queryParameters["file_name"].map(String.init),
            contentType: request.headers[.contentType], bytes: Array(bytes.readableBytesView),
            by: actor, origin: context.origin)
        return JSONResponse(ResourceFileDTO(file), status: .created)
    }

    @Sendable func files(request: Request, context: AppRequestContext) async throws -> JSONResponse<[ResourceFileDTO]> {
        let viewer = try context.require(.readDirectory)
        return JSONResponse(try await mounts.files(code: try context.parameters.require("code"), by: viewer).map(ResourceFileDTO.init))
    }

    @Sendable func download(request: Request, context: AppRequestContext) async throws -> Response {
        let reader = try context.requirePrincipal()
        let (file, bytes) = try await mounts.download(
            fileId: try context.parameters.require("id"),
            purpose: request.uri.queryParameters["purpose"].map(String.init), by: reader,
            origin: context.origin)
        return FileResponse.attachment(name: file.fileName, contentType: file.contentType, sha256: file.sha256, bytes: bytes)
    }

    @Sendable func mountService(request: Request, context: AppRequestContext) async throws -> JSONResponse<ServiceMountDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(ServiceMountRequest.self, from: request, context: context)
        let mount = try await mounts.registerService(
            code: try context.parameters.require("code"), endpoint: body.endpoint, by: actor,
            origin: context.origin)
        return JSONResponse(
            ServiceMountDTO(
                id: mount.id, entryId: mount.entryId, host: URLComponents(string: mount.endpoint)?.host ?? "",
                createdAt: mount.createdAt), status: .created)
    }

    @Sendable func call(request: Request, context: AppRequestContext) async throws -> JSONResponse<ServiceCallDTO> {
        let reader = try context.requirePrincipal()
        let body = try await JSONBody.decode(ServiceCallRequest.self, from: request, context: context)
        let result = try await mounts.call(
            code: try context.parameters.require("code"), purpose: body.purpose,
            parameters: (body.parameters ?? [:]).compactMapValues(\.text), by: reader, origin: context.origin)
        return JSONResponse(
            ServiceCallDTO(
                fields: result.columns.map {
                    QueryFieldDTO(
                        id: $0.column.itemCode, name: $0.column.itemName, type: $0.column.dataType.rawValue, mask: $0.mask.rawValue,
                        maskDescription: $0.mask.description.text(context.language))
                },
                records: result.records))
    }
}

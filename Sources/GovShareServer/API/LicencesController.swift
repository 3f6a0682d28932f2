import Foundation
import GovShareCore
import Hummingbird
import NIOCore

/// E-licences (Art. 23): types, issuance and revocation by the issuing department, lookup by holder for a stated
/// business matter, the signed package for offline verification, and the root certificate that verifies it.
struct LicencesController {
    let platform: Platform
    var service: LicenceService { platform.licences }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("licence-types", use: types)
        group.post("licence-types", use: defineType)
        group.get("licences", use: issued)
        group.post("licences", use: issue)
        group.post("licences/lookup", use: lookup)
        group.get("licences/root-certificate", use: rootCertificate)
        group.post("licences/{id}/revoke", use: revoke)
        group.get("licences/{id}/package", use: package)
    }

    var today: String { CivilDate(instant: platform.clock.now()).description }

    @Sendable func types(request: Request, context: AppRequestContext) async throws -> JSONResponse<[LicenceTypeDTO]> {
        let actor = try context.requirePrincipal()
        return JSONResponse(try await service.types(by: actor).map(LicenceTypeDTO.init))
    }

    @Sendable func defineType(request: Request, context: AppRequestContext) async throws -> JSONResponse<LicenceTypeDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(LicenceTypeRequest.self, from: request, context: context)
        let kind = b.holderKind.flatMap(LicenceHolderKind.init(rawValue:))
        let type = try await service.defineType(
            NewLicenceType(
                code: b.code ?? "", nameZh: b.nameZh ?? "", nameEn: b.nameEn ?? "", holderKind: kind, holderItem: b.holderItem ?? "",
                holderNameItem: b.holderNameItem ?? "", numberItem: b.numberItem, entryCode: b.entryCode ?? "", fields: b.fields ?? []),
            by: actor, origin: context.origin)
        return JSONResponse(LicenceTypeDTO(type), status: .created)
    }

    @Sendable func issued(request: Request, context: AppRequestContext) async throws -> JSONResponse<[LicenceDTO]> {
        let actor = try context.requirePrincipal()
        let q = request.uri.queryParameters
        let licences = try await service.issued(
            typeCode: q["type"].map(String.init), holderId: q["holder_id"].map(String.init),
            limit: q["limit"].flatMap { Int(String($0)) } ?? 100, offset: q["offset"].flatMap { Int(String($0)) } ?? 0, by: actor)
        let today = self.today
        return JSONResponse(licences.map { LicenceDTO($0, today: today) })
    }

    @Sendable func issue(request: Request, context: AppRequestContext) async throws -> JSONResponse<LicenceDTO> {
        let actor = try context.requirePrincipal()
        try service.authorizeIssue(by: actor)
        let b = try await JSONBody.decode(LicenceIssueRequest.self, from: request, context: context, limit: ParserLimits.uploadBytes)
        var file: LicenceFileUpload?
        if let f = b.file, let content = f.content {
            guard let bytes = Data(base64Encoded: content) else {
                throw DomainError.invalid(
                    field: "file.content", rule: "base64", zh: "file.content 应为 base64", en: "file.content must be base64")
            }
            file = LicenceFileUpload(
                fileName: f.fileName ?? "", contentType: f.contentType ?? "application/octet-stream", bytes: Array(bytes))
        }
        let licence = try await service.issue(
            NewLicence(
                typeCode: b.type ?? "", number: b.number ?? "", holderId: b.holderId ?? "", holderName: b.holderName ?? "",
                validFrom: b.validFrom ?? "", validTo: b.validTo, fields: b.fields ?? [:], file: file),
            by: actor, origin: context.origin)
        return JSONResponse(LicenceDTO(licence, today: today), status: .created)
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> JSONResponse<LicenceDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(LicenceRevokeRequest.self, from: request, context: context)
        let licence = try await service.revoke(
            id: try context.parameters.require("id"), reason: b.reason, by: actor, origin: context.origin)
        return JSONResponse(LicenceDTO(licence, today: today))
    }

    /// POST so the holder's identifier travels in the body, not in URLs that logs keep.
    @Sendable func lookup(request: Request, context: AppRequestContext) async throws -> JSONResponse<LicenceLookupDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(LicenceLookupRequest.self, from: request, context: context)
        let found = try await service.lookup(
            holderId: b.holderId ?? "", typeCode: b.type, purpose: b.purpose, matter: b.matter, by: actor, origin: context.origin)
        return JSONResponse(
            LicenceLookupDTO(
                holderId: found.holderId, matter: found.matter,
                licences: found.licences.map { LicenceViewDTO($0, language: context.language) }, purposeIds: found.reads.map(\.purposeId)))
    }

    /// The signed package (JSON): verify it offline with `govshare licence verify FILE --root ROOT.pem`.
    @Sendable func package(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let q = request.uri.queryParameters
        let package = try await service.package(
            id: try context.parameters.require("id"), purpose: q["purpose"].map(String.init), matter: q["matter"].map(String.init),
            by: actor, origin: context.origin)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentDisposition: "attachment; filename=\"licence-\(package.licenceId).json\""],
            body: .init(byteBuffer: ByteBuffer(bytes: package.encoded())))
    }

    /// The platform's root certificate, PEM: public, as a trust anchor is, so anyone handed a licence can verify it.
    @Sendable func rootCertificate(request: Request, context: AppRequestContext) async throws -> Response {
        let pem = try await service.rootCertificatePEM()
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-pem-file", .contentDisposition: "attachment; filename=\"govshare-root.pem\""],
            body: .init(byteBuffer: ByteBuffer(string: pem)))
    }
}

import Foundation
import GovShareCore
import Hummingbird

struct SealDTO: Codable, Sendable {
    let id, name, kind, kindName, holderDepartmentId, status, validFrom, validTo, certificateSerial, certificate, issuedBy,
        createdAt: String
    let holderUserId, suspendedAt, revokedAt, revocationReason: String?
    let hasImage: Bool

    init(_ s: SealSummary) {
        id = s.id; name = s.name; kind = s.kind.rawValue; kindName = s.kind.name.zh; holderDepartmentId = s.holderDepartmentId
        status = s.status.rawValue; validFrom = Timestamp.format(s.validFrom); validTo = Timestamp.format(s.validTo)
        certificateSerial = s.certificateSerialHex; certificate = PEM.encode(s.certificateDER, label: "CERTIFICATE")
        issuedBy = s.issuedBy; createdAt = Timestamp.format(s.createdAt); holderUserId = s.holderUserId
        suspendedAt = s.suspendedAt.map(Timestamp.format); revokedAt = s.revokedAt.map(Timestamp.format)
        revocationReason = s.revocationReason; hasImage = s.hasImage
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, status, certificate
        case kindName = "kind_name", holderDepartmentId = "holder_department_id", validFrom = "valid_from", validTo = "valid_to"
        case certificateSerial = "certificate_serial", issuedBy = "issued_by", createdAt = "created_at"
        case holderUserId = "holder_user_id", suspendedAt = "suspended_at", revokedAt = "revoked_at"
        case revocationReason = "revocation_reason", hasImage = "has_image"
    }
}

struct SealStatusDTO: Codable, Sendable {
    let sealId, name, kind, holderDepartmentId, certificateSerial, status, validFrom, validTo: String
    let suspendedAt, revokedAt: String?

    init(_ s: SealStatusReport) {
        sealId = s.sealId; name = s.name; kind = s.kind.rawValue; holderDepartmentId = s.holderDepartmentId
        certificateSerial = s.certificateSerialHex; status = s.status.rawValue; validFrom = Timestamp.format(s.validFrom)
        validTo = Timestamp.format(s.validTo); suspendedAt = s.suspendedAt.map(Timestamp.format)
        revokedAt = s.revokedAt.map(Timestamp.format)
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, status
        case sealId = "seal_id", holderDepartmentId = "holder_department_id", certificateSerial = "certificate_serial"
        case validFrom = "valid_from", validTo = "valid_to", suspendedAt = "suspended_at", revokedAt = "revoked_at"
    }
}

struct SealIssueRequest: Codable, Sendable {
    var name, kind, holderDepartmentId, holderUserId, validFrom, validTo, image: String?
    var imageWidthMM, imageHeightMM: Int?
    enum CodingKeys: String, CodingKey {
        case name, kind, image
        case holderDepartmentId = "holder_department_id", holderUserId = "holder_user_id", validFrom = "valid_from"
        case validTo = "valid_to", imageWidthMM = "image_width_mm", imageHeightMM = "image_height_mm"
    }
}

struct SealStatusChangeRequest: Codable, Sendable {
    var reason, effectiveAt: String?
    enum CodingKeys: String, CodingKey { case reason; case effectiveAt = "effective_at" }
}

struct SignedDocumentDTO: Codable, Sendable {
    /// The SES_Signature, DER, base64.
    let signature, sealId, sealName, signedAt, documentSM3: String

    init(_ s: SignedDocument) {
        signature = s.signatureDER.base64EncodedString(); sealId = s.sealId; sealName = s.sealName
        signedAt = Timestamp.format(s.signedAt); documentSM3 = s.documentSM3Hex
    }

    enum CodingKeys: String, CodingKey {
        case signature
        case sealId = "seal_id", sealName = "seal_name", signedAt = "signed_at", documentSM3 = "document_sm3"
    }
}

struct SealVerificationDTO: Codable, Sendable {
    struct Reason: Codable, Sendable { let code, message: String }
    let valid: Bool
    let reasons: [Reason]
    let sealId, sealName, sealKind, holderDepartmentId, holderName, signerSubject, signerCertificateSerial, signedAt,
        documentProperty, revokedAt: String?
    let documentSM3: String

    init(_ v: SealVerification, language: Language) {
        valid = v.valid; reasons = v.reasons.map { Reason(code: $0.code, message: $0.message.text(language)) }
        sealId = v.sealId; sealName = v.sealName; sealKind = v.sealKind?.rawValue; holderDepartmentId = v.holderDepartmentId
        holderName = v.holderName; signerSubject = v.signerSubject; signerCertificateSerial = v.signerCertificateSerialHex
        signedAt = v.signedAt.map(Timestamp.format); documentProperty = v.documentProperty
        revokedAt = v.revokedAt.map(Timestamp.format); documentSM3 = v.documentSM3Hex
    }

    enum CodingKeys: String, CodingKey {
        case valid, reasons
        case sealId = "seal_id", sealName = "seal_name", sealKind = "seal_kind", holderDepartmentId = "holder_department_id"
        case holderName = "holder_name", signerSubject = "signer_subject", signerCertificateSerial = "signer_certificate_serial"
        case signedAt = "signed_at", documentProperty = "document_property", revokedAt = "revoked_at", documentSM3 = "document_sm3"
    }
}

/// Seals issued by the data authority (Art. 25), signing and verification (Art. 24).
struct SealsController {
    let platform: Platform
    var service: SealService { platform.seals }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("seals", use: list)
        group.post("seals", use: issue)
        group.post("seals/verify", use: verify)
        group.get("seals/root-certificate", use: rootCertificate)
        group.get("seals/status/{key}", use: status)
        group.get("seals/{id}", use: seal)
        group.post("seals/{id}/suspend", use: suspend)
        group.post("seals/{id}/resume", use: resume)
        group.post("seals/{id}/revoke", use: revoke)
        group.post("seals/{id}/sign", use: sign)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[SealDTO]> {
        let actor = try context.requirePrincipal()
        let department = request.uri.queryParameters["department_id"].map(String.init)
        return JSONResponse(try await service.list(departmentId: department, by: actor).map(SealDTO.init))
    }

    @Sendable func seal(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(SealDTO(try await service.seal(id: try context.parameters.require("id"), by: actor)))
    }

    @Sendable func status(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealStatusDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(SealStatusDTO(try await service.status(of: try context.parameters.require("key"), by: actor)))
    }

    @Sendable func issue(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealDTO> {
        let actor = try context.requirePrincipal()
        // Only the provincial authority's administrators, asked before the body is read. A picture of up to 256 KiB in
        // base64 is about 342 KiB: an ordinary JSON body's 1 MiB holds it.
        try await service.authorizeIssue(by: actor)
        let b = try await JSONBody.decode(SealIssueRequest.self, from: request, context: context, limit: ParserLimits.jsonBodyBytes)
        var image: Data?
        if let text = b.image, !text.isEmpty {
            guard let data = Data(base64Encoded: text) else {
                throw DomainError.invalid(
                    field: "image", rule: "base64", zh: "image 应为 base64 编码的 PNG", en: "image must be a base64-encoded PNG")
            }
            image = data
        }
        let seal = try await service.issue(
            .init(
                name: b.name, kind: b.kind, holderDepartmentId: b.holderDepartmentId, holderUserId: b.holderUserId,
                validFrom: try Self.time(b.validFrom, field: "valid_from"), validTo: try Self.time(b.validTo, field: "valid_to"),
                image: image, imageWidthMM: b.imageWidthMM, imageHeightMM: b.imageHeightMM),
            by: actor, origin: context.origin)
        return JSONResponse(SealDTO(seal), status: .created)
    }

    @Sendable func suspend(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(SealStatusChangeRequest.self, from: request, context: context)
        return JSONResponse(
            SealDTO(
                try await service.suspend(id: try context.parameters.require("id"), reason: b.reason, by: actor, origin: context.origin)))
    }

    @Sendable func resume(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealDTO> {
        let actor = try context.requirePrincipal()
        return JSONResponse(SealDTO(try await service.resume(id: try context.parameters.require("id"), by: actor, origin: context.origin)))
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(SealStatusChangeRequest.self, from: request, context: context)
        return JSONResponse(
            SealDTO(
                try await service.revoke(
                    id: try context.parameters.require("id"), reason: b.reason,
                    effectiveAt: try Self.time(b.effectiveAt, field: "effective_at"), by: actor, origin: context.origin)))
    }

    /// The body is the document itself; the stated purpose comes as `purpose` in the query.
    @Sendable func sign(request: Request, context: AppRequestContext) async throws -> JSONResponse<SignedDocumentDTO> {
        let actor = try context.requirePrincipal()
        let id = try context.parameters.require("id")
        try await service.authorizeSigning(sealId: id, by: actor)
        let body = try await request.body.collect(upTo: SealService.Limits.documentBytes)
        let signed = try await service.sign(
            document: Data(body.readableBytesView), sealId: id,
            purpose: request.uri.queryParameters["purpose"].map(String.init), by: actor, origin: context.origin)
        return JSONResponse(SignedDocumentDTO(signed), status: .created)
    }

    /// multipart/form-data with the parts `document` (the file) and `signature` (the SES_Signature, DER or base64).
    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<SealVerificationDTO> {
        let actor = try context.require(.readSeals)
        let parts = try await MultipartForm.parts(request, limit: SealService.Limits.documentBytes + (1 << 20))
        guard let document = parts["document"], let signature = parts["signature"] else {
            throw DomainError.invalid(
                field: "body", rule: "multipart", zh: "请以 multipart/form-data 提交 document 与 signature 两部分",
                en: "Send multipart/form-data with the parts document and signature")
        }
        let verification = try await service.verify(document: document, signature: Self.der(signature), by: actor)
        return JSONResponse(SealVerificationDTO(verification, language: context.language))
    }

    @Sendable func rootCertificate(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readSeals)
        let pem = PEM.encode(try await service.rootCertificate(), label: "CERTIFICATE")
        return Response(
            status: .ok, headers: [.contentType: "application/x-pem-file"], body: .init(byteBuffer: ByteBuffer(string: pem)))
    }

    /// A signature file as written by `govshare seal sign` (DER) or base64 text of it.
    static func der(_ data: Data) -> Data {
        if data.first == 0x30 { return data }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Data(base64Encoded: text) ?? data
    }

    static func time(_ text: String?, field: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw DomainError.invalid(
                field: field, rule: "date_time", zh: "\(field) 应为 ISO 8601 时间（如 2026-01-01T00:00:00Z）",
                en: "\(field) must be an ISO 8601 time (e.g. 2026-01-01T00:00:00Z)")
        }
        return date
    }
}

import Foundation
import GovShareCore
import Hummingbird
import NIOCore

struct AssessmentDTO: Encodable, Sendable {
    let id, period, periodFrom, periodTo, asOf, schemeVersion, status, computedBy, computedAt, documentSm3, nodeId: String
    let departmentCount: Int
    let publishedBy, publishedAt, sealId: String?
    /// The computed content as stored (the signed bytes once published); only when one period is asked for.
    let content: JSONValue?
    /// The SES_Signature, DER, base64 (published periods, when one is asked for).
    let signature: String?

    init(_ a: Assessment, full: Bool = false) {
        id = a.id; period = a.period; periodFrom = a.periodFrom; periodTo = a.periodTo; asOf = a.asOf
        schemeVersion = a.schemeVersion; status = a.status.rawValue; computedBy = a.computedByName; computedAt = a.computedAt
        documentSm3 = a.documentSM3Hex; nodeId = a.nodeId; departmentCount = a.departmentCount; publishedBy = a.publishedByName
        publishedAt = a.publishedAt; sealId = a.sealId
        content = full ? try? JSONDecoder().decode(JSONValue.self, from: a.document) : nil
        signature = full ? a.signature?.base64EncodedString() : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, period, status, content, signature
        case periodFrom = "period_from", periodTo = "period_to", asOf = "as_of", schemeVersion = "scheme_version"
        case computedBy = "computed_by", computedAt = "computed_at", documentSm3 = "document_sm3", nodeId = "node_id"
        case departmentCount = "department_count", publishedBy = "published_by", publishedAt = "published_at", sealId = "seal_id"
    }
}

struct AssessmentListDTO: Encodable, Sendable { let assessments: [AssessmentDTO] }

struct AssessmentVerificationDTO: Encodable, Sendable {
    let assessmentId: String
    let valid: Bool
    let reasons: [String]
    let documentSm3: String
    enum CodingKeys: String, CodingKey { case valid, reasons; case assessmentId = "assessment_id", documentSm3 = "document_sm3" }
}

struct AssessmentComputeRequest: Decodable, Sendable { var period: String? }

/// Assessment (Art. 31): published periods are public (no sign-in: list, one period, its signed document, CSV,
/// verification); the authority computes drafts and publishes them.
struct AssessmentsController {
    let platform: Platform
    var service: AssessmentService { platform.assessments }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("public/assessments", use: list)
        group.get("assessments", use: list)
        group.post("assessments", use: compute)
        group.get("assessments/{id}", use: assessment)
        group.get("assessments/{id}/document", use: document)
        group.get("assessments/{id}/scores.csv", use: csv)
        group.get("assessments/{id}/verify", use: verify)
        group.post("assessments/{id}/publish", use: publish)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentListDTO> {
        JSONResponse(AssessmentListDTO(assessments: try await service.list(viewer: context.principal).map { AssessmentDTO($0) }))
    }

    @Sendable func compute(request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(AssessmentComputeRequest.self, from: request, context: context)
        let a = try await service.compute(period: b.period, by: actor, origin: context.origin)
        return JSONResponse(AssessmentDTO(a, full: true), status: .created)
    }

    @Sendable func assessment(request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentDTO> {
        let a = try await service.assessment(id: try context.parameters.require("id"), viewer: context.principal)
        return JSONResponse(AssessmentDTO(a, full: true))
    }

    /// The stored document byte for byte (what the seal signed), for checking with any SM2/SM3 tool.
    @Sendable func document(request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await service.assessment(id: try context.parameters.require("id"), viewer: context.principal)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .contentDisposition: "attachment; filename=\"assessment-\(a.period).json\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: a.document)))
    }

    @Sendable func csv(request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await service.assessment(id: try context.parameters.require("id"), viewer: context.principal)
        guard let content = a.content else { throw DomainError.notFound("Assessment", zh: "考核结果") }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"assessment-\(a.period).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(data: CSVText.encode(AssessmentExport.csv(content), as: .utf8))))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentVerificationDTO> {
        let v = try await service.verify(id: try context.parameters.require("id"), viewer: context.principal)
        return JSONResponse(
            AssessmentVerificationDTO(
                assessmentId: v.assessmentId, valid: v.valid, reasons: v.reasons.map { $0.text(context.language) },
                documentSm3: v.documentSM3Hex))
    }

    @Sendable func publish(request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentDTO> {
        let a = try await service.publish(
            id: try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return JSONResponse(AssessmentDTO(a, full: true))
    }
}

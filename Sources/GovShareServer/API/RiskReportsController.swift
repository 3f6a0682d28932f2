import Foundation
import GovShareCore
import Hummingbird
import NIOCore

struct RiskReportDTO: Encodable, Sendable {
    let id, periodFrom, periodTo, trigger, generatedBy, generatedAt, worst, sealId, documentSm3, nodeId: String
    let findingCount: Int
    /// The signed content as stored (only when one report is asked for).
    let content: JSONValue?
    /// The SES_Signature, DER, base64 (only when one report is asked for).
    let signature: String?

    init(_ r: RiskReport, full: Bool = false) {
        id = r.id; periodFrom = r.periodFrom; periodTo = r.periodTo; trigger = r.trigger; generatedBy = r.generatedBy
        generatedAt = r.generatedAt; worst = r.worst.rawValue; sealId = r.sealId; documentSm3 = r.documentSM3Hex; nodeId = r.nodeId
        findingCount = r.findingCount
        content = full ? try? JSONDecoder().decode(JSONValue.self, from: r.document) : nil
        signature = full ? r.signature.base64EncodedString() : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, trigger, worst, content, signature
        case periodFrom = "period_from", periodTo = "period_to", generatedBy = "generated_by", generatedAt = "generated_at"
        case sealId = "seal_id", documentSm3 = "document_sm3", nodeId = "node_id", findingCount = "finding_count"
    }
}

struct ThirdPartyRiskReportDTO: Encodable, Sendable {
    let id, periodFrom, periodTo, title, assessor, fileName, sha256, sm3, uploadedBy, uploadedAt: String
    let size: Int
    init(_ u: ThirdPartyRiskReport) {
        id = u.id; periodFrom = u.periodFrom; periodTo = u.periodTo; title = u.title; assessor = u.assessor
        fileName = u.fileName; sha256 = u.sha256; sm3 = u.sm3; uploadedBy = u.uploadedByName; uploadedAt = u.uploadedAt
        size = u.size
    }
    enum CodingKeys: String, CodingKey {
        case id, title, assessor, sha256, sm3, size
        case periodFrom = "period_from", periodTo = "period_to", fileName = "file_name", uploadedBy = "uploaded_by"
        case uploadedAt = "uploaded_at"
    }
}

struct RiskReportListDTO: Encodable, Sendable {
    let reports: [RiskReportDTO]
    let thirdParty: [ThirdPartyRiskReportDTO]
    enum CodingKeys: String, CodingKey { case reports; case thirdParty = "third_party" }
}

struct RiskReportVerificationDTO: Encodable, Sendable {
    let reportId: String
    let valid: Bool
    let reasons: [String]
    let documentSm3: String
    enum CodingKeys: String, CodingKey { case valid, reasons; case reportId = "report_id", documentSm3 = "document_sm3" }
}

struct RiskReportGenerateRequest: Decodable, Sendable { var from, to: String? }

/// Risk reports (Art. 28): list, generate on demand, read, verify; third parties' uploads.
struct RiskReportsController {
    let platform: Platform
    var service: RiskReportService { platform.riskReports }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("risk-reports", use: list)
        group.post("risk-reports", use: generate)
        group.post("risk-reports/uploads", use: upload)
        group.get("risk-reports/uploads/{id}/file", use: uploadFile)
        group.get("risk-reports/{id}", use: report)
        group.get("risk-reports/{id}/verify", use: verify)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<RiskReportListDTO> {
        let (reports, uploads) = try await service.list(by: try context.requirePrincipal())
        return JSONResponse(
            RiskReportListDTO(reports: reports.map { RiskReportDTO($0) }, thirdParty: uploads.map(ThirdPartyRiskReportDTO.init)))
    }

    @Sendable func generate(request: Request, context: AppRequestContext) async throws -> JSONResponse<RiskReportDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(RiskReportGenerateRequest.self, from: request, context: context)
        let report = try await service.generate(from: b.from, to: b.to, by: actor, origin: context.origin)
        return JSONResponse(RiskReportDTO(report, full: true), status: .created)
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> JSONResponse<RiskReportDTO> {
        let report = try await service.report(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(RiskReportDTO(report, full: true))
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<RiskReportVerificationDTO> {
        let v = try await service.verify(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return JSONResponse(
            RiskReportVerificationDTO(
                reportId: v.reportId, valid: v.valid, reasons: v.reasons.map { $0.text(context.language) }, documentSm3: v.documentSM3Hex))
    }

    /// multipart/form-data: `file` (the PDF), `title`, `assessor`, `from`, `to`, optionally `file_name`.
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> JSONResponse<ThirdPartyRiskReportDTO> {
        let actor = try context.requirePrincipal()
        try service.authorizeUpload(by: actor)
        let parts = try await MultipartForm.parts(request, limit: RiskReportService.Limits.pdfBytes + (1 << 20))
        func text(_ name: String) -> String? { parts[name].map { String(decoding: $0, as: UTF8.self) } }
        let upload = try await service.upload(
            pdf: parts["file"].map { [UInt8]($0) } ?? [], fileName: text("file_name"), title: text("title"),
            assessor: text("assessor"), from: text("from"), to: text("to"), by: actor, origin: context.origin)
        return JSONResponse(ThirdPartyRiskReportDTO(upload), status: .created)
    }

    @Sendable func uploadFile(request: Request, context: AppRequestContext) async throws -> Response {
        let (upload, bytes) = try await service.uploadFile(id: try context.parameters.require("id"), by: try context.requirePrincipal())
        return Response(
            status: .ok,
            headers: [.contentType: "application/pdf", .contentDisposition: "attachment; filename=\"risk-report-\(upload.id).pdf\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Any JSON value, to pass a signed document's own JSON through unchanged.
enum JSONValue: Codable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Double.self) {
            self = .number(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else if let v = try? c.decode([JSONValue].self) {
            self = .array(v)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .number(let v):
            if v == v.rounded(), abs(v) < 1e15 { try c.encode(Int64(v)) } else { try c.encode(v) }
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}

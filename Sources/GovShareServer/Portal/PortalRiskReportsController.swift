import Foundation
import GovShareCore
import Hummingbird

/// 风险评估报告 (Art. 28): the computed reports and the third parties' uploads; generate on demand, upload a PDF;
/// a report's page prints cleanly (the browser's print to PDF). The same rules as the API (`RiskReportService`).
struct PortalRiskReportsController {
    let platform: Platform
    let pages: PageRenderer
    var service: RiskReportService { platform.riskReports }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("risk-reports", use: page)
        router.post("risk-reports", use: generate)
        router.post("risk-reports/uploads", use: upload)
        router.get("risk-reports/uploads/{id}/file", use: uploadFile)
        router.get("risk-reports/{id}", use: report)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, form: [String: String] = [:]) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let (reports, uploads) = try await service.list(by: actor)
        let last = RiskReportService.lastCompletePeriod(
            today: CivilDate(instant: platform.clock.now()), intervalDays: service.settings.intervalDays)
        let page = RiskReportsPage(
            reports: reports.map {
                .init(
                    id: $0.id, period: "\($0.periodFrom) – \($0.periodTo)",
                    trigger: Strings.text($0.trigger == "scheduled" ? "risk_scheduled" : "risk_on_demand", language),
                    worst: $0.worst.name.text(language), worstCode: $0.worst.rawValue, findings: PortalFormat.number($0.findingCount),
                    generatedAt: PortalFormat.time($0.generatedAt), generatedBy: $0.generatedBy, sm3: $0.documentSM3Hex)
            },
            uploads: uploads.map {
                .init(
                    id: $0.id, period: "\($0.periodFrom) – \($0.periodTo)", title: $0.title, assessor: $0.assessor,
                    fileName: $0.fileName, size: PortalFormat.number($0.size), sha256: $0.sha256, sm3: $0.sm3,
                    uploadedBy: $0.uploadedByName, uploadedAt: PortalFormat.time($0.uploadedAt))
            },
            canGenerate: service.mayGenerate(actor), canUpload: service.mayUpload(actor),
            formFrom: form["from"] ?? last.from.description, formTo: form["to"] ?? last.to.description,
            formTitle: form["title"] ?? "", formAssessor: form["assessor"] ?? "", error: error)
        return pages.render(
            page, title: Strings.text("nav_risk_reports", language), context: context, path: "/risk-reports",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func generate(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let report = try await service.generate(from: form["from"], to: form["to"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/risk-reports/\(report.id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(
                context: context, error: error.pageMessage(context.language), form: ["from": form["from"] ?? "", "to": form["to"] ?? ""])
        }
    }

    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        try service.authorizeUpload(by: actor)
        let parts = try await MultipartForm.parts(request, limit: RiskReportService.Limits.pdfBytes + (1 << 20))
        func text(_ name: String) -> String? { parts[name].map { String(decoding: $0, as: UTF8.self) } }
        try PortalForm.checkCSRF(text("_csrf"), request: request)
        do {
            _ = try await service.upload(
                pdf: parts["file"].map { [UInt8]($0) } ?? [], fileName: text("file_name"), title: text("title"),
                assessor: text("assessor"), from: text("from"), to: text("to"), by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/risk-reports"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var form: [String: String] = [:]
            for key in ["from", "to", "title", "assessor"] { form[key] = text(key).map { String($0.prefix(200)) } ?? "" }
            return try await render(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func uploadFile(request: Request, context: AppRequestContext) async throws -> Response {
        try await RiskReportsController(platform: platform).uploadFile(request: request, context: context)
    }

    @Sendable func report(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let (report, verification) = try await service.view(id: try context.parameters.require("id"), by: actor)
        let page = RiskReportPage(
            id: report.id, html: report.html, valid: verification.valid,
            reasons: verification.reasons.map { $0.text(language) }, sm3: report.documentSM3Hex, sealId: report.sealId)
        return pages.render(
            page, title: Strings.text("risk_report", language) + " \(report.periodFrom) – \(report.periodTo)", context: context,
            path: "/risk-reports/\(report.id)")
    }
}

/// `risk_reports.mustache`: the computed reports, the third parties' reports, and the forms.
struct RiskReportsPage: PortalPage {
    static let template = PageTemplate.riskReports
    struct Report: Encodable {
        var id, period, trigger, worst, worstCode, findings, generatedAt, generatedBy, sm3: String
    }
    struct Upload: Encodable {
        var id, period, title, assessor, fileName, size, sha256, sm3, uploadedBy, uploadedAt: String
    }
    var reports: [Report]
    var uploads: [Upload]
    var canGenerate, canUpload: Bool
    var formFrom, formTo, formTitle, formAssessor: String
    var error: String?
}

/// `risk_report.mustache`: one report's rendering (escaped when it was made), its signature check, print styles.
struct RiskReportPage: PortalPage {
    static let template = PageTemplate.riskReport
    var id: String
    /// HTML made by `RiskReportRenderer` (every value escaped there).
    var html: String
    var valid: Bool
    var reasons: [String]
    var sm3, sealId: String
}

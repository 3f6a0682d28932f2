import Foundation
import GovShareCore
import Hummingbird

/// 考核评估 (Art. 31): published periods for everyone, signed in or not; the authority's reviewers compute drafts
/// and publish them. The same rules as the API (`AssessmentService`).
struct PortalAssessmentsController {
    let platform: Platform
    let pages: PageRenderer
    var service: AssessmentService { platform.assessments }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("assessments", use: page)
        router.post("assessments", use: compute)
        router.get("assessments/{id}", use: assessment)
        router.post("assessments/{id}/publish", use: publish)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, period: String? = nil) async throws -> Response {
        let language = context.language
        let viewer = context.principal
        let list = try await service.list(viewer: viewer)
        let trend = try await service.trend()
        let periods = trend.map(\.period)
        // The viewer's own department when it was assessed, else the newest period's first five.
        let own = trend.last?.departments.first { $0.departmentId == viewer?.departmentId }
        let chosen = own.map { [$0] } ?? Array((trend.last?.departments ?? []).prefix(5))
        let lines = chosen.map { d in
            (name: d.departmentName, totals: trend.map { p in p.departments.first { $0.departmentId == d.departmentId }?.total })
        }
        let today = CivilDate(instant: platform.clock.now())
        let (y, m, _) = today.components
        let page = AssessmentsPage(
            periods: list.map {
                .init(
                    id: $0.id, period: $0.period, status: $0.status.name.text(language), statusCode: $0.status.rawValue,
                    asOf: PortalFormat.time($0.asOf), departments: PortalFormat.number($0.departmentCount),
                    scheme: $0.schemeVersion, by: $0.publishedByName ?? $0.computedByName,
                    at: PortalFormat.time($0.publishedAt ?? $0.computedAt))
            },
            trendChart: PortalCharts.trend(periods: periods, lines: lines, title: Strings.text("assess_trend", language)),
            canCompute: try await service.mayCompute(viewer), formPeriod: period ?? String(format: "%04d-%02d", y, m),
            weights: AssessmentIndicator.allCases.map {
                .init(name: $0.name.text(language), weight: String(service.scheme.weight($0)), formula: $0.formula.text(language))
            },
            scheme: service.scheme.version, error: error)
        return pages.render(
            page, title: Strings.text("nav_assessments", language), context: context, path: "/assessments",
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func compute(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            let a = try await service.compute(period: form["period"], by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/assessments/\(a.id)"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(
                context: context, error: error.pageMessage(context.language), period: form["period"].map { String($0.prefix(20)) })
        }
    }

    @Sendable func publish(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        do {
            _ = try await service.publish(id: id, by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/assessments/\(id)"])
        } catch let error as DomainError where error.kind == .conflict || error.kind == .forbidden {
            return try await renderAssessment(id: id, context: context, selected: nil, error: error.pageMessage(context.language))
        }
    }

    @Sendable func assessment(request: Request, context: AppRequestContext) async throws -> Response {
        try await renderAssessment(
            id: try context.parameters.require("id"), context: context,
            selected: request.uri.queryParameters.get("department").map { String($0.prefix(64)) }, error: nil)
    }

    func renderAssessment(id: String, context: AppRequestContext, selected: String?, error: String?) async throws -> Response {
        let language = context.language
        let viewer = context.principal
        let a = try await service.assessment(id: id, viewer: viewer)
        let verification = a.status == .published ? try await service.verify(id: id, viewer: viewer) : nil
        let content = a.content
        let departments = content?.departments ?? []
        let indicators = AssessmentIndicator.allCases
        let chosen = departments.first { $0.departmentId == (selected ?? viewer?.departmentId) }
        func score(_ s: IndicatorScore?) -> String {
            guard let s else { return "–" }
            if s.weight == 0 { return Strings.text("assess_not_scored", language) }
            return s.score.map { String(format: "%.2f", $0) } ?? Strings.text("assess_not_applicable", language)
        }
        let page = AssessmentPage(
            id: a.id, period: a.period, periodFrom: a.periodFrom, periodTo: a.periodTo, asOf: PortalFormat.time(a.asOf),
            status: a.status.name.text(language), isDraft: a.status == .draft, scheme: a.schemeVersion,
            computedBy: a.computedByName, computedAt: PortalFormat.time(a.computedAt), publishedBy: a.publishedByName,
            publishedAt: a.publishedAt.map(PortalFormat.time), sm3: a.documentSM3Hex, sealId: a.sealId,
            valid: verification?.valid ?? false, verified: verification != nil,
            reasons: verification?.reasons.map { $0.text(language) } ?? [],
            canPublish: a.status == .draft ? try await service.mayPublish(viewer) : false, error: error,
            indicatorNames: indicators.map { $0.name.text(language) },
            rows: departments.map { d in
                .init(
                    departmentId: d.departmentId, rank: String(d.rank), name: d.departmentName, code: d.departmentCode,
                    total: String(format: "%.2f", d.total), scores: indicators.map { score(d.score($0)) },
                    isSelected: d.departmentId == chosen?.departmentId)
            },
            selected: chosen.map { d in
                .init(
                    name: d.departmentName, total: String(format: "%.2f", d.total), rank: String(d.rank),
                    indicators: indicators.map { i in
                        let s = d.score(i)
                        return .init(
                            name: i.name.text(language), weight: String(s?.weight ?? 0), score: score(s),
                            ratio: s?.ratio.map { String(format: "%.4f", $0) } ?? "–",
                            inputs: (s?.inputs ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) = \(Self.number($0.value))" }
                                .joined(separator: "，"),
                            formula: i.formula.text(language))
                    })
            },
            distributionChart: PortalCharts.distribution(
                departments.map(\.total), title: Strings.text("assess_distribution", language)),
            rankingChart: PortalCharts.ranking(departments, title: Strings.text("assess_ranking", language)))
        return pages.render(
            page, title: Strings.text("nav_assessments", language) + " " + a.period, context: context, path: "/assessments/\(a.id)",
            status: error == nil ? .ok : .conflict)
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v) }
}

/// `assessments.mustache`: the periods (published; drafts for those who may see them), the trend, the scheme, the
/// compute form.
struct AssessmentsPage: PortalPage {
    static let template = PageTemplate.assessments
    struct Period: Encodable { var id, period, status, statusCode, asOf, departments, scheme, by, at: String }
    struct Weight: Encodable { var name, weight, formula: String }
    var periods: [Period]
    /// SVG made by `PortalCharts` (every label escaped there).
    var trendChart: String
    var canCompute: Bool
    var formPeriod: String
    var weights: [Weight]
    var scheme: String
    var error: String?
}

/// `assessment.mustache`: one period — its status and signature check, charts, the ranking with every indicator, and
/// one department's computation (inputs, ratio, formula).
struct AssessmentPage: PortalPage {
    static let template = PageTemplate.assessment
    struct Row: Encodable {
        var departmentId, rank, name, code, total: String
        var scores: [String]
        var isSelected: Bool
    }
    struct IndicatorLine: Encodable { var name, weight, score, ratio, inputs, formula: String }
    struct Selected: Encodable {
        var name, total, rank: String
        var indicators: [IndicatorLine]
    }
    var id, period, periodFrom, periodTo, asOf, status: String
    var isDraft: Bool
    var scheme, computedBy, computedAt: String
    var publishedBy, publishedAt: String?
    var sm3: String
    var sealId: String?
    var valid, verified: Bool
    var reasons: [String]
    var canPublish: Bool
    var error: String?
    var indicatorNames: [String]
    var rows: [Row]
    var selected: Selected?
    /// SVG made by `PortalCharts` (every label escaped there).
    var distributionChart, rankingChart: String
}

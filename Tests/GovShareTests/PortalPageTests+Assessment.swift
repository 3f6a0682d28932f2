@testable import GovShareServer

extension PortalPageTests {
    /// 考核评估 (Art. 31).
    static var assessmentPages: [any PortalPage] {
        [
            AssessmentsPage(
                periods: [
                    .init(
                        id: "a", period: "2026", status: "已发布", statusCode: "published", asOf: "t", departments: "3", scheme: "s",
                        by: "b", at: "t")
                ],
                trendChart: "<figure></figure>", canCompute: true, formPeriod: "2026-12",
                weights: [.init(name: "n", weight: "10", formula: "f")], scheme: "gd-2018-v1", error: "e"),
            AssessmentPage(
                id: "a", period: "2026", periodFrom: "2026-01-01", periodTo: "2026-12-31", asOf: "t", status: "s", isDraft: true,
                scheme: "s", computedBy: "c", computedAt: "t", publishedBy: "p", publishedAt: "t", sm3: "00", sealId: "x",
                valid: false, verified: true, reasons: ["why"], canPublish: true, error: "e", indicatorNames: ["i"],
                rows: [.init(departmentId: "d", rank: "1", name: "n", code: "c", total: "90.00", scores: ["90.00"], isSelected: true)],
                selected: .init(
                    name: "n", total: "90.00", rank: "1",
                    indicators: [.init(name: "n", weight: "10", score: "90.00", ratio: "0.9", inputs: "a = 1", formula: "f")]),
                distributionChart: "<figure></figure>", rankingChart: "<figure></figure>"),
        ]
    }
}

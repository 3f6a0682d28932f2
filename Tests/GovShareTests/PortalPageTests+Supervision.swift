@testable import GovShareServer

extension PortalPageTests {
    /// 督查整改 (Art. 29–30).
    static var supervisionPages: [any PortalPage] {
        [
            SupervisionPage(
                lastRun: "t", canCheck: true, error: "e",
                rules: [.init(code: "late_reply", name: "n", article: "a", open: "1", selected: true)],
                findingsChart: "<figure></figure>",
                findings: [
                    .init(
                        id: "f", rule: "r", severity: "高", severityCode: "high", department: "d", object: "o", evidence: "e", seen: "s",
                        canOrder: true)
                ],
                orders: [.init(id: "o", department: "d", what: "w", due: "2026-12-31", status: "s", statusCode: "issued", overdue: true)],
                defaultWorkingDays: "10", plans: [.init(id: "p", name: "n", population: "p", size: "5", drawn: "t")],
                populations: [.init(value: "entries", label: "l")], assessmentPeriod: "2026", assessmentChart: "<figure></figure>"),
            RectificationOrderPage(
                id: "o", rule: "r", article: "a", department: "d", authority: "au", what: "w", basis: "b", issued: "i", due: "d",
                workingDays: "10", status: "s", overdue: true, escalatedAt: "t", response: "r", responded: "t", decisionNote: "n",
                decided: "t", signatureValid: false, reasons: ["why"], sm3: "00", canRespond: true, canDecide: true, error: "e"),
        ]
    }
}

extension PortalPageTests {
    /// 随机抽查 (Art. 30).
    static var samplingPages: [any PortalPage] {
        [
            SamplingPlanPage(
                id: "p", name: "n", population: "p", planId: "p", department: "d", size: "5", seed: "s", head: "h", created: "c",
                drawn: "t", populationCount: "9", reproduced: false, reasons: ["why"], canDraw: true, canInspect: true,
                sample: [.init(n: "1", id: "o", label: "l", department: "d", result: "r", note: "n")], error: "e")
        ]
    }
}

@testable import GovShareServer

extension PortalPageTests {
    /// 风险评估 (Art. 28) and 数据销毁 (Art. 27).
    static var riskReportPages: [any PortalPage] {
        [
            RiskReportsPage(
                reports: [
                    .init(
                        id: "r", period: "2026-11-01 – 2026-11-30", trigger: "定期", worst: "高", worstCode: "high", findings: "3",
                        generatedAt: "t", generatedBy: "p", sm3: "00")
                ],
                uploads: [
                    .init(
                        id: "u", period: "p", title: "t", assessor: "a", fileName: "f.pdf", size: "1", sha256: "s", sm3: "m",
                        uploadedBy: "b", uploadedAt: "t")
                ],
                canGenerate: true, canUpload: true, formFrom: "2026-11-01", formTo: "2026-11-30", formTitle: "t", formAssessor: "a",
                error: "e"),
            RiskReportPage(id: "r", html: "<article></article>", valid: false, reasons: ["why"], sm3: "00", sealId: "s"),
            DestructionsPage(
                requests: [
                    .init(
                        id: "d", entryCode: "301001/000001", provider: "p", scope: "s", basis: "b", status: "st", requestedBy: "r",
                        requestedAt: "t", decidedBy: "d", note: "n", canDecide: true, canExecute: true)
                ],
                records: [
                    .init(
                        id: "x", entryCode: "c", provider: "p", scope: "s", basis: "b", rows: "7", sm3: "00", requestedBy: "r",
                        approvedBy: "a", executedBy: "e", executedAt: "t")
                ],
                canRequest: true, scopes: [.init(value: "dataset", label: "l", selected: true)], formEntryCode: "c",
                formBefore: "2026-01-01", formBasis: "b", error: "e"),
        ]
    }
}

@testable import GovShareServer

extension PortalPageTests {
    /// 数据异议 (Art. 13, 21): the list with its chart and statistics, the raise form, one objection with every form.
    static var objectionPages: [any PortalPage] {
        [
            ObjectionsPage(
                queue: [
                    .init(
                        id: "o", dataset: "d", code: "101001/000001", kind: "k", objector: "a", provider: "p", status: "s", outcome: "x",
                        due: "2026-12-11", overdue: true, created: "t", records: 3, flagged: 2, hasFlagged: true)
                ],
                all: [
                    .init(
                        id: "o", dataset: "d", code: "c", kind: "k", objector: "a", provider: "p", status: "s", outcome: "x", due: "t",
                        overdue: false, created: "t", records: 1, flagged: 0, hasFlagged: false)
                ], months: [.init(month: "2026-12", total: 3, parts: [.init(bucket: "open", count: 3, width: 10)])], hasMonths: true,
                legend: [.init(bucket: "open", label: "l")],
                stats: [.init(provider: "p", received: 3, onTime: 1, late: 1, open: 1, corrected: 1, disputed: 1, average: "1.0")],
                hasStats: true),
            ObjectionNewPage(
                dataset: "101001/000001", kinds: [.init(value: "wrong_value", label: "l", selected: true)],
                items: [.init(value: "CSRQ", label: "l", selected: true)], tokens: [.init(index: 0, token: "t")], hasTokens: true,
                keys: "k",
                description: "d", error: "e"),
            ObjectionPage(
                id: "o", dataset: "d", code: "101001/000001", slug: "101001-000001", kind: "k", item: "CSRQ", description: "d",
                status: "s", outcome: "x", due: "2026-12-11", provisional: true, overdue: true, correctionDue: "2026-12-11", objector: "a",
                provider: "p", authority: "g", answer: "n", answeredBy: "b", disputeReason: "r", ruling: "u", ruledBy: "g",
                records: [
                    .init(
                        index: 0, key: "k", rawKey: "k", proposed: "v", state: "confirmed", stateName: "s", reason: "r", correctedBy: "b",
                        confirmed: true)
                ],
                attachments: [.init(objectionId: "o", id: "a", name: "n", size: "1", by: "b", at: "t")],
                history: [.init(at: "t", action: "a", actor: "b", note: "n")], keyItem: "GMSFHM", correctItem: "CSRQ", canAnswer: true,
                canCorrect: true, canAccept: true, canDispute: true, canWithdraw: true, canRule: true, canAttach: true, error: "e"),
        ]
    }
}

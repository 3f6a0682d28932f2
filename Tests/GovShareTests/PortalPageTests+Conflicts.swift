@testable import GovShareServer

extension PortalPageTests {
    /// 数据冲突 (Art. 13).
    static var conflictPages: [any PortalPage] {
        [
            ConflictsPage(
                cases: [
                    .init(
                        id: "c", label: "人口基础信息.CSRQ ↔ 居民户籍信息.CSRQ", providers: "a ↔ b", status: "协商中", statusCode: "negotiating",
                        dueOn: "2026-12-18", overdue: true, disagreements: "52")
                ],
                pairs: [.init(id: "p", left: "l", right: "r", key: "GMSFHM / GMSFHM", note: "n", canRetire: true)],
                statistics: [.init(provider: "p", open: 1, resolved: 2)], canDeclare: true, canCheck: true,
                form: [.init(name: "left_entry", value: "101001/000001")], error: "e", notice: "n"),
            ConflictPage(
                id: "c", label: "l", leftName: "a.CSRQ", rightName: "b.CSRQ", leftProvider: "a", rightProvider: "b", status: "已裁定",
                statusCode: "arbitrated", dueOn: "2026-12-18", disagreements: "52", proposed: "a.CSRQ", resolved: "b.CSRQ", reasons: "r",
                findings: [.init(leftKey: "k", leftValue: "v", rightKey: "k", rightValue: "w")],
                messages: [.init(author: "a", department: "d", kind: "message", body: "b", at: "t")], canNegotiate: true, canAgree: true,
                canArbitrate: true, canMessage: true, sides: [.init(value: "left", label: "l")], error: "e"),
        ]
    }
}

@testable import GovShareServer

extension PortalPageTests {
    /// 安全事件, 应急预案, 应急演练 (Art. 27).
    static var securityPages: [any PortalPage] {
        [
            SecurityIncidentsPage(
                incidents: [
                    .init(
                        id: "i", title: "t", level: "重大", status: "待处置", department: "d", occurredAt: "o", reportDueAt: "r",
                        closeDueAt: "c", late: true, overdue: true, urgent: true)
                ],
                canReport: true, levels: [.init(value: "serious", label: "重大", selected: true)],
                departments: [.init(value: "d", label: "l", selected: true)], chooseDepartment: true, formTitle: "t",
                formDescription: "d", formOccurredAt: "2026-01-01T10:00", formAffected: "a", error: "e"),
            SecurityIncidentPage(
                id: "i", title: "t", level: "l", status: "s", department: "d", description: "d", occurredAt: "o", reportedAt: "r",
                reportDueAt: "r", closeDueAt: "c", reporter: "p", closedAt: "c", late: true, overdue: true, closed: true, canAct: true,
                canStartHandling: true, affectedEntries: "e", affectedDepartments: "d", cause: "c", impact: "i", measures: "m",
                log: [.init(at: "a", actor: "b", action: "c", note: "n")], formCause: "c", formImpact: "i", formMeasures: "m",
                error: "e"),
            SecurityPlansPage(
                plans: [.init(id: "p", title: "t", department: "d", effectiveOn: "2026-01-01", version: 2)],
                selected: .init(
                    id: "p", title: "t", department: "d", currentVersion: 2,
                    versions: [
                        .init(
                            version: 2, title: "t", body: "b", effectiveOn: "2026-01-01", approvedBy: "a", recordedBy: "r",
                            recordedAt: "t")
                    ]),
                canManage: true, error: "e"),
            SecurityDrillsPage(
                due: [.init(department: "d", state: "已逾期", lastHeldOn: "2025-01-01", dueOn: "2026-01-01", overdue: true)],
                hasDue: true,
                drills: [
                    .init(
                        id: "d", department: "d", heldOn: "2025-01-01", scenario: "s", participants: "p", findings: "f", plan: "p v1",
                        followUps: [.init(id: "f", drillId: "d", description: "d", owner: "o", done: false, doneAt: "t")],
                        canManage: true)
                ],
                canManage: true, plans: [.init(value: "p", label: "l")], error: "e"),
        ]
    }
}

@testable import GovShareServer

extension PortalPageTests {
    /// 数据备份 (Art. 26).
    static var backupPages: [any PortalPage] {
        [
            BackupsPage(
                backups: [
                    .init(
                        id: "b", status: "s", statusClass: "completed", startedAt: "t", age: "1 h", size: "1,024", sm3: "00",
                        location: "/x.gsbk", createdBy: "ops", database: "sqlite", auditSeq: "9", error: "e")
                ],
                overdue: true, warning: "w", newest: "t", canMake: true, error: "e", showEncryption: true,
                encryption: [
                    .init(
                        code: "101001/000001", items: "GMSFHM", keyVersion: "v2", state: "s", running: true, percent: 40, progress: "4 / 10"
                    )
                ])
        ]
    }
}

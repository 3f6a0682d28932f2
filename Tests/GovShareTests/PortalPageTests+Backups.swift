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
                        code: "101001/000001", items: "GMSFHM", keyVersion: "v2", state: "s", running: true, canReencrypt: false,
                        percent: 40,
                        progress: "4 / 10"),
                    .init(
                        code: "101001/000002", items: "XM", keyVersion: "v1", state: "s", running: false, canReencrypt: true, percent: 100,
                        progress: "10 / 10"),
                ])
        ]
    }
}

extension PortalPageTests {
    /// 节点管理 (issue 18).
    static var nodePages: [any PortalPage] {
        [
            NodesPage(
                selfId: "gd-province", selfName: "省局", selfRegion: "440000", selfLevel: "省级节点", selfCertificate: "-----BEGIN",
                selfSubject: "CN=x",
                peers: [
                    .init(
                        id: "gz-city", name: "广州", region: "440100", relation: "下级", status: "有效", active: true,
                        baseURL: "https://gz", sent: "2", received: "3", pending: "1", lag: "5 秒", lastDelivered: "t", lastReceived: "t",
                        lastError: "HTTP 401 unknown_node", linkClass: "failing", checkpoint: "#12")
                ],
                canManage: true, canCheck: true, canExportCheckpoints: true, error: "e", notice: "n", noticeFailed: true,
                form: .init(id: "a", name: "b", regionCode: "440300", baseURL: "https://sz", certificatePem: "p"))
        ]
    }
}

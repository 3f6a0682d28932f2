import Foundation
import GovShareCore

/// Demo security records (Art. 27), through `SecurityOperationsService` as the demo security officers: 广东省公安厅's
/// emergency plan in two versions, a drill held under it with follow-ups (one done), an incident closed with its
/// closure report, one reported late and still open past its closing date (overdue), and an open incident of the data
/// authority. Seeded once: nothing is added when any incident exists.
struct DemoSecuritySeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        guard try await platform.security.incidents(by: system).isEmpty else { return 0 }
        func person(_ username: String) async throws -> Principal {
            guard let person = try await platform.demoData.principal(username: username, by: system) else {
                throw DomainError.notFound("Demo user \(username)", zh: "演示用户 \(username)")
            }
            return person
        }
        let psb = try await person("psb_security")
        let gd = try await person("gd_security")
        let now = platform.clock.now()
        let clock = DemoSharingSeeder.StepClock(now)
        let service = platform.security.on(clock: clock)
        let today = CivilDate(instant: now)

        clock.set(daysAgo: 400, from: now)
        let plan = try await service.createPlan(
            .init(
                title: "广东省公安厅数据安全事件应急预案",
                body: "一、总则\n二、组织机构与职责\n三、事件分级（特别重大、重大、较大、一般）\n四、监测预警\n五、应急处置\n六、报告与通报\n七、保障措施",
                effectiveOn: today.adding(days: -400).description, approvedBy: "厅网络安全和信息化领导小组"),
            by: psb, origin: origin)
        clock.set(daysAgo: 120, from: now)
        _ = try await service.revisePlan(
            id: plan.id,
            .init(
                title: "广东省公安厅数据安全事件应急预案（2026年修订）",
                body: "一、总则\n二、组织机构与职责\n三、事件分级\n四、监测预警（新增共享接口异常读取监测）\n五、应急处置\n六、报告与通报（一小时内报告特别重大事件）\n七、演练与培训",
                effectiveOn: today.adding(days: -120).description, approvedBy: "厅网络安全和信息化领导小组"),
            by: psb, origin: origin)
        clock.set(daysAgo: 90, from: now)
        let drill = try await service.recordDrill(
            .init(
                heldOn: today.adding(days: -90).description, scenario: "共享接口遭批量异常查询，疑似账号被盗用", planId: plan.id,
                participants: ["科技信息化处", "网安总队", "数字广东运维值班组"],
                findings: "异常读取告警到人工研判用时 40 分钟，超过预案要求的 30 分钟；备份恢复演示未覆盖数据库加密密钥。",
                followUps: [
                    .init(description: "调整异常读取告警阈值并接入值班短信", owner: "科技信息化处"),
                    .init(description: "补充密钥托管与恢复演练脚本", owner: "数字广东运维值班组"),
                ]),
            by: psb, origin: origin)
        if let first = drill.followUps.first {
            _ = try await service.completeFollowUp(drillId: drill.id, followUpId: first.id, by: psb, origin: origin)
        }

        // Closed with its report.
        clock.set(daysAgo: 60, from: now)
        let closed = try await service.report(
            .init(
                level: "relatively_serious", title: "户籍数据接口账号异常登录",
                description: "同一账号在两地同时登录并批量调用户籍查询接口。", occurredAt: clock.now().addingTimeInterval(-5 * 3600)),
            by: psb, origin: origin)
        clock.set(daysAgo: 59.8, from: now)
        _ = try await service.addLogEntry(incidentId: closed.id, .init(note: "已冻结该账号并通知使用部门", status: "handling"), by: psb, origin: origin)
        clock.set(daysAgo: 55, from: now)
        _ = try await service.close(
            incidentId: closed.id,
            .init(cause: "使用部门人员口令泄露", impact: "约 300 条户籍记录被查询，未发现外传", measures: "重置口令、启用双因素认证、培训使用部门"),
            by: psb, origin: origin)

        // Reported late (a general incident found four days after) and still open past its closing date.
        clock.set(daysAgo: 45, from: now)
        _ = try await service.report(
            .init(
                level: "general", title: "出入境数据同步延迟导致数据不一致", description: "同步任务失败未告警，数据延迟四天。",
                occurredAt: clock.now().addingTimeInterval(-4 * 86_400), affectedEntries: nil),
            by: psb, origin: origin)

        // The authority's own, open.
        clock.set(daysAgo: 0.1, from: now)
        _ = try await service.report(
            .init(
                level: "serious", title: "共享平台门户遭受拒绝服务攻击", description: "门户访问超时约 20 分钟，接口服务未受影响。",
                occurredAt: clock.now().addingTimeInterval(-1800)),
            by: gd, origin: origin)
        return 9
    }
}

import Foundation
import GovShareCore
import Synchronization

/// Demo applications in every state, some received weeks ago so that the clock shows them due, overdue and
/// escalated: under review (one fresh, one overdue), information requested, approved with a grant, refused with
/// reasons and a basis, withdrawn. Seeded once (nothing is added when any application exists).
struct DemoSharingSeeder {
    let platform: Platform
    let origin: RequestOrigin

    /// A clock the seeder sets to when each step happened.
    final class StepClock: WallClock {
        private let current: Mutex<Date>
        init(_ date: Date) { current = Mutex(date) }
        func now() -> Date { current.withLock { $0 } }
        func set(daysAgo: Double, from reference: Date) { current.withLock { $0 = reference.addingTimeInterval(-daysAgo * 86_400) } }
    }

    func seed() async throws -> Int {
        guard try await !platform.applications.hasAnyApplication() else { return 0 }
        let today = platform.clock.now()
        let clock = StepClock(today)
        let service = platform.applications.on(clock: clock)
        let codes = DemoExchangeSeeder(platform: platform, actor: .system(DemoDataService.seedActor), origin: origin)
        let until = CivilDate(instant: today).adding(days: 365).description
        func person(_ username: String) async throws -> Principal {
            guard let person = try await platform.demoData.principal(username: username, by: .system(DemoDataService.seedActor)) else {
                throw DomainError.notFound("Demo user \(username)", zh: "演示用户 \(username)")
            }
            return person
        }
        func apply(
            _ username: String, _ classification: String, _ items: [String], daysAgo: Double, purpose: String,
            business: String, basis: String, clear: [ClearNeed] = []
        ) async throws -> ShareApplication {
            clock.set(daysAgo: daysAgo, from: today)
            let actor = try await person(username)
            return try await service.apply(
                .init(
                    entryCode: try await codes.code(of: classification), items: items, purpose: purpose,
                    business: business, basis: basis, users: ["业务经办系统"], contact: "\(actor.name) 020-83130000",
                    dataManager: "\(actor.name)（数据管理员）", shareMethod: nil, validUntil: until,
                    clearNeeds: clear),
                by: actor, origin: origin
            ).0
        }
        let basisOfSecrecy = LegalBasis(instrument: "《中华人民共和国个人信息保护法》", article: "第六条")

        _ = try await apply(
            "gz_psb_user", "301002", ["JDCSYR", "SYRZJHM"], daysAgo: 1, purpose: "交通违法处理时核对机动车所有人",
            business: "道路交通违法行为处理", basis: "《道路交通安全法》第一百一十四条")
        _ = try await apply(
            "hrss_user", "301003", ["GMSFHM"], daysAgo: 30, purpose: "职业技能鉴定考生身份核验",
            business: "职业技能等级认定", basis: "《职业技能等级认定管理办法》")

        let asked = try await apply(
            "gd_cataloger", "301004", ["GMSFHM", "ZJHM"], daysAgo: 6, purpose: "出入境人员数据质量比对",
            business: "政务数据质量监测", basis: "《广东省政务数据资源共享管理办法（试行）》第二十二条")
        clock.set(daysAgo: 4, from: today)
        _ = try await service.requestInfo(id: asked.id, question: "请说明比对范围和数据保存期限", by: try await person("psb_reviewer"), origin: origin)

        let approved = try await apply(
            "hrss_user", "302002", ["JYZSFZHM"], daysAgo: 20, purpose: "灵活就业人员参保资格核验",
            business: "个体工商户参加企业职工基本养老保险", basis: "《社会保险法》第十条",
            clear: [ClearNeed(item: "JYZSFZHM", reason: "参保登记须以完整身份证号码关联个人参保档案")])
        clock.set(daysAgo: 17, from: today)
        _ = try await service.review(
            id: approved.id,
            decision: .init(
                approvedItems: ["JYZSFZHM"], refusals: [], conditions: "仅用于参保资格核验",
                validUntil: nil, clearItems: ["JYZSFZHM"]), by: try await person("amr_reviewer"), origin: origin)
        clock.set(daysAgo: 15, from: today)
        _ = try await service.review(
            id: approved.id,
            decision: .init(
                approvedItems: ["JYZSFZHM"], refusals: [], conditions: nil, validUntil: nil,
                clearItems: ["JYZSFZHM"]),
            by: try await person("gd_reviewer"), origin: origin)

        let refused = try await apply(
            "gz_psb_user", "301001", ["HJDZ"], daysAgo: 14, purpose: "社区走访", business: "社区警务",
            basis: "内部工作需要")
        clock.set(daysAgo: 12, from: today)
        let refusal = Refusal(item: "HJDZ", reason: "申请用途与户籍地址无直接关联，且未说明法定职责依据", basis: basisOfSecrecy)
        _ = try await service.review(
            id: refused.id, decision: .init(approvedItems: [], refusals: [refusal], conditions: nil, validUntil: nil),
            by: try await person("psb_reviewer"), origin: origin)
        clock.set(daysAgo: 10, from: today)
        _ = try await service.review(
            id: refused.id, decision: .init(approvedItems: [], refusals: [refusal], conditions: nil, validUntil: nil),
            by: try await person("gd_reviewer"), origin: origin)

        let withdrawn = try await apply(
            "hrss_user", "301001", ["HJDZ"], daysAgo: 8, purpose: "工伤认定调查", business: "工伤认定",
            basis: "《工伤保险条例》第十九条")
        clock.set(daysAgo: 7, from: today)
        _ = try await service.withdraw(id: withdrawn.id, reason: "已通过当事人提交材料核实，无需共享", by: try await person("hrss_user"), origin: origin)

        // Reminders and escalation for what is now due or overdue, as the scheduler would.
        _ = try await platform.applications.sweep(by: .system(DemoDataService.seedActor), origin: origin)
        return 6
    }
}

import Foundation
import GovShareCore

/// The demo's supervision (Art. 29–30): the checks run once over the demo's records (as the scheduler would), and
/// 省数据局 (`gd_reviewer`) orders 公安厅 and 市场监管局 to correct what they found, one order in each state: issued,
/// responded (awaiting the authority), returned, accepted, and one issued 30 days ago, now overdue and escalated; and a
/// sampling plan recorded, drawn and inspected. Before the checks run, it gives each rule something to find (below).
struct DemoSupervisionSeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        guard try await platform.supervision.overview(rule: nil, status: nil, by: system).orders.isEmpty,
            let authority = try await platform.demoData.principal(username: "gd_reviewer", by: system),
            let psb = try await platform.demoData.principal(username: "psb_reviewer", by: system),
            let amr = try await platform.demoData.principal(username: "amr_reviewer", by: system)
        else { return 0 }
        try await prepareEvidence(today: platform.clock.now(), by: system)
        let today = platform.clock.now()  // after the evidence, so that the checks see it
        let clock = DemoSharingSeeder.StepClock(today)
        let service = platform.supervision.on(clock: clock)
        clock.set(daysAgo: 31, from: today)
        _ = try await service.runChecks(trigger: "scheduled", by: system, origin: origin)
        clock.set(daysAgo: 0, from: today)
        _ = try await service.runChecks(trigger: "scheduled", by: system, origin: origin)
        let open = try await service.overview(rule: nil, status: .open, by: system).findings
        let reviewers = [psb.departmentId: psb, amr.departmentId: amr]
        let ours = open.filter { reviewers[$0.departmentId] != nil }
        guard !ours.isEmpty else { return 1 }
        func finding(_ n: Int) -> SupervisionFinding { ours[n % ours.count] }
        func issue(_ f: SupervisionFinding, daysAgo: Double, days: Int) async throws -> RectificationOrder {
            clock.set(daysAgo: daysAgo, from: today)
            return try await service.issueOrder(
                .init(
                    findingId: f.id, what: "请于期限内整改：\(f.rule.name.zh)（\(f.objectLabel)）",
                    basis: "《广东省政务数据资源共享管理办法（试行）》第二十九条、\(f.rule.article)",
                    workingDays: days), by: authority, origin: origin)
        }
        // Overdue: issued a month ago with 10 working days, never answered; the sweep escalates it.
        let overdue = try await issue(finding(0), daysAgo: 30, days: 10)
        _ = overdue
        // Accepted, returned, responded: issued a week ago, answered since.
        for (n, outcome) in [(1, "accept"), (2, "return"), (3, "respond")] {
            let f = finding(n)
            let order = try await issue(f, daysAgo: 7, days: 10)
            clock.set(daysAgo: 3, from: today)
            _ = try await service.respond(
                orderId: order.id, response: "已核实并完成整改：补充挂接数据并建立按期答复提醒机制（演示）", by: reviewers[f.departmentId]!,
                origin: origin)
            clock.set(daysAgo: 1, from: today)
            if outcome == "accept" {
                _ = try await service.decide(orderId: order.id, accept: true, note: "整改到位（演示）", by: authority, origin: origin)
            } else if outcome == "return" {
                _ = try await service.decide(
                    orderId: order.id, accept: false, note: "未附整改佐证材料，请补充后重新报送（演示）", by: authority, origin: origin)
            }
        }
        // Issued today, waiting for the department.
        _ = try await issue(finding(4), daysAgo: 0, days: 10)
        clock.set(daysAgo: 0, from: today)
        _ = try await service.sweep(by: system, origin: origin)
        // A sampling plan (随机抽查): recorded a week ago (its seed fixed then), drawn since; one sampled entry inspected
        // in order, one with a problem — a finding of the rule `inspection`.
        clock.set(daysAgo: 7, from: today)
        let plan = try await service.createPlan(
            .init(name: "2026年第四季度目录质量抽查（演示）", population: "entries", departmentCode: nil, size: 5), by: authority, origin: origin)
        clock.set(daysAgo: 6, from: today)
        let drawn = try await service.draw(planId: plan.id, by: authority, origin: origin)
        if let first = drawn.sample.first {
            _ = try await service.inspect(
                planId: plan.id, objectId: first.id, ok: true, note: "要素齐全、挂接正常（演示）", by: authority, origin: origin)
        }
        if drawn.sample.count > 1 {
            _ = try await service.inspect(
                planId: plan.id, objectId: drawn.sample[1].id, ok: false, note: "数据项说明与实际字段不一致，需补充更新（演示）",
                by: authority, origin: origin)
        }
        clock.set(daysAgo: 0, from: today)
        return 9
    }

    /// What the rules find beyond what the rest of the demo leaves (the catalog published six weeks ago with entries
    /// still unmounted; 市场监管局's business licences reported five days ago; overdue replies; base items shared on
    /// conditions): a catalog update obligation 40 days old and still open; 人社厅 reading 200 residents where it
    /// usually reads 10; and what the services refuse today, planted and audited as `demo.plant` (DemoData+Anomalies):
    /// an entry carried over without its summary, one without the legal basis of its conditional items, and a read
    /// stamped before its grant began.
    func prepareEvidence(today: Date, by system: Principal) async throws {
        let codes = DemoExchangeSeeder(platform: platform, actor: system, origin: origin)
        _ = try await platform.obligations.record(
            trigger: "law_revised", date: CivilDate(instant: today).adding(days: -40).description,
            reference: "《广东省养老服务条例》修订（演示）", departmentCode: "11440000MB98114289",
            entryCode: try await codes.code(of: "305003"), by: system, origin: origin)
        if let reader = try await platform.demoData.principal(username: "hrss_user", by: system),
            let subscription = try await platform.exchange.subscriptions(of: reader).first(where: \.isActive)
        {
            let code = try await codes.code(of: "101001")
            for limit in [10, 10, 10, 10, 10, 200] {
                _ = try await platform.exchange.read(
                    code: code, purpose: subscription.id, query: DatasetQuery(limit: limit), by: reader, origin: origin)
            }
        }
        for (classification, strip) in [("309003", "summary"), ("316002", "legal_basis")] {
            guard let found = try await platform.catalog.publishedEntry(try await codes.code(of: classification), for: system) else {
                continue
            }
            var content = found.version.content
            if strip == "summary" {
                content.summary = nil
            } else {
                content.legalBasis = nil
                content.items = content.items?.map { item in
                    var item = item
                    item.legalBasis = nil
                    return item
                }
            }
            try await platform.demoData.plantContent(
                entryId: found.entry.id, version: found.version.version, content: content, by: system, origin: origin)
        }
        if let holder = try await platform.demoData.principal(username: "hrss_user", by: system),
            let grant = try await platform.grants.visibleGrants(for: holder).first(where: { $0.status == .active }),
            let validFrom = CivilDate(grant.validFrom),
            let entry = try await platform.catalog.entries(ids: [grant.entryId])[grant.entryId]
        {
            try await platform.demoData.plantRead(
                DataRead(
                    auditSeq: 0, datasetId: "", entryCode: entry.code, actorId: holder.id, actorName: holder.name,
                    departmentId: holder.departmentId, purposeId: grant.id, items: grant.items, filter: "",
                    rows: 12,
                    readAt: Timestamp.format(Date(timeIntervalSince1970: Double(validFrom.adding(days: -3).dayNumber) * 86_400 + 7_200)),
                    requestId: origin.requestId), by: system, origin: origin)
        }
    }
}

import Foundation
import GovShareCore

/// The demo's conflicts between providers (Art. 13): 公安厅's household register records a few residents' birth
/// dates, names and sexes differently from the population base (人口基础信息, kept by the data authority); 法人单位基础信息
/// (500 legal persons, the data authority's) records a few founding dates differently from 市场监管局's business
/// licences. The data authority's reviewer declares four fact pairs, the check runs, and the cases are left one in
/// each state: birth dates arbitrated (the household register is the authoritative source, shown on both catalog
/// entries), names agreed, sexes escalated, founding dates still negotiating.
struct DemoConflictSeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        guard try await platform.conflicts.pairs(by: system, includeRetired: true).isEmpty,
            let authority = try await platform.demoData.principal(username: "gd_reviewer", by: system),
            let psb = try await platform.demoData.principal(username: "psb_reviewer", by: system),
            let amr = try await platform.demoData.principal(username: "amr_reviewer", by: system),
            // 省数据局 keeps the population base, a party to the cases below: its administrator arbitrates (`Impartiality`).
            let arbiter = try await platform.demoData.principal(username: "admin", by: system)
        else { return 0 }
        let codes = DemoExchangeSeeder(platform: platform, actor: system, origin: origin)
        let population = try await codes.code(of: "101001"), household = try await codes.code(of: "301001")
        let licences = try await codes.code(of: "302001")
        guard try await platform.exchange.isMounted(code: population), try await platform.exchange.isMounted(code: household),
            try await platform.exchange.isMounted(code: licences)
        else { return 0 }
        var created = 0
        let residents = min(platform.config.demoRows, 5_000)
        let changed = (0..<residents).filter { $0 % 97 == 5 || $0 % 89 == 3 || $0 % 83 == 1 }.map {
            (row: $0 + 2, values: Self.household($0))
        }
        let outcome = try await platform.exchange.report(
            code: household, rows: changed, deletes: [], mode: .allOrNothing, clientBatchId: "demo-conflicts-1", source: .cli,
            by: system, origin: origin)
        if !outcome.replayed { created += 1 }
        created += try await codes.fill(code: "102001", key: "TYSHXYDM", rows: 500, makeRow: Self.legalPerson)
        let legal = try await codes.code(of: "102001")

        func pair(_ left: String, _ right: String, _ item: String, key: String, _ note: String) async throws {
            _ = try await platform.conflicts.declare(
                .init(leftEntry: left, leftItem: item, leftKey: key, rightEntry: right, rightItem: item, rightKey: key, note: note),
                by: authority, origin: origin)
            created += 1
        }
        try await pair(population, household, "CSRQ", key: "GMSFHM", "出生日期：人口库与户籍登记应一致")
        try await pair(population, household, "XM", key: "GMSFHM", "姓名：人口库与户籍登记应一致")
        try await pair(population, household, "XB", key: "GMSFHM", "性别：人口库与户籍登记应一致")
        try await pair(legal, licences, "CLRQ", key: "TYSHXYDM", "成立日期：法人库与营业执照登记应一致")
        _ = try await platform.conflicts.check(trigger: .onDemand, by: authority, origin: origin)
        let cases = try await platform.conflicts.cases(status: "open", by: authority)
        func find(_ item: String) -> String? { cases.first { $0.1.left.item == item }?.0.id }
        let conflicts = platform.conflicts
        if let id = find("CSRQ") {
            _ = try await conflicts.propose(caseId: id, side: "left", note: "人口库已与卫健出生医学证明核对", by: authority, origin: origin)
            _ = try await conflicts.post(caseId: id, body: "户籍登记以出生医学证明原件为准，不同意以人口库为准（演示）", by: psb, origin: origin)
            _ = try await conflicts.escalate(caseId: id, note: "双方对出生日期来源各执一词，提请裁定（演示）", by: psb, origin: origin)
            _ = try await conflicts.arbitrate(
                caseId: id, side: "right", reasons: "出生日期以户籍登记为法定依据（《户口登记条例》），人口库应据此更正（演示）", by: arbiter,
                origin: origin)
        }
        if let id = find("XM") {
            _ = try await conflicts.propose(caseId: id, side: "right", note: "姓名以户籍登记为准（演示）", by: psb, origin: origin)
            _ = try await conflicts.agree(caseId: id, by: authority, origin: origin)
        }
        if let id = find("XB") {
            _ = try await conflicts.escalate(caseId: id, note: "性别变更记录双方无法核实，请主管部门裁定（演示）", by: psb, origin: origin)
        }
        if let id = find("CLRQ") {
            _ = try await conflicts.post(caseId: id, body: "请核对营业执照原件上的成立日期（演示）", by: amr, origin: origin)
        }
        return created
    }

    /// 居民户籍信息 as the household register records it, differing from the population base for a few residents:
    /// birth dates a day later, a name with another given name, the other sex.
    @Sendable static func household(_ n: Int) -> [String: String?] {
        var row = DemoExchangeSeeder.household(n)
        if n % 97 == 5, let birth = CivilDate((row["CSRQ"] ?? nil) ?? "") { row["CSRQ"] = birth.adding(days: 1).description }
        if n % 89 == 3, let name = row["XM"] ?? nil { row["XM"] = String(name.prefix(1)) + "晓明" }
        if n % 83 == 1 { row["XB"] = (row["XB"] ?? nil) == "1" ? "2" : "1" }
        return row
    }

    /// 法人单位基础信息 (the data authority's legal-person base): the first 500 enterprises, a few founded a year earlier.
    @Sendable static func legalPerson(_ n: Int) -> [String: String?] {
        let e = DemoExchangeSeeder.enterprise(n)
        var founded = (e["CLRQ"] ?? nil) ?? ""
        if n % 50 == 7, let day = CivilDate(founded) { founded = day.adding(days: -365).description }
        return [
            "TYSHXYDM": e["TYSHXYDM"]!, "JGMC": e["QYMC"]!, "JGLX": "1100", "FDDBR": e["FDDBR"]!, "ZS": e["ZS"]!, "CLRQ": founded,
            "DJGLJG": e["DJJG"]!, "DJZT": "1",
        ]
    }
}

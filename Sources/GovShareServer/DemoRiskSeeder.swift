import Foundation
import GovShareCore

/// The demo's risk report and destruction request (Art. 27, 28): the scheduled report of last month, made once, and
/// a destruction request of 公安厅 for household records last updated before 2020 (past retention), approved by the
/// data authority's reviewer and left for `psb_reviewer` to execute from 数据销毁.
struct DemoRiskSeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        var created = 0
        if try await platform.riskReports.generateIfDue(by: system, origin: origin) != nil { created += 1 }
        let codes = DemoExchangeSeeder(platform: platform, actor: system, origin: origin)
        guard let requester = try await platform.demoData.principal(username: "psb_reviewer", by: system),
            let approver = try await platform.demoData.principal(username: "gd_reviewer", by: system),
            try await platform.destructions.list(by: system).requests.isEmpty
        else { return created }
        let code = try await codes.code(of: "301001")
        guard try await platform.exchange.isMounted(code: code) else { return created }
        let request = try await platform.destructions.request(
            .init(
                entryCode: code, scope: DestructionScope.before.rawValue, before: "2020-01-01",
                basis: "户籍迁出人员的历史登记记录超过本部门规定的保存期限（演示）"), by: requester, origin: origin)
        _ = try await platform.destructions.decide(
            id: request.id, approve: true, note: "同意销毁（演示）", by: approver, origin: origin)
        return created + 1
    }
}

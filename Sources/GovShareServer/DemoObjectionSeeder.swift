import Foundation
import GovShareCore

/// The demo's objections (Art. 21): 省人社厅 (hrss_user) reads residents of 人口基础信息 under its subscription and
/// objects to birth dates; 省数据局 (gd_cataloger) answers and corrects; its platform administrator (admin) rules, since 省数据局 is a party. One
/// objection is left in each state: awaiting the provider, answered (awaiting the objector), disputed (awaiting the
/// authority), accepted after correction, upheld (a record still flagged, awaiting correction), dismissed and withdrawn.
struct DemoObjectionSeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        guard let reader = try await platform.demoData.principal(username: "hrss_user", by: system),
            let provider = try await platform.demoData.principal(username: "gd_cataloger", by: system),
            // The provider is the authority's own department, so its platform administrator rules (`Impartiality`).
            let authority = try await platform.demoData.principal(username: "admin", by: system),
            try await platform.objections.list(by: system).isEmpty
        else { return 0 }
        let code = try await DemoExchangeSeeder(platform: platform, actor: system, origin: origin).code(of: "101001")
        guard try await platform.exchange.isMounted(code: code),
            let subscription = try await platform.exchange.subscriptions(of: reader).first(where: \.isActive)
        else { return 0 }
        // The reader's read (IDs masked to it) and the provider's of the same first rows (in clear), in key order.
        // The reader names rows by the tokens its read gave it, as the portal's preview does (the key is masked to it).
        let read = try await platform.exchange.read(
            code: code, purpose: subscription.id, query: DatasetQuery(limit: 20), by: reader, origin: origin, withRowTokens: true)
        let own = try await platform.exchange.read(
            code: code, purpose: "provider", query: DatasetQuery(limit: 20), by: provider, origin: origin)
        guard let keyIndex = own.columns.firstIndex(where: { $0.column.itemCode == "GMSFHM" }), own.rows.count >= 8 else { return 0 }
        let keys = own.rows.compactMap { $0[keyIndex] }
        guard read.rowTokens.count == keys.count else { return 0 }
        let tokens = Dictionary(uniqueKeysWithValues: zip(keys, read.rowTokens))
        let services = platform.objections

        func raise(_ records: [(String, String)], _ description: String) async throws -> Objection {
            try await services.raise(
                .init(
                    datasetCode: code, kind: ObjectionKind.wrongValue.rawValue, item: "CSRQ", description: description,
                    records: records.map { .init(key: nil, token: tokens[$0.0], proposedValue: $0.1) }), by: reader, origin: origin)
        }
        func answer(_ o: Objection, confirm: Bool) async throws -> Objection {
            try await services.answer(
                id: o.id,
                decisions: o.records.map {
                    .init(key: $0.key, confirm: confirm, reason: confirm ? nil : "经核对户籍档案，出生日期登记无误（演示）")
                }, note: "已校核（演示）", by: provider, origin: origin)
        }

        // Awaiting the provider.
        _ = try await raise([(keys[0], "1980-01-02"), (keys[1], "1975-06-30")], "参保登记核验发现出生日期与参保人提供的户口簿不符（演示）")
        // Answered, awaiting the objector: one confirmed (flagged in reads), one rejected.
        let answered = try await raise([(keys[2], "1990-10-01"), (keys[3], "1969-12-31")], "出生日期与社保档案不一致（演示）")
        _ = try await services.answer(
            id: answered.id,
            decisions: [
                .init(key: keys[2], confirm: true, reason: nil), .init(key: keys[3], confirm: false, reason: "出生日期以公安户籍登记为准（演示）"),
            ], note: "部分确认（演示）", by: provider, origin: origin)
        // Disputed, awaiting the authority.
        let disputed = try await answer(try await raise([(keys[4], "1985-05-05")], "出生日期与出生医学证明不符（演示）"), confirm: false)
        _ = try await services.dispute(id: disputed.id, reason: "出生医学证明原件记载为1985-05-05（演示）", by: reader, origin: origin)
        // Confirmed, corrected through a batch, accepted.
        let corrected = try await answer(try await raise([(keys[5], "1978-08-08")], "出生日期录入错误（演示）"), confirm: true)
        _ = try await services.correct(
            id: corrected.id, rows: [(row: 1, values: ["GMSFHM": keys[5], "CSRQ": "1978-08-08"])], by: provider, origin: origin)
        _ = try await services.accept(id: corrected.id, by: reader, origin: origin)
        // Upheld by the authority: binding, still flagged until the provider corrects it.
        let upheld = try await answer(try await raise([(keys[6], "1992-02-29")], "出生日期与身份证件不符（演示）"), confirm: false)
        _ = try await services.dispute(id: upheld.id, reason: "身份证件记载为1992-02-29（演示）", by: reader, origin: origin)
        _ = try await services.rule(id: upheld.id, upheld: true, ruling: "以身份证件为准，提供部门应予更正（演示）", by: authority, origin: origin)
        // Dismissed: the provider's answer stands.
        let dismissed = try await answer(try await raise([(keys[7], "1960-01-01")], "出生日期疑似错误（演示）"), confirm: false)
        _ = try await services.dispute(id: dismissed.id, reason: "申请人口述出生日期为1960-01-01（演示）", by: reader, origin: origin)
        _ = try await services.rule(id: dismissed.id, upheld: false, ruling: "口述不足以推翻户籍登记，维持答复（演示）", by: authority, origin: origin)
        // Withdrawn by the objector.
        let withdrawn = try await services.raise(
            .init(datasetCode: code, kind: ObjectionKind.outdated.rawValue, item: nil, description: "数据更新不及时（演示）", records: []),
            by: reader, origin: origin)
        _ = try await services.withdraw(id: withdrawn.id, by: reader, origin: origin)
        return 7
    }
}

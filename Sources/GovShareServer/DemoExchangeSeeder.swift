import Foundation
import GovShareCore

/// Demo datasets behind published entries: 人口基础信息 with `demo_rows` synthetic residents (valid ID numbers,
/// Guangdong addresses) and 企业营业执照信息 with 2,000 enterprises (valid credit codes), plus a subscription.
/// Rows go in through the reporting service in batches with fixed ids, so a restart resumes without duplicates.
struct DemoExchangeSeeder {
    let platform: Platform
    let actor: Principal
    let origin: RequestOrigin

    func seed() async throws -> Int {
        var created = 0
        created += try await fill(code: "101001", key: "GMSFHM", rows: platform.config.demoRows, makeRow: Self.resident)
        // 市场监管局 last reported its business licences five days ago, though the entry promises daily updates: stale
        // data for the reminders and the supervision check (Art. 30).
        let fiveDaysAgo = DemoSharingSeeder.StepClock(platform.clock.now().addingTimeInterval(-5 * 86_400))
        created += try await fill(
            code: "302001", key: "TYSHXYDM", rows: 2_000, makeRow: Self.enterprise, exchange: platform.exchange.on(clock: fiveDaysAgo))
        created += try await fill(code: "301001", key: "GMSFHM", rows: min(platform.config.demoRows, 5_000), makeRow: Self.household)
        // 省人社厅's data user subscribes, unless the department already holds a subscription.
        if let reader = try await platform.demoData.principal(username: "hrss_user", by: actor),
            try await platform.exchange.subscriptions(of: reader).isEmpty
        {
            _ = try await platform.exchange.subscribe(
                code: try await code(of: "101001"), items: ["GMSFHM", "XM", "XB", "CSRQ"],
                purpose: "社会保险参保登记时核验参保人身份（《社会保险法》第五十八条）",
                business: "企业职工基本养老保险参保登记", users: ["社保经办系统", "参保登记窗口"],
                by: reader, origin: origin)
            created += 1
        }
        return created
    }

    /// Demo entries are filed under a classification; their resource code is that plus a sequence number.
    func code(of classification: String) async throws -> String {
        var query = CatalogQuery()
        query.classificationPrefix = classification
        query.rows = 1
        guard let document = try await platform.catalog.search(query, for: actor).documents.first else {
            throw DomainError.notFound("Demo entry \(classification)", zh: "演示目录 \(classification)")
        }
        return document.code
    }

    func fill(
        code classification: String, key: String, rows: Int, makeRow: @Sendable (Int) -> [String: String?],
        exchange: ExchangeService? = nil
    ) async throws -> Int {
        guard rows > 0 else { return 0 }
        let exchange = exchange ?? platform.exchange
        let code = try await code(of: classification)
        if try await !exchange.isMounted(code: code) {
            _ = try await exchange.mount(code: code, primaryKey: key, by: actor, origin: origin)
        }
        let batchSize = 20_000
        var applied = 0
        for start in stride(from: 0, to: rows, by: batchSize) {
            let batch = (start..<min(start + batchSize, rows)).map { (row: $0 - start + 2, values: makeRow($0)) }
            let outcome = try await exchange.report(
                code: code, rows: batch, deletes: [], mode: .allOrNothing,
                clientBatchId: "demo-\(start / batchSize + 1)", source: .cli,
                by: actor, origin: origin)
            if !outcome.replayed { applied += 1 }
        }
        return applied
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程苏魏吕丁沈任姚卢")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉玉兰海燕鹏晓雪婷浩宇子轩梓涵欣怡嘉俊")
    static let counties: [(String, String)] = [
        ("440103", "广州市荔湾区"), ("440104", "广州市越秀区"), ("440106", "广州市天河区"), ("440304", "深圳市福田区"),
        ("440305", "深圳市南山区"), ("440604", "佛山市禅城区"), ("440606", "佛山市顺德区"), ("441900", "东莞市"),
        ("440402", "珠海市香洲区"), ("445102", "潮州市湘桥区"), ("440803", "湛江市霞山区"), ("441302", "惠州市惠城区"),
    ]
    static let streets = ["中山路", "解放路", "人民路", "建设路", "东风路", "滨江路", "华强北路", "南海大道", "环市东路"]

    /// A deterministic pseudo-random number for row `n` and purpose `salt`, so the demo is the same on every machine.
    static func mix(_ n: Int, _ salt: Int) -> Int {
        var x = UInt64(truncatingIfNeeded: n &* 2_654_435_761 &+ salt &* 97_531)
        x ^= x >> 33; x &*= 0xff51_afd7_ed55_8ccd; x ^= x >> 33
        return Int(x % 1_000_000_007)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    @Sendable static func resident(_ n: Int) -> [String: String?] {
        let (division, place) = counties[mix(n, 1) % counties.count]
        // Birth day and sequence number together are unique for the first 24 million rows (7919 is prime to 24000).
        let birth = CivilDate(dayNumber: CivilDate(year: 1950, month: 1, day: 1)!.dayNumber + (n / 1000 * 7919) % 24_000)
        let sequence = pad(n % 1000, 3)
        let prefix = division + birth.description.replacingOccurrences(of: "-", with: "") + sequence
        let id = prefix + String(ResidentID.checkCharacter(for: prefix)!)
        let name =
            String(surnames[mix(n, 3) % surnames.count]) + String(given[mix(n, 4) % given.count])
            + (mix(n, 5) % 2 == 0 ? String(given[mix(n, 6) % given.count]) : "")
        return [
            "GMSFHM": id, "XM": name, "XB": (n % 1000) % 2 == 1 ? "1" : "2", "MZ": "01", "CSRQ": birth.description,
            "CSD": "广东省" + place, "HJDZ": "广东省\(place)\(streets[mix(n, 7) % streets.count])\(mix(n, 8) % 300 + 1)号",
            "LXDH": "13\(mix(n, 9) % 10)\(pad(mix(n, 10) % 100_000_000, 8))", "SWBS": "0",
        ]
    }

    /// 居民户籍信息 (公安厅): the same residents, as the household register records them.
    @Sendable static func household(_ n: Int) -> [String: String?] {
        let r = resident(n)
        let head = resident(n - n % 3)
        return [
            "GMSFHM": r["GMSFHM"]!, "XM": r["XM"]!, "XB": r["XB"]!, "MZ": "01", "CSRQ": r["CSRQ"]!, "HJDZ": r["HJDZ"]!,
            "HZXM": head["XM"]!, "YHZGX": n % 3 == 0 ? "02" : "20", "HJDJJG": "\((r["CSD"]! ?? "").dropFirst(3).prefix(3))公安分局户政科",
        ]
    }

    @Sendable static func enterprise(_ n: Int) -> [String: String?] {
        let (division, place) = counties[mix(n, 11) % counties.count]
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let body = (0..<9).map { String(alphabet[mix(n, 20 + $0) % alphabet.count]) }.joined()
        let prefix = "91" + division + body
        let code = prefix + String(CreditCode.checkCharacter(for: prefix)!)
        let founded = CivilDate(dayNumber: CivilDate(year: 1995, month: 1, day: 1)!.dayNumber + mix(n, 12) % 10_000)
        let name =
            "\(place.prefix(2))\(["华南", "粤海", "珠江", "南方", "岭南", "湾区"][mix(n, 13) % 6])\(["科技", "贸易", "实业", "物流", "电子", "食品"][mix(n, 14) % 6])有限公司第\(n + 1)分部"
        return [
            "TYSHXYDM": code, "QYMC": name, "QYLX": "1100",
            "FDDBR": String(surnames[mix(n, 15) % surnames.count]) + String(given[mix(n, 16) % given.count]),
            "ZCZB": String(Double(mix(n, 17) % 100_000) / 10), "CLRQ": founded.description, "YYQXZ": founded.description,
            "ZS": "广东省\(place)\(streets[mix(n, 18) % streets.count])\(mix(n, 19) % 500 + 1)号", "JYFW": "技术开发、技术服务；销售电子产品",
            "DJJG": "\(place.prefix(3))市场监督管理局", "HZRQ": founded.description, "DJZT": "1",
        ]
    }
}

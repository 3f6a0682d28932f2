import Foundation
import GovShareCore

/// Demo e-licences (Art. 23) of the demo enterprises and residents, issued through `LicenceService` by the issuing
/// departments' people and signed with their seals: 营业执照 for the enterprises of 企业营业执照信息, 食品经营许可证 for
/// every fourth of them, 居民户口簿 for residents of 居民户籍信息 and 结婚证 for a few couples. With the default
/// `demo_rows` (100,000) that is 2,000 + 500 + 500 + 50 licences; fewer with a smaller demo (the tests' 300 rows
/// give a handful). A few are revoked and a few expired, so every status shows. Seeded once: nothing is added when a
/// type already has licences.
struct DemoLicenceSeeder {
    let platform: Platform
    let actor: Principal
    let origin: RequestOrigin

    var service: LicenceService { platform.licences }

    func seed() async throws -> Int {
        let codes = DemoExchangeSeeder(platform: platform, actor: actor, origin: origin)
        let enterprises = min(2_000, platform.config.demoRows / 50)
        let residents = min(500, min(platform.config.demoRows, 5_000) / 10)
        var created = 0
        let started = ContinuousClock.now
        defer { platform.logger.notice("demo licences", metadata: ["seconds": "\(ContinuousClock.now - started)"]) }
        created += try await define(Self.businessLicence(entry: try await codes.code(of: "302001")))
        created += try await define(Self.foodLicence(entry: try await codes.code(of: "302003")))
        created += try await define(Self.householdRegister(entry: try await codes.code(of: "301001")))
        created += try await define(Self.marriageCertificate(entry: try await codes.code(of: "305001")))
        let today = CivilDate(instant: platform.clock.now())
        created += try await issue("yyzz", count: enterprises, as: "amr_reviewer") { n in
            let row = DemoExchangeSeeder.enterprise(n)
            let founded = row["CLRQ"]!!
            // Every 97th enterprise's term ended last year: its licence reads as expired.
            let until = n % 97 == 5 ? today.adding(days: -200).description : nil
            var fields = Self.values(row, ["QYMC", "QYLX", "FDDBR", "ZCZB", "CLRQ", "ZS", "JYFW", "DJJG"])
            fields["YYQXZ"] = founded
            fields["YYQXJZ"] = until ?? "长期"
            return NewLicence(
                typeCode: "yyzz", number: row["TYSHXYDM"]!!, holderId: row["TYSHXYDM"]!!, holderName: row["QYMC"]!!,
                validFrom: founded, validTo: until, fields: fields)
        }
        created += try await issue("spjyxkz", count: enterprises / 4, as: "amr_reviewer") { i in
            let n = i * 4
            let row = DemoExchangeSeeder.enterprise(n)
            let issued = today.adding(days: -(DemoExchangeSeeder.mix(n, 40) % 1_500))
            let number = "JY1" + (row["TYSHXYDM"]!! as String).dropFirst(2).prefix(6) + DemoExchangeSeeder.pad(n, 7)
            return NewLicence(
                typeCode: "spjyxkz", number: number, holderId: row["TYSHXYDM"]!!, holderName: row["QYMC"]!!,
                validFrom: issued.description, validTo: issued.adding(days: 5 * 365 - 1).description,
                fields: [
                    "JYZMC": row["QYMC"]!!, "FDDBR": row["FDDBR"]!!, "ZS": row["ZS"]!!, "JYCS": row["ZS"]!!,
                    "ZTYT": ["食品销售经营者", "餐饮服务经营者", "单位食堂"][n % 3], "JYXM": "预包装食品（含冷藏冷冻食品）销售；散装食品销售",
                    "FZJG": row["DJJG"]!!, "FZRQ": issued.description, "YXQZ": issued.adding(days: 5 * 365 - 1).description,
                ])
        }
        created += try await issue("hkb", count: residents, as: "psb_reviewer") { n in
            let row = DemoExchangeSeeder.household(n)
            return NewLicence(
                typeCode: "hkb", number: "HK" + DemoExchangeSeeder.pad(n + 1, 10), holderId: row["GMSFHM"]!!, holderName: row["XM"]!!,
                validFrom: "2016-01-01", validTo: nil,
                fields: Self.values(row, ["XM", "XB", "MZ", "CSRQ", "HJDZ", "HZXM", "YHZGX", "HJDJJG"]))
        }
        // Couples of demo residents (a man, rows with odd sequence numbers, and the next woman).
        created += try await issue("jhz", count: residents / 10, as: nil) { i in
            let man = DemoExchangeSeeder.resident(i * 2 + 1)
            let woman = DemoExchangeSeeder.resident(i * 2 + 2)
            let day = today.adding(days: -(DemoExchangeSeeder.mix(i, 41) % 3_000))
            return NewLicence(
                typeCode: "jhz", number: "J440000-\(day.description.prefix(4))-" + DemoExchangeSeeder.pad(i + 1, 6),
                holderId: man["GMSFHM"]!!, holderName: man["XM"]!!, validFrom: day.description, validTo: nil,
                fields: [
                    "NANFXM": man["XM"]!!, "NANFGMSFHM": man["GMSFHM"]!!, "NVFXM": woman["XM"]!!, "NVFGMSFHM": woman["GMSFHM"]!!,
                    "DJLX": "结婚登记", "DJRQ": day.description, "DJJG": "广东省民政厅婚姻登记处",
                ])
        }
        return created
    }

    static func values(_ row: [String: String?], _ items: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for item in items { if let value = row[item] ?? nil { out[item] = value } }
        return out
    }

    func define(_ type: NewLicenceType) async throws -> Int {
        guard try await service.types(by: actor).contains(where: { $0.code == type.code }) == false else { return 0 }
        _ = try await service.defineType(type, by: actor, origin: origin)
        return 1
    }

    /// Issues `count` licences in bulk batches as the demo person (or the platform for a department without one),
    /// revoking every 150th, unless the type already has licences.
    func issue(_ type: String, count: Int, as username: String?, make: (Int) -> NewLicence) async throws -> Int {
        guard count > 0, try await service.issued(typeCode: type, holderId: nil, limit: 1, offset: 0, by: actor).isEmpty else { return 0 }
        let person = try await username.asyncMap { try await platform.demoData.principal(username: $0, by: actor) } ?? actor
        var issued: [Licence] = []
        for start in stride(from: 0, to: count, by: 1_000) {
            issued += try await service.issueMany((start..<min(start + 1_000, count)).map(make), by: person, origin: origin)
        }
        for (n, licence) in issued.enumerated() where n % 150 == 7 {
            _ = try await service.revoke(id: licence.id, reason: "演示：依申请注销", by: actor, origin: origin)
        }
        return issued.count
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

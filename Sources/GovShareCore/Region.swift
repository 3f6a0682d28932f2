/// An administrative division by its GB/T 2260 code.
public struct Region: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable { case province, city, county }

    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let level: Level
    public let parentCode: String?

    public init(code: String, nameZh: String, nameEn: String, level: Level, parentCode: String?) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.level = level; self.parentCode = parentCode
    }

    /// Six digits; the level follows from which pairs are zero (province XX0000, city XXXX00, county XXXXXX).
    public static func levelOf(code: String) -> Level? {
        guard code.count == 6, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber), !code.hasPrefix("00") else { return nil }
        if code.hasSuffix("0000") { return .province }
        if code.hasSuffix("00") { return .city }
        return .county
    }

    public static func parentCode(of code: String) -> String? {
        switch levelOf(code: code) {
        case .county?: return String(code.prefix(4)) + "00"
        case .city?: return String(code.prefix(2)) + "0000"
        default: return nil
        }
    }
}

/// Guangdong and its 21 prefecture-level cities, seeded by the first migration. Counties are added by operators.
public enum GuangdongRegions {
    public static let province = Region(code: "440000", nameZh: "广东省", nameEn: "Guangdong Province", level: .province, parentCode: nil)

    public static let cities: [Region] = [
        ("440100", "广州市", "Guangzhou"), ("440200", "韶关市", "Shaoguan"), ("440300", "深圳市", "Shenzhen"),
        ("440400", "珠海市", "Zhuhai"), ("440500", "汕头市", "Shantou"), ("440600", "佛山市", "Foshan"),
        ("440700", "江门市", "Jiangmen"), ("440800", "湛江市", "Zhanjiang"), ("440900", "茂名市", "Maoming"),
        ("441200", "肇庆市", "Zhaoqing"), ("441300", "惠州市", "Huizhou"), ("441400", "梅州市", "Meizhou"),
        ("441500", "汕尾市", "Shanwei"), ("441600", "河源市", "Heyuan"), ("441700", "阳江市", "Yangjiang"),
        ("441800", "清远市", "Qingyuan"), ("441900", "东莞市", "Dongguan"), ("442000", "中山市", "Zhongshan"),
        ("445100", "潮州市", "Chaozhou"), ("445200", "揭阳市", "Jieyang"), ("445300", "云浮市", "Yunfu"),
    ].map { Region(code: $0.0, nameZh: $0.1, nameEn: $0.2, level: .city, parentCode: "440000") }

    public static var all: [Region] { [province] + cities }
}

/// How a value is shown to a reader who may see the item but not its clear value. The rule follows the item's
/// sensitivity grade (1–2 clear, 3–4 masked) and what the value is (an ID number, a name, a phone number …), and is
/// reported with every response so the reader knows what was hidden.
public enum MaskRule: String, Sendable, Codable, CaseIterable {
    case clear
    /// 公民身份号码: first 6 and last 4 characters.
    case residentId = "keep_first_6_last_4"
    /// A person's name keeps the surname.
    case personName = "keep_surname"
    /// A phone number keeps its first 3 and last 4 digits.
    case phone = "keep_first_3_last_4"
    /// Account numbers and similar keep their last 4 characters.
    case lastFour = "keep_last_4"
    /// Other text keeps its first third.
    case firstThird = "keep_first_third"
    /// Numbers and anything else at grade 4: nothing is shown.
    case full = "hidden"

    /// The rule for an item at its grade when the reader may not see clear values.
    public static func forColumn(_ c: DatasetColumn) -> MaskRule {
        // A resident ID number is sensitive personal information (GB/T 35273) whatever grade an item was given: a
        // second ID item graded 2 would otherwise show in clear what the first one masks.
        if isResidentId(c) { return .residentId }
        guard c.sensitivity >= 3 else { return .clear }
        if isPersonName(c) { return .personName }
        if c.itemName.contains("电话") || c.itemName.contains("手机") { return .phone }
        if c.itemName.contains("账号") || c.itemName.contains("卡号") { return .lastFour }
        if c.isNumeric || c.sensitivity >= 4 { return .full }
        return .firstThird
    }

    public static func isPersonName(_ c: DatasetColumn) -> Bool { c.itemName.hasSuffix("姓名") || c.itemName == "法定代表人" }

    static func isResidentId(_ c: DatasetColumn) -> Bool {
        c.rule == .residentId || residentIdNames.contains { c.itemName.contains($0) }
    }

    static let residentIdNames = ["身份号码", "身份证", "证件号码"]
    static let birthDateNames = ["出生日期", "出生年", "出生时间", "生日", "年龄", "周岁"]

    /// Whether a catalog item reaches a subscriber or grant holder masked unless a grant names it clear: the same
    /// rules as `forColumn` (grade 3–4, resident IDs whatever their grade) and `hidingDerivedItems` (birth dates).
    public static func masksByDefault(_ item: DataItem) -> Bool {
        let name = item.name ?? ""
        return (item.sensitivity ?? 1) >= 3 || item.rule == ItemRule.residentId.rawValue
            || residentIdNames.contains { name.contains($0) } || birthDateNames.contains { name.contains($0) }
    }

    /// A birth date is digits 7–14 of the resident ID number (GB 11643), exactly what the ID's mask hides; an age or
    /// birth year gives four of them (with the check digit, a handful of candidates for the rest).
    static func isBirthDate(_ c: DatasetColumn) -> Bool {
        birthDateNames.contains { c.itemName.contains($0) }
    }

    /// Items whose values are part of another item's value are never clearer than that item for the same reader:
    /// a birth date next to a resident ID masked as `440106********1016` gives back the eight hidden digits, and so
    /// it does when the two are read separately (pages come in key order and can be joined row by row) or one of
    /// them under another subscription. So unless the reader sees every resident-ID item of the dataset in clear,
    /// its birth-date items are hidden completely, whatever their own grade.
    public static func hidingDerivedItems(_ allowed: [String: MaskRule], in dataset: Dataset) -> [String: MaskRule] {
        let identifiers = dataset.columns.filter(isResidentId)
        guard !identifiers.isEmpty, identifiers.contains(where: { allowed[$0.itemCode] != .clear }) else { return allowed }
        var result = allowed
        for c in dataset.columns where isBirthDate(c) && result[c.itemCode] != nil {
            result[c.itemCode] = .full
        }
        return result
    }

    /// Works on Unicode scalars (each Chinese character and each digit is one), not grapheme clusters: masking runs
    /// on every returned cell, and identifiers, names and phone numbers carry no combining marks. It reads the UTF-8
    /// bytes in place and writes the result once (a 100-row page masks hundreds of cells per request).
    public func apply(_ value: String) -> String {
        switch self {
        case .clear: return value
        case .full: return "******"
        default: break
        }
        var value = value
        return value.withUTF8 { masked($0) }
    }

    private func masked(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        /// Where scalar `k` starts (`count` → the end).
        func offset(_ k: Int) -> Int {
            if k >= count { return bytes.count }
            if count == bytes.count { return k }
            var seen = 0
            for (i, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
                if seen == k { return i }
                seen += 1
            }
            return bytes.count
        }
        func text(first: Int, stars: Int, last: Int = 0) -> String {
            let head = offset(first), tail = offset(count - last)
            return String(unsafeUninitializedCapacity: head + stars + bytes.count - tail) { out in
                var n = 0
                for i in 0..<head { out[n] = bytes[i]; n += 1 }
                for _ in 0..<stars { out[n] = UInt8(ascii: "*"); n += 1 }
                for i in tail..<bytes.count { out[n] = bytes[i]; n += 1 }
                return n
            }
        }
        func keep(first: Int, last: Int) -> String {
            guard count > first + last else { return String(repeating: "*", count: count) }
            return text(first: first, stars: count - first - last, last: last)
        }
        switch self {
        case .residentId: return keep(first: 6, last: 4)
        case .personName:
            // Compound surnames (欧阳, 司马 …) keep two characters when the name is long enough to carry one.
            guard count > 1 else { return "*" }
            let surname = count >= 4 || Self.compoundSurnames.contains(text(first: 2, stars: 0, last: 0)) ? 2 : 1
            return text(first: surname, stars: count - surname)
        case .phone: return keep(first: 3, last: 4)
        case .lastFour: return keep(first: 0, last: 4)
        case .firstThird: return keep(first: count / 3, last: 0)
        case .clear, .full: return String(decoding: bytes, as: UTF8.self)
        }
    }

    public var description: LocalizedText {
        switch self {
        case .clear: LocalizedText(zh: "明文", en: "clear")
        case .residentId: LocalizedText(zh: "保留前6位和后4位", en: "first 6 and last 4 kept")
        case .personName: LocalizedText(zh: "仅保留姓氏", en: "surname kept")
        case .phone: LocalizedText(zh: "保留前3位和后4位", en: "first 3 and last 4 kept")
        case .lastFour: LocalizedText(zh: "仅保留后4位", en: "last 4 kept")
        case .firstThird: LocalizedText(zh: "保留前三分之一", en: "first third kept")
        case .full: LocalizedText(zh: "完全遮蔽", en: "fully hidden")
        }
    }

    public static let compoundSurnames: Set<String> = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "司徒", "夏侯"]
}

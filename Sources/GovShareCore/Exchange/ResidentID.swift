/// 公民身份号码, GB 11643-1999: 17 digits (6 division code, 8 birth date, 3 sequence) and a check character
/// computed with ISO 7064 MOD 11-2 (0-9 or X).
public enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks = Array("10X98765432")

    public static func checkCharacter(for prefix: String) -> Character? {
        let digits = prefix.compactMap(\.wholeNumberValue)
        guard prefix.count == 17, digits.count == 17, prefix.allSatisfy(\.isASCII) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checks[sum % 11]
    }

    public enum Problem: Equatable, Sendable { case length, character, birthDate, checkCharacter }

    /// `today` (YYYY-MM-DD), when given, refuses birth dates after it.
    public static func problem(in id: String, today: String? = nil) -> Problem? {
        let chars = Array(id)
        guard chars.count == 18 else { return .length }
        guard chars[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }), chars[17].isASCII,
            chars[17].isNumber || chars[17] == "X"
        else { return .character }
        let birth = String(chars[6..<14])
        let date = "\(birth.prefix(4))-\(birth.dropFirst(4).prefix(2))-\(birth.suffix(2))"
        guard CivilDate(date) != nil, birth >= "18900101", today.map({ date <= $0 }) ?? true else { return .birthDate }
        guard checkCharacter(for: String(chars[0..<17])) == chars[17] else { return .checkCharacter }
        return nil
    }
}

/// 行政区划代码, GB/T 2260: six digits, a province-level prefix that exists, and (for prefecture and county levels)
/// non-zero parts below it.
public enum DivisionCode {
    /// The 34 province-level prefixes of GB/T 2260.
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
        "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ]

    public static func isValid(_ code: String) -> Bool {
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        guard provinces.contains(String(code.prefix(2))) else { return false }
        // A county code under a prefecture of "00" does not exist.
        return !(code.dropFirst(2).prefix(2) == "00" && code.suffix(2) != "00")
    }
}

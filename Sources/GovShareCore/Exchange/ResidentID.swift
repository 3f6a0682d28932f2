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

    static let checkBytes = Array("10X98765432".utf8)

    /// `problem(in:)` on the UTF-8 of eighteen ASCII characters, seventeen digits then a digit or X: `.some(nil)` when
    /// valid, `.some(problem)` when not, nil (take the character path) for any other shape.
    static func problem(bytes b: UnsafeBufferPointer<UInt8>, today: String?) -> Problem?? {
        let zero = UInt8(ascii: "0")
        guard b.count == 18, b[17] == UInt8(ascii: "X") || (b[17] >= zero && b[17] <= zero + 9) else { return nil }
        var sum = 0
        for i in 0..<17 {
            guard b[i] >= zero, b[i] <= zero + 9 else { return nil }
            sum += Int(b[i] - zero) * weights[i]
        }
        func number(_ from: Int, _ count: Int) -> Int { (from..<from + count).reduce(0) { $0 * 10 + Int(b[$1] - zero) } }
        let (year, month, day) = (number(6, 4), number(10, 2), number(12, 2))
        guard year * 10_000 + month * 100 + day >= 1890_0101, CivilDate(year: year, month: month, day: day) != nil else {
            return .some(.birthDate)
        }
        if let today {
            // YYYY-MM-DD compared as text, as the character path does.
            let date: [UInt8] = [
                b[6], b[7], b[8], b[9], UInt8(ascii: "-"), b[10], b[11], UInt8(ascii: "-"), b[12], b[13],
            ]
            if today.utf8.lexicographicallyPrecedes(date) { return .some(.birthDate) }
        }
        return checkBytes[sum % 11] == b[17] ? .some(nil) : .some(.checkCharacter)
    }

    /// `today` (YYYY-MM-DD), when given, refuses birth dates after it.
    public static func problem(in id: String, today: String? = nil) -> Problem? {
        // An import checks every ID it reads: eighteen ASCII digits (the last perhaps X) are checked on their bytes;
        // anything else takes the character path below, which gives the same answers.
        var text = id
        if let fast = text.withUTF8({ problem(bytes: $0, today: today) }) { return fast }
        return characterProblem(in: id, today: today)
    }

    /// The check on characters, for every shape of input.
    static func characterProblem(in id: String, today: String?) -> Problem? {
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

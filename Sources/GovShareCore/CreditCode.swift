/// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-symbol alphabet
/// (digits and capitals without I, O, S, V, Z); the last is a check character over the first 17.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character for a 17-character prefix, or nil when the prefix has a character outside the alphabet.
    public static func checkCharacter(for prefix: String) -> Character? {
        let chars = Array(prefix)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (i, c) in chars.enumerated() {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            sum += value * weights[i]
        }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    public enum Problem: Equatable, Sendable { case length, character, checkCharacter }

    public static func problem(in code: String) -> Problem? {
        let chars = Array(code)
        guard chars.count == 18 else { return .length }
        guard chars.allSatisfy({ alphabet.contains($0) }) else { return .character }
        guard let expected = checkCharacter(for: String(chars[0..<17])), expected == chars[17] else {
            return .checkCharacter
        }
        return nil
    }

    public static func isValid(_ code: String) -> Bool { problem(in: code) == nil }

    /// Adds the problem, if any, to a validator in the words a department's data staff would recognise.
    public static func validate(_ code: String, field: String, into validator: inout Validator) {
        switch problem(in: code) {
        case .none: break
        case .length?:
            validator.fail(field, "credit_code_length", zh: "统一社会信用代码应为 18 位", en: "A unified social credit code has 18 characters")
        case .character?:
            validator.fail(
                field, "credit_code_charset", zh: "统一社会信用代码含有不允许的字符（只能是数字和除 I、O、S、V、Z 外的大写字母）",
                en: "A unified social credit code uses digits and capitals other than I, O, S, V, Z")
        case .checkCharacter?:
            validator.fail(
                field, "credit_code_check", zh: "统一社会信用代码校验位不正确（GB 32100）",
                en: "The check character of the unified social credit code is wrong (GB 32100)")
        }
    }
}

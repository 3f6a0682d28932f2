import Foundation

/// Checks reported values against the dataset's data items: type, length, required, and the declared identifier rule.
public struct RowValidator: Sendable {
    public let dataset: Dataset
    /// YYYY-MM-DD: no birth date in an identifier may be after it.
    public let today: String?
    private let index: [String: Int]

    public init(dataset: Dataset, today: String? = nil) {
        self.dataset = dataset
        self.today = today
        var index: [String: Int] = [:]
        for (i, c) in dataset.columns.enumerated() {
            index[c.itemName] = i
            index[c.itemCode] = i
        }
        self.index = index
    }

    /// The column a header or JSON key names (item code or item name), if any.
    public func columnIndex(for key: String) -> Int? {
        index[key.trimmingCharacters(in: .whitespaces)]
    }

    /// Problems with a header row: unknown names, duplicates, and a missing primary key.
    public func checkHeader(_ header: [String]) -> [RowProblem] {
        var problems: [RowProblem] = []
        var seen = Set<Int>()
        for name in header {
            guard let i = columnIndex(for: name) else {
                problems.append(
                    RowProblem(
                        row: 1, item: name, rule: "unknown_item",
                        message: LocalizedText(zh: "列「\(name)」不是该资源的信息项", en: "Column '\(name)' is not a data item of this resource")))
                continue
            }
            if !seen.insert(i).inserted {
                problems.append(
                    RowProblem(
                        row: 1, item: name, rule: "duplicate_column",
                        message: LocalizedText(zh: "信息项「\(name)」出现了两次", en: "Item '\(name)' appears twice")))
            }
        }
        let key = dataset.keyColumn
        if !header.contains(where: { columnIndex(for: $0) == dataset.columns.firstIndex(of: key) }) {
            problems.append(
                RowProblem(
                    row: 1, item: key.itemCode, rule: "primary_key_required",
                    message: LocalizedText(zh: "缺少主键信息项「\(key.itemName)」", en: "The primary key item '\(key.itemName)' is missing")))
        }
        return problems
    }

    /// Validates one row given as item → raw text (nil or empty = no value). `row` is its position for messages.
    public func validate(_ raw: [String: String?], row: Int) -> RowCheck {
        validate(cells: raw.map { (columnIndex(for: $0.key), $0.key, $0.value) }, row: row)
    }

    /// Validates one row given as (column index from `columnIndex(for:)`, name as sent, raw text) triples: the
    /// streamed import maps its header once instead of building a dictionary per row.
    public func validate(cells: [(index: Int?, name: String, value: String?)], row: Int) -> RowCheck {
        var values = [CellValue](repeating: .null, count: dataset.columns.count)
        var problems: [RowProblem] = []
        for (index, key, value) in cells {
            guard let i = index else {
                problems.append(
                    RowProblem(
                        row: row, item: key, rule: "unknown_item",
                        message: LocalizedText(zh: "「\(key)」不是该资源的信息项", en: "'\(key)' is not a data item of this resource")))
                continue
            }
            let text = value?.trimmedSpaces ?? ""
            if text.isEmpty { continue }
            switch Self.convert(text, for: dataset.columns[i], today: today) {
            case .success(let cell): values[i] = cell
            case .failure(let problem):
                problems.append(RowProblem(row: row, item: dataset.columns[i].itemCode, rule: problem.rule, message: problem.message))
            }
        }
        for (i, column) in dataset.columns.enumerated()
        where values[i] == .null && (column.required || column.itemCode == dataset.primaryKey) {
            if problems.contains(where: { $0.item == column.itemCode }) { continue }
            problems.append(
                RowProblem(
                    row: row, item: column.itemCode, rule: "required",
                    message: LocalizedText(zh: "信息项「\(column.itemName)」为必填", en: "Item '\(column.itemName)' is required")))
        }
        guard problems.isEmpty, let keyIndex = dataset.columns.firstIndex(where: { $0.itemCode == dataset.primaryKey }),
            let key = values[keyIndex].text
        else { return .invalid(problems) }
        return .valid(ValidRow(key: key, values: values))
    }

    public enum RowCheck: Sendable { case valid(ValidRow), invalid([RowProblem]) }

    struct Problem: Error { let rule: String; let message: LocalizedText }

    /// Converts text to the item's type, or names the rule it breaks. The identifier rule is checked on the text as
    /// reported, whatever the item's type.
    static func convert(_ text: String, for c: DatasetColumn, today: String? = nil) -> Result<CellValue, Problem> {
        let name = c.itemName
        func fail(_ rule: String, _ zh: String, _ en: String) -> Result<CellValue, Problem> {
            .failure(Problem(rule: rule, message: LocalizedText(zh: "信息项「\(name)」\(zh)", en: "Item '\(name)' \(en)")))
        }
        switch c.rule {
        case .residentId?:
            if let problem = ResidentID.problem(in: text, today: today) {
                let why: (String, String) =
                    switch problem {
                    case .length: ("应为 18 位", "must have 18 characters")
                    case .character: ("含有非法字符", "has an invalid character")
                    case .birthDate: ("出生日期无效", "has an invalid birth date")
                    case .checkCharacter: ("校验码错误（GB 11643）", "has a wrong check character (GB 11643)")
                    }
                return fail("resident_id", why.0, why.1)
            }
        case .creditCode?:
            if CreditCode.problem(in: text) != nil {
                return fail("credit_code", "不是有效的统一社会信用代码（GB 32100）", "is not a valid unified social credit code (GB 32100)")
            }
        case .divisionCode?:
            if !DivisionCode.isValid(text) {
                return fail("division_code", "不是有效的行政区划代码（GB/T 2260）", "is not a valid division code (GB/T 2260)")
            }
        case nil: break
        }
        switch c.dataType {
        case .C, .M, .G:
            let limit = c.dataType == .C ? (c.length ?? 4000) : 65_535
            // No more bytes than the limit means no more characters (the common case, counted without Unicode work).
            if text.utf8.count > limit, text.count > limit { return fail("max_length", "超过长度 \(limit)", "is longer than \(limit)") }
        case .N, .Y, .B, .F, .I:
            guard let number = Double(text), number.isFinite else { return fail("type", "应为数值", "must be a number") }
            if c.dataType == .I, number.rounded() != number { return fail("type", "应为整数", "must be an integer") }
            // A double holds 15 significant digits exactly; more would be stored rounded (and two keys could collide).
            let significand = text.prefix { $0 != "e" && $0 != "E" }
            let whole = significand.prefix { $0 != "." }, fraction = significand.drop { $0 != "." }.dropFirst()
            let digits = (whole.filter(\.isNumber) + String(fraction.filter(\.isNumber).reversed().drop(while: { $0 == "0" }))).drop(
                while: { $0 == "0" })
            if digits.count > 15 {
                return fail(
                    "precision", "超过 15 位有效数字，无法按数值精确保存", "has more than 15 significant digits and cannot be stored exactly as a number")
            }
            if c.dataType == .N, let length = c.length, text.filter(\.isNumber).count > length {
                return fail("max_length", "超过 \(length) 位数字", "has more than \(length) digits")
            }
            return .success(.number(number))
        case .D:
            if CivilDate(text) == nil { return fail("date", "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD") }
        case .T:
            let normalized = text.replacingOccurrences(of: "T", with: " ")
            let parts = normalized.split(separator: " ")
            guard parts.count == 2, CivilDate(String(parts[0])) != nil,
                parts[1].range(of: #"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"#, options: .regularExpression) != nil
            else {
                return fail("datetime", "应为日期时间 YYYY-MM-DD HH:MM:SS", "must be a date and time YYYY-MM-DD HH:MM:SS")
            }
            return .success(.text(normalized))
        case .L:
            switch text.lowercased() {
            case "true", "1", "是", "y", "yes": return .success(.text("true"))
            case "false", "0", "否", "n", "no": return .success(.text("false"))
            default: return fail("boolean", "应为是/否（true/false）", "must be true or false")
            }
        }
        return .success(.text(text))
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)` without Foundation's bridging in the usual case, a value with nothing to
    /// trim (an import checks every cell of every row).
    public var trimmedSpaces: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !CharacterSet.whitespaces.contains(first), !CharacterSet.whitespaces.contains(last) { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}

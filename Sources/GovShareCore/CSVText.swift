import Foundation

/// RFC 4180 CSV as Chinese offices exchange it: UTF-8 (with or without BOM) or GB18030 (what Excel in China saves).
public enum CSVText {
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public enum Encoding: String, Sendable, CaseIterable { case utf8 = "utf-8", gb18030 = "gb18030" }

    /// Decodes bytes: UTF-8 when they are valid UTF-8, otherwise GB18030; nil when neither fits.
    public static func decode(_ data: Data, as encoding: Encoding? = nil) -> String? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        switch encoding {
        case .utf8?: return String(data: bytes, encoding: .utf8)
        case .gb18030?: return String(data: bytes, encoding: gb18030)
        case nil: return String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: gb18030)
        }
    }

    public static func encode(_ text: String, as encoding: Encoding) -> Data {
        switch encoding {
        case .utf8: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)  // the BOM makes Excel read UTF-8
        case .gb18030: text.data(using: gb18030) ?? Data(text.utf8)
        }
    }

    /// Parses records; quoted fields may hold commas, quotes ("") and line breaks. Blank lines are dropped unless
    /// `keepingBlankRecords`, which keeps records numbered as the file's lines are (for row numbers in reports).
    /// Reading stops at the field limits (see `scan`); uploads go through `scan`, which reports where.
    public static func parse(_ text: String, keepingBlankRecords: Bool = false) -> [[String]] {
        scan(text, keepingBlankRecords: keepingBlankRecords).records
    }

    /// The records; the record (0-based) where a quoted field opened that never closed, if any (the rest of the file
    /// went into that one field); and the record where reading stopped because the file passed `maxFields` fields in
    /// all or `maxFieldsPerRecord` in one record (ParserLimits), if it did: nothing past that record is returned.
    static func scan(
        _ text: String, keepingBlankRecords: Bool, maxFields: Int = ParserLimits.csvFields,
        maxFieldsPerRecord: Int = ParserLimits.csvFieldsPerRecord
    )
        -> (records: [[String]], unclosedQuoteAt: Int?, overLimitAt: Int?)
    {
        var records: [[String]] = []
        var quoteOpenedAt: Int?
        var record: [String] = []
        var field = ""
        var quoted = false
        var fields = 0
        var overLimitAt: Int?
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        /// Ends the current field; false once a limit is passed.
        func endField() -> Bool {
            record.append(field)
            field = ""
            fields += 1
            if fields > maxFields || record.count > maxFieldsPerRecord { overLimitAt = records.count; return false }
            return true
        }
        scanning: while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; quoteOpenedAt = records.count
            case ",": if !endField() { break scanning }
            case "\r": break
            case "\n":
                if !endField() { break scanning }
                records.append(record); record = []
            default: field.unicodeScalars.append(c)
            }
        }
        if overLimitAt == nil, !field.isEmpty || !record.isEmpty, endField() { records.append(record) }
        let unclosed = quoted && overLimitAt == nil ? quoteOpenedAt : nil
        if keepingBlankRecords { return (records, unclosed, overLimitAt) }
        return (records.filter { !($0.count == 1 && $0[0].trimmingCharacters(in: .whitespaces).isEmpty) }, unclosed, overLimitAt)
    }

    /// The refusal of a file that passed a field limit, naming the record where reading stopped (1-based).
    public static func overLimit(record: Int) -> LocalizedText {
        LocalizedText(
            zh: "文件超出限制（每条记录最多 \(ParserLimits.csvFieldsPerRecord) 个字段，全文件最多 \(ParserLimits.csvFields) 个），读到第 \(record) 条记录时停止",
            en:
                "The file is over a limit (at most \(ParserLimits.csvFieldsPerRecord) fields a record and \(ParserLimits.csvFields) in all); reading stopped at record \(record)"
        )
    }

    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }

    // MARK: Exported cells

    /// A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which
    /// it skips first) as a formula, so a value written by one caller could run in another's Excel (CSV injection).
    /// Exports prefix such a cell with `'` (OWASP's advice), which makes it text. A plain number (`-12.5`) is left
    /// as it is: it cannot be a formula, and readers need it as a number. Stored data and the JSON API are unchanged.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPlainNumber(field) else { return field }
        return "'" + field
    }

    /// A record for an export file: every field neutralised, then quoted as `line` does.
    public static func exportLine(_ fields: [String]) -> String { line(fields.map(neutralised)) }

    /// The reverse for a file the platform exported and a person imports again: `'=…` reads back as `=…`.
    public static func restored(_ field: String) -> String {
        let scalars = field.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(second) else { return field }
        return String(field.unicodeScalars.dropFirst())
    }

    /// `[+-]digits[.digits][e[+-]digits]`, nothing else.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { (48...57).contains($0) }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); guard digits() > 0 else { return false } }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}

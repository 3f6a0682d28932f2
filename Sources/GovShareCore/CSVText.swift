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
        case .utf8: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)   // the BOM makes Excel read UTF-8
        case .gb18030: text.data(using: gb18030) ?? Data(text.utf8)
        }
    }

    /// Parses records; quoted fields may hold commas, quotes ("") and line breaks. Blank lines are dropped unless
    /// `keepingBlankRecords`, which keeps records numbered as the file's lines are (for row numbers in reports).
    public static func parse(_ text: String, keepingBlankRecords: Bool = false) -> [[String]] {
        scan(text, keepingBlankRecords: keepingBlankRecords).records
    }

    /// The records, and the record (0-based) where a quoted field opened that never closed, if any: the rest of the
    /// file went into that one field.
    static func scan(_ text: String, keepingBlankRecords: Bool) -> (records: [[String]], unclosedQuoteAt: Int?) {
        var records: [[String]] = []
        var quoteOpenedAt: Int?
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; quoteOpenedAt = records.count
            case ",": record.append(field); field = ""
            case "\r": break
            case "\n": record.append(field); records.append(record); record = []; field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        let unclosed = quoted ? quoteOpenedAt : nil
        if keepingBlankRecords { return (records, unclosed) }
        return (records.filter { !($0.count == 1 && $0[0].trimmingCharacters(in: .whitespaces).isEmpty) }, unclosed)
    }

    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
}

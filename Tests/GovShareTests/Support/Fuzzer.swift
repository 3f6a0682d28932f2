import Foundation

/// A seeded generator of hostile inputs (SplitMix64, so a seed gives the same inputs everywhere): tokens that sit on
/// parsers' edges (Int bounds, Excel's bounds, NaN, NUL, quotes), random text and bytes, and mutations of valid inputs.
struct Fuzzer: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }
    mutating func double() -> Double { Double(bitPattern: next()) }
    mutating func list<T>(_ count: ClosedRange<Int>, _ make: (inout Fuzzer) -> T) -> [T] { (0..<int(count)).map { _ in make(&self) } }
    mutating func bytes(_ count: ClosedRange<Int>) -> [UInt8] { (0..<int(count)).map { _ in UInt8(truncatingIfNeeded: next()) } }

    static let edges = [
        "", "0", "1", "-1", "-0", "+1", "16384", "16385", "1048576", "1048577", "2958465", "2958466", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999", "1e308", "1e309", "-1e308", "nan", "inf", "-inf",
        "0x10", "1.5", "A1", "XFD1", "XFE1", "ZZZZZZZZZZZZZZZZZZZZ1", "AAAA1", "a1", "1A", "ZZZ1048576", "9999-12-31", "2024-02-30",
        "0000-01-01", "\u{0}", "\"", "\"\"", ",", "\r\n", "\n", "\t", "=1+2", "@x", "'=x", "中文", "\u{301}\u{301}\u{301}", "&amp;", "<",
        "%00", "%FF", "\\u0000", "\\", "--", "[[[[", "{{{{", "]]]", "null", "true",
    ]

    /// An edge value, or a short random run of letters and digits.
    mutating func token() -> String {
        if chance(0.7) { return pick(Self.edges) }
        let alphabet = Array("AZaz09-+.e,\"\n中")
        return String((0..<int(1...24)).map { _ in pick(alphabet) })
    }

    /// Text made of CSV's special characters, edge values and ordinary cells.
    mutating func csv() -> String {
        let parts = [",", "\"", "\n", "\r\n", "\r", " ", "a", "陈伟", "#", "date,kind,name_zh", "2024-01-01,holiday,元旦", "_delete", "1"]
        return (0..<int(0...80)).map { _ in chance(0.7) ? pick(parts) : token() }.joined()
    }

    /// A worksheet with random row numbers, references, types, styles and values.
    mutating func sheetXML() -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>"#
        var row = 0
        for _ in 0..<int(0...6) {
            row += int(1...3)
            let r = chance(0.7) ? String(row) : token()
            xml += chance(0.1) ? "<row>" : #"<row r="\#(escape(r))">"#
            for column in 0..<int(0...5) {
                let reference = chance(0.7) ? String(UnicodeScalar(65 + column)!) + String(row) : token()
                let type = pick(["s", "n", "b", "str", "inlineStr", "e", token()])
                let style = pick(["0", "1", "99", token()])
                let value = chance(0.5) ? String(int(-3...5)) : token()
                xml += chance(0.1) ? "<c>" : #"<c r="\#(escape(reference))" t="\#(escape(type))" s="\#(escape(style))">"#
                xml += type == "inlineStr" ? "<is><t>\(escape(value))</t></is></c>" : "<v>\(escape(value))</v></c>"
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: "\"", with: "&quot;"
        )
        .replacingOccurrences(of: "\u{0}", with: "")
    }

    /// A few random edits: bytes flipped, inserted or removed, a slice repeated, an edge value spliced in, or a cut.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<int(1...4) {
            let at = bytes.isEmpty ? 0 : int(0...bytes.count - 1)
            switch int(0...5) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << int(0...7))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + int(1...16)))
            case 3 where !bytes.isEmpty:
                let slice = bytes[at..<min(bytes.count, at + int(1...64))]
                bytes.insert(contentsOf: Array(slice) + Array(slice), at: at)
            case 4: bytes.insert(contentsOf: Array(token().utf8), at: at)
            default: bytes = Array(bytes.prefix(at))
            }
        }
        return bytes
    }

    mutating func mutate(_ text: String) -> String { String(decoding: mutate(Array(text.utf8)), as: UTF8.self) }
}

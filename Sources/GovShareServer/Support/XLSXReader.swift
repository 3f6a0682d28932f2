import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GovShareCore
import ZIPFoundation

/// Reads the first worksheet of an Office Open XML workbook (.xlsx, what Excel and WPS save) as rows of cell text, so
/// spreadsheets go through the same import rules and row-by-row report as CSV. Shared and inline strings, numbers,
/// booleans and dates (cells whose number format is a date, as Excel serial days) are read; formulas give their cached
/// value. Row numbers are kept: a blank row stays a blank line.
enum XLSXReader {
    /// Decompressed parts larger than this are refused (a zip bomb would otherwise fill memory).
    static let maxPartBytes = 512 << 20

    static func isXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    static func rows(_ data: Data) throws -> [[String]] {
        guard let archive = try? Archive(data: data, accessMode: .read) else { throw unreadable("not a ZIP archive") }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    out.append(chunk)
                    if out.count > maxPartBytes { throw DomainError.invalid(field: "body", rule: "max_size", zh: "表格解压后过大", en: "The workbook is too large once decompressed") }
                }
            } catch let error as DomainError { throw error } catch { throw unreadable("\(path) is damaged") }
            return out
        }
        guard let workbook = try part("xl/workbook.xml") else { throw unreadable("xl/workbook.xml is missing") }
        let sheetPath = try firstSheetPath(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels"))
        let shared = try part("xl/sharedStrings.xml").map { try SharedStringsParser.parse($0) } ?? []
        let dateStyles = try part("xl/styles.xml").map { try StylesParser.dateStyles($0) } ?? []
        guard let sheet = try part(sheetPath) else { throw unreadable("\(sheetPath) is missing") }
        return try SheetParser.parse(sheet, shared: shared, dateStyles: dateStyles)
    }

    /// The first `<sheet>` of the workbook, through its relationship; `xl/worksheets/sheet1.xml` when there is none.
    static func firstSheetPath(workbook: Data, relations: Data?) throws -> String {
        let sheets = try ElementCollector.collect(workbook, names: ["sheet"])
        guard let id = sheets.first?["r:id"] ?? sheets.first?["id"], let relations else { return "xl/worksheets/sheet1.xml" }
        let targets = try ElementCollector.collect(relations, names: ["Relationship"])
        guard let target = targets.first(where: { $0["Id"] == id })?["Target"] else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    static func unreadable(_ detail: String) -> DomainError {
        DomainError.invalid(field: "body", rule: "xlsx", zh: "无法读取 XLSX 文件（\(detail)）", en: "The XLSX file cannot be read (\(detail))")
    }

    /// "A1" → 0, "AB12" → 27.
    static func columnIndex(of reference: String) -> Int? {
        var index = 0, seen = false
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
            seen = true
        }
        return seen ? index - 1 : nil
    }

    /// Excel serial days (1900 system, epoch 1899-12-30) → "YYYY-MM-DD", with the time when there is one.
    static func date(fromSerial value: Double) -> String {
        let seconds = ((value - 25_569) * 86_400).rounded()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withFullDate]
        let date = Date(timeIntervalSince1970: seconds)
        if value.truncatingRemainder(dividingBy: 1) == 0 { return formatter.string(from: date) }
        formatter.formatOptions = [.withFullDate, .withSpaceBetweenDateAndTime, .withTime, .withColonSeparatorInTime]
        return formatter.string(from: date)
    }
}

/// Attributes of every element with one of the given names.
final class ElementCollector: NSObject, XMLParserDelegate {
    let names: Set<String>
    var found: [[String: String]] = []
    init(names: Set<String>) { self.names = names }

    static func collect(_ data: Data, names: Set<String>) throws -> [[String: String]] {
        let collector = ElementCollector(names: names)
        try XMLRun.parse(data, delegate: collector)
        return collector.found
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        if names.contains(name) { found.append(attributes) }
    }
}

enum XMLRun {
    static func parse(_ data: Data, delegate: any XMLParserDelegate) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else { throw XLSXReader.unreadable(parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML") }
    }
}

/// `<si>` items: the text of their `<t>` elements, phonetic runs (`<rPh>`) left out.
final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = "", inText = false, inPhonetic = false

    static func parse(_ data: Data) throws -> [String] {
        let p = SharedStringsParser()
        try XMLRun.parse(data, delegate: p)
        return p.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
}

/// Which cell styles (`cellXfs` indexes) show numbers as dates.
final class StylesParser: NSObject, XMLParserDelegate {
    /// Built-in date and time formats, including the Chinese-locale ones (27–36, 50–58).
    static let builtinDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
    private var customDates: Set<Int> = []
    private var inCellXfs = false
    var dateStyles: Set<Int> = []
    private var index = 0

    static func dateStyles(_ data: Data) throws -> Set<Int> {
        let p = StylesParser()
        try XMLRun.parse(data, delegate: p)
        return p.dateStyles
    }

    static func isDateFormat(_ code: String) -> Bool {
        // Quoted text and [colour]/[locale] sections are not format letters.
        let bare = code.replacingOccurrences(of: "\"[^\"]*\"|\\[[^\\]]*\\]", with: "", options: .regularExpression).lowercased()
        return bare.contains("y") || bare.contains("d") || bare.contains("h") || bare.contains("m") && bare.contains("s")
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"], Self.isDateFormat(code) {
                customDates.insert(id)
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
            if Self.builtinDates.contains(id) || customDates.contains(id) { dateStyles.insert(index) }
            index += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "cellXfs" { inCellXfs = false }
    }
}

/// `<row>`/`<c>` cells into rows of text at their row and column positions.
final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    let dateStyles: Set<Int>
    var rows: [[String]] = []
    private var row: [String] = [], rowNumber = 0
    private var cellType = "", cellStyle = 0, cellColumn = 0, value = "", inValue = false
    private var failure: DomainError?

    init(shared: [String], dateStyles: Set<Int>) { self.shared = shared; self.dateStyles = dateStyles }

    static func parse(_ data: Data, shared: [String], dateStyles: Set<Int>) throws -> [[String]] {
        let p = SheetParser(shared: shared, dateStyles: dateStyles)
        try XMLRun.parse(data, delegate: p)
        if let failure = p.failure { throw failure }
        return p.rows
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "row":
            let number = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            // Rows left out of the file are blank rows: keep the numbering.
            while rows.count < number - 1 { rows.append([]) }
            rowNumber = number
            row = []
        case "c":
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex(of:)) ?? row.count
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            guard cellColumn < 16_384 else { return }
            while row.count < cellColumn { row.append("") }
            row.append(text())
        // A row of empty (formatted) cells is a blank row.
        case "row": rows.append(row.allSatisfy(\.isEmpty) ? [] : row)
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }

    private func text() -> String {
        switch cellType {
        case "s":
            guard let i = Int(value), shared.indices.contains(i) else {
                failure = XLSXReader.unreadable("row \(rowNumber): shared string \(value) is missing")
                return ""
            }
            return shared[i]
        case "b": return value == "1" ? "true" : "false"
        case "n" where dateStyles.contains(cellStyle) && !value.isEmpty:
            return Double(value).map(XLSXReader.date(fromSerial:)) ?? value
        default: return value
        }
    }
}

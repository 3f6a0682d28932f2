import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GovShareCore

// The XML readers behind XLSXReader: one SAX delegate per part of the workbook.

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

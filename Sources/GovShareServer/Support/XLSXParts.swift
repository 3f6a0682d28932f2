import Foundation
import GovShareCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

// The XML readers behind XLSXReader: one SAX delegate per part of the workbook. Each stops the parse at the first
// limit it passes (ParserLimits) and reports it as the failure, instead of growing without bound.

/// A delegate that can stop the parse with a failure of its own.
class LimitedDelegate: NSObject, XMLParserDelegate {
    var failure: DomainError?

    func fail(_ parser: XMLParser, _ error: DomainError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    // Declared here so the subclasses' overrides are what XMLParser calls: a protocol's witnesses are fixed where the
    // conformance is declared, and without these they would be the protocol's empty defaults.
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {}
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
}

/// Attributes of every element with one of the given names (at most `ParserLimits.xlsxIndexElements`).
final class ElementCollector: LimitedDelegate {
    let names: Set<String>
    var found: [[String: String]] = []
    init(names: Set<String>) { self.names = names }

    static func collect(_ data: Data, names: Set<String>) throws -> [[String: String]] {
        let collector = ElementCollector(names: names)
        try XMLRun.parse(data, delegate: collector)
        return collector.found
    }

    override func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        guard names.contains(name) else { return }
        guard found.count < ParserLimits.xlsxIndexElements else {
            return fail(parser, XLSXReader.limit(zh: "工作簿索引元素过多", en: "too many sheets or relationships"))
        }
        found.append(attributes)
    }
}

enum XMLRun {
    static func parse(_ data: Data, delegate: LimitedDelegate) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let failure = delegate.failure { throw failure }
        guard ok else { throw XLSXReader.unreadable(parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML") }
    }
}

/// `<si>` items: the text of their `<t>` elements, phonetic runs (`<rPh>`) left out.
final class SharedStringsParser: LimitedDelegate {
    var strings: [String] = []
    private var current = "", inText = false, inPhonetic = false
    private var bytes = 0

    static func parse(_ data: Data) throws -> [String] {
        let p = SharedStringsParser()
        try XMLRun.parse(data, delegate: p)
        return p.strings
    }

    override func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si":
            guard strings.count < ParserLimits.xlsxSharedStrings else {
                return fail(
                    parser,
                    XLSXReader.limit(
                        zh: "共享字符串超过 \(ParserLimits.xlsxSharedStrings) 个",
                        en: "more than \(ParserLimits.xlsxSharedStrings) shared strings"))
            }
            strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inText else { return }
        bytes += string.utf8.count
        guard bytes <= ParserLimits.xlsxSharedStringBytes else {
            return fail(parser, XLSXReader.limit(zh: "共享字符串总长度过大", en: "the shared strings are too long together"))
        }
        current += string
    }
}

/// Which cell styles (`cellXfs` indexes) show numbers as dates.
final class StylesParser: LimitedDelegate {
    /// Built-in date and time formats, including the Chinese-locale ones (27–36, 50–58).
    static let builtinDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
    private var customDates: Set<Int> = []
    private var inCellXfs = false
    var dateStyles: Set<Int> = []
    private var index = 0, formats = 0

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

    override func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        switch name {
        case "numFmt":
            formats += 1
            guard formats <= ParserLimits.xlsxStyles else { return fail(parser, Self.tooMany) }
            // A format code is a few dozen characters; a longer one is not looked at (it would only feed the regex).
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"], code.utf8.count <= 1_024,
                Self.isDateFormat(code)
            {
                customDates.insert(id)
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            guard index < ParserLimits.xlsxStyles else { return fail(parser, Self.tooMany) }
            let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
            if Self.builtinDates.contains(id) || customDates.contains(id) { dateStyles.insert(index) }
            index += 1
        default: break
        }
    }

    static var tooMany: DomainError {
        XLSXReader.limit(zh: "单元格样式超过 \(ParserLimits.xlsxStyles) 个", en: "more than \(ParserLimits.xlsxStyles) cell styles")
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "cellXfs" { inCellXfs = false }
    }
}

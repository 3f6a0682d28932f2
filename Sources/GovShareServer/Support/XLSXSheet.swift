import Foundation
import GovShareCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `<row>`/`<c>` cells into rows of text at their row and column positions. Positions come from the file, so they are
/// checked before anything is allocated for them: rows 1…1,048,576 in increasing order, columns A…XFD left to right,
/// at most `ParserLimits.xlsxCells` cells once the blanks before each value are filled in, and at most
/// `ParserLimits.xlsxTextBytes` of cell text.
final class SheetParser: LimitedDelegate {
    let shared: [String]
    let dateStyles: Set<Int>
    let maxCells: Int, maxTextBytes: Int
    var rows: [[String]] = []
    private var row: [String] = [], rowNumber = 0, cells = 0, textBytes = 0
    private var cellType = "", cellStyle = 0, cellColumn = 0, value = "", inValue = false

    init(shared: [String], dateStyles: Set<Int>, maxCells: Int, maxTextBytes: Int) {
        self.shared = shared; self.dateStyles = dateStyles; self.maxCells = maxCells; self.maxTextBytes = maxTextBytes
    }

    static func parse(
        _ data: Data, shared: [String], dateStyles: Set<Int>, maxCells: Int = ParserLimits.xlsxCells,
        maxTextBytes: Int = ParserLimits.xlsxTextBytes
    ) throws -> [[String]] {
        let p = SheetParser(shared: shared, dateStyles: dateStyles, maxCells: maxCells, maxTextBytes: maxTextBytes)
        try XMLRun.parse(data, delegate: p)
        return p.rows
    }

    override func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        switch name {
        case "row":
            let number: Int
            if let text = attributes["r"] {
                guard let n = Int(text), (1...ParserLimits.xlsxRows).contains(n) else {
                    return fail(
                        parser,
                        XLSXReader.limit(
                            zh: "行号 \(text.prefix(20)) 不在 1–\(ParserLimits.xlsxRows) 之间",
                            en: "row number \(text.prefix(20)) is not in 1...\(ParserLimits.xlsxRows)"))
                }
                number = n
            } else {
                number = rowNumber + 1
                guard number <= ParserLimits.xlsxRows else {
                    return fail(
                        parser, XLSXReader.limit(zh: "超过 \(ParserLimits.xlsxRows) 行", en: "more than \(ParserLimits.xlsxRows) rows"))
                }
            }
            guard number > rowNumber else { return fail(parser, XLSXReader.unreadable("row \(number) comes after row \(rowNumber)")) }
            // Rows left out of the file are blank rows: keep the numbering.
            while rows.count < number - 1 { rows.append([]) }
            rowNumber = number
            row = []
        case "c":
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            if let reference = attributes["r"] {
                guard let column = XLSXReader.columnIndex(of: reference) else {
                    return fail(
                        parser,
                        XLSXReader.limit(
                            zh: "单元格 \(reference.prefix(20)) 不在 A–XFD 列之内",
                            en: "cell \(reference.prefix(20)) is not in columns A...XFD"))
                }
                cellColumn = column
            } else {
                cellColumn = row.count
            }
            guard cellColumn < ParserLimits.xlsxColumns else {
                return fail(
                    parser, XLSXReader.limit(zh: "超过 \(ParserLimits.xlsxColumns) 列", en: "more than \(ParserLimits.xlsxColumns) columns"))
            }
            guard cellColumn >= row.count else {
                return fail(parser, XLSXReader.unreadable("row \(rowNumber): cells out of order"))
            }
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            // The blanks left of this cell are cells too: count them before making them.
            cells += cellColumn - row.count + 1
            guard cells <= maxCells else {
                return fail(parser, XLSXReader.limit(zh: "超过 \(maxCells) 个单元格", en: "more than \(maxCells) cells"))
            }
            let text = text(parser)
            // A shared string is stored once but written out for every cell that refers to it.
            textBytes += text.utf8.count
            guard textBytes <= maxTextBytes else {
                return fail(
                    parser,
                    XLSXReader.limit(
                        zh: "单元格文本总长度超过 \(maxTextBytes >> 20) MiB",
                        en: "the cells' text is more than \(maxTextBytes >> 20) MiB together"))
            }
            while row.count < cellColumn { row.append("") }
            row.append(text)
        // A row of empty (formatted) cells is a blank row.
        case "row": rows.append(row.allSatisfy(\.isEmpty) ? [] : row)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }

    private func text(_ parser: XMLParser) -> String {
        switch cellType {
        case "s":
            guard let i = Int(value), shared.indices.contains(i) else {
                fail(parser, XLSXReader.unreadable("row \(rowNumber): shared string \(value.prefix(20)) is missing"))
                return ""
            }
            return shared[i]
        case "b": return value == "1" ? "true" : "false"
        case "n" where dateStyles.contains(cellStyle) && !value.isEmpty:
            return Double(value).flatMap(XLSXReader.date(fromSerial:)) ?? value
        default: return value
        }
    }
}

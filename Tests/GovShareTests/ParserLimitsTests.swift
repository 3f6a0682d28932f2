import Foundation
import HummingbirdTesting
import NIOCore
import Testing

@testable import GovShareCore
@testable import GovShareServer

/// Every parser stops at an explicit limit with a DomainError (issue 11, item 2): the inputs here trapped or allocated
/// without bound before, and would have ended the server.
@Suite("Parser limits")
struct ParserLimitsTests {
    static func sheet(_ rows: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>"# + rows + "</sheetData></worksheet>"
    }

    static func rule(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let error as DomainError { return error.problems.first?.rule ?? error.code } catch {
            return "\(error)"
        }
    }

    @Test func cellReferencesArePlacedUpToXFDAndRefusedPastIt() throws {
        #expect(XLSXReader.columnIndex(of: "A1") == 0)
        #expect(XLSXReader.columnIndex(of: "AB12") == 27)
        #expect(XLSXReader.columnIndex(of: "XFD1") == 16_383)
        #expect(XLSXReader.columnIndex(of: "XFE1") == nil)
        // The attack of the issue: 26^20 overflows Int, which trapped and ended the process.
        #expect(XLSXReader.columnIndex(of: "ZZZZZZZZZZZZZZZZZZZZ1") == nil)
        for reference in ["ZZZZZZZZZZZZZZZZZZZZ1", "XFE1", "AAAA1", "1A"] {
            let data = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="1"><c r="\#(reference)"><v>1</v></c></row>"#))
            #expect(Self.rule { try SpreadsheetText.decode(data, encoding: nil) } == "xlsx_limit", "\(reference)")
        }
        let last = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="1"><c r="B1"><v>x</v></c><c r="XFD1"><v>y</v></c></row>"#))
        let rows = try XLSXReader.rows(last)
        #expect(rows.count == 1 && rows[0].count == 16_384 && rows[0][1] == "x" && rows[0][16_383] == "y")
    }

    @Test func rowNumbersAreCheckedBeforeBlankRowsAreMade() throws {
        for r in ["99999999999999999999", "9223372036854775807", "1048577", "0", "-5", "x"] {
            let data = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="\#(r)"><c><v>1</v></c></row>"#))
            #expect(Self.rule { try XLSXReader.rows(data) } == "xlsx_limit", "r=\(r)")
        }
        // Rows out of order (or repeated) are not a file a spreadsheet program writes.
        let backwards = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="5"><c><v>1</v></c></row><row r="2"><c><v>2</v></c></row>"#))
        #expect(Self.rule { try XLSXReader.rows(backwards) } == "xlsx")
        let past = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="1048576"><c><v>1</v></c></row><row><c><v>2</v></c></row>"#))
        #expect(Self.rule { try XLSXReader.rows(past) } == "xlsx_limit")
        let cellsBack = try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row>"#))
        #expect(Self.rule { try XLSXReader.rows(cellsBack) } == "xlsx")
        // The last row Excel has is fine, blank rows before it included.
        let lastRow = try XLSXReader.rows(try XLSXWriter.make(sheetXML: Self.sheet(#"<row r="1048576"><c><v>1</v></c></row>"#)))
        #expect(lastRow.count == 1_048_576 && lastRow.last == ["1"])
    }

    @Test func cellsCountTheBlanksBeforeThem() throws {
        let xml = Data(Self.sheet(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="CV2"><v>1</v></c></row>"#).utf8)
        #expect(try SheetParser.parse(xml, shared: [], dateStyles: [], maxCells: 101).count == 2)
        // CV is column 100: with the one cell of row 1, that is 101 cells, one more than this budget.
        #expect(Self.rule { try SheetParser.parse(xml, shared: [], dateStyles: [], maxCells: 100) } == "xlsx_limit")
        // One long shared string referenced by every cell is written out once per cell: its text counts each time.
        let repeated = Data(Self.sheet((1...300).map { #"<row r="\#($0)"><c t="s"><v>0</v></c></row>"# }.joined()).utf8)
        let long = String(repeating: "长", count: 1_000)
        #expect(try SheetParser.parse(repeated, shared: [long], dateStyles: [], maxTextBytes: 900_000).count == 300)
        #expect(Self.rule { try SheetParser.parse(repeated, shared: [long], dateStyles: [], maxTextBytes: 899_999) } == "xlsx_limit")
    }

    @Test func dateCellsOutsideExcelsCalendarStayText() throws {
        // Style 1 is a date format: these values would have become NaN or infinite instants.
        let values = ["nan", "inf", "-inf", "1e308", "-1", "2958466", "44927"]
        let cells = values.enumerated().map { #"<c r="A\#($0.offset + 1)" s="1"><v>\#($0.element)</v></c>"# }
        let xml = cells.enumerated().map { #"<row r="\#($0.offset + 1)">\#($0.element)</row>"# }.joined()
        let rows = try XLSXReader.rows(try XLSXWriter.make(sheetXML: Self.sheet(xml)))
        #expect(rows.map { $0.first ?? "" } == ["nan", "inf", "-inf", "1e308", "-1", "2958466", "2023-01-01"])
        #expect(XLSXReader.date(fromSerial: .nan) == nil && XLSXReader.date(fromSerial: 2_958_465) == "9999-12-31")
    }

    @Test func partsWithADTDAndMissingSharedStringsAreRefused() throws {
        let laughs =
            #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>"#
            + #"<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#
        #expect(Self.rule { try XLSXReader.rows(try XLSXWriter.make(sheetXML: laughs)) } == "xlsx")
        let missing = try XLSXWriter.make(
            sheetXML: Self.sheet(#"<row r="1"><c t="s"><v>99999999999999999999</v></c></row>"#), sharedStrings: ["a"])
        #expect(Self.rule { try XLSXReader.rows(missing) } == "xlsx")
    }

    @Test func csvFilesStopAtTheFieldLimits() throws {
        let scanned = CSVText.scan("a,b,c\n1,2,3\n4,5,6\n", keepingBlankRecords: false, maxFields: 7)
        #expect(scanned.overLimitAt == 2 && scanned.records.count == 2)
        #expect(CSVText.scan("a,b,c,d\n", keepingBlankRecords: false, maxFieldsPerRecord: 3).overLimitAt == 0)
        // A streamed import holds one record at a time: a record past Excel's column limit, or one field past a
        // mebibyte (a quote never closed), is refused instead of growing.
        var wide = CSVRecordReader()
        #expect(Self.rule { try wide.feed(Array(String(repeating: "x,", count: 16_400).utf8) + [0x0A]) { _ in } } == "csv_limit")
        var long = CSVRecordReader()
        #expect(Self.rule { try long.feed(Array(("\"" + String(repeating: "y", count: 1 << 20) + "z").utf8)) { _ in } } == "csv_limit")
        // A catalog sheet is checked row by row against the database: at most 50,000 rows at a time.
        let sheet = CatalogSpreadsheet.columns.map(\.header).joined(separator: ",") + "\n" + String(repeating: "名,项\n", count: 50_001)
        #expect(CatalogSpreadsheet.parse(sheet).problems.map(\.rule) == ["max_rows"])
    }

    @Test func jsonBodiesAndFormsHaveLimits() throws {
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(Self.rule { try JSONBody.decode(QueryRequest.self, from: deep) } == "json_depth")
        let nested = Data(#"{"filters":{"a":{"eq":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}}}"#.utf8)
        #expect(throws: Never.self) { try JSONBody.decode(QueryRequest.self, from: nested) }
        #expect(Self.rule { try MultipartForm.boundary(of: "multipart/form-data; boundary=") } == "multipart")
        #expect(
            Self.rule { try MultipartForm.boundary(of: "multipart/form-data; boundary=" + String(repeating: "b", count: 71)) }
                == "multipart")
        let parts = (0..<40).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nv\r\n" }.joined() + "--b--\r\n"
        #expect(Self.rule { try MultipartForm.parts(Data(parts.utf8), boundary: "b") } == "multipart")
        let two = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,y\r\n--b--\r\n"
        #expect(try MultipartForm.parts(Data(two.utf8), boundary: "b")["file"] == Data("x,y".utf8))
    }

    @Test func exportsNeutraliseFormulasAndTheCatalogReadsThemBack() throws {
        #expect(CSVText.neutralised("=1+2") == "'=1+2")
        #expect(CSVText.neutralised("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.neutralised("+86 20 1234") == "'+86 20 1234")
        #expect(CSVText.neutralised("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(CSVText.neutralised("\t=1") == "'\t=1" && CSVText.neutralised("\r=1") == "'\r=1")
        #expect(CSVText.neutralised("-12.5") == "-12.5" && CSVText.neutralised("+3e5") == "+3e5", "plain numbers stay numbers")
        #expect(CSVText.neutralised("广州") == "广州" && CSVText.neutralised("") == "")
        #expect(CSVText.exportLine(["=HYPERLINK(\"http://x\")", "a"]) == "\"'=HYPERLINK(\"\"http://x\"\")\",a")
        // The catalog's own export imports again: the quote it added is taken off.
        var content = CatalogContent()
        content.name = "=1+2 名称"
        content.summary = "@摘要"
        content.items = [
            DataItem(
                name: "-项", code: "X1", dataType: "C", length: 10, shareType: "unconditional", shareConditions: nil,
                legalBasis: nil, sensitivity: 1, isBasic: false)
        ]
        let text = CatalogSpreadsheet.write([(providerCode: "114400000075589682", content: content)])
        let row = CSVText.parse(text)[1]
        #expect(row[0] == "'=1+2 名称" && row[5] == "'@摘要" && row[18] == "'-项")
        let parsed = CatalogSpreadsheet.parse(text).entries.first
        #expect(parsed?.content.name == "=1+2 名称" && parsed?.content.summary == "@摘要" && parsed?.content.items?.first?.name == "-项")
    }
}

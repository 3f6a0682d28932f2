import Foundation
import ZIPFoundation

/// Writes a minimal workbook the way Excel does: every text in shared strings, numbers as numbers, and cells given as
/// `Date` styled with a date format — so the reader's shared-string, style and date paths are exercised.
enum XLSXWriter {
    enum Cell { case text(String), number(Double), date(Double) }

    static func make(_ rows: [[Cell]]) throws -> Data {
        var strings: [String] = [], index: [String: Int] = [:]
        func shared(_ s: String) -> Int {
            if let i = index[s] { return i }
            strings.append(s); index[s] = strings.count - 1
            return strings.count - 1
        }
        func column(_ i: Int) -> String {
            var n = i + 1, name = ""
            while n > 0 { let r = (n - 1) % 26; name = String(UnicodeScalar(65 + r)!) + name; n = (n - 1) / 26 }
            return name
        }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
                of: ">", with: "&gt;")
        }
        var sheet =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() {
            sheet += #"<row r="\#(r + 1)">"#
            for (c, cell) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                switch cell {
                case .text(let s): sheet += #"<c r="\#(ref)" t="s"><v>\#(shared(s))</v></c>"#
                case .number(let n): sheet += #"<c r="\#(ref)"><v>\#(n)</v></c>"#
                case .date(let serial): sheet += #"<c r="\#(ref)" s="1"><v>\#(serial)</v></c>"#
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let sst =
            #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + strings.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
            ),
            (
                "xl/workbook.xml",
                #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="目录" sheetId="1" r:id="rId7"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/></Relationships>"#
            ),
            (
                "xl/styles.xml",
                #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176"/></cellXfs></styleSheet>"#
            ),
            ("xl/sharedStrings.xml", sst),
            ("xl/worksheets/data.xml", sheet),
        ]
        return try zip(parts)
    }

    /// The parts of `make` with the worksheet's XML given as is (for limit and fuzz tests that write what no
    /// spreadsheet program would).
    static func make(sheetXML: String, sharedStrings: [String] = []) throws -> Data {
        let sst =
            #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + sharedStrings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
        return try zip([
            (
                "xl/workbook.xml",
                #"<?xml version="1.0" encoding="UTF-8"?><workbook><sheets><sheet name="s" sheetId="1"/></sheets></workbook>"#
            ),
            (
                "xl/styles.xml",
                #"<?xml version="1.0" encoding="UTF-8"?><styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#
            ),
            ("xl/sharedStrings.xml", sst),
            ("xl/worksheets/sheet1.xml", sheetXML),
        ])
    }

    static func zip(_ parts: [(String, String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) {
                position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }
}

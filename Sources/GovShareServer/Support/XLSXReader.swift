import Foundation
import GovShareCore
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the first worksheet of an Office Open XML workbook (.xlsx, what Excel and WPS save) as rows of cell text, so
/// spreadsheets go through the same import rules and row-by-row report as CSV. Shared and inline strings, numbers,
/// booleans and dates (cells whose number format is a date, as Excel serial days) are read; formulas give their cached
/// value. Row numbers are kept: a blank row stays a blank line.
enum XLSXReader {
    static func isXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Every size is bounded (ParserLimits): decompressed bytes, rows, columns, cells, shared strings and styles. A
    /// workbook past one of them is refused with rule `xlsx_limit`, never read until memory runs out.
    static func rows(_ data: Data) throws -> [[String]] {
        // ZIPFoundation's in-memory archive traps (a range with lowerBound > upperBound) when a damaged directory
        // points past the end of the data; read from a private temporary file instead, where such a read just ends.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-upload-\(UUID().uuidString).xlsx")
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DomainError(
                .unavailable, code: "temporary_file", message: LocalizedText(zh: "无法保存上传的文件", en: "The upload could not be stored"))
        }
        defer { try? FileManager.default.removeItem(at: file) }
        guard let archive = try? Archive(url: file, accessMode: .read) else { throw unreadable("not a ZIP archive") }
        var budget = ParserLimits.xlsxDecompressedBytes
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    out.append(chunk)
                    // A small ZIP can expand a thousandfold: all parts together share one budget.
                    if out.count > budget { throw limit(zh: "表格解压后过大", en: "The workbook is too large once decompressed") }
                }
            } catch let error as DomainError { throw error } catch { throw unreadable("\(path) is damaged") }
            budget -= out.count
            // Office Open XML never declares a DTD; one can only be there to expand entities.
            if out.range(of: Data("<!DOCTYPE".utf8)) != nil || out.range(of: Data("<!ENTITY".utf8)) != nil {
                throw unreadable("\(path) declares a DTD")
            }
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

    static func limit(zh: String, en: String) -> DomainError {
        ParserLimits.exceeded(field: "body", rule: "xlsx_limit", zh: "XLSX 文件超出限制：\(zh)", en: "The XLSX file is over a limit: \(en)")
    }

    /// "A1" → 0, "AB12" → 27, "XFD1" → 16,383; nil without letters or past Excel's last column XFD (at most three
    /// letters are read, so the arithmetic cannot overflow).
    static func columnIndex(of reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            letters += 1
            if letters > 3 { return nil }
            index = index * 26 + Int(scalar.value - 64)
        }
        guard letters > 0, index <= ParserLimits.xlsxColumns else { return nil }
        return index - 1
    }

    /// The largest serial day Excel shows as a date (9999-12-31).
    static let lastSerialDay = 2_958_465.0

    /// Excel serial days (1900 system, epoch 1899-12-30) → "YYYY-MM-DD", with the time when there is one; nil for a
    /// value Excel itself would not show as a date (negative, past 9999, infinite or NaN).
    static func date(fromSerial value: Double) -> String? {
        guard value.isFinite, value >= 0, value <= lastSerialDay else { return nil }
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

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

import Foundation
import GovShareCore

/// An uploaded sheet as CSV text. XLSX (recognised by its ZIP signature) is converted; CSV is decoded from UTF-8 or
/// GB18030. Every import — catalog and data, through the API, the portal and the CLI — reads files through here.
public enum SpreadsheetText {
    public static func decode(_ data: Data, encoding: CSVText.Encoding?) throws -> String {
        if XLSXReader.isXLSX(data) {
            return try XLSXReader.rows(data).map(CSVText.line).joined(separator: "\n") + "\n"
        }
        guard let text = CSVText.decode(data, as: encoding) else {
            throw DomainError.invalid(
                field: "body", rule: "encoding", zh: "文件既不是 UTF-8 也不是 GB18030 编码，也不是 XLSX",
                en: "The file is neither UTF-8 nor GB18030 CSV, nor XLSX")
        }
        if text.contains("\u{0}") { throw InputSanity.nul(field: "body") }
        return text
    }
}

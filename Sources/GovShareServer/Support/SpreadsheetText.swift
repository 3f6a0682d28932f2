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

    /// Imports an uploaded data file. A CSV file that is UTF-8 (declared, or found to be) goes to the importer as the
    /// bytes received, streamed record by record like a file on the command line; decoding it to text first held up to
    /// four copies of a 256 MiB upload. XLSX and GB18030 are converted whole (XLSX is bounded by its own limits).
    public static func importUpload(
        _ data: Data, encoding: CSVText.Encoding?, into exchange: ExchangeService, dataset: Dataset, mode: ReportBatch.Mode,
        batchId: String?, source: ReportBatch.Source, by actor: Principal, origin: RequestOrigin
    ) async throws -> ExchangeService.ReportOutcome {
        if encoding != .gb18030 && !XLSXReader.isXLSX(data) {
            do {
                return try await exchange.importCSV(
                    stream: DataImportStream(data), dataset: dataset, mode: mode, batchId: batchId, source: source, by: actor,
                    origin: origin)
            } catch is CSVRecordReader.NotUTF8 where encoding == nil {
                // Not UTF-8 after all (nothing was written): decoded whole as GB18030 below, as Excel in China saves.
            }
        }
        return try await exchange.importCSV(
            try decode(data, encoding: encoding), dataset: dataset, mode: mode, batchId: batchId, source: source, by: actor,
            origin: origin)
    }
}

import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Catalog spreadsheets in the guide's layout; update obligations.",
        subcommands: [Import.self, Export.self, Obligations.self])

    /// Art. 9's update obligations from the console (the server's scheduler does the same every 30 s).
    struct Obligations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "obligations", abstract: "Catalog update obligations (Art. 9).",
            subcommands: [Sweep.self])

        struct Sweep: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remind departments of obligations due soon and tell the reviewing authority of overdue ones (each once).")
            @OptionGroup var common: CommonOptions

            func run() async throws {
                let (reminded, escalated) = try await CommandRunner.run(common) { platform in
                    try await platform.obligations.sweep(by: CommandRunner.actor, origin: CommandRunner.origin)
                }
                print("reminded \(reminded), escalated \(escalated)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import entries as drafts from a CSV (UTF-8 or GB18030); any error imports nothing and lists every problem.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "CSV (UTF-8/GB18030) or XLSX file in the catalog template (docs/catalog-template.md).") var file: String
        @Option(help: "utf-8 or gb18030 (default: detect).") var encoding: String?

        func run() async throws {
            let text = try CSVFile.read(file, encoding: encoding)
            try await CommandRunner.run(common) { platform in
                let created = try await platform.catalogImport
                    .importSheet(text, by: CommandRunner.actor, origin: CommandRunner.origin) { done, total in
                        ProgressBar.show(done, of: total, label: "checking")
                    }
                ProgressBar.finish()
                print("imported \(created.count) draft entries: \(created.map(\.entry.code).joined(separator: ", "))")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the published catalog in the same layout.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Output file (default: standard output).") var out: String?
        @Option(help: "utf-8 (with BOM) or gb18030.") var encoding: String = "utf-8"

        func run() async throws {
            guard let chosen = CSVText.Encoding(rawValue: encoding.lowercased()) else {
                throw ValidationError("--encoding must be utf-8 or gb18030")
            }
            let text = try await CommandRunner.run(common) { platform in
                try await platform.catalogImport.export(CatalogQuery(), by: CommandRunner.actor)
            }
            let data = CSVText.encode(text, as: chosen)
            if let out { try data.write(to: URL(fileURLWithPath: out)) } else { FileHandle.standardOutput.write(data) }
        }
    }
}

/// A one-line progress bar on standard error (only when it is a terminal, so logs stay clean).
enum ProgressBar {
    static let interactive = isatty(STDERR_FILENO) != 0

    static func show(_ done: Int, of total: Int, label: String) {
        guard interactive, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
    }

    static func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// A CSV file named on the command line, decoded as UTF-8 or GB18030 (`--encoding`, detected when absent), or an XLSX
/// workbook (its first sheet).
enum CSVFile {
    /// A UTF-8 CSV file streamed from disk (an import then never holds it whole); an XLSX workbook or a file named
    /// GB18030 is decoded whole first. A file that turns out not to be UTF-8 throws `CSVRecordReader.NotUTF8`.
    static func stream(_ path: String, encoding: String?) throws -> any ImportByteStream {
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            head = try handle.read(upToCount: 4) ?? Data()
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || encoding?.lowercased() == CSVText.Encoding.gb18030.rawValue {
            return DataImportStream(Data(try read(path, encoding: encoding).utf8))
        }
        if let encoding, CSVText.Encoding(rawValue: encoding.lowercased()) == nil {
            throw ValidationError("--encoding must be utf-8 or gb18030")
        }
        return try FileImportStream(path: path)
    }

    static func read(_ path: String, encoding: String?) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        let chosen = try encoding.map { value -> CSVText.Encoding in
            guard let e = CSVText.Encoding(rawValue: value.lowercased()) else {
                throw ValidationError("--encoding must be utf-8 or gb18030")
            }
            return e
        }
        do {
            return try SpreadsheetText.decode(data, encoding: chosen)
        } catch let error as DomainError {
            throw ValidationError("\(path): \(error.message.en)")
        }
    }
}

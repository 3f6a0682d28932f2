import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Mounted datasets: mount, report, list stale.",
        subcommands: [Mount.self, Import.self, Pull.self, Stale.self])

    struct Mount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mount a dataset behind a published database or spreadsheet entry.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Resource code, e.g. 301001/000001.") var resource: String
        @Option(name: .customLong("primary-key"), help: "Item code that identifies a row (default: the first item).") var primaryKey:
            String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let dataset = try await platform.exchange.mount(
                    code: resource, primaryKey: primaryKey, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("mounted \(dataset.entryCode): \(dataset.columns.count) items, primary key \(dataset.primaryKey)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report rows from a CSV (UTF-8 or GB18030) whose header names the items; by default any bad row imports nothing.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Resource code, e.g. 301001/000001.") var resource: String
        @Argument(help: "CSV (UTF-8/GB18030) or XLSX file; header: item names or codes; optional _delete column.") var file: String
        @Option(name: .customLong("batch-mode"), help: "all_or_nothing (default) or row (good rows land, bad rows are listed).")
        var batchMode: String = "all_or_nothing"
        @Option(name: .customLong("batch-id"), help: "Client batch id; a batch id seen before imports nothing again.") var batchId: String?
        @Option(help: "utf-8 or gb18030 (default: detect).") var encoding: String?

        func run() async throws {
            guard let mode = ReportBatch.Mode(rawValue: batchMode) else {
                throw ValidationError("--batch-mode must be all_or_nothing or row")
            }
            let stream = try CSVFile.stream(file, encoding: encoding)
            try await CommandRunner.run(common) { platform in
                let dataset = try await platform.exchange.dataset(code: resource)
                let started = Date()
                let progress: @Sendable (String, Int, Int) -> Void = { phase, done, total in ProgressBar.show(done, of: total, label: phase)
                }
                // A refused batch is reported by the command runner, every row problem listed, exit 65.
                let outcome: ExchangeService.ReportOutcome
                do {
                    outcome = try await platform.exchange.importCSV(
                        stream: stream, dataset: dataset, mode: mode, batchId: batchId, source: .cli,
                        by: CommandRunner.actor, origin: CommandRunner.origin, progress: progress)
                } catch let error as CSVRecordReader.NotUTF8 {
                    guard encoding == nil else { throw ValidationError("\(file): record \(error.record + 1) is not UTF-8") }
                    // Not UTF-8 after all (nothing was written): read it whole as GB18030, as Excel in China saves.
                    outcome = try await platform.exchange.importCSV(
                        try CSVFile.read(file, encoding: "gb18030"), dataset: dataset, mode: mode, batchId: batchId, source: .cli,
                        by: CommandRunner.actor, origin: CommandRunner.origin, progress: progress)
                }
                ProgressBar.finish()
                let seconds = Date().timeIntervalSince(started)
                let b = outcome.batch
                if outcome.replayed {
                    print("batch \(batchId ?? "") was imported before (\(b.createdAt)); nothing imported again")
                    return
                }
                print(
                    "batch \(b.id): received \(b.received), accepted \(b.accepted), rejected \(b.rejected), deleted \(b.deleted) "
                        + String(format: "in %.1f s (%.0f rows/s)", seconds, Double(b.received) / max(seconds, 0.001)))
                for problem in outcome.problems.prefix(50) {
                    print("  row \(problem.row)\(problem.item.map { " \($0)" } ?? ""): \(problem.message.zh)")
                }
            }
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull new rows from departments' PostgreSQL tables now (the server also runs due pulls on its own).")
        @OptionGroup var common: CommonOptions
        @Option(help: "One pull source id (default: every source that is due).") var source: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                var ids: [String] = []
                if let source { ids = [source] } else { ids = try await platform.pulls.due().map(\.id) }
                if ids.isEmpty { print("no pull source is due") }
                var failed = false
                for id in ids {
                    let result = try await platform.pulls.run(sourceId: id, by: CommandRunner.actor, origin: CommandRunner.origin)
                    print(
                        "\(id)\t\(result.sourceTable)@\(result.host)\twatermark \(result.lastWatermark ?? "-")\t\(result.rowsPulled) rows pulled in all"
                            + (result.lastError.map { "\tFAILED: \($0)" } ?? ""))
                    failed = failed || result.lastError != nil
                }
                if failed { throw ExitCode(1) }
            }
        }
    }

    struct Stale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List datasets older than their update cycle allows (Art. 21).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                for d in try await platform.exchange.list(staleOnly: true) {
                    print("\(d.entryCode)\t\(d.updateCycle.rawValue)\tlast updated \(d.lastUpdatedAt ?? "never")\t\(d.rowCount) rows")
                }
            }
        }
    }
}

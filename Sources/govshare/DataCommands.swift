import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Mounted datasets: mount, report, list stale.",
                                                    subcommands: [Mount.self, Import.self, Pull.self, Stale.self])

    struct Mount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mount a dataset behind a published database or spreadsheet entry.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Resource code, e.g. 301001/000001.") var resource: String
        @Option(name: .customLong("primary-key"), help: "Item code that identifies a row (default: the first item).") var primaryKey: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let dataset = try await platform.exchange.mount(code: resource, primaryKey: primaryKey, by: CommandRunner.actor,
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
        @Argument(help: "CSV file; header: item names or codes; optional _delete column.") var file: String
        @Option(help: "all_or_nothing (default) or row (good rows land, bad rows are listed).") var mode: String = "all_or_nothing"
        @Option(name: .customLong("batch-id"), help: "Client batch id; a batch id seen before imports nothing again.") var batchId: String?
        @Option(help: "utf-8 or gb18030 (default: detect).") var encoding: String?

        func run() async throws {
            guard let mode = ReportBatch.Mode(rawValue: mode) else { throw ValidationError("--mode must be all_or_nothing or row") }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let chosen = try encoding.map { value -> CSVText.Encoding in
                guard let e = CSVText.Encoding(rawValue: value.lowercased()) else { throw ValidationError("--encoding must be utf-8 or gb18030") }
                return e
            }
            guard let text = CSVText.decode(data, as: chosen) else { throw ValidationError("\(file) is neither UTF-8 nor GB18030") }
            try await CommandRunner.run(common) { platform in
                let dataset = try await platform.exchange.dataset(code: resource)
                let started = Date()
                let outcome: ExchangeService.ReportOutcome
                do {
                    outcome = try await platform.exchange.importCSV(text, dataset: dataset, mode: mode, batchId: batchId, source: .cli,
                                                                    by: CommandRunner.actor, origin: CommandRunner.origin) { phase, done, total in
                        ProgressBar.show(done, of: total, label: phase)
                    }
                } catch let error as DomainError where error.code == "batch_rejected" {
                    ProgressBar.finish()
                    for problem in error.problems.prefix(50) { FileHandle.standardError.write(Data("  \(problem.field): \(problem.message.zh)\n".utf8)) }
                    if error.problems.count > 50 { FileHandle.standardError.write(Data("  … \(error.problems.count - 50) more\n".utf8)) }
                    throw error
                }
                ProgressBar.finish()
                let seconds = Date().timeIntervalSince(started)
                let b = outcome.batch
                if outcome.replayed {
                    print("batch \(batchId ?? "") was imported before (\(b.createdAt)); nothing imported again")
                    return
                }
                print("batch \(b.id): received \(b.received), accepted \(b.accepted), rejected \(b.rejected), deleted \(b.deleted) "
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
                    print("\(id)\t\(result.sourceTable)@\(result.host)\twatermark \(result.lastWatermark ?? "-")\t\(result.rowsPulled) rows pulled in all"
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

import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log.",
        subcommands: [Verify.self, MakeCheckpoint.self, Checkpoints.self, Archive.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the whole hash chain; names the first broken or missing entry. With --checkpoints, also check the database against signed checkpoints."
        )
        @OptionGroup var common: CommonOptions
        @Option(
            help:
                "A checkpoint file (govshare audit checkpoints export): detects a rewritten chain, a cut tail and changed read references.")
        var checkpoints: String?
        @Option(help: "The platform's root certificate (PEM) to check the checkpoints against; default: the one in the file.")
        var root: String?
        func run() async throws {
            if let checkpoints {
                try await VerifyCheckpoints.run(common, file: checkpoints, root: root)
                return
            }
            let result = try await CommandRunner.run(common) { platform in
                try await platform.audit.verify(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            if result.ok {
                print(
                    "audit chain intact: \(result.checked - result.fromSeq + 1) entries verified, \(result.scope)"
                        + (result.archivedBefore == nil ? "" : "; the archived entries verify with `govshare archive verify`"))
            } else {
                print("audit chain BROKEN at entry \(result.firstBrokenSeq.map(String.init) ?? "?"): \(result.reason ?? "")")
                throw ExitCode(2)
            }
        }
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The official working-day calendar.",
        subcommands: [Import.self, Due.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a year's official holidays (same CSV layout as the shipped file) and recompute provisional deadlines.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "CSV file: date,kind,name_zh,name_en") var file: String
        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            try await CommandRunner.run(common) { platform in
                let result = try await platform.calendar.importCSV(text, by: CommandRunner.actor, origin: CommandRunner.origin)
                print(
                    "imported years \(result.years.map(String.init).joined(separator: ", ")); \(result.recomputed.count) open deadlines recomputed"
                )
            }
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the due date: the N-th working day after the day of receipt.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Day of receipt, YYYY-MM-DD.") var from: String
        @Option(name: .customLong("working-days"), help: "Number of working days.") var workingDays: Int
        func validate() throws {
            guard CivilDate(from) != nil else { throw ValidationError("--from must be a date YYYY-MM-DD, got '\(from)'") }
        }
        func run() async throws {
            let due = try await CommandRunner.run(common) { platform in
                try await platform.calendar.dueDate(receivedOn: CivilDate(from)!, workingDays: workingDays)
            }
            print(due.date.description + (due.provisional ? " provisional" : ""))
        }
    }
}

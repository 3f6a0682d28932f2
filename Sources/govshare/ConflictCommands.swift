import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare conflicts …`: conflicts between providers (Art. 13), through the same service as the API and the portal.
struct ConflictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Conflicts between providers (Art. 13): check, list, sweep.",
        subcommands: [Check.self, List.self, Sweep.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare every active fact pair record by record and open a case for each pair that disagrees.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let run = try await CommandRunner.run(common) { platform in
                try await platform.conflicts.check(trigger: .onDemand, by: CommandRunner.actor, origin: CommandRunner.origin) {
                    done, total, pair, found in
                    print(
                        "[\(done)/\(total)] \(pair.left.entryCode).\(pair.left.item) ↔ \(pair.right.entryCode).\(pair.right.item): \(found) disagreeing records"
                    )
                }
            }
            print(
                "conflict check \(run.id): \(run.pairsChecked) pairs, \(run.disagreements) disagreeing records, \(run.casesOpened) cases opened, \(run.milliseconds) ms"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Conflict cases, open ones first.")
        @OptionGroup var common: CommonOptions
        @Option(help: "open, negotiating, agreed, escalated or arbitrated.") var status: String?
        func run() async throws {
            let cases = try await CommandRunner.run(common) { platform in
                try await platform.conflicts.cases(status: status, by: CommandRunner.actor)
            }
            for (c, p) in cases {
                print(
                    "\(c.id)\t\(c.status.rawValue)\tdue \(c.dueOn)\t\(c.disagreements) records\t\(p.left.entryCode).\(p.left.item) ↔ \(p.right.entryCode).\(p.right.item)"
                )
            }
            if cases.isEmpty { print("no conflicts") }
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Escalate cases not agreed by their due date (the scheduler does it too).")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let n = try await CommandRunner.run(common) { platform in
                try await platform.conflicts.sweep(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print("\(n) conflicts escalated to the data authority")
        }
    }
}

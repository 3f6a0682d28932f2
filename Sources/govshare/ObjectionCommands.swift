import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare objections …`: objections to shared data (Art. 21), through the same service as the API and the portal.
struct ObjectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objections", abstract: "Objections to shared data (Art. 21): list, statistics, overdue sweep.",
        subcommands: [List.self, Statistics.self, Sweep.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every objection, newest first, with its state and due date.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Only those past their date.") var overdue = false
        func run() async throws {
            let (list, today) = try await CommandRunner.run(common) { platform in
                (try await platform.objections.list(by: CommandRunner.actor), CivilDate(instant: platform.clock.now()))
            }
            let shown = overdue ? list.filter { $0.isOverdue(on: today) } : list
            for o in shown {
                let records = Dictionary(grouping: o.records, by: \.state.rawValue).mapValues(\.count).sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                print(
                    "\(o.id)\t\(o.entryCode)\t\(o.kind.rawValue)\t\(o.status.rawValue)\t\(o.outcome?.rawValue ?? "-")\tdue \(o.dueOn ?? o.correctionDueOn ?? "-")\(o.isOverdue(on: today) ? " OVERDUE" : "")\t\(records)"
                )
            }
            if shown.isEmpty { print("no objections") }
        }
    }

    struct Statistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per provider: received, answered on time and late, corrected.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let stats = try await CommandRunner.run(common) { platform in try await platform.objections.statistics(by: CommandRunner.actor)
            }
            print("department\treceived\tanswered\ton_time\tlate\topen\tconfirmed\tcorrected\tdisputed\tavg_working_days")
            for s in stats {
                print(
                    "\(s.departmentId)\t\(s.received)\t\(s.answered)\t\(s.answeredOnTime)\t\(s.late)\t\(s.open)\t\(s.confirmed)\t\(s.corrected)\t\(s.disputed)\t\(s.averageWorkingDays.map { String($0) } ?? "-")"
                )
            }
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell whoever must act of objections past their date (the server does it every cycle).")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let told = try await CommandRunner.run(common) { platform in
                try await platform.objections.sweep(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print("overdue notices: \(told)")
        }
    }
}

import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare risk-report …`: risk reports (Art. 28), through the same service as the API and the portal.
struct RiskReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-report", abstract: "Risk reports (Art. 28): generate, list, verify.",
        subcommands: [Generate.self, List.self, Verify.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute, sign (the data authority's seal) and store the report of a period (dates in China Standard Time).")
        @OptionGroup var common: CommonOptions
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "Last day, YYYY-MM-DD (included).") var to: String
        func run() async throws {
            let report = try await CommandRunner.run(common) { platform in
                try await platform.riskReports.generate(from: from, to: to, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print(
                "risk report \(report.id): \(report.periodFrom) – \(report.periodTo), \(report.findingCount) findings, worst \(report.worst.rawValue), SM3 \(report.documentSM3Hex)"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Computed and third-party reports, newest first.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let (reports, uploads) = try await CommandRunner.run(common) { platform in
                try await platform.riskReports.list(by: CommandRunner.actor)
            }
            for r in reports {
                print(
                    "\(r.id)\t\(r.periodFrom)\t\(r.periodTo)\t\(r.trigger)\t\(r.worst.rawValue)\t\(r.findingCount) findings\t\(r.generatedAt)"
                )
            }
            for u in uploads {
                print("\(u.id)\t\(u.periodFrom)\t\(u.periodTo)\tthird_party\t\(u.assessor)\t\(u.fileName)\tsha256 \(u.sha256)")
            }
            if reports.isEmpty && uploads.isEmpty { print("no risk reports") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a stored report against its signature; exit 1 when invalid.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The report's id.") var id: String
        func run() async throws {
            let v = try await CommandRunner.run(common) { platform in
                try await platform.riskReports.verify(id: id, by: CommandRunner.actor)
            }
            print("\(v.valid ? "valid" : "invalid"): risk report \(v.reportId), SM3 \(v.documentSM3Hex)")
            for reason in v.reasons { print("  - \(reason.en)") }
            if !v.valid { throw ExitCode(1) }
        }
    }
}

/// `govshare destruction list`: destruction requests and records (Art. 27).
struct DestructionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destruction", abstract: "Destruction requests and records (Art. 27).", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Requests (with status) and records (with the SM3 of what was destroyed).")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let (requests, records) = try await CommandRunner.run(common) { platform in
                try await platform.destructions.list(by: CommandRunner.actor)
            }
            print("requests:")
            for r in requests {
                print(
                    "  \(r.id)\t\(r.entryCode)\t\(r.scope.rawValue)\(r.before.map { " < \($0)" } ?? "")\t\(r.status.rawValue)\t\(r.requestedByName)\t\(r.decidedByName ?? "-")"
                )
            }
            print("records:")
            for r in records {
                print("  \(r.id)\t\(r.entryCode)\t\(r.rowCount) rows\tsm3 \(r.sm3)\t\(r.executedAt)\tapproved by \(r.approvedBy)")
            }
        }
    }
}

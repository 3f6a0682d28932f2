import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare assessment …`: assessment periods (Art. 31), through the same service as the API and the portal. The
/// command line computes drafts as the system; publishing is a reviewer's decision, made in the portal or the API.
struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment", abstract: "Assessment (Art. 31): compute a period's draft, list, export, verify.",
        subcommands: [Compute.self, List.self, Export.self, Verify.self])

    struct Compute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute a period from the records as a draft for the authority's review (replaces the period's draft).")
        @OptionGroup var common: CommonOptions
        @Option(help: "A year (2026), a quarter (2026-Q4) or a month (2026-11).") var period: String
        func run() async throws {
            let started = Date()
            FileHandle.standardError.write(Data("computing \(period) from the records …\n".utf8))
            let a = try await CommandRunner.run(common) { platform in
                try await platform.assessments.compute(period: period, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print(
                "assessment \(a.id): \(a.period) as of \(a.asOf), \(a.departmentCount) departments, scheme \(a.schemeVersion), draft, SM3 \(a.documentSM3Hex) (\(Int(Date().timeIntervalSince(started) * 1000)) ms)"
            )
            for d in (a.content?.departments ?? []).prefix(10) {
                print("  \(d.rank)\t\(String(format: "%.2f", d.total))\t\(d.departmentCode)\t\(d.departmentName)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Published periods and drafts, newest period first.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let list = try await CommandRunner.run(common) { platform in
                try await platform.assessments.list(viewer: CommandRunner.actor)
            }
            for a in list {
                print(
                    "\(a.id)\t\(a.period)\t\(a.status.rawValue)\tas of \(a.asOf)\t\(a.departmentCount) departments\t\(a.publishedByName ?? a.computedByName)"
                )
            }
            if list.isEmpty { print("no assessments") }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a period's scores as CSV, or its stored document (JSON, the signed bytes once published).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The assessment's id.") var id: String
        @Option(help: "csv or json.") var format = "csv"
        @Option(help: "A file to write (standard output when not given).") var output: String?
        func run() async throws {
            guard format == "csv" || format == "json" else { throw ValidationError("--format must be csv or json") }
            let a = try await CommandRunner.run(common) { platform in
                try await platform.assessments.assessment(id: id, viewer: CommandRunner.actor)
            }
            let bytes: Data
            if format == "json" {
                bytes = a.document
            } else {
                guard let content = a.content else { throw ValidationError("the stored document does not decode") }
                bytes = Data(AssessmentExport.csv(content).utf8)
            }
            if let output {
                try bytes.write(to: URL(fileURLWithPath: output))
                print("wrote \(output) (\(bytes.count) bytes)")
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a published period against its signature; exit 1 when invalid.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The assessment's id.") var id: String
        func run() async throws {
            let v = try await CommandRunner.run(common) { platform in
                try await platform.assessments.verify(id: id, viewer: CommandRunner.actor)
            }
            print("\(v.valid ? "valid" : "invalid"): assessment \(v.assessmentId), SM3 \(v.documentSM3Hex)")
            for reason in v.reasons { print("  - \(reason.en)") }
            if !v.valid { throw ExitCode(1) }
        }
    }
}

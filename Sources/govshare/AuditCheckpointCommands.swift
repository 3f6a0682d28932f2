import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

extension AuditCommand {
    struct MakeCheckpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint", abstract: "Sign the audit chain's head now with this node's SM2 key (Art. 28).")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let made = try await CommandRunner.run(common) { platform in
                try await platform.auditCheckpoints.checkpoint(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            guard let made else {
                print("the audit chain is empty: nothing to sign")
                return
            }
            print("checkpoint signed: entry \(made.seq) hash \(made.headHash) at \(made.time) by node \(made.nodeId)")
        }
    }

    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoints", abstract: "The node's signed audit checkpoints.", subcommands: [Export.self])

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write every checkpoint and the root certificate as JSON lines (keep the file away from this database).")
            @OptionGroup var common: CommonOptions
            @Option(help: "Output file.") var out: String
            func run() async throws {
                let file = try await CommandRunner.run(common) { platform in
                    try await platform.auditCheckpoints.export(by: CommandRunner.actor, origin: CommandRunner.origin)
                }
                do { try Data(file.text.utf8).write(to: URL(fileURLWithPath: out)) } catch {
                    throw ValidationError("cannot write \(out): \(error.localizedDescription)")
                }
                print("\(file.checkpoints.count) checkpoints written to \(out) (through entry \(file.checkpoints.last?.seq ?? 0))")
            }
        }
    }

    /// `govshare audit verify --checkpoints FILE [--root ROOT.pem]`: exit 2 on any finding.
    enum VerifyCheckpoints {
        static func run(_ common: CommonOptions, file: String, root: String?) async throws {
            func read(_ path: String) throws -> String {
                do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw ValidationError("cannot read \(path): \(error.localizedDescription)")
                }
            }
            let text = try read(file)
            let rootPEM = try root.map(read)
            let report = try await CommandRunner.run(common) { platform in
                try await platform.auditCheckpoints.verify(
                    file: text, rootPEM: rootPEM, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print(
                "checkpoints: \(report.validCheckpoints) of \(report.checkpoints) valid, through entry \(report.lastCheckpointSeq); root \(report.root.isEmpty ? "(none)" : report.root)\(report.rootPinned ? "" : " (from the file: pin it with --root)")"
            )
            print("database: chain ends at entry \(report.databaseLastSeq); \(report.readsChecked) reads' references checked")
            if report.archivedThrough > 0 {
                print(
                    "archived: entries 1–\(report.archivedThrough) are in audit-segment packages; \(report.archivedCheckpoints) checkpoints inside them are not checked here (govshare archive verify re-walks each package)"
                )
            }
            if report.ok {
                print("audit log matches the signed checkpoints")
                return
            }
            for f in report.findings {
                print("FAIL [\(f.kind.rawValue)]\(f.seq.map { " entry \($0)" } ?? ""): \(f.message.en)\n     \(f.message.zh)")
            }
            throw ExitCode(2)
        }
    }
}

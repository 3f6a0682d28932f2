import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// What may be cited as a legal basis (Art. 16, 18): list it, propose an instrument, confirm or reject a proposal.
/// The console acts as the operator on the server (recorded as cli:USER); it is held to the same rules as the API,
/// except that it stands for the provincial data authority when deciding, and never decides its own proposal.
struct LegalInstrumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "legal-instruments", abstract: "Instruments accepted as a legal basis (Art. 16, 18) and proposals for more.",
        subcommands: [List.self, Propose.self, Confirm.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accepted instruments and proposals.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Only proposals.") var proposals = false

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let overview = try await platform.legalBasis.overview(for: CommandRunner.actor)
                if !proposals {
                    for i in overview.listed { print(Self.line(i, source: "list")) }
                    for p in overview.proposals where p.status == .confirmed { print(Self.line(p.instrument, source: "confirmed \(p.id)")) }
                }
                for p in overview.proposals {
                    print(
                        "proposal \(p.id)\t\(p.status.rawValue)\t《\(p.instrument.name)》\t\(p.instrument.level.rawValue)\t"
                            + "\(p.proposedByName)\t\(p.createdAt)\t\(p.decisionReason ?? "")")
                }
            }
        }

        static func line(_ i: LegalInstrument, source: String) -> String {
            "《\(i.name)》\t\(i.level.rawValue)\t\(i.issuer)\t\(i.documentNumber ?? "-")\t\(source)"
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose an instrument the list lacks; it waits for confirmation.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Name, without 《》.") var name: String
        @Option(help: "\(InstrumentLevel.allowedValues).") var level: String
        @Option(help: "Who made it, e.g. 国务院, 广东省人民政府.") var issuer: String
        @Option(name: .customLong("document-number"), help: "e.g. 国务院令第809号.") var documentNumber: String?
        @Option(help: "Where it is published (a link) or a note.") var reference: String

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let p = try await platform.legalBasis.propose(
                    .init(
                        name: name, level: level, issuer: issuer, documentNumber: documentNumber,
                        reference: reference),
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                print("proposed \(p.id): 《\(p.instrument.name)》 awaits confirmation by the provincial data authority")
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a pending proposal: it can be cited from now on.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The proposal id.") var id: String
        @Option(help: "A note on the confirmation.") var reason: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let p = try await platform.legalBasis.decide(
                    id: id, confirm: true, reason: reason, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("confirmed 《\(p.instrument.name)》")
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending proposal, with the reason.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The proposal id.") var id: String
        @Option(help: "Why it is no legal basis.") var reason: String

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let p = try await platform.legalBasis.decide(
                    id: id, confirm: false, reason: reason, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("rejected 《\(p.instrument.name)》")
            }
        }
    }
}

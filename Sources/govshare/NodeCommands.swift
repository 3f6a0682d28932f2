import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare node`: this node's description, and the registry of peer nodes (Art. 15; docs/nodes.md).
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "This node and its registered peers: register, revoke, check a link (docs/nodes.md).",
        subcommands: [SelfInfo.self, List.self, Register.self, Revoke.self, Check.self, Checkpoints.self])

    struct SelfInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "self", abstract: "This node's id, region and node certificate (what a peer registers).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("certificate-out"), help: "Write the node certificate (PEM) to this file.") var certificateOut: String?
        func run() async throws {
            let d = try await CommandRunner.run(common) { platform in try await platform.federation.describeSelf() }
            print("node: \(d.id) (\(d.name)), region \(d.regionCode)\(d.isProvince ? ", provincial node" : ", city sub-node")")
            print("certificate: \(d.certificateSubject), valid until \(Timestamp.format(d.certificateNotAfter))")
            let pem = PEM.encode(d.certificateDER, label: "CERTIFICATE")
            if let certificateOut {
                try pem.write(toFile: certificateOut, atomically: true, encoding: .utf8)
                print("written: \(certificateOut)")
            } else {
                print(pem)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registered peers and their link state.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let views = try await CommandRunner.run(common) { platform in try await platform.federation.peers(by: CommandRunner.actor) }
            if views.isEmpty { print("no peer registered") }
            for v in views {
                let p = v.peer
                print(
                    "\(p.id)\t\(p.regionCode)\t\(p.relation.rawValue)\t\(p.status.rawValue)\t\(p.baseURL)\tsent \(p.lastSentSeq) "
                        + "received \(p.lastReceivedSeq)\tpending \(v.pending)\(p.lastError.map { "\tlast error: \($0)" } ?? "")")
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a peer: on the provincial node a city sub-node, on a city node its provincial parent.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The peer's node id.") var id: String
        @Option(help: "The peer's name (its data authority).") var name: String
        @Option(help: "The peer's six-digit division code (440000 for the province).") var region: String
        @Option(help: "The peer's base URL, e.g. https://gz.example.gov.cn.") var url: String
        @Option(help: "The peer's node certificate (PEM file, from `govshare node self` there).") var certificate: String
        func run() async throws {
            let pem = try Data(contentsOf: URL(fileURLWithPath: certificate))
            let peer = try await CommandRunner.run(common) { platform in
                try await platform.federation.register(
                    PeerRegistration(id: id, name: name, regionCode: region, baseURL: url, certificate: pem), by: CommandRunner.actor,
                    origin: CommandRunner.origin)
            }
            print("registered \(peer.id) (\(peer.relation.rawValue), region \(peer.regionCode)) at \(peer.baseURL)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a peer: its messages are refused and nothing is sent to it.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The peer's node id.") var id: String
        @Option(help: "Why (recorded in the audit log).") var reason: String
        func run() async throws {
            let peer = try await CommandRunner.run(common) { platform in
                try await platform.federation.revoke(id, reason: reason, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print("revoked \(peer.id) at \(peer.revokedAt ?? "")")
        }
    }

    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A sub-node's signed audit checkpoints as received here, for `govshare audit verify --checkpoints` there.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The sub-node's node id.") var id: String
        @Option(help: "Write the checkpoint file here (default: standard output).") var out: String?
        func run() async throws {
            let file = try await CommandRunner.run(common) { platform in
                try await platform.federation.peerCheckpoints(id, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            if let out {
                try file.text.write(toFile: out, atomically: true, encoding: .utf8)
                print("\(file.checkpoints.count) checkpoints of \(id) through entry \(file.checkpoints.last?.seq ?? 0) written to \(out)")
            } else {
                print(file.text, terminator: "")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Queue the catalog changes and a signed link check for a peer and deliver everything waiting for it; exits 1 if not accepted."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The peer's node id.") var id: String
        func run() async throws {
            let report = try await CommandRunner.run(common) { platform in
                try await platform.federation.checkLink(id, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print("\(report.peerId): delivered \(report.delivered), still waiting \(report.pending)")
            if let error = report.error {
                print("not accepted: \(error)")
                throw ExitCode(1)
            }
        }
    }
}

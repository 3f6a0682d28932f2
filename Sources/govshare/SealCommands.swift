import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// Seals issued by the data authority (Art. 25) and signatures made with them (Art. 24). The console acts as the
/// operator on the server (recorded as cli:USER): it stands for the provincial data authority when issuing and
/// revoking, and may sign with any seal (each signing is audited).
struct SealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal", abstract: "Electronic seals and signatures (GB/T 38540, SM2/SM3; Art. 24, 25).",
        subcommands: [Issue.self, List.self, Revoke.self, Sign.self, Verify.self, RootCertificate.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a seal or personal signature key to a department.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The seal's name, e.g. 广东省公安厅数据专用章.") var name: String
        @Option(help: "\(SealKind.allowedValues).") var kind: String
        @Option(help: "The holder department's id or code.") var department: String
        @Option(name: .customLong("holder-user"), help: "For a personal signature: the reviewer's user id.") var holderUser: String?
        @Option(name: .customLong("valid-to"), help: "End of validity, ISO 8601 (default: 3 years).") var validTo: String?
        @Option(help: "The seal's picture, a PNG file (optional).") var image: String?

        func run() async throws {
            var until: Date?
            if let validTo {
                guard let date = Timestamp.parse(validTo) else {
                    throw ValidationError("--valid-to: an ISO 8601 time, e.g. 2029-01-01T00:00:00Z")
                }
                until = date
            }
            let picture = try image.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            try await CommandRunner.run(common) { platform in
                let seal = try await platform.seals.issue(
                    .init(name: name, kind: kind, holderDepartmentId: department, holderUserId: holderUser, validTo: until, image: picture),
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                print(
                    "issued \(seal.id)\t\(seal.name)\t\(seal.kind.rawValue)\tserial \(seal.certificateSerialHex)\t"
                        + "\(Timestamp.format(seal.validFrom)) – \(Timestamp.format(seal.validTo))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List seals (every department's, or one's).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this department's (id).") var department: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                for s in try await platform.seals.list(departmentId: department, by: CommandRunner.actor) {
                    print(
                        "\(s.id)\t\(s.status.rawValue)\t\(s.kind.rawValue)\t\(s.name)\t\(s.holderDepartmentId)\t"
                            + "\(Timestamp.format(s.validFrom)) – \(Timestamp.format(s.validTo))"
                            + (s.revokedAt.map { "\trevoked \(Timestamp.format($0))" } ?? ""))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a seal: signatures made from then on are refused.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The seal id.") var id: String
        @Option(help: "Why.") var reason: String
        @Option(name: .customLong("effective-at"), help: "From when (ISO 8601, not in the future; default now).") var effectiveAt: String?

        func run() async throws {
            var effective: Date?
            if let effectiveAt {
                guard let date = Timestamp.parse(effectiveAt) else { throw ValidationError("--effective-at: an ISO 8601 time") }
                effective = date
            }
            try await CommandRunner.run(common) { platform in
                let seal = try await platform.seals.revoke(
                    id: id, reason: reason, effectiveAt: effective, by: CommandRunner.actor, origin: CommandRunner.origin)
                print("revoked \(seal.id) from \(seal.revokedAt.map(Timestamp.format) ?? "-")")
            }
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a file with a seal: writes a detached SES_Signature (DER).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The file to sign.") var file: String
        @Option(help: "The seal id.") var seal: String
        @Option(help: "Where to write the signature.") var out: String
        @Option(help: "What the document is (recorded in the signature).") var purpose: String?

        func run() async throws {
            let document = try Data(contentsOf: URL(fileURLWithPath: file))
            try await CommandRunner.run(common) { platform in
                let signed = try await platform.seals.sign(
                    document: document, sealId: seal, purpose: purpose, by: CommandRunner.actor, origin: CommandRunner.origin)
                try signed.signatureDER.write(to: URL(fileURLWithPath: out))
                print("signed with \(signed.sealName) at \(Timestamp.format(signed.signedAt)); SM3 \(signed.documentSM3Hex) → \(out)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a file against its signature; exits 1 when the signature is not valid.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The document.") var file: String
        @Argument(help: "Its signature (DER, as `seal sign` writes it).") var signature: String

        func run() async throws {
            let document = try Data(contentsOf: URL(fileURLWithPath: file))
            let signatureDER = try Data(contentsOf: URL(fileURLWithPath: signature))
            let result = try await CommandRunner.run(common) { platform in
                try await platform.seals.verify(document: document, signature: signatureDER, by: CommandRunner.actor)
            }
            print(result.valid ? "valid 有效" : "invalid 无效")
            for reason in result.reasons { print("  - \(reason.code): \(reason.message.zh) / \(reason.message.en)") }
            if let name = result.sealName { print("seal:      \(name) (\(result.sealKind?.rawValue ?? "-"), \(result.sealId ?? "-"))") }
            if let holder = result.holderName { print("holder:    \(holder)") }
            if let subject = result.signerSubject { print("signer:    \(subject)") }
            if let signedAt = result.signedAt { print("signed at: \(Timestamp.format(signedAt))") }
            if let revokedAt = result.revokedAt { print("revoked at: \(Timestamp.format(revokedAt))") }
            print("SM3:       \(result.documentSM3Hex)")
            if !result.valid { throw ExitCode(1) }
        }
    }

    struct RootCertificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "root-certificate", abstract: "Print the platform's root certificate (PEM): offline verifiers need it.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let der = try await CommandRunner.run(common) { platform in try await platform.seals.rootCertificate() }
            print(PEM.encode(der, label: "CERTIFICATE"), terminator: "")
        }
    }
}

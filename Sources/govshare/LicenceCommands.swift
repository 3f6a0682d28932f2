import ArgumentParser
import Foundation
import GovShareCore
import GovShareCrypto

/// E-licences (Art. 23): issue, revoke and look up through the platform; verify a licence package offline with the
/// root certificate alone (no database, no network).
struct LicenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licence", abstract: "E-licences (电子证照, Art. 23): issue, revoke, look up, verify offline.",
        subcommands: [Types.self, Issue.self, Revoke.self, Lookup.self, Verify.self])

    struct Types: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the licence types.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                for t in try await platform.licences.types(by: CommandRunner.actor) {
                    print("\(t.code)\t\(t.nameZh)\t\(t.nameEn)\t\(t.holderKind.rawValue)\tentry \(t.entryCode)")
                }
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a licence (as the console, for the type's issuing department).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Licence type code, e.g. yyzz.") var type: String
        @Option(help: "Licence number.") var number: String
        @Option(name: .customLong("holder-id"), help: "公民身份号码 or 统一社会信用代码.") var holderId: String
        @Option(name: .customLong("holder-name"), help: "The holder's name.") var holderName: String
        @Option(name: .customLong("valid-from"), help: "YYYY-MM-DD.") var validFrom: String
        @Option(name: .customLong("valid-to"), help: "YYYY-MM-DD (omit: until revoked).") var validTo: String?
        @Option(name: .customLong("field"), help: "ITEM=VALUE, repeatable.") var fields: [String] = []
        @Option(help: "A file to attach (≤ 5 MB).") var file: String?

        func run() async throws {
            var values: [String: String] = [:]
            for pair in fields {
                guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--field: ITEM=VALUE, got '\(pair)'") }
                values[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            let upload = try file.map { path in
                LicenceFileUpload(
                    fileName: URL(fileURLWithPath: path).lastPathComponent, contentType: "application/octet-stream",
                    bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            }
            try await CommandRunner.run(common) { platform in
                let licence = try await platform.licences.issue(
                    NewLicence(
                        typeCode: type, number: number, holderId: holderId, holderName: holderName, validFrom: validFrom,
                        validTo: validTo, fields: values, file: upload),
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                print("issued \(licence.id)\t\(licence.number)\tseal \(licence.sealId)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a licence.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The licence id.") var id: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let licence = try await platform.licences.revoke(
                    id: id, reason: reason, by: CommandRunner.actor, origin: CommandRunner.origin)
                print("revoked \(licence.id) at \(licence.revokedAt ?? "-")")
            }
        }
    }

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look up a holder's licences for a department, under its subscriptions and grants (audited as its read).")
        @OptionGroup var common: CommonOptions
        @Option(help: "The reading department's credit code.") var department: String
        @Option(name: .customLong("holder-id"), help: "公民身份号码 or 统一社会信用代码.") var holderId: String
        @Option(help: "The business matter (事项) the licence is needed for.") var matter: String
        @Option(help: "Only this licence type (code).") var type: String?
        @Option(help: "Subscription or grant id (default: the department's best).") var purpose: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let found = try await platform.licences.lookup(
                    forDepartment: department, holderId: holderId, typeCode: type, purpose: purpose, matter: matter,
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                if found.licences.isEmpty { print("no licence 未找到证照") }
                for l in found.licences {
                    print(
                        "\(l.id)\t\(l.type.nameZh)\t\(l.number ?? "-")\t\(l.holderName ?? "-")\t\(l.status.rawValue)\t\(l.validFrom) – \(l.validTo ?? "长期")"
                    )
                    for f in l.fields { print("    \(f.field.nameZh): \(f.value)") }
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a licence package offline with the platform's root certificate; exits 1 when not valid.")
        @Argument(help: "The package (JSON, as downloaded).") var package: String
        @Option(help: "The platform's root certificate (PEM or DER).") var root: String

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: package))
            let rootData = try Data(contentsOf: URL(fileURLWithPath: root))
            let (licence, result): (LicencePackage, SealVerification)
            do {
                (licence, result) = try LicencePackage.verifyOffline(
                    package: data, rootCertificate: rootData, crypto: OpenSSLNationalCrypto(), codec: GBT38540Codec())
            } catch let error as DomainError {
                FileHandle.standardError.write(Data("错误：\(error.message.zh)\nerror: \(error.message.en)\n".utf8))
                throw ExitCode(65)
            }
            print(result.valid ? "valid 有效" : "invalid 无效")
            for reason in result.reasons { print("  - \(reason.code): \(reason.message.zh) / \(reason.message.en)") }
            if let summary = LicenceDocument.summary(of: Data(base64Encoded: licence.document) ?? Data()) {
                print("licence:   \(summary.typeName) \(summary.number) (\(summary.id))")
                print("holder:    \(summary.holderId)")
            }
            if let holder = result.holderName { print("issuer:    \(holder)") }
            if let signedAt = result.signedAt { print("signed at: \(Timestamp.format(signedAt))") }
            print("status when downloaded: \(licence.statusAtDownload.rawValue) (revocation since then is not visible offline)")
            if !result.valid { throw ExitCode(1) }
        }
    }
}

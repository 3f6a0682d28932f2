import ArgumentParser
import Foundation
import GovShareCore
import GovShareCrypto
import GovShareStore

/// Electronic archiving (Art. 26): make packages through the platform, list them, and verify one offline — no
/// database, no configuration, only the package (and optionally a pinned root certificate).
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Archival packages (电子归档, Art. 26): create, list, verify offline.",
        subcommands: [Create.self, List.self, Verify.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make a signed package: audit_segment (entries past the retention; as `govshare audit archive`), applications (decided in the period, with attachments and decision letters) or seals (issued in the period)."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "audit_segment, applications or seals.") var kind: String
        @Option(help: "Start of the period (YYYY-MM-DD or a UTC timestamp), inclusive.") var from: String?
        @Option(help: "End of the period, exclusive.") var to: String?
        @Option(help: "audit_segment: archive only entries older than this (never younger than the retention).") var before: String?
        @Flag(help: "Also write PACKAGE.tar beside the package directory.") var tar = false

        func validate() throws {
            guard ArchiveKind(rawValue: kind) != nil else { throw ValidationError("kind must be one of \(ArchiveKind.allowedValues)") }
            if let before, AuditArchiveOptions.date(before) == nil {
                throw ValidationError("--before must be YYYY-MM-DD or a UTC timestamp")
            }
        }

        func run() async throws {
            let progress: @Sendable (String) -> Void = { print($0) }
            let locations: [String] = try await CommandRunner.run(common) { platform in
                switch ArchiveKind(rawValue: kind)! {
                case .auditSegment:
                    let made = try await platform.archives.archiveAudit(
                        before: before.flatMap(AuditArchiveOptions.date), by: CommandRunner.actor, origin: CommandRunner.origin,
                        progress: progress)
                    var paths: [String] = []
                    for segment in made {
                        paths.append(try await platform.archives.find(segment.archiveId, by: CommandRunner.actor).location)
                    }
                    return paths
                case .applications:
                    return [
                        try await platform.archives.archiveApplications(
                            from: from, to: to, by: CommandRunner.actor, origin: CommandRunner.origin, progress: progress
                        ).location
                    ]
                case .seals:
                    return [
                        try await platform.archives.archiveSeals(
                            from: from, to: to, by: CommandRunner.actor, origin: CommandRunner.origin, progress: progress
                        ).location
                    ]
                }
            }
            if locations.isEmpty { print("nothing to archive") }
            for location in locations {
                print("package written, verified and registered: \(location)")
                if tar { print("tar: \(try ArchiveTar.create(location))") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The archive registry, newest first.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this kind.") var kind: String?
        func run() async throws {
            let records = try await CommandRunner.run(common) { platform in
                try await platform.archives.list(kind: kind, by: CommandRunner.actor)
            }
            for r in records {
                print(
                    "\(r.id)  \(r.kind.rawValue)  \(r.createdAt)  \(r.fileCount) files  \(r.sizeBytes) bytes  root \(r.merkleRoot)  \(r.location)"
                )
            }
            if records.isEmpty { print("no packages") }
        }
    }

    /// Exit 0 when every check passes, 1 naming each failure otherwise.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Verify a package offline: every file's SM3, the Merkle root, the authority's signature over the manifest, the certificate chain to the root, and an audit segment's hash chain."
        )
        @Argument(help: "The package directory, or a .tar of it.") var path: String
        @Option(help: "The platform's root certificate (PEM) to pin; default: the package's own certificates/root.pem.") var root: String?

        func run() async throws {
            var directory = URL(fileURLWithPath: path)
            var extracted: URL?
            if path.hasSuffix(".tar") {
                let temporary = try ArchiveTar.extract(path)
                extracted = temporary
                directory = temporary
            }
            defer { if let extracted { try? FileManager.default.removeItem(at: extracted.deletingLastPathComponent()) } }
            let pinned: Data?
            if let root {
                guard let data = FileManager.default.contents(atPath: root) else { throw ValidationError("cannot read \(root)") }
                pinned = data
            } else {
                pinned = nil
            }
            let report = ArchivePackageVerifier(crypto: OpenSSLNationalCrypto(), codec: GBT38540Codec(), hashing: AuditChainHashing())
                .verify(directory: directory, pinnedRoot: pinned)
            for line in report.checked { print("checked: \(line)") }
            if report.ok {
                print("package VERIFIED: \(report.manifest?.kind.rawValue ?? "") \(report.manifest?.id ?? "")")
                return
            }
            for f in report.failures { print("FAIL [\(f.code)]: \(f.message.en)\n     \(f.message.zh)") }
            throw ExitCode(1)
        }
    }
}

extension AuditCommand {
    /// `govshare audit archive [--before DATE]`: the retention cut into audit-segment packages.
    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Move audit entries (and their read trace) older than audit_retention_days into signed audit-segment packages, then delete them from the live tables."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "Archive only entries older than this (YYYY-MM-DD or a UTC timestamp); never younger than the retention.")
        var before: String?
        func validate() throws {
            if let before, AuditArchiveOptions.date(before) == nil {
                throw ValidationError("--before must be YYYY-MM-DD or a UTC timestamp")
            }
        }
        func run() async throws {
            let made = try await CommandRunner.run(common) { platform in
                try await platform.archives.archiveAudit(
                    before: before.flatMap(AuditArchiveOptions.date), by: CommandRunner.actor, origin: CommandRunner.origin,
                    progress: { print($0) })
            }
            if made.isEmpty { print("no audit entry is past the retention: nothing archived") }
            for s in made {
                print(
                    "archived entries \(s.firstSeq)–\(s.lastSeq) (\(s.reads) reads, \(s.readReferences) references) into package \(s.archiveId)"
                )
            }
        }
    }
}

enum AuditArchiveOptions {
    static func date(_ text: String) -> Date? {
        if let day = CivilDate(text) { return Timestamp.parse(day.description + "T00:00:00.000Z") }
        return Timestamp.parse(text)
    }
}

/// A package as one file: `tar` of the directory (the package itself stays the directory; the tar is a copy).
enum ArchiveTar {
    static func create(_ directory: String) throws -> String {
        let url = URL(fileURLWithPath: directory)
        let out = directory + ".tar"
        try run(["-cf", out, "-C", url.deletingLastPathComponent().path, url.lastPathComponent])
        return out
    }

    /// Extracts into a fresh temporary directory; returns the package directory inside it.
    static func extract(_ file: String) throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        do {
            try run(["-xf", file, "-C", base.path, "--no-same-owner"])
            let entries = try FileManager.default.contentsOfDirectory(atPath: base.path)
            guard entries.count == 1 else { throw ValidationError("\(file) must hold one package directory") }
            return base.appendingPathComponent(entries[0])
        } catch {
            try? FileManager.default.removeItem(at: base)
            throw error
        }
    }

    private static func run(_ arguments: [String]) throws {
        let outcome = try ChildProcess.runBlockingKeepingErrors(
            "/usr/bin/tar", arguments, environment: ProcessInfo.processInfo.environment, tailBytes: 1_000)
        guard outcome.status == 0 else {
            throw ValidationError(
                "tar \(arguments.joined(separator: " ")) failed (exit status \(outcome.status)): \(outcome.errorTail)")
        }
    }
}

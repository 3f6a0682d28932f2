import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer
import Logging

/// `govshare backup`: a consistent online backup, encrypted, signed and registered (Art. 26; docs/backups.md).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Make an encrypted, signed, registered backup of the whole database (docs/backups.md).",
        subcommands: [Make.self, List.self], defaultSubcommand: Make.self)

    struct Make: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "make", abstract: "Make a backup now (the default).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Directory to write to (default: backup_directory, <data_dir>-backups).") var to: String?
        func run() async throws {
            let started = Date()
            let made = try await CommandRunner.run(common) { platform in
                try await platform.backups.make(by: CommandRunner.actor, origin: CommandRunner.origin, into: to)
            }
            let m = made.manifest
            print("backup \(m.id) completed in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            print("file: \(made.record.location) (\(m.sizeBytes) bytes, SM3 \(m.sm3))")
            print("manifest: \(made.record.location.dropLast(5)).json (signed by node \(m.nodeId))")
            print("database: \(m.databaseKind), schema \(m.schemaVersion), audit head \(m.auditSeq) \(m.auditHash)")
            print("rows: \(m.rowCounts.values.reduce(0, +)) in \(m.rowCounts.count) tables; key wrapped by KEK \(m.keyEncryptionKeyId)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registered backups, newest first.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let overview = try await CommandRunner.run(common) { platform in try await platform.backups.overview(by: CommandRunner.actor) }
            for b in overview.backups {
                print("\(b.id)\t\(b.status.rawValue)\t\(b.startedAt)\t\(b.sizeBytes.map(String.init) ?? "-") bytes\t\(b.location)")
            }
            if overview.isOverdue {
                print("warning: no completed backup within \(overview.maxAgeHours) hours")
            }
        }
    }
}

/// `govshare restore BACKUP --data-dir EMPTY_DIR` (or `--database postgres://…` of an empty database).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Check a backup's signature and digest, decrypt it and restore it into an empty data directory or database.")
    @OptionGroup var common: CommonOptions
    @Argument(help: "The backup: its .gsbk file or its .json manifest.") var backup: String
    @Option(name: .customLong("key-file"), help: "The key-encryption key file (default: key_file of the configuration).")
    var keyFile: String?
    @Flag(name: .customLong("verify-only"), help: "Only check the signature and digest.") var verifyOnly = false

    func run() async throws {
        if verifyOnly {
            let m = try report { try Platform.verifyBackup(backup) }
            print("backup \(m.id): signature by node \(m.nodeId) and SM3 \(m.sm3) verified")
            return
        }
        var extra: [String: String] = [:]
        if let keyFile { extra["key_file"] = keyFile }
        let config: GovShareConfig
        do { config = try common.load(extra: extra) } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(78)
        }
        var logger = Logger(label: "govshare")
        logger.logLevel = .warning
        let manifest = try await reportAsync { try await Platform.restoreBackup(backup, config: config, logger: logger) }
        print(
            "backup \(manifest.id) verified (signature, SM3) and restored into \(config.databaseURL == nil ? config.dataDirectory : "the database")"
        )
        let platform = try await reportAsync { try await Platform.open(config: config, logger: logger) }
        let check: BackupRestoreCheck
        do {
            check = try await reportAsync {
                try await platform.backups.checkRestore(against: manifest, by: CommandRunner.actor, origin: CommandRunner.origin)
            }
        } catch {
            await platform.shutdown()
            throw error
        }
        await platform.shutdown()
        print(
            "audit head: restored \(check.restored.auditSeq) \(check.restored.auditHash); manifest \(manifest.auditSeq) \(manifest.auditHash)"
        )
        print(
            "audit chain: \(check.chain.ok ? "verifies" : "BROKEN at \(check.chain.firstBrokenSeq ?? 0)") (\(check.chain.checked) entries)")
        let total = check.restored.rowCounts.values.reduce(0, +)
        print(
            "rows: restored \(total) in \(check.restored.rowCounts.count) tables; manifest \(manifest.rowCounts.values.reduce(0, +)) in \(manifest.rowCounts.count)"
        )
        for (table, counts) in check.differingTables.sorted(by: { $0.key < $1.key }) {
            print("  DIFFERS \(table): restored \(counts.0.map(String.init) ?? "-"), manifest \(counts.1.map(String.init) ?? "-")")
        }
        print("root certificate: \(check.rootMatches ? "matches the manifest" : "DIFFERS from the manifest")")
        guard check.ok else {
            print("restore check: FAIL")
            throw ExitCode(2)
        }
        print("restore check: OK")
    }

    private func report<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DomainError {
            FileHandle.standardError.write(Data("错误：\(error.message.zh)\nerror: \(error.message.en)\n".utf8))
            throw ExitCode(error.kind == .invalid ? 65 : 1)
        }
    }

    private func reportAsync<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as DomainError {
            FileHandle.standardError.write(Data("错误：\(error.message.zh)\nerror: \(error.message.en)\n".utf8))
            throw ExitCode(error.kind == .invalid ? 65 : (error.kind == .conflict ? 73 : 1))
        }
    }
}

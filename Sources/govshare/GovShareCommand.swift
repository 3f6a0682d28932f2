import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer
import Logging

@main
struct GovShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "govshare",
        abstract: "GovShare — 广东省政务数据共享平台 (Guangdong government data-sharing platform).",
        subcommands: [
            Serve.self, Migrate.self, DepartmentCommand.self, UserCommand.self, ClientCommand.self, DataCommand.self,
            AuditCommand.self, CalendarCommand.self, CatalogCommand.self, DemoCommand.self, ConfigCommand.self,
            LegalInstrumentCommand.self, CryptoCommand.self, SealCommand.self, LicenceCommand.self, ArchiveCommand.self, KeysCommand.self,
            BackupCommand.self, RestoreCommand.self, RiskReportCommand.self, AssessmentCommand.self, SupervisionCommand.self,
            DestructionCommand.self,
            ObjectionCommand.self,
            ConflictCommand.self, NodeCommand.self,
        ])
}

/// Options every command shares: where the data lives and which node this is.
struct CommonOptions: ParsableArguments {
    @Option(help: "JSON configuration file (flags > GOVSHARE_* environment > file > defaults).")
    var config: String?
    @Option(name: .customLong("data-dir"), help: "Data directory (embedded SQLite file, development secrets).")
    var dataDir: String?
    @Option(help: "PostgreSQL URL (postgres://user:pass@host:port/db); default: embedded SQLite.")
    var database: String?
    @Option(name: .customLong("node-id"), help: "This node's id, e.g. gd-province or gz-city.")
    var nodeId: String?
    @Option(help: "development or production.")
    var mode: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    func flags() -> [String: String] {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDir
        flags["database_url"] = database
        flags["node_id"] = nodeId
        flags["mode"] = mode
        flags["log_level"] = logLevel
        return flags
    }

    func load(extra: [String: String] = [:]) throws -> GovShareConfig {
        let file = try config.map(GovShareConfig.readFile) ?? [:]
        return try GovShareConfig.load(
            flags: flags().merging(extra) { $1 }, environment: ProcessInfo.processInfo.environment,
            file: file)
    }
}

/// Opens the platform for one command, reports domain errors in both languages and closes the database.
enum CommandRunner {
    static func run<T>(_ options: CommonOptions, _ body: (Platform) async throws -> T) async throws -> T {
        let config: GovShareConfig
        do { config = try options.load() } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(78)
        }
        var logger = Logger(label: "govshare")
        logger.logLevel = Logger.Level(rawValue: config.logLevel == "info" ? "warning" : config.logLevel) ?? .warning
        let platform = try await Platform.open(config: config, logger: logger)
        do {
            let result = try await body(platform)
            await platform.shutdown()
            return result
        } catch let error as DomainError {
            await platform.shutdown()
            var lines = ["错误：\(error.message.zh)", "error: \(error.message.en)"]
            for problem in error.problems {
                lines.append("  - \(problem.field) [\(problem.rule)]: \(problem.message.zh) / \(problem.message.en)")
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(error.kind == .invalid ? 65 : 1)
        } catch {
            await platform.shutdown()
            throw error
        }
    }

    static var origin: RequestOrigin { RequestOrigin.commandLine() }

    /// The operator at the console, recorded by OS user in the audit log.
    static var actor: Principal {
        Principal.system("cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")")
    }

    static func readSecretFromStdin(field: String) throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("\(field): expected on standard input (one line)")
        }
        return line
    }
}

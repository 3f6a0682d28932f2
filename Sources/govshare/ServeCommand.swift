import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the platform's web server (API and portal).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080).") var port: Int?
    @Flag(help: "Load the demo organisations and accounts (once; idempotent).") var demo = false

    func run() async throws {
        var extra: [String: String] = [:]
        extra["host"] = host
        extra["port"] = port.map(String.init)
        if demo { extra["demo"] = "true" }
        let config: GovShareConfig
        do { config = try common.load(extra: extra) } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(78)
        }
        let server: GovShareServer
        do { server = try await buildApplication(config: config) } catch let error as DomainError where error.code == "demo_data_present" {
            // Refused configuration, as for a bad setting: sysexits' EX_CONFIG, with what to run.
            FileHandle.standardError.write(Data("错误：\(error.message.zh)\nerror: \(error.message.en)\n".utf8))
            throw ExitCode(78)
        }
        server.platform.logger.notice(
            "GovShare listening",
            metadata: [
                "address": "http://\(config.host):\(config.port)", "database": "\(server.platform.database.kind.rawValue)",
            ])
        // runService stops gracefully on SIGTERM and SIGINT.
        try await server.app.runService()
        await server.platform.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await CommandRunner.run(common) { platform in
            let versions = try await Migrator(database: platform.database).appliedVersions()
            print("schema at version \(versions.max() ?? 0) on \(platform.database.kind.rawValue) (\(versions.count) migrations applied)")
        }
    }
}

import ArgumentParser
import Foundation
import GovShareCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "The effective configuration.",
        subcommands: [Show.self])

    /// Loads the configuration exactly as every other command does (same layers, same validation) and prints it; it
    /// opens no database, so it also works on a machine where the database is unreachable.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every effective setting (regulation rules first) with its value and source; secrets are redacted.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() async throws {
            let config: GovShareConfig
            do { config = try common.load() } catch let error as ConfigError {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(78)
            }
            print(json ? config.listingJSON : config.listingText, terminator: "")
        }
    }
}

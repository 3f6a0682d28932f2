import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Inspect and remove the demo data.",
        subcommands: [Purge.self])

    /// Production refuses to start while demo data exists; this is what removes it.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the demo accounts and the data the demo created (audited; the audit log is kept).",
            discussion: """
                Removes the demo accounts, the catalog entries the demo published with their datasets and rows, and the \
                subscriptions, grants, applications and notifications on them; disables accounts and revokes API \
                clients that demo accounts created. Organisations, the audit log and the read trace stay. Without \
                --yes it only lists what it would remove.
                """)
        @OptionGroup var common: CommonOptions
        @Flag(help: "Remove it (without this flag the command only lists what it would remove).") var yes = false

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let found = try await platform.demoData.inventory()
                print(Self.describe(found))
                guard !found.isEmpty else {
                    print("没有演示数据。 / No demo data found.")
                    return
                }
                guard yes else {
                    print("未删除任何内容；加 --yes 执行删除。 / Nothing was removed; run again with --yes to remove it.")
                    throw ExitCode(1)
                }
                let removed = try await platform.demoData.purge(by: CommandRunner.actor, origin: CommandRunner.origin) { step in
                    print("  ✓ \(step)")
                }
                print(
                    "演示数据已删除（已记入审计日志）。 / Demo data removed (recorded in the audit log): "
                        + "\(removed.users.count) accounts, \(removed.catalogEntries) catalog entries, \(removed.datasetRows) rows.")
            }
        }

        static func describe(_ found: DemoInventory) -> String {
            func list(_ names: [String]) -> String { names.isEmpty ? "0" : "\(names.count) (\(names.joined(separator: ", ")))" }
            return """
                演示数据 / demo data (\(found.seedRuns) seed runs):
                  accounts to remove:            \(list(found.users))
                  catalog entries:               \(found.catalogEntries)
                  datasets (rows):               \(found.datasets) (\(found.datasetRows))
                  subscriptions / grants:        \(found.subscriptions) / \(found.grants)
                  applications / notifications:  \(found.applications) / \(found.notifications)
                  accounts to disable:           \(list(found.usersDisabled))
                  API clients to revoke:         \(list(found.clientsRevoked))
                """
        }
    }
}

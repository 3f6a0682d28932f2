import Foundation
import GovShareCore
import GovShareStore
import ServiceLifecycle

/// Every `period` seconds while the server runs: due pulls, application and catalog-obligation reminders and
/// escalations, webhook deliveries.
struct PullScheduler: Service {
    let platform: Platform
    var period: Duration = .seconds(30)

    func run() async throws {
        let actor = Principal.system("pull-scheduler")
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // First wait, then work: a starting server (and its demo seeding) is not raced.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            do {
                for source in try await platform.pulls.due() {
                    let result = try await platform.pulls.run(sourceId: source.id, by: actor,
                                                              origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler"))
                    // The text stays on the source for its department: it can quote source keys (ID numbers).
                    if result.lastError != nil {
                        platform.logger.warning("pull needs attention (see the source's last_error)", metadata: ["source": "\(source.id)"])
                    }
                }
            } catch {
                platform.logger.error("pull scheduler", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            do {
                _ = try await platform.applications.sweep(by: actor, origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler"))
            } catch {
                platform.logger.error("application sweep", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            do {
                // Art. 9: catalog update obligations — reminders before the due date, escalation after it.
                _ = try await platform.obligations.sweep(by: actor, origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler"))
            } catch {
                platform.logger.error("catalog obligation sweep", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            do {
                try await platform.notificationDispatcher.deliverDue()
            } catch {
                platform.logger.error("webhook delivery", metadata: ["error": "\(LoggableError.describe(error))"])
            }
        }
    }
}

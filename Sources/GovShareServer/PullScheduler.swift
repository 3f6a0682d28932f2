import Foundation
import GovShareCore
import ServiceLifecycle

/// Every `period` seconds while the server runs: due pulls, application reminders and escalations, webhook deliveries.
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
                    if let error = result.lastError {
                        platform.logger.warning("pull failed", metadata: ["source": "\(source.id)", "error": "\(error)"])
                    }
                }
            } catch {
                platform.logger.error("pull scheduler", metadata: ["error": "\(error)"])
            }
            do {
                _ = try await platform.applications.sweep(by: actor, origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler"))
            } catch {
                platform.logger.error("application sweep", metadata: ["error": "\(error)"])
            }
            do {
                try await platform.notificationDispatcher.deliverDue()
            } catch {
                platform.logger.error("webhook delivery", metadata: ["error": "\(error)"])
            }
        }
    }
}

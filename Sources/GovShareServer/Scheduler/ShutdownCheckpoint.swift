import GovShareCore
import GovShareStore
import ServiceLifecycle

/// Art. 28: on graceful shutdown, one last checkpoint over whatever the chain gained since the scheduler's last one.
/// Listed first among the application's services, so the service group stops it last — after the HTTP server has
/// drained its requests and the other services have stopped writing.
struct ShutdownCheckpoint: Service {
    let platform: Platform

    func run() async throws {
        // Returns only on graceful shutdown (a service that returns earlier would end the whole group); cancelled
        // without one, it throws and signs nothing.
        try await gracefulShutdown()
        do {
            try await platform.auditCheckpoints.checkpointIfDue(
                force: true, by: Principal.system("shutdown"),
                origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "shutdown"))
        } catch {
            platform.logger.error("shutdown audit checkpoint", metadata: ["error": "\(LoggableError.describe(error))"])
        }
    }
}

import GovShareCore
import ServiceLifecycle

/// Moves the record references of audited reads into the record index in the background (see
/// `indexReadReferences`). Under load it takes small batches with pauses, so it never holds the writer long enough to
/// delay the reads' own audit commits; when idle it catches up. Lookups do not depend on it: reads not yet indexed
/// are searched directly.
struct ReadReferenceIndexer: Service {
    let platform: Platform
    var readsPerBatch = 100
    var idle: Duration = .seconds(2)
    var pause: Duration = .milliseconds(50)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var wait = idle
            do {
                if try await platform.datasetRepository.indexReadReferences(limit: readsPerBatch) == readsPerBatch { wait = pause }
            } catch {
                platform.logger.error("read reference index", metadata: ["error": "\(error)"])
            }
            let delay = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
    }
}

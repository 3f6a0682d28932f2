import GovShareCore
import GovShareStore
import ServiceLifecycle

/// Moves the record references of audited reads into the record index in the background (see
/// `indexReadReferences`). While reads are being answered it takes at most a tenth of one core — a batch, then nine
/// times as long asleep — so it never competes with the reads it indexes; under sustained load it falls behind and
/// catches up, batch after batch, once the load drops. Lookups do not depend on it: reads not yet indexed are searched
/// directly. A transaction holds the writer, so it is small (5,000 references) while reads flow and larger (20,000)
/// once they stop, which is when a backlog is caught up.
struct ReadReferenceIndexer: Service {
    let platform: Platform
    var readsPerBatch = 100
    var referencesWhileReading = 5_000
    var referencesWhenQuiet = 20_000
    var idle: Duration = .seconds(2)

    func run() async throws {
        let clock = ContinuousClock()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var wait = idle
            do {
                let started = clock.now
                // Any progress: there may be more (a batch also stops at a number of references, not only of reads).
                let reading = platform.exchange.readsAuditedRecently
                let bound = reading ? referencesWhileReading : referencesWhenQuiet
                if try await platform.exchange.indexReadReferences(limit: readsPerBatch, references: bound) > 0 {
                    wait = platform.exchange.readsAuditedRecently ? (clock.now - started) * 9 : .milliseconds(5)
                }
            } catch {
                platform.logger.error("read reference index", metadata: ["error": "\(LoggableError.describe(error))"])
            }
            let delay = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
    }
}

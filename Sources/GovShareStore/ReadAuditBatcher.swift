import Foundation
import GovShareCore
import SQLKit
import Synchronization

/// Group commit for read audit (Art. 28): reads that arrive while a commit is in flight are written together in the
/// next transaction, so a durable audit entry per read costs one fsync per group, not per read. Each caller still
/// waits for its own entry to commit before its rows are sent, and if the transaction fails every read in it fails.
actor ReadAuditBatcher {
    struct Job: Sendable {
        let read: DataRead
        let keys: [String]
        let audit: AuditRecord
    }

    typealias Writer = @Sendable ([Job]) async throws -> [DataRead]
    private let write: Writer
    private var pending: [(Job, CheckedContinuation<DataRead, any Error>)] = []
    private var flushing = false
    /// When the last group was written: the reference indexer stays in the background while reads are flowing.
    nonisolated let lastWrite = Mutex<ContinuousClock.Instant?>(nil)
    /// Bounds a group so one transaction stays short.
    let maxGroup = 256

    init(write: @escaping Writer) { self.write = write }

    func submit(_ job: Job) async throws -> DataRead {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((job, continuation))
            if !flushing {
                flushing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = Array(pending.prefix(maxGroup))
            pending.removeFirst(group.count)
            do {
                let written = try await write(group.map(\.0))
                lastWrite.withLock { $0 = .now }
                for (entry, read) in zip(group, written) { entry.1.resume(returning: read) }
            } catch {
                for entry in group { entry.1.resume(throwing: error) }
            }
        }
        flushing = false
    }
}

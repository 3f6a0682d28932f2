import AsyncKit
import Foundation
import Logging
import Metrics
import PostgresKit
import SQLKit
import Synchronization

/// PostgreSQL streaming replicas (`database_read_url`) for reads that may lag a moment: the rows of a data page a
/// consumer reads (issue 19). Everything else — access decisions (grants, subscriptions, accounts), every write and
/// the audit entry a read writes, a provider reading its own data — stays on the primary, so a revoked grant is refused
/// on the next read whichever server or replica serves the rows.
///
/// A replica serves only while it is fresh: every `interval` the monitor reads the primary's WAL position, then each
/// replica's replayed position; a replica is fresh when it is a standby (`pg_is_in_recovery()`) and has replayed
/// everything the primary had written one tick before — lag at most two ticks. A replica that is not a standby, does
/// not answer, or falls behind serves nothing until it catches up; its reads go to the primary.
final class ReplicaSet: @unchecked Sendable {
    struct Replica {
        let label: String
        let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
        /// `govshare_database_replica_fresh{replica}`, made once (the metrics are bootstrapped before the platform opens).
        let freshGauge: Gauge
    }

    let replicas: [Replica]
    let interval: Duration
    private let fresh: Mutex<[Bool]>
    private let turn = Atomic<Int>(0)
    private let monitor = Mutex<Task<Void, Never>?>(nil)
    let logger: Logger
    private let served = Counter(label: "govshare_database_replica_reads_total")
    private let fellBack = Counter(label: "govshare_database_replica_fallbacks_total")

    init(urls: [String], schema: String?, connectionsPerLoop: Int, interval: Duration, logger: Logger, group: any EventLoopGroup) throws {
        replicas = try urls.enumerated().map { index, url in
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            return Replica(
                label: "replica\(index + 1)",
                pool: EventLoopGroupConnectionPool(
                    source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: connectionsPerLoop,
                    requestTimeout: .seconds(5), logger: logger, on: group),
                freshGauge: Gauge(label: "govshare_database_replica_fresh", dimensions: [("replica", "replica\(index + 1)")]))
        }
        fresh = Mutex(Array(repeating: false, count: urls.count))
        self.interval = interval
        self.logger = logger
    }

    /// A fresh replica's pool, in turn; nil when none is fresh (the caller reads the primary).
    func pick() -> Replica? {
        let states = fresh.withLock { $0 }
        let candidates = replicas.indices.filter { states[$0] }
        guard !candidates.isEmpty else {
            fellBack.increment()
            return nil
        }
        let n = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        return replicas[candidates[((n % candidates.count) + candidates.count) % candidates.count]]
    }

    func recordServed() { served.increment() }

    /// A replica that failed to give a connection serves nothing until the monitor finds it fresh again.
    func markStale(_ replica: Replica) {
        guard let index = replicas.firstIndex(where: { $0.label == replica.label }) else { return }
        fresh.withLock { $0[index] = false }
        replica.freshGauge.record(0)
    }

    var freshness: [Bool] { fresh.withLock { $0 } }

    /// Starts the monitor; `primaryPosition` reads the primary's current WAL position (bytes since 0/0).
    func start(primaryPosition: @escaping @Sendable () async throws -> Int64) {
        let task = Task { [weak self] in
            var previous: Int64?
            while !Task.isCancelled {
                guard let self else { return }
                let current = try? await primaryPosition()
                await self.check(against: previous)
                previous = current
                try? await Task.sleep(for: self.interval)
            }
        }
        monitor.withLock { $0 = task }
    }

    /// One tick: each replica fresh when a standby that has replayed through `target` (nil: the first tick, or the
    /// primary did not answer — nothing is known, so nothing is fresh).
    func check(against target: Int64?) async {
        for (index, replica) in replicas.enumerated() {
            var ok = false
            if let target {
                do {
                    let connection = try await replica.pool.requestConnection().get()
                    defer { replica.pool.releaseConnection(connection) }
                    let row = try await connection.sql().raw(
                        """
                        SELECT pg_is_in_recovery() AS standby,
                            COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1) AS replayed
                        """
                    ).first()
                    let standby = try row?.decode(column: "standby", as: Bool.self) ?? false
                    let replayed = try row?.decode(column: "replayed", as: Int64.self) ?? -1
                    ok = standby && replayed >= target
                } catch {
                    ok = false
                }
            }
            let was = fresh.withLock { states in
                let was = states[index]
                states[index] = ok
                return was
            }
            if was != ok {
                logger.notice(
                    "read replica \(ok ? "fresh: serving reads" : "not fresh: reads go to the primary")",
                    metadata: ["replica": "\(replica.label)"])
            }
            replica.freshGauge.record(ok ? 1 : 0)
        }
    }

    func shutdown() async {
        monitor.withLock { $0?.cancel() }
        for replica in replicas { try? await replica.pool.shutdownAsync() }
    }
}

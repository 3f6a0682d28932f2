import Foundation
import GovShareCore
import GovShareStore
import Testing

/// Several servers on one PostgreSQL database take turns at the scheduler's rounds: a round runs while its server
/// holds the database lease, and another server asking meanwhile is told no at once (docs/deployment.md).
@Suite("Scheduler lease")
struct SchedulerLeaseTests {
    @Test(arguments: TestDatabase.available)
    func oneServerAtATimeHoldsTheLeaseAndItIsFreeAgainAfterwards(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            let other = try await env.sibling()
            do {
                let key: Int32 = 4_400_199
                let mine = env.platform.database, theirs = other.platform.database
                let inner = try await mine.withLease(key) { try await theirs.withLease(key) { "other server ran" } }
                if database == .postgres {
                    #expect(inner == .some(nil), "while one server holds the lease, the other is refused")
                } else {
                    #expect(inner == .some("other server ran"), "SQLite: one server per file, the body always runs")
                }
                #expect(try await theirs.withLease(key) { 1 } == 1, "released after the body")
                await #expect(throws: CancellationError.self) { _ = try await mine.withLease(key) { throw CancellationError() } }
                #expect(try await theirs.withLease(key) { 2 } == 2, "released after a body that throws")
            } catch {
                await other.platform.shutdown()
                throw error
            }
            await other.platform.shutdown()
        }
    }
}

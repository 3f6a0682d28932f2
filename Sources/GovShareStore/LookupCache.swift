import Foundation
import SQLKit
import Synchronization

/// What one request may take from memory: the lookup generation it read when it started. A transaction in the
/// request ends it, so whatever the request reads after its own write comes from the database.
final class LookupScope: Sendable {
    @TaskLocal static var current: LookupScope?
    private let state: Mutex<Int64?>

    init(generation: Int64) { state = Mutex(generation) }
    var generation: Int64? { state.withLock { $0 } }
    func end() { state.withLock { $0 = nil } }
}

/// Lookups made on every API request (the signed-in account or client, a dataset, a subscription or grant), kept in
/// memory for as long as `lookup_generation` has not moved. Database triggers bump it in every transaction that writes
/// one of the tables those lookups read (`Migrator.lookupTables`), so a disabled account, a revoked grant or a
/// withdrawn entry is seen by the next request on every server. Outside a scope (`GovShareDatabase.withLookupScope`),
/// and for anything not found, every lookup goes to the database.
final class LookupCache: Sendable {
    private struct State {
        var generation: Int64 = -1
        var values: [String: any Sendable] = [:]
    }
    private let state = Mutex(State())
    /// Bounds memory if a caller walks many ids within one generation.
    let capacity = 10_000

    func value<T: Sendable>(_ key: String, load: () async throws -> T?) async throws -> T? {
        guard let generation = LookupScope.current?.generation else { return try await load() }
        if let hit = state.withLock({ $0.generation == generation ? $0.values[key] as? T : nil }) { return hit }
        guard let loaded = try await load() else { return nil }
        state.withLock { s in
            if s.generation < generation { s = State(generation: generation) }
            if s.generation == generation, s.values.count < capacity { s.values[key] = loaded }
        }
        return loaded
    }
}

extension GovShareDatabase {
    /// Runs `body` with the lookup generation read once, so the lookups in it can be answered from memory.
    public func withLookupScope<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        let generation = try await withConnection { db in
            try await db.raw("SELECT n FROM lookup_generation WHERE id = 1").first()?.decode(column: "n", as: Int64.self)
        }
        guard let generation else { return try await body() }
        return try await LookupScope.$current.withValue(LookupScope(generation: generation)) { try await body() }
    }
}

import GovShareCore
import SQLKit

/// Keeps the in-memory CatalogSearchIndex exactly as current as the database: every publish or withdrawal bumps
/// `catalog_search_state.generation` and logs the entry in `catalog_search_changes` in its own transaction; each
/// search reads the generation (one indexed row) and applies the changes it has not seen before answering. Several
/// server processes on one PostgreSQL database therefore agree, and a search always sees a committed publication.
actor CatalogSearchCache {
    private var index = CatalogSearchIndex()
    private var loaded: Int64 = -1
    private var refresh: (target: Int64, task: Task<Void, any Error>)?
    /// Beyond this many changes a full reload is cheaper than applying them one by one.
    static let fullReloadThreshold: Int64 = 5000

    func search(_ query: CatalogQuery, database: GovShareDatabase) async throws -> CatalogSearchResult {
        let generation = try await database.withConnection { db in try await Self.generation(on: db) }
        while loaded < generation {
            if let refresh, refresh.target >= generation {
                try await refresh.task.value
                continue
            }
            let from = loaded
            let task = Task { try await self.catchUp(from: from, database: database) }
            refresh = (generation, task)
            defer { if refresh?.target == generation { refresh = nil } }
            try await task.value
        }
        return index.search(query)
    }

    private func catchUp(from: Int64, database: GovShareDatabase) async throws {
        let delta = try await database.withConnection { db in try await Self.delta(since: from, on: db) }
        guard loaded == from else { return }
        if delta.full { index = CatalogSearchIndex() }
        for entryId in delta.removed { index.remove(entryId: entryId) }
        for document in delta.documents { index.upsert(document) }
        index.prepare()
        loaded = delta.generation
    }

    struct Delta {
        var generation: Int64, full: Bool, documents: [CatalogDocument], removed: [String]
    }

    /// The generation is read first: rows read after it may be newer, which is harmless because a later search applies
    /// the same changes again and applying is idempotent.
    static func delta(since from: Int64, on db: any SQLDatabase) async throws -> Delta {
        let generation = try await Self.generation(on: db)
        if from < 0 || generation - from > fullReloadThreshold {
            let rows = try await db.raw("SELECT * FROM catalog_search").all()
            return Delta(generation: generation, full: true, documents: try rows.map(SQLCatalogRepository.document(from:)), removed: [])
        }
        let changed = Set(
            try await db.raw(
                """
                SELECT entry_id FROM catalog_search_changes WHERE seq > \(bind: from) AND seq <= \(bind: generation)
                """
            ).all().map { try $0.string("entry_id") })
        guard !changed.isEmpty else { return Delta(generation: generation, full: false, documents: [], removed: []) }
        let documents = try await db.raw("SELECT * FROM catalog_search WHERE entry_id IN (\(binds: Array(changed)))").all()
            .map(SQLCatalogRepository.document(from:))
        let present = Set(documents.map(\.entryId))
        return Delta(generation: generation, full: false, documents: documents, removed: changed.subtracting(present).sorted())
    }

    static func generation(on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT generation FROM catalog_search_state WHERE id = 1").first()?
            .decode(column: "generation", as: Int64.self) ?? 0
    }

    /// Called inside the transaction that changes `catalog_search`; the row lock orders concurrent publishers, so
    /// generations commit in sequence.
    static func recordChange(entryId: String, on db: any SQLDatabase) async throws {
        let generation =
            try await db.raw(
                """
                UPDATE catalog_search_state SET generation = generation + 1 WHERE id = 1 RETURNING generation
                """
            ).first()?.decode(column: "generation", as: Int64.self) ?? 0
        try await db.insert(into: "catalog_search_changes").columns("seq", "entry_id")
            .values(SQLBind(generation), SQLBind(entryId)).run()
    }
}

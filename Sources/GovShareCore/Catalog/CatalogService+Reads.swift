import Foundation

/// What the catalog shows, and to whom: every read of entries and versions goes through here, so the API, the portal
/// and the CKAN API apply one rule. Readers see the published version; the provider, co-builders, the reviewing
/// authority and administrators (`canSeeDrafts`) see the latest, drafts included. Callers who are not signed in (CKAN
/// only) see published entries open to the public (`CatalogContent.isPublic`).
extension CatalogService {
    /// An entry as the actor sees it.
    public struct EntryView: Sendable {
        public let entry: CatalogEntry
        /// The latest version for those who see drafts, else the published one.
        public let version: CatalogVersion
        public let seesDrafts: Bool
        /// Whether the actor edits this entry: the provider's catalogers, and co-builders' for a thematic entry
        /// (`updateDraft` decides again when saving, and refuses while the entry is under review).
        public let mayEdit: Bool
        /// Items of this entry for which a conflict between providers named the authoritative source (Art. 13).
        public var authoritativeSources: [EntryAuthoritativeSource] = []
    }

    /// The entry with this id or resource code, or not found when the actor may not see it.
    public func entry(_ idOrCode: String, for actor: Principal) async throws -> EntryView {
        var found = try await repository.entry(id: idOrCode)
        if found == nil { found = try await repository.entry(code: idOrCode) }
        guard let entry = found, let latest = try await repository.version(entryId: entry.id, version: entry.latestVersion) else {
            throw DomainError.notFound("Catalog entry", zh: "目录")
        }
        if try await canSeeDrafts(actor, entry: entry, content: latest.content) {
            var edits = false  // a copy is edited on its home node only
            if entry.homeNode == nil { edits = (try? await requireEditor(actor, entry: entry, stored: latest.content)) != nil }
            var view = EntryView(entry: entry, version: latest, seesDrafts: true, mayEdit: edits)
            view.authoritativeSources = try await sources?.sources(entryId: entry.id) ?? []
            return view
        }
        guard entry.isPublished, let published = entry.publishedVersion,
            let version = try await repository.version(entryId: entry.id, version: published)
        else {
            throw DomainError.notFound("Catalog entry", zh: "目录")
        }
        var view = EntryView(entry: entry, version: version, seesDrafts: false, mayEdit: false)
        view.authoritativeSources = try await sources?.sources(entryId: entry.id) ?? []
        return view
    }

    /// The entry and the versions the actor may see, oldest first (drafts only for those who see them).
    public func versions(of idOrCode: String, for actor: Principal) async throws -> (EntryView, [CatalogVersion]) {
        let view = try await entry(idOrCode, for: actor)
        let all = try await repository.versions(entryId: view.entry.id)
        return (view, all.filter { view.seesDrafts || $0.publishedAt != nil })
    }

    /// Two versions of an entry and what changed between them; not found unless the actor may see both.
    public func diff(of idOrCode: String, from: Int, to: Int, for actor: Principal) async throws -> (
        CatalogVersion, CatalogVersion, [FieldChange]
    ) {
        let view = try await entry(idOrCode, for: actor)
        guard let a = try await repository.version(entryId: view.entry.id, version: from),
            let b = try await repository.version(entryId: view.entry.id, version: to),
            view.seesDrafts || (a.publishedAt != nil && b.publishedAt != nil)
        else {
            throw DomainError.notFound("Version", zh: "版本")
        }
        return (a, b, CatalogDiff.changes(from: a.content, to: b.content))
    }

    /// The entries awaiting the actor's review: submitted by the departments its authority reviews (`Oversight`),
    /// with the submitted version, oldest change first. One read of the departments and one of the entries.
    public func reviewQueue(for actor: Principal) async throws -> [CatalogEntryVersion] {
        try Policy.reviewCatalog.check(actor)
        let providers = try await departments.reviewed(by: actor.departmentId)
        return try await repository.entries(with: .latest, status: .submitted, providerIds: providers.sorted(), ids: nil)
    }

    /// Searches the published catalog. A caller not signed in sees only entries open to the public.
    public func search(_ query: CatalogQuery, for actor: Principal?) async throws -> CatalogSearchResult {
        var query = query
        if let actor { try Policy.readDirectory.check(actor) } else { query.publicOnly = true }
        return try await repository.search(query)
    }

    /// Published entries like a planned resource, to share instead of collecting again (Art. 13).
    public func similar(name: String, itemNames: [String]) async throws -> [(score: Double, document: CatalogDocument)] {
        try await DuplicateFinder(repository: repository).similar(name: name, itemNames: itemNames)
    }

    /// The published entry with this id or resource code as the caller may see it (nil when it may not).
    public func publishedEntry(_ idOrCode: String, for actor: Principal?) async throws -> CatalogEntryVersion? {
        var found = try await repository.entry(id: idOrCode)
        if found == nil { found = try await repository.entry(code: idOrCode) }
        guard let entry = found, entry.isPublished else { return nil }
        return try await publishedEntries(ids: [entry.id], for: actor).first
    }

    /// The published versions of these entries that the caller may see, in the order of `ids`; one read.
    public func publishedEntries(ids: [String], for actor: Principal?) async throws -> [CatalogEntryVersion] {
        if let actor { try Policy.readDirectory.check(actor) }
        return try await published(ids: ids).filter { actor != nil || $0.version.content.isPublic }
    }

    /// The published versions of these entries, in the order of `ids`, whoever asks; one read.
    func published(ids: [String]) async throws -> [CatalogEntryVersion] {
        let found = try await repository.entries(with: .published, status: nil, providerIds: nil, ids: ids)
            .filter { $0.entry.isPublished }
        let byId = Dictionary(found.map { ($0.entry.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byId[$0] }
    }

    /// Entries by id (the others are left out), for showing codes: one read.
    public func entries(ids: [String]) async throws -> [String: CatalogEntry] {
        guard !ids.isEmpty else { return [:] }
        let found = try await repository.entries(with: .latest, status: nil, providerIds: nil, ids: ids)
        return Dictionary(found.map { ($0.entry.id, $0.entry) }, uniquingKeysWith: { a, _ in a })
    }
}

/// What the search index holds for one published entry.
public struct CatalogDocument: Sendable, Codable, Equatable {
    public var entryId: String
    public var code: String
    public var version: Int
    public var name: String
    public var summary: String
    public var itemNames: String
    public var providerId: String
    public var regionCode: String
    public var kind: CatalogKind
    public var shareType: ShareType
    public var classificationCode: String
    public var openToPublic: Bool
    public var publishedAt: String

    public init(
        entryId: String, code: String, version: Int, name: String, summary: String, itemNames: String,
        providerId: String, regionCode: String, kind: CatalogKind, shareType: ShareType, classificationCode: String,
        openToPublic: Bool, publishedAt: String
    ) {
        self.entryId = entryId; self.code = code; self.version = version; self.name = name; self.summary = summary
        self.itemNames = itemNames; self.providerId = providerId; self.regionCode = regionCode; self.kind = kind
        self.shareType = shareType; self.classificationCode = classificationCode; self.openToPublic = openToPublic
        self.publishedAt = publishedAt
    }
}

extension CatalogDocument {
    /// The search document of a published version: the provider gives the region facet.
    public static func make(entry: CatalogEntry, version: CatalogVersion, provider: Department, publishedAt: String) -> CatalogDocument {
        let c = version.content
        return CatalogDocument(
            entryId: entry.id, code: entry.code, version: version.version, name: c.name ?? "", summary: c.summary ?? "",
            itemNames: c.itemNames, providerId: provider.id, regionCode: provider.regionCode, kind: entry.kind,
            shareType: c.derivedShareType, classificationCode: c.classificationCode ?? "", openToPublic: c.openToPublic ?? false,
            publishedAt: version.publishedAt ?? publishedAt)
    }
}

public struct CatalogQuery: Sendable {
    public enum Sort: String, Sendable, CaseIterable { case relevance, publishedAt = "published_at", name }
    public var text: String = ""
    public var kind: CatalogKind?
    public var shareType: ShareType?
    public var providerId: String?
    public var regionCode: String?
    public var classificationPrefix: String?
    /// Anonymous callers see only entries open to the public whose (derived) share type is not not_shared (Art. 18).
    public var publicOnly = false
    public var rows = 20
    public var start = 0
    public var sort: Sort = .relevance
    public init() {}

    public var terms: [String] {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { !$0.isEmpty }.prefix(8).map { $0 }
    }
}

public struct FacetCount: Sendable, Codable, Equatable {
    public let value: String
    public let count: Int
    public init(value: String, count: Int) { self.value = value; self.count = count }
}

public struct CatalogSearchResult: Sendable {
    public let total: Int
    public let documents: [CatalogDocument]
    /// kind, share_type, provider_id, region_code → counts over the whole match.
    public let facets: [String: [FacetCount]]
    public init(total: Int, documents: [CatalogDocument], facets: [String: [FacetCount]]) {
        self.total = total; self.documents = documents; self.facets = facets
    }
}

public struct CatalogObligation: Sendable, Codable, Equatable {
    public enum Trigger: String, Sendable, Codable, CaseIterable { case lawRevised = "law_revised", functionChanged = "function_changed" }
    public var id: String
    public var trigger: Trigger
    public var triggerDate: CivilDate
    public var reference: String
    public var departmentId: String
    public var workingDays: Int
    public var dueOn: CivilDate
    public var provisional: Bool
    public var status: Deadline.Status
    public var metByEntryId: String?
    public var createdAt: String
    /// The entry the change concerns (or the one created for a new function); only its publication meets the
    /// obligation (Art. 9). Nil until someone names it.
    public var entryId: String?
    /// When the department was reminded of the coming due date, and when the overdue obligation went to its
    /// reviewing authority: each happens once.
    public var remindedAt: String?
    public var escalatedAt: String?

    public init(
        id: String, trigger: Trigger, triggerDate: CivilDate, reference: String, departmentId: String,
        workingDays: Int, dueOn: CivilDate, provisional: Bool, status: Deadline.Status, metByEntryId: String?,
        createdAt: String, entryId: String? = nil, remindedAt: String? = nil, escalatedAt: String? = nil
    ) {
        self.id = id; self.trigger = trigger; self.triggerDate = triggerDate; self.reference = reference
        self.workingDays = workingDays
        self.departmentId = departmentId; self.dueOn = dueOn; self.provisional = provisional; self.status = status
        self.metByEntryId = metByEntryId; self.createdAt = createdAt
        self.entryId = entryId; self.remindedAt = remindedAt; self.escalatedAt = escalatedAt
    }

    /// Overdue from the day after the due date while still open, as every working-day deadline.
    public func isOverdue(on today: CivilDate) -> Bool { status == .open && today > dueOn }

    /// The two notices the sweep sends about an open obligation.
    public enum Notice: String, Sendable { case reminded, escalated }
}

/// Which version of an entry a read wants.
public enum CatalogVersionChoice: Sendable { case latest, published }

/// An entry with one of its versions.
public struct CatalogEntryVersion: Sendable {
    public let entry: CatalogEntry
    public let version: CatalogVersion
    public init(entry: CatalogEntry, version: CatalogVersion) { self.entry = entry; self.version = version }
}

public protocol CatalogRepository: Sendable {
    /// Files a new entry with its first version; the sequence part of the code is assigned here, never reused.
    func create(_ entry: CatalogEntry, version: CatalogVersion, classificationCode: String, audit: AuditRecord) async throws -> CatalogEntry
    /// Files several entries in one transaction: all of them or none (spreadsheet import).
    func createAll(_ drafts: [(entry: CatalogEntry, version: CatalogVersion, classificationCode: String, audit: AuditRecord)]) async throws
        -> [CatalogEntry]
    func entry(id: String) async throws -> CatalogEntry?
    func entry(code: String) async throws -> CatalogEntry?
    func version(entryId: String, version: Int) async throws -> CatalogVersion?
    func versions(entryId: String) async throws -> [CatalogVersion]
    /// Writes a version (insert or replace a non-published one) and the entry; `index` replaces the entry's search
    /// document (nil removes it). `closeObligationsOf` (the provider, on publication) marks met the open obligations of
    /// that department linked to this entry — and only those: publishing one entry does not answer for another (Art. 9).
    func save(
        _ entry: CatalogEntry, version: CatalogVersion, index: CatalogDocument??, closeObligationsOf: String?,
        audit: AuditRecord) async throws
    func entries(status: EntryStatus?, providerIds: [String]?) async throws -> [CatalogEntry]
    /// Entries with their latest (or published) version in one read, oldest change first; `ids` and `providerIds`
    /// narrow it when given (an empty list matches nothing). With `.published`, entries not published are left out.
    func entries(
        with version: CatalogVersionChoice, status: EntryStatus?, providerIds: [String]?,
        ids: [String]?
    ) async throws -> [CatalogEntryVersion]
    func search(_ query: CatalogQuery) async throws -> CatalogSearchResult
    func insertObligation(_ obligation: CatalogObligation, audit: AuditRecord) async throws
    func obligations(departmentIds: [String]?, openOnly: Bool) async throws -> [CatalogObligation]
    func obligation(id: String) async throws -> CatalogObligation?
    /// Links an open obligation to the entry it concerns; false when it is no longer open (nothing changed).
    func linkObligation(id: String, entryId: String, audit: AuditRecord) async throws -> Bool
    /// Records the reminder or the escalation with its notifications, if the obligation is still open and that notice
    /// was not sent yet (two schedulers on one database send it once); false when nothing was written.
    func noteObligation(
        id: String, notice: CatalogObligation.Notice, notifications: [InboxMessage],
        audit: AuditRecord
    ) async throws -> Bool
}

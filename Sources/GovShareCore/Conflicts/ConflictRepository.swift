import Foundation

/// Which cases a list asks for.
public struct ConflictCaseFilter: Sendable {
    /// Cases involving any of these providers or arbitrated by any of these authorities (all when both are nil).
    public var providerIds: Set<String>?
    public var authorityIds: Set<String>?
    public var statuses: Set<ConflictStatus>?
    public var pairId: String?
    public var limit: Int
    public init(
        providerIds: Set<String>? = nil, authorityIds: Set<String>? = nil, statuses: Set<ConflictStatus>? = nil, pairId: String? = nil,
        limit: Int = 200
    ) {
        self.providerIds = providerIds; self.authorityIds = authorityIds; self.statuses = statuses; self.pairId = pairId
        self.limit = limit
    }
}

/// A record's key and value on one side, opened for the service to show to a reader who may see them.
public struct OpenedRecord: Sendable, Equatable {
    public var key: String?
    public var value: String?
    public init(key: String?, value: String?) { self.key = key; self.value = value }
}

/// What the catalog reads of the conflicts: the authoritative sources named for an entry's items.
public protocol AuthoritativeSourceReader: Sendable {
    func sources(entryId: String) async throws -> [EntryAuthoritativeSource]
}

/// Fact pairs, check runs, conflict cases with their findings and messages, and the authoritative sources (Art. 13).
/// Every write commits with its audit entry and notifications.
public protocol ConflictRepository: AuthoritativeSourceReader {
    func insertPair(_ pair: FactPair, audit: AuditRecord) async throws
    func pair(id: String) async throws -> FactPair?
    /// Pairs declared by these authorities (all when nil); active ones only unless `includeRetired`.
    func pairs(authorityIds: Set<String>?, includeRetired: Bool) async throws -> [FactPair]
    /// Retires an active pair; false when it was not active.
    func retirePair(id: String, at: String, audit: AuditRecord) async throws -> Bool

    /// The check itself, reading only: the records on both sides whose keys match and whose values differ (both
    /// present). Clear on both sides: one SQL join; any encrypted column: each side read once, opened, hash-joined in
    /// memory. No clear value of an encrypted item is written anywhere.
    func compare(_ pair: FactPair, left: Dataset, right: Dataset, keep: Int) async throws -> ConflictComparison
    /// Opens the given stored row keys of one side (the key item's and the item's values), audited as a read.
    func open(refs: [String], in dataset: Dataset, keyItem: String, item: String, audit: AuditRecord) async throws
        -> [String: OpenedRecord]

    /// The open (negotiating or escalated) case of a pair.
    func openCase(pairId: String) async throws -> ConflictCase?
    /// Whether an authoritative source has been named for the pair.
    func source(pairId: String) async throws -> AuthoritativeSource?
    /// Writes a new case, or refreshes an open one's count and findings (replacing them), with notifications and audit.
    func saveCheckedCase(_ c: ConflictCase, isNew: Bool, findings: [ConflictFinding], notifications: [InboxMessage], audit: AuditRecord)
        async throws
    func insertRun(_ run: ConflictCheckRun, audit: AuditRecord) async throws
    func runs(limit: Int) async throws -> [ConflictCheckRun]

    func caseById(_ id: String) async throws -> ConflictCase?
    func cases(_ filter: ConflictCaseFilter) async throws -> [ConflictCase]
    func findings(caseId: String, limit: Int) async throws -> [ConflictFinding]
    func messages(caseId: String) async throws -> [ConflictMessage]
    /// Saves the case if it is still in `expected` status (false otherwise: someone acted first), with its message,
    /// the authoritative source when one was named (replacing the pair's earlier one), notifications and audit entry.
    func update(
        _ c: ConflictCase, expected: ConflictStatus, message: ConflictMessage?, source: AuthoritativeSource?,
        notifications: [InboxMessage], audit: AuditRecord
    ) async throws -> Bool
    /// Cases by status per provider (each case counts for both of its providers).
    func statistics(providerIds: Set<String>?) async throws -> [ConflictProviderStatistics]
}

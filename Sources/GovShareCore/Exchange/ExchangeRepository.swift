/// A filter on one item, as the query API and CKAN's datastore_search express them.
public struct ItemFilter: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable { case eq, `in`, gte, lte, gt, lt, prefix }
    public let item: String
    public let op: Operator
    public let values: [String]
    public init(item: String, op: Operator, values: [String]) { self.item = item; self.op = op; self.values = values }
}

/// What a reader asks for. Paging is by keyset: `after` is the cursor the previous page returned.
public struct DatasetQuery: Sendable, Equatable {
    public var fields: [String]?
    public var filters: [ItemFilter]
    public var text: String?
    public var sortItem: String?
    public var descending: Bool
    public var limit: Int
    public var after: String?
    public var offset: Int?
    public var withTotal: Bool
    /// The items `text` is searched in: set by the exchange service to the selected text items the reader sees in
    /// clear, so a search cannot probe the clear values behind a mask.
    public var searchItems: [String] = []
    /// Who the cursor is for, set by the exchange service: the read's purpose (subscription, grant or "provider") and
    /// the reader. A cursor is sealed together with its dataset, sort, filters, `text` and this binding, and is
    /// refused (422 `after`, rule `cursor`) on any other, so it cannot carry a page position across readers or purposes.
    public var cursorBinding: [String] = []
    /// The rows may come from a read replica a moment behind the primary (`database_read_url`), set by the exchange
    /// service: a consumer's read may lag; the provider reading its own data — which it may just have reported —
    /// reads the primary. Access is decided on the primary either way.
    public var mayLag = false

    public init(
        fields: [String]? = nil, filters: [ItemFilter] = [], text: String? = nil, sortItem: String? = nil,
        descending: Bool = false, limit: Int = 100, after: String? = nil, offset: Int? = nil, withTotal: Bool = false
    ) {
        self.fields = fields; self.filters = filters; self.text = text; self.sortItem = sortItem
        self.descending = descending; self.limit = limit; self.after = after; self.offset = offset; self.withTotal = withTotal
    }
}

/// Rows as stored (clear values, in the order of the columns asked for), their keys, and the next cursor.
public struct StoredPage: Sendable {
    public let keys: [String]
    public let rows: [[CellValue]]
    public let nextCursor: String?
    public let total: Int?
    public init(keys: [String], rows: [[CellValue]], nextCursor: String?, total: Int?) {
        self.keys = keys; self.rows = rows; self.nextCursor = nextCursor; self.total = total
    }
}

/// One recorded read (Art. 28): who, for which department, under what, which items, how many rows.
public struct DataRead: Sendable, Codable, Equatable {
    public var auditSeq: Int64
    public var datasetId: String
    public var entryCode: String
    public var actorId: String
    public var actorName: String
    public var departmentId: String
    public var purposeId: String
    public var items: [String]
    public var filter: String
    public var rows: Int
    public var readAt: String
    public var requestId: String

    public init(
        auditSeq: Int64, datasetId: String, entryCode: String, actorId: String, actorName: String, departmentId: String,
        purposeId: String, items: [String], filter: String, rows: Int, readAt: String, requestId: String
    ) {
        self.auditSeq = auditSeq; self.datasetId = datasetId; self.entryCode = entryCode; self.actorId = actorId
        self.actorName = actorName; self.departmentId = departmentId; self.purposeId = purposeId; self.items = items
        self.filter = filter; self.rows = rows; self.readAt = readAt; self.requestId = requestId
    }
}

public struct ReadTraceQuery: Sendable {
    /// Reads that returned the row with this primary key value.
    public var recordKey: String?
    public var datasetId: String?
    public var departmentId: String?
    public var from: String?
    public var to: String?
    /// Reads under this subscription or grant.
    public var purposeId: String?
    public var limit: Int
    public init(
        recordKey: String? = nil, datasetId: String? = nil, departmentId: String? = nil, from: String? = nil,
        to: String? = nil, purposeId: String? = nil, limit: Int = 200
    ) {
        self.recordKey = recordKey; self.datasetId = datasetId; self.departmentId = departmentId; self.from = from
        self.to = to; self.purposeId = purposeId; self.limit = limit
    }
}

public protocol DatasetRepository: Sendable {
    func mount(_ dataset: Dataset, audit: AuditRecord) async throws
    func find(entryId: String) async throws -> Dataset?
    /// The dataset of a published entry given its id or resource code, with the entry's published version.
    func findPublished(reference: String) async throws -> (Dataset, Int)?
    /// Stores new column metadata after a republication, adding physical columns for new items.
    func refresh(_ dataset: Dataset, added: [DatasetColumn]) async throws
    func list() async throws -> [Dataset]
    func batch(datasetId: String, clientBatchId: String) async throws -> ReportBatch?
    /// A digest of a batch as sent, the same for the same mode, rows (in order) and deletes.
    func digest(mode: ReportBatch.Mode, rows: [(row: Int, values: [String: String?])], deletes: [String]) -> String
    func batches(datasetId: String, limit: Int) async throws -> [ReportBatch]
    /// Upserts and deletes by primary key, records the batch and its audit entry: all in one transaction.
    /// `progress` is told how many rows have been written so far.
    func apply(
        _ batch: ReportBatch, to dataset: Dataset, upserts: [ValidRow], deletes: [String], audit: AuditRecord,
        progress: (@Sendable (Int) -> Void)?) async throws
    /// The same digest as `digest(mode:rows:deletes:)`, taken a row at a time while a file streams past.
    func contentDigest(mode: ReportBatch.Mode) -> any BatchContentDigest
    /// A streamed batch in one transaction: `fill` hands validated rows and deletes to a staging table (COPY on
    /// PostgreSQL); keys that repeat within the batch, or are both reported and deleted, come back to `finish`, which
    /// returns the batch and audit entry to record (or throws, and nothing is written). Then the staged rows are
    /// applied with one upsert, the batch recorded and the audit entry appended, all in the same transaction.
    func applyStreamed(
        to dataset: Dataset, batchId: String, createdAt: String, fill: @escaping @Sendable (any ReportRowSink) async throws -> Void,
        finish: @escaping @Sendable (StagedConflicts) async throws -> (ReportBatch, AuditRecord)) async throws
    /// Adds to the dataset's quality counters: rows checked, rows failed, failures by rule.
    func recordQuality(datasetId: String, checked: Int, failed: Int, byRule: [String: Int]) async throws
    func quality(datasetId: String) async throws -> DatasetQuality
    func query(_ dataset: Dataset, columns: [DatasetColumn], _ query: DatasetQuery) async throws -> StoredPage
    /// Writes the audit entry and the read with a keyed reference per returned row in one transaction; throws if it
    /// cannot.
    func recordRead(_ read: DataRead, keys: [String], audit: AuditRecord) async throws -> DataRead
    /// Moves the references of up to `limit` reads, and about `references` references, into the record index; returns
    /// how many reads (0: caught up).
    func indexReadReferences(limit: Int, references: Int) async throws -> Int
    /// Whether this server wrote a read's audit within the last second (the indexer then keeps to the background).
    var readsAuditedRecently: Bool { get }
    func reads(_ query: ReadTraceQuery) async throws -> [DataRead]
    /// Of these records (by clear key), those under a confirmed, uncorrected objection (Art. 21), with its id.
    func objectionFlags(datasetId: String, keys: [String]) async throws -> [String: String]
    /// Opaque tokens naming these records for one department (sealed with the node's key, bound to the dataset and the
    /// department): a portal reader who sees a key masked can still name the row it read in an objection.
    func recordTokens(datasetId: String, departmentId: String, keys: [String]) async throws -> [String]
    /// The record a token names, if it was made for this dataset and department; nil otherwise.
    func openRecordToken(_ token: String, datasetId: String, departmentId: String) async throws -> String?
}

public protocol AccessRepository: Sendable {
    func insert(_ subscription: Subscription, audit: AuditRecord) async throws
    func subscription(id: String) async throws -> Subscription?
    func subscriptions(departmentId: String) async throws -> [Subscription]
    func update(_ subscription: Subscription, audit: AuditRecord) async throws
    func insert(_ grant: Grant, audit: AuditRecord) async throws
    func grant(id: String) async throws -> Grant?
    func grants(departmentId: String?) async throws -> [Grant]
    /// Saves a changed grant if it is still stored as `previous` (status, items, clear items, validity); otherwise 409
    /// `grant_changed` and nothing changes, so two changes made at once cannot undo each other. The signed letter of a
    /// grant coming into force is stored with the change.
    func update(_ grant: Grant, replacing previous: Grant, documents: [OfficialDocument], audit: AuditRecord) async throws
}

extension AccessRepository {
    /// A change that brings no grant into force, so signs nothing.
    func update(_ grant: Grant, replacing previous: Grant, audit: AuditRecord) async throws {
        try await update(grant, replacing: previous, documents: [], audit: audit)
    }
}

/// How reported data has fared against its item rules (Art. 22), for the provider and supervision.
public struct DatasetQuality: Sendable, Codable, Equatable {
    public var checked: Int
    public var failed: Int
    public var byRule: [String: Int]
    public init(checked: Int, failed: Int, byRule: [String: Int]) { self.checked = checked; self.failed = failed; self.byRule = byRule }
    enum CodingKeys: String, CodingKey { case checked, failed, byRule = "by_rule" }
}

/// Where a streamed batch's rows go before they are applied (see `DatasetRepository.applyStreamed`).
public protocol ReportRowSink: Sendable {
    /// Validated rows with their row numbers in the file, in file order.
    func upsert(_ rows: [(number: Int, row: ValidRow)]) async throws
    /// Keys to delete (as stored: numeric keys normalised), with their row numbers.
    func delete(_ keys: [(number: Int, key: String)]) async throws
}

/// Rows of a staged batch whose key repeats an earlier row's (`firstRow`) or is deleted in the same batch (`firstRow`
/// nil): `total` of them, the first 1,000 by row listed. `key` is nil when the key is stored encrypted (a problem
/// list is kept with the batch and must not hold a graded value in clear).
public struct StagedConflicts: Sendable {
    public struct Conflict: Sendable {
        public let row: Int
        public let key: String?
        public let firstRow: Int?
        public init(row: Int, key: String?, firstRow: Int?) { self.row = row; self.key = key; self.firstRow = firstRow }
    }
    public let total: Int
    public let first: [Conflict]
    public init(total: Int, first: [Conflict]) { self.total = total; self.first = first }
}

/// A batch's content digest taken incrementally (rows in order, then the deletes).
public protocol BatchContentDigest: AnyObject {
    /// One row: its number and its values by header name, sorted by name.
    func add(row: Int, values: [(name: String, value: String?)])
    func finish(deletes: [String]) -> String
}

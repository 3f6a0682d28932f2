import Foundation

/// What a destruction request asks to destroy (Art. 27, 销毁).
public enum DestructionScope: String, Sendable, Codable, CaseIterable {
    /// Every row of a dataset whose catalog entry has been withdrawn (retired).
    case dataset
    /// The rows of a dataset last updated before a date (records past their retention).
    case before = "updated_before"

    public var name: LocalizedText {
        switch self {
        case .dataset: LocalizedText(zh: "已下架资源的全部数据", en: "Every row of a withdrawn dataset")
        case .before: LocalizedText(zh: "某日期前更新的数据（超过保存期限）", en: "Rows updated before a date (past retention)")
        }
    }
}

public enum DestructionStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, rejected, executed

    public var name: LocalizedText {
        switch self {
        case .pending: LocalizedText(zh: "待审批", en: "Pending")
        case .approved: LocalizedText(zh: "已批准", en: "Approved")
        case .rejected: LocalizedText(zh: "已驳回", en: "Rejected")
        case .executed: LocalizedText(zh: "已销毁", en: "Executed")
        }
    }
}

public struct DestructionRequest: Sendable, Equatable {
    public var id: String
    public var datasetId: String
    public var entryId: String
    public var entryCode: String
    public var providerId: String
    public var scope: DestructionScope
    /// For `updated_before`: rows whose last update is before this day (China Standard Time) go.
    public var before: String?
    public var basis: String
    public var status: DestructionStatus
    public var requestedBy: String
    public var requestedByName: String
    public var requestedAt: String
    public var decidedBy: String?
    public var decidedByName: String?
    public var decidedAt: String?
    public var decisionNote: String?
    public var nodeId: String

    public init(
        id: String, datasetId: String, entryId: String, entryCode: String, providerId: String, scope: DestructionScope,
        before: String?, basis: String, status: DestructionStatus, requestedBy: String, requestedByName: String,
        requestedAt: String, decidedBy: String? = nil, decidedByName: String? = nil, decidedAt: String? = nil,
        decisionNote: String? = nil, nodeId: String
    ) {
        self.id = id; self.datasetId = datasetId; self.entryId = entryId; self.entryCode = entryCode
        self.providerId = providerId; self.scope = scope; self.before = before; self.basis = basis; self.status = status
        self.requestedBy = requestedBy; self.requestedByName = requestedByName; self.requestedAt = requestedAt
        self.decidedBy = decidedBy; self.decidedByName = decidedByName; self.decidedAt = decidedAt
        self.decisionNote = decisionNote; self.nodeId = nodeId
    }
}

/// What was destroyed, on whose request and approval, and the SM3 digest of the destroyed rows' canonical content
/// (`DestructionDigest`), computed in the deleting transaction before the rows went.
public struct DestructionRecord: Sendable, Equatable {
    public var id: String
    public var requestId: String
    public var datasetId: String
    public var entryCode: String
    public var providerId: String
    public var scope: DestructionScope
    public var before: String?
    public var basis: String
    public var requestedBy: String
    public var approvedBy: String
    public var executedBy: String
    public var rowCount: Int
    public var sm3: String
    public var executedAt: String
    public var nodeId: String

    public init(
        id: String, requestId: String, datasetId: String, entryCode: String, providerId: String, scope: DestructionScope,
        before: String?, basis: String, requestedBy: String, approvedBy: String, executedBy: String, rowCount: Int, sm3: String,
        executedAt: String, nodeId: String
    ) {
        self.id = id; self.requestId = requestId; self.datasetId = datasetId; self.entryCode = entryCode
        self.providerId = providerId; self.scope = scope; self.before = before; self.basis = basis
        self.requestedBy = requestedBy; self.approvedBy = approvedBy; self.executedBy = executedBy; self.rowCount = rowCount
        self.sm3 = sm3; self.executedAt = executedAt; self.nodeId = nodeId
    }
}

/// The digest of destroyed rows: rows in primary-key order; each row's canonical form is its fields — the primary
/// key, the last update time, then every item in the dataset's column order — each written as `<UTF-8 byte
/// length>:<value>` (a missing value as `-`) and joined by `|`; the digest is SM3 over the concatenated SM3 digests
/// of the rows. Numbers are written as integers when whole, else in Swift's shortest form.
public struct DestructionDigest: Sendable {
    let crypto: any NationalCrypto
    private var rowDigests = Data()
    public private(set) var count = 0

    public init(crypto: any NationalCrypto) { self.crypto = crypto }

    public static func canonical(_ fields: [String?]) -> String {
        fields.map { $0.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    public mutating func add(_ fields: [String?]) {
        rowDigests.append(crypto.sm3(Data(Self.canonical(fields).utf8)))
        count += 1
    }

    public var hex: String { Hex.encode(crypto.sm3(rowDigests)) }
}

public protocol DestructionRepository: Sendable {
    func insert(_ request: DestructionRequest, audit: AuditRecord) async throws
    func request(id: String) async throws -> DestructionRequest?
    /// Requests of these providers (all when nil), newest first.
    func requests(providerIds: Set<String>?, limit: Int) async throws -> [DestructionRequest]
    func records(providerIds: Set<String>?, limit: Int) async throws -> [DestructionRecord]
    /// Writes the decision when the request is still pending; false when someone decided first.
    func decide(_ request: DestructionRequest, audit: AuditRecord) async throws -> Bool
    /// In one transaction: the request must still be approved; the rows in scope (all, or `_updated_at` before
    /// `cutoff`) are read in primary-key order into `digest`, deleted, the dataset's row count refreshed, the request
    /// marked executed, the record written with the count and digest, and the audit entry appended.
    func execute(
        _ request: DestructionRequest, dataset: Dataset, cutoff: String?, digest: DestructionDigest,
        record: @escaping @Sendable (_ rows: Int, _ sm3: String) -> DestructionRecord,
        audit: @escaping @Sendable (DestructionRecord) -> AuditRecord
    ) async throws -> DestructionRecord?
}

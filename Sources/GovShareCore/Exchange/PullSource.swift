import Foundation

/// A department's own PostgreSQL table the platform pulls from on a schedule (Art. 15: report through the platform),
/// incrementally by a watermark column. The connection URL is kept sealed; only its host is ever shown.
public struct PullSource: Sendable, Codable, Equatable {
    public var id: String
    public var datasetId: String
    public var connectionURL: String
    public var sourceTable: String
    public var watermarkColumn: String
    /// Item code → source column.
    public var columnMap: [String: String]
    public var intervalSeconds: Int
    public var lastWatermark: String?
    /// The source key of the last row pulled at `lastWatermark` (rows are read in watermark, then key order).
    public var lastKey: String? = nil
    public var lastRunAt: String?
    public var lastError: String?
    public var rowsPulled: Int
    public var enabled: Bool
    public var createdBy: String
    public var createdAt: String
    public var nodeId: String

    public init(
        id: String, datasetId: String, connectionURL: String, sourceTable: String, watermarkColumn: String,
        columnMap: [String: String], intervalSeconds: Int, lastWatermark: String?, lastRunAt: String?, lastError: String?,
        rowsPulled: Int, enabled: Bool, createdBy: String, createdAt: String, nodeId: String
    ) {
        self.id = id; self.datasetId = datasetId; self.connectionURL = connectionURL; self.sourceTable = sourceTable
        self.watermarkColumn = watermarkColumn; self.columnMap = columnMap; self.intervalSeconds = intervalSeconds
        self.lastWatermark = lastWatermark; self.lastRunAt = lastRunAt; self.lastError = lastError; self.rowsPulled = rowsPulled
        self.enabled = enabled; self.createdBy = createdBy; self.createdAt = createdAt; self.nodeId = nodeId
    }

    /// The host the URL points at, for display; never the credentials.
    public var host: String { URLComponents(string: connectionURL)?.host ?? "?" }

    /// The one thing a department is told when a pull cannot read its source: connection, DNS, TLS, login, a refused
    /// address, a missing table or column all read the same, so a pull source cannot tell anyone whether a host exists,
    /// listens, or takes a password. The server log has the cause (debug level, without secrets).
    public static let unreachable = DomainError(
        .unavailable, code: "source_unreachable",
        message: LocalizedText(
            zh: "无法连接数据源或登录失败（请核对连接地址、账号、源表和水位列）",
            en: "Could not connect to or log in to the source (check the address, account, table and watermark column)"))

    static let identifier = #"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$"#
    public static func isIdentifier(_ text: String) -> Bool { text.range(of: identifier, options: .regularExpression) != nil }
}

/// One row read from a source: its watermark value, its key (the primary key item's source column, as text) and its
/// values by item code.
public struct SourceRow: Sendable {
    public let watermark: String
    public let key: String
    public let values: [String: String?]
    public init(watermark: String, key: String, values: [String: String?]) {
        self.watermark = watermark; self.key = key; self.values = values
    }
}

/// Where a pull stands: the last row's watermark and key.
public struct PullCursor: Sendable, Equatable {
    public let watermark: String
    public let key: String?
    public init(watermark: String, key: String?) { self.watermark = watermark; self.key = key }
}

public protocol SourceReader: Sendable {
    /// Up to `limit` rows after `cursor` in (watermark, key) order, `keyColumn` being the source column of the primary
    /// key item. Rows without a watermark are not read.
    func fetch(_ source: PullSource, keyColumn: String, after cursor: PullCursor?, limit: Int) async throws -> [SourceRow]
    /// How many rows have no watermark (and so are never pulled): reported on the source.
    func countWithoutWatermark(_ source: PullSource) async throws -> Int
}

public protocol PullSourceRepository: Sendable {
    func insert(_ source: PullSource, audit: AuditRecord) async throws
    func find(id: String) async throws -> PullSource?
    func list(datasetId: String?) async throws -> [PullSource]
    /// Records a run's outcome: the position reached, when, any error or warning, rows added.
    func recordRun(id: String, cursor: PullCursor?, at: String, error: String?, rows: Int) async throws
}

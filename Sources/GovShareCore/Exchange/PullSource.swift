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
    public var lastRunAt: String?
    public var lastError: String?
    public var rowsPulled: Int
    public var enabled: Bool
    public var createdBy: String
    public var createdAt: String
    public var nodeId: String

    public init(id: String, datasetId: String, connectionURL: String, sourceTable: String, watermarkColumn: String,
                columnMap: [String: String], intervalSeconds: Int, lastWatermark: String?, lastRunAt: String?, lastError: String?,
                rowsPulled: Int, enabled: Bool, createdBy: String, createdAt: String, nodeId: String) {
        self.id = id; self.datasetId = datasetId; self.connectionURL = connectionURL; self.sourceTable = sourceTable
        self.watermarkColumn = watermarkColumn; self.columnMap = columnMap; self.intervalSeconds = intervalSeconds
        self.lastWatermark = lastWatermark; self.lastRunAt = lastRunAt; self.lastError = lastError; self.rowsPulled = rowsPulled
        self.enabled = enabled; self.createdBy = createdBy; self.createdAt = createdAt; self.nodeId = nodeId
    }

    /// The host the URL points at, for display; never the credentials.
    public var host: String { URLComponents(string: connectionURL)?.host ?? "?" }

    static let identifier = #"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$"#
    public static func isIdentifier(_ text: String) -> Bool { text.range(of: identifier, options: .regularExpression) != nil }
}

/// One row read from a source: its watermark value and its values by item code.
public struct SourceRow: Sendable {
    public let watermark: String
    public let values: [String: String?]
    public init(watermark: String, values: [String: String?]) { self.watermark = watermark; self.values = values }
}

public protocol SourceReader: Sendable {
    /// Up to `limit` rows with a watermark above `after`, in watermark order.
    func fetch(_ source: PullSource, after: String?, limit: Int) async throws -> [SourceRow]
}

public protocol PullSourceRepository: Sendable {
    func insert(_ source: PullSource, audit: AuditRecord) async throws
    func find(id: String) async throws -> PullSource?
    func list(datasetId: String?) async throws -> [PullSource]
    /// Records a run's outcome: the watermark reached, when, any error, rows added.
    func recordRun(id: String, watermark: String?, at: String, error: String?, rows: Int) async throws
}

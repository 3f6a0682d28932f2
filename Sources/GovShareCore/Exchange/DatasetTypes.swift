/// A column of a mounted dataset: one data item of the published catalog entry.
public struct DatasetColumn: Sendable, Codable, Equatable {
    public var itemCode: String
    public var itemName: String
    /// The physical column, `c0`, `c1` …, so item codes never reach SQL as identifiers.
    public var column: String
    public var dataType: ItemDataType
    public var length: Int?
    public var required: Bool
    public var rule: ItemRule?
    public var shareType: ShareType
    public var sensitivity: Int

    public init(
        itemCode: String, itemName: String, column: String, dataType: ItemDataType, length: Int?, required: Bool,
        rule: ItemRule?, shareType: ShareType, sensitivity: Int
    ) {
        self.itemCode = itemCode; self.itemName = itemName; self.column = column; self.dataType = dataType
        self.length = length; self.required = required; self.rule = rule; self.shareType = shareType
        self.sensitivity = sensitivity
    }

    /// Numeric types are stored as numbers so range filters and sorting compare values, not text.
    public var isNumeric: Bool { [.N, .Y, .B, .I, .F].contains(dataType) }

    enum CodingKeys: String, CodingKey {
        case itemCode = "item_code", itemName = "item_name", column, dataType = "data_type", length, required, rule
        case shareType = "share_type", sensitivity
    }
}

/// The data behind a published catalog entry, reported by its provider (Art. 15, 20).
public struct Dataset: Sendable, Codable, Equatable {
    public var id: String
    public var entryId: String
    public var entryCode: String
    public var entryVersion: Int
    public var providerId: String
    public var columns: [DatasetColumn]
    /// The item code whose value identifies a row.
    public var primaryKey: String
    public var updateCycle: UpdateCycle
    public var rowCount: Int
    public var lastUpdatedAt: String?
    public var nodeId: String
    public var createdAt: String
    /// Physical columns whose values are stored encrypted with a blind index (docs/encryption-at-rest.md): they are
    /// matched exactly (`eq`, `in`, verification), never sorted, ranged, prefixed or searched.
    public var encryptedColumns: [String] = []
    /// Whether a re-encryption is under way that still has rows with clear values (mounted before encryption).
    public var encryptionPending = false

    public init(
        id: String, entryId: String, entryCode: String, entryVersion: Int, providerId: String,
        columns: [DatasetColumn], primaryKey: String, updateCycle: UpdateCycle, rowCount: Int,
        lastUpdatedAt: String?, nodeId: String, createdAt: String
    ) {
        self.id = id; self.entryId = entryId; self.entryCode = entryCode; self.entryVersion = entryVersion
        self.providerId = providerId; self.columns = columns; self.primaryKey = primaryKey; self.updateCycle = updateCycle
        self.rowCount = rowCount; self.lastUpdatedAt = lastUpdatedAt; self.nodeId = nodeId; self.createdAt = createdAt
    }

    /// The physical table: derived from the id, never from user input.
    public var tableName: String { "ds_" + id.replacingOccurrences(of: "-", with: "") }

    public func column(item code: String) -> DatasetColumn? { columns.first { $0.itemCode == code } }
    public var keyColumn: DatasetColumn { column(item: primaryKey)! }
    /// The item codes of these physical columns, in the dataset's order (key records and jobs name columns, people items).
    public func itemCodes(ofColumns physical: [String]) -> [String] {
        columns.filter { physical.contains($0.column) }.map(\.itemCode)
    }
    public func isEncrypted(item code: String) -> Bool { column(item: code).map { encryptedColumns.contains($0.column) } ?? false }
}

/// A batch of reported rows: who sent it, how, and what became of each row.
public struct ReportBatch: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable { case api, file, cli }
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Any bad row refuses the whole batch.
        case allOrNothing = "all_or_nothing"
        /// Good rows land; each bad row comes back with its reasons.
        case rowByRow = "row"
    }

    public var id: String
    public var datasetId: String
    public var clientBatchId: String?
    public var source: Source
    public var mode: Mode
    public var received: Int
    public var accepted: Int
    public var rejected: Int
    public var deleted: Int
    public var createdBy: String
    public var departmentId: String
    public var createdAt: String
    /// SHA-256 of what was sent (mode, rows, deletes): a client batch id sent again with other content is refused.
    public var contentDigest: String? = nil
    /// The rows a row-by-row batch rejected (the first 1,000), returned again when the batch id is replayed.
    public var problems: [RowProblem] = []

    public init(
        id: String, datasetId: String, clientBatchId: String?, source: Source, mode: Mode, received: Int,
        accepted: Int, rejected: Int, deleted: Int, createdBy: String, departmentId: String, createdAt: String
    ) {
        self.id = id; self.datasetId = datasetId; self.clientBatchId = clientBatchId; self.source = source
        self.mode = mode; self.received = received; self.accepted = accepted; self.rejected = rejected
        self.deleted = deleted; self.createdBy = createdBy; self.departmentId = departmentId; self.createdAt = createdAt
    }

    /// As written to the audit log: the rejected rows stay out (their messages can quote key values).
    enum CodingKeys: String, CodingKey {
        case id, datasetId, clientBatchId, source, mode, received, accepted, rejected, deleted, createdBy, departmentId, createdAt
        case contentDigest
    }
}

/// One problem with one reported row: its position (1-based, as a person counts rows in a file), the item, the rule.
public struct RowProblem: Sendable, Codable, Equatable {
    public let row: Int
    public let item: String?
    public let rule: String
    public let message: LocalizedText
    public init(row: Int, item: String?, rule: String, message: LocalizedText) {
        self.row = row; self.item = item; self.rule = rule; self.message = message
    }
}

/// A stored value: text, a number, or absent.
public enum CellValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case null

    public var text: String? {
        switch self {
        case .text(let s): s
        case .number(let d): d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .null: nil
        }
    }
}

/// A validated row ready to store: the primary key and a value for every column, in column order.
public struct ValidRow: Sendable, Equatable {
    public let key: String
    public let values: [CellValue]
}

import Foundation
import GovShareCore

struct MountRequest: Codable, Sendable {
    var entryCode: String?
    var primaryKey: String?
    enum CodingKeys: String, CodingKey { case entryCode = "entry_code", primaryKey = "primary_key" }
}

struct DatasetColumnDTO: Codable, Sendable {
    let item: String, name: String, dataType: String, shareType: String, sensitivity: Int
    let length: Int?, rule: String?, required: Bool
    enum CodingKeys: String, CodingKey {
        case item, name, length, rule, required, sensitivity
        case dataType = "data_type", shareType = "share_type"
    }
}

struct DatasetDTO: Codable, Sendable {
    let id, entryId, entryCode, providerId, primaryKey, updateCycle, createdAt: String
    let entryVersion, rowCount: Int
    let lastUpdatedAt: String?
    let stale: Bool
    let columns: [DatasetColumnDTO]
    let quality: DatasetQuality?

    init(_ d: Dataset, stale: Bool, quality: DatasetQuality? = nil) {
        self.quality = quality
        id = d.id; entryId = d.entryId; entryCode = d.entryCode; providerId = d.providerId; primaryKey = d.primaryKey
        updateCycle = d.updateCycle.rawValue; createdAt = d.createdAt; entryVersion = d.entryVersion; rowCount = d.rowCount
        lastUpdatedAt = d.lastUpdatedAt; self.stale = stale
        columns = d.columns.map {
            DatasetColumnDTO(
                item: $0.itemCode, name: $0.itemName, dataType: $0.dataType.rawValue, shareType: $0.shareType.rawValue,
                sensitivity: $0.sensitivity, length: $0.length, rule: $0.rule?.rawValue, required: $0.required)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, stale, columns, quality
        case entryId = "entry_id", entryCode = "entry_code", providerId = "provider_id", primaryKey = "primary_key"
        case updateCycle = "update_cycle", createdAt = "created_at", entryVersion = "entry_version", rowCount = "row_count"
        case lastUpdatedAt = "last_updated_at"
    }
}

struct RowProblemDTO: Codable, Sendable {
    let row: Int, item: String?, rule: String, message: String
    init(_ p: RowProblem, _ language: Language) { row = p.row; item = p.item; rule = p.rule; message = p.message.text(language) }
}

struct BatchDTO: Codable, Sendable {
    let id, datasetId, source, mode, createdBy, departmentId, createdAt: String
    let clientBatchId: String?
    let received, accepted, rejected, deleted: Int
    let replayed: Bool
    let rejectedRows: [RowProblemDTO]?

    init(_ b: ReportBatch, replayed: Bool = false, problems: [RowProblem]? = nil, language: Language = .zh) {
        id = b.id; datasetId = b.datasetId; source = b.source.rawValue; mode = b.mode.rawValue; createdBy = b.createdBy
        departmentId = b.departmentId; createdAt = b.createdAt; clientBatchId = b.clientBatchId; received = b.received
        accepted = b.accepted; rejected = b.rejected; deleted = b.deleted; self.replayed = replayed
        rejectedRows = problems.map { $0.map { RowProblemDTO($0, language) } }
    }

    enum CodingKeys: String, CodingKey {
        case id, source, mode, received, accepted, rejected, deleted, replayed
        case datasetId = "dataset_id", createdBy = "created_by", departmentId = "department_id", createdAt = "created_at"
        case clientBatchId = "client_batch_id", rejectedRows = "rejected_rows"
    }
}

/// A JSON value that is text or a number, taken as text (item values are validated against their types later).
struct Scalar: Codable, Sendable {
    let text: String?
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            text = nil
        } else if let s = try? c.decode(String.self) {
            text = s
        } else if let i = try? c.decode(Int64.self) {
            text = String(i)
        } else if let d = try? c.decode(Double.self) {
            text = String(d)
        } else if let b = try? c.decode(Bool.self) {
            text = b ? "true" : "false"
        } else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: c.codingPath, debugDescription: "a string or a number"))
        }
    }
    func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(text) }
}

struct RowsRequest: Codable, Sendable {
    var batchId: String?
    var mode: String?
    var upsert: [[String: Scalar]]?
    var delete: [String]?
    enum CodingKeys: String, CodingKey { case batchId = "batch_id", mode, upsert, delete }
}

/// A filter value: a value (equals), a list (in), or operators (`gte`, `lte`, `gt`, `lt`, `prefix`, `in`, `eq`).
enum FilterSpec: Codable, Sendable {
    case value(String)
    case list([String])
    case operators([String: Scalar])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let list = try? c.decode([Scalar].self) {
            self = .list(list.compactMap(\.text))
        } else if let ops = try? c.decode([String: Scalar].self) {
            self = .operators(ops)
        } else {
            self = .value(try c.decode(Scalar.self).text ?? "")
        }
    }
    func encode(to encoder: any Encoder) throws {}
}

struct QueryRequest: Codable, Sendable {
    var purpose: String?
    var fields: [String]?
    var filters: [String: FilterSpec]?
    var q: String?
    var sort: String?
    var limit: Int?
    var after: String?
    var format: String?
    /// Each record also carries `_token`: its key sealed for the reader's department, to name it in an objection
    /// when the key is masked to the reader (docs/objections.md).
    var recordTokens: Bool?
    enum CodingKeys: String, CodingKey {
        case purpose, fields, filters, q, sort, limit, after, format
        case recordTokens = "record_tokens"
    }
}

struct QueryFieldDTO: Codable, Sendable {
    let id, name, type, mask, maskDescription: String
    enum CodingKeys: String, CodingKey { case id, name, type, mask, maskDescription = "mask_description" }
}

struct SubscriptionRequest: Codable, Sendable {
    var entryCode: String?
    var items: [String]?
    var purpose: String?
    var business: String?
    var users: [String]?
    enum CodingKeys: String, CodingKey { case entryCode = "entry_code", items, purpose, business, users }
}

struct ReasonRequest: Codable, Sendable { var reason: String? }

struct DataReadDTO: Codable, Sendable {
    let auditSeq: Int64
    let datasetId, entryCode, actorId, actorName, departmentId, purposeId, filter, readAt, requestId: String
    let items: [String]
    let rows: Int
    init(_ r: DataRead) {
        auditSeq = r.auditSeq; datasetId = r.datasetId; entryCode = r.entryCode; actorId = r.actorId; actorName = r.actorName
        departmentId = r.departmentId; purposeId = r.purposeId; filter = r.filter; readAt = r.readAt; requestId = r.requestId
        items = r.items; rows = r.rows
    }
    enum CodingKeys: String, CodingKey {
        case filter, items, rows
        case auditSeq = "audit_seq", datasetId = "dataset_id", entryCode = "entry_code", actorId = "actor_id"
        case actorName = "actor_name", departmentId = "department_id", purposeId = "purpose_id", readAt = "read_at"
        case requestId = "request_id"
    }
}

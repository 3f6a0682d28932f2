import Foundation
import GovShareCore
import Hummingbird

struct ObjectionRecordDTO: Codable, Sendable {
    let key: String
    let proposedValue: String?
    let state: String
    let reason: String?
    let correctedBy: String?
    init(_ r: ObjectionRecord) {
        key = r.key; proposedValue = r.proposedValue; state = r.state.rawValue; reason = r.reason; correctedBy = r.correctedBy
    }
    enum CodingKeys: String, CodingKey {
        case key, state, reason
        case proposedValue = "proposed_value", correctedBy = "corrected_by"
    }
}

struct ObjectionStepDTO: Codable, Sendable {
    let at, action, actorName, departmentId: String
    let note: String?
    init(_ s: ObjectionStep) { at = s.at; action = s.action; actorName = s.actorName; departmentId = s.departmentId; note = s.note }
    enum CodingKeys: String, CodingKey { case at, action, note, actorName = "actor_name", departmentId = "department_id" }
}

struct ObjectionAttachmentDTO: Codable, Sendable {
    let id, fileName, mediaType, sha256, uploadedBy, departmentId, createdAt: String
    let size: Int
    init(_ a: ObjectionAttachment) {
        id = a.id; fileName = a.fileName; mediaType = a.mediaType; sha256 = a.sha256; uploadedBy = a.uploadedBy
        departmentId = a.departmentId; createdAt = a.createdAt; size = a.size
    }
    enum CodingKeys: String, CodingKey {
        case id, sha256, size
        case fileName = "file_name", mediaType = "media_type", uploadedBy = "uploaded_by", departmentId = "department_id"
        case createdAt = "created_at"
    }
}

struct ObjectionDTO: Codable, Sendable {
    let id, datasetId, entryCode, entryName, providerId, objectorDepartmentId, authorityId, kind, description, status: String
    let item, dueOn, answer, answeredAt, correctionDueOn, disputeReason, ruling, ruledBy, outcome: String?
    let dueProvisional, answeredLate: Bool?
    let overdue: Bool
    let records: [ObjectionRecordDTO]
    let attachments: [ObjectionAttachmentDTO]
    let history: [ObjectionStepDTO]
    let createdBy, createdAt, updatedAt, nodeId: String
    init(_ o: Objection, today: CivilDate) {
        id = o.id; datasetId = o.datasetId; entryCode = o.entryCode; entryName = o.entryName; providerId = o.providerId
        objectorDepartmentId = o.objectorDepartmentId; authorityId = o.authorityId; kind = o.kind.rawValue; description = o.description
        status = o.status.rawValue; item = o.item; dueOn = o.dueOn; answer = o.answer; answeredAt = o.answeredAt
        correctionDueOn = o.correctionDueOn; disputeReason = o.disputeReason; ruling = o.ruling; ruledBy = o.ruledBy
        outcome = o.outcome?.rawValue; dueProvisional = o.dueProvisional; answeredLate = o.answeredLate; overdue = o.isOverdue(on: today)
        records = o.records.map(ObjectionRecordDTO.init); attachments = o.attachments.map(ObjectionAttachmentDTO.init)
        history = o.history.map(ObjectionStepDTO.init); createdBy = o.createdByName; createdAt = o.createdAt; updatedAt = o.updatedAt
        nodeId = o.nodeId
    }
    enum CodingKeys: String, CodingKey {
        case id, kind, description, status, item, answer, ruling, outcome, overdue, records, attachments, history
        case datasetId = "dataset_id", entryCode = "entry_code", entryName = "entry_name", providerId = "provider_id"
        case objectorDepartmentId = "objector_department_id", authorityId = "authority_id", dueOn = "due_on"
        case answeredAt = "answered_at", correctionDueOn = "correction_due_on", disputeReason = "dispute_reason"
        case ruledBy = "ruled_by", dueProvisional = "due_provisional", answeredLate = "answered_late", createdBy = "created_by"
        case createdAt = "created_at", updatedAt = "updated_at", nodeId = "node_id"
    }
}

struct ObjectionCorrectionDTO: Codable, Sendable {
    let objection: ObjectionDTO
    let batch: BatchDTO
    let notifiedReaders: Int
    enum CodingKeys: String, CodingKey { case objection, batch, notifiedReaders = "notified_readers" }
}

struct ObjectionStatisticsDTO: Codable, Sendable {
    let providers: [ObjectionStatistics]
}

struct RaiseObjectionBody: Decodable, Sendable {
    struct Record: Decodable, Sendable {
        var key: Scalar?
        var token: String?
        var proposedValue: String?
        enum CodingKeys: String, CodingKey { case key, token, proposedValue = "proposed_value" }
    }
    var dataset, kind, item, description: String?
    var records: [Record]?
}

struct AnswerObjectionBody: Decodable, Sendable {
    struct Decision: Decodable, Sendable {
        var key: Scalar?
        var confirm: Bool?
        var reason: String?
    }
    var decisions: [Decision]?
    var note: String?
}

struct CorrectionBody: Decodable, Sendable { var rows: [[String: Scalar]]? }
struct DisputeBody: Decodable, Sendable { var reason: String? }
struct RulingBody: Decodable, Sendable {
    var upheld: Bool?
    var ruling: String?
}

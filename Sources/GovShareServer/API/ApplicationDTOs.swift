import Foundation
import GovShareCore

struct ApplicationRequest: Codable, Sendable {
    var entryCode: String?
    var items: [String]?
    var purpose: String?
    var business: String?
    var basis: String?
    var users: [String]?
    var contact: String?
    var dataManager: String?
    var shareMethod: String?
    var validUntil: String?
    /// Items needed in clear, each with the business reason (Art. 17, 19).
    var clearItems: [ClearNeedRequest]?
    enum CodingKeys: String, CodingKey {
        case items, purpose, business, basis, users, contact
        case entryCode = "entry_code", dataManager = "data_manager", shareMethod = "share_method", validUntil = "valid_until"
        case clearItems = "clear_items"
    }
}

struct ClearNeedRequest: Codable, Sendable {
    var item: String?
    var reason: String?
}

struct RefusalRequest: Codable, Sendable {
    var item: String?
    var reason: String?
    var basis: LegalBasis?
}

struct ApplicationReviewRequest: Codable, Sendable {
    var approvedItems: [String]?
    var refusals: [RefusalRequest]?
    var conditions: String?
    var validUntil: String?
    var overruleProvider: Bool?
    /// Approved items this side lets the applicant read in clear.
    var clearItems: [String]?
    enum CodingKeys: String, CodingKey {
        case refusals, conditions
        case approvedItems = "approved_items", validUntil = "valid_until", overruleProvider = "overrule_provider"
        case clearItems = "clear_items"
    }
}

struct QuestionRequest: Codable, Sendable { var question: String? }
struct AnswerRequest: Codable, Sendable { var answer: String? }

struct ApplicationDTO: Encodable, Sendable {
    let application: ShareApplication
    let dueOn: String?
    /// From this day the authority may decide without the provider (Art. 19).
    let silenceOn: String?
    let provisional: Bool
    let overdue: Bool
    let statusName: String

    func encode(to encoder: any Encoder) throws {
        // The application's own fields in snake_case, then the clock.
        let a = application
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(a.id, forKey: "id"); try c.encode(a.status.rawValue, forKey: "status"); try c.encode(statusName, forKey: "status_name")
        try c.encode(a.applicantDepartmentId, forKey: "applicant_department_id"); try c.encode(a.applicantId, forKey: "applicant_id")
        try c.encode(a.contact, forKey: "contact"); try c.encode(a.dataManager, forKey: "data_manager")
        try c.encode(a.entryId, forKey: "entry_id"); try c.encode(a.entryCode, forKey: "entry_code")
        try c.encode(a.providerId, forKey: "provider_id"); try c.encode(a.authorityId, forKey: "authority_id")
        try c.encode(a.items, forKey: "items"); try c.encode(a.purpose, forKey: "purpose"); try c.encode(a.business, forKey: "business")
        try c.encode(a.basis, forKey: "basis"); try c.encode(a.users, forKey: "users"); try c.encode(a.shareMethod, forKey: "share_method")
        try c.encode(a.validUntil, forKey: "valid_until"); try c.encode(a.receivedOn, forKey: "received_on")
        try c.encode(a.createdAt, forKey: "created_at")
        try c.encodeIfPresent(a.grantId, forKey: "grant_id"); try c.encodeIfPresent(a.decidedAt, forKey: "decided_at")
        try c.encodeIfPresent(a.escalatedAt, forKey: "escalated_at")
        try c.encode(a.clearRequests.map { ["item": $0.item, "reason": $0.reason] }, forKey: "clear_items")
        try c.encodeIfPresent(a.providerSilentAt, forKey: "provider_silent_at")
        try c.encodeIfPresent(silenceOn, forKey: "silence_point")
        try c.encodeIfPresent(dueOn, forKey: "due_on"); try c.encode(provisional, forKey: "due_provisional");
        try c.encode(overdue, forKey: "overdue")
        try c.encode(a.decisions.map(DecisionDTO.init), forKey: "decisions")
        try c.encode(a.infoRequests.map(InfoRequestDTO.init), forKey: "info_requests")
    }

    struct Key: CodingKey, ExpressibleByStringLiteral {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(stringLiteral value: String) { stringValue = value }
    }
}

struct DecisionDTO: Encodable, Sendable {
    let d: ReviewDecision
    init(_ d: ReviewDecision) { self.d = d }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ApplicationDTO.Key.self)
        try c.encode(d.role.rawValue, forKey: "role"); try c.encode(d.reviewerId, forKey: "reviewer_id")
        try c.encode(d.reviewerName, forKey: "reviewer_name"); try c.encode(d.departmentId, forKey: "department_id")
        try c.encode(d.approvedItems, forKey: "approved_items"); try c.encode(d.conditions, forKey: "conditions")
        try c.encode(
            d.refusals.map {
                [
                    "item": $0.item, "reason": $0.reason ?? "", "instrument": $0.basis?.instrument ?? "",
                    "article": $0.basis?.article ?? "",
                ]
            }, forKey: "refusals")
        try c.encodeIfPresent(d.validUntil, forKey: "valid_until"); try c.encode(d.decidedAt, forKey: "decided_at")
        try c.encodeIfPresent(d.overruledBy, forKey: "overruled_by")
        try c.encode(d.approvedClear, forKey: "clear_items")
        try c.encode(d.withoutProvider ?? false, forKey: "without_provider")
    }
}

struct InfoRequestDTO: Encodable, Sendable {
    let r: InfoRequest
    init(_ r: InfoRequest) { self.r = r }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ApplicationDTO.Key.self)
        try c.encode(r.askedBy, forKey: "asked_by"); try c.encode(r.question, forKey: "question");
        try c.encode(r.askedAt, forKey: "asked_at")
        try c.encodeIfPresent(r.answer, forKey: "answer"); try c.encodeIfPresent(r.answeredAt, forKey: "answered_at")
        try c.encodeIfPresent(r.pausedWorkingDays, forKey: "paused_working_days")
    }
}

struct InboxMessageDTO: Codable, Sendable {
    let id, kind, subjectType, subjectId, message, createdAt: String
    let readAt: String?
    enum CodingKeys: String, CodingKey {
        case id, kind, message
        case subjectType = "subject_type", subjectId = "subject_id", createdAt = "created_at", readAt = "read_at"
    }
}

/// A signed official document: `document` (base64) is exactly the signed bytes — verify it, not `document_text`,
/// with `signature` (base64 DER SES_Signature) via `POST /api/v1/seals/verify` or `govshare seal verify`.
struct OfficialDocumentDTO: Encodable, Sendable {
    let id: String
    let kind: String
    let objectId: String
    let document: String
    let documentText: String
    let documentSM3: String
    let signature: String
    let sealId: String
    let signedAt: String
    init(_ d: OfficialDocument) {
        id = d.id; kind = d.kind.rawValue; objectId = d.objectId; document = d.document.base64EncodedString()
        documentText = String(decoding: d.document, as: UTF8.self); documentSM3 = d.documentSM3Hex
        signature = d.signature.base64EncodedString(); sealId = d.sealId; signedAt = d.signedAt
    }
    enum CodingKeys: String, CodingKey {
        case id, kind, document, signature
        case objectId = "object_id"
        case documentText = "document_text"
        case documentSM3 = "document_sm3"
        case sealId = "seal_id"
        case signedAt = "signed_at"
    }
}

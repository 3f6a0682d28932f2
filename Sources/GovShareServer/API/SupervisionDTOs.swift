import Foundation
import GovShareCore

struct SupervisionRunDTO: Encodable, Sendable {
    let id, trigger, startedBy, startedAt, finishedAt: String
    let found, opened, resolved, milliseconds: Int
    let byRule: [String: Int]
    init(_ r: SupervisionRun) {
        id = r.id; trigger = r.trigger; startedBy = r.startedBy; startedAt = r.startedAt; finishedAt = r.finishedAt
        found = r.found; opened = r.opened; resolved = r.resolved; milliseconds = r.milliseconds; byRule = r.byRule
    }
    enum CodingKeys: String, CodingKey {
        case id, trigger, found, opened, resolved, milliseconds
        case startedBy = "started_by", startedAt = "started_at", finishedAt = "finished_at", byRule = "by_rule"
    }
}

struct SupervisionFindingDTO: Encodable, Sendable {
    let id, rule, article, departmentId, objectType, objectId, objectLabel, evidence, severity, status, runId: String
    let firstSeenAt, lastSeenAt: String
    let ruleVersion: Int
    let resolvedAt: String?
    init(_ f: SupervisionFinding) {
        id = f.id; rule = f.rule.rawValue; article = f.rule.article; departmentId = f.departmentId; objectType = f.objectType
        objectId = f.objectId; objectLabel = f.objectLabel; evidence = f.evidence; severity = f.severity.rawValue
        status = f.status.rawValue; runId = f.runId; firstSeenAt = f.firstSeenAt; lastSeenAt = f.lastSeenAt
        ruleVersion = f.ruleVersion; resolvedAt = f.resolvedAt
    }
    enum CodingKeys: String, CodingKey {
        case id, rule, article, evidence, severity, status
        case departmentId = "department_id", objectType = "object_type", objectId = "object_id", objectLabel = "object_label"
        case runId = "run_id", firstSeenAt = "first_seen_at", lastSeenAt = "last_seen_at", ruleVersion = "rule_version"
        case resolvedAt = "resolved_at"
    }
}

struct RectificationOrderDTO: Encodable, Sendable {
    let id, findingId, rule, departmentId, authorityId, what, basis, issuedOn, dueOn, status, issuedBy, issuedAt: String
    let sealId, documentSm3: String
    let workingDays: Int
    let overdue: Bool
    let response, respondedBy, respondedAt, decisionNote, decidedBy, decidedAt, escalatedAt: String?
    /// Only when one order is asked for: the signed document (JSON), the SES_Signature (base64) and its check.
    let document: JSONValue?
    let signature: String?
    let signatureValid: Bool?

    init(_ o: RectificationOrder, today: CivilDate, verification: (valid: Bool, reasons: [LocalizedText])? = nil) {
        id = o.id; findingId = o.findingId; rule = o.rule.rawValue; departmentId = o.departmentId; authorityId = o.authorityId
        what = o.what; basis = o.basis; issuedOn = o.issuedOn.description; dueOn = o.dueOn.description; status = o.status.rawValue
        issuedBy = o.issuedByName; issuedAt = o.issuedAt; sealId = o.sealId; documentSm3 = o.documentSM3Hex
        workingDays = o.workingDays; overdue = o.isOverdue(on: today); response = o.response; respondedBy = o.respondedByName
        respondedAt = o.respondedAt; decisionNote = o.decisionNote; decidedBy = o.decidedByName; decidedAt = o.decidedAt
        escalatedAt = o.escalatedAt
        document = verification == nil ? nil : try? JSONDecoder().decode(JSONValue.self, from: o.document)
        signature = verification == nil ? nil : o.signature.base64EncodedString()
        signatureValid = verification?.valid
    }

    enum CodingKeys: String, CodingKey {
        case id, rule, what, basis, status, overdue, response, document, signature
        case findingId = "finding_id", departmentId = "department_id", authorityId = "authority_id", issuedOn = "issued_on"
        case dueOn = "due_on", issuedBy = "issued_by", issuedAt = "issued_at", sealId = "seal_id", documentSm3 = "document_sm3"
        case workingDays = "working_days", respondedBy = "responded_by", respondedAt = "responded_at"
        case decisionNote = "decision_note", decidedBy = "decided_by", decidedAt = "decided_at", escalatedAt = "escalated_at"
        case signatureValid = "signature_valid"
    }
}

struct SupervisionOverviewDTO: Encodable, Sendable {
    let lastRun: SupervisionRunDTO?
    let openByRule: [String: Int]
    let findings: [SupervisionFindingDTO]
    let orders: [RectificationOrderDTO]
    enum CodingKeys: String, CodingKey { case findings, orders; case lastRun = "last_run", openByRule = "open_by_rule" }
}

struct RectificationOrderRequest: Decodable, Sendable {
    var findingId, what, basis: String?
    var workingDays: Int?
    enum CodingKeys: String, CodingKey { case what, basis; case findingId = "finding_id", workingDays = "working_days" }
}

struct RectificationResponseRequest: Decodable, Sendable { var response: String? }
struct RectificationDecisionRequest: Decodable, Sendable { var note: String? }

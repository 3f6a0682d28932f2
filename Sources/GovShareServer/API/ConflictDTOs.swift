import Foundation
import GovShareCore

struct FactPairSideDTO: Codable, Sendable {
    let datasetId, entryId, entryCode, entryName, providerId, item, keyItem: String
    init(_ s: FactPairSide) {
        datasetId = s.datasetId; entryId = s.entryId; entryCode = s.entryCode; entryName = s.entryName
        providerId = s.providerId; item = s.item; keyItem = s.keyItem
    }
    enum CodingKeys: String, CodingKey {
        case item
        case datasetId = "dataset_id", entryId = "entry_id", entryCode = "entry_code", entryName = "entry_name"
        case providerId = "provider_id", keyItem = "key_item"
    }
}

struct FactPairDTO: Encodable, Sendable {
    let id, authorityId, note, status, declaredBy, declaredAt, nodeId: String
    let left, right: FactPairSideDTO
    let retiredAt: String?
    init(_ p: FactPair) {
        id = p.id; authorityId = p.authorityId; note = p.note; status = p.status.rawValue; declaredBy = p.declaredByName
        declaredAt = p.declaredAt; nodeId = p.nodeId; left = FactPairSideDTO(p.left); right = FactPairSideDTO(p.right)
        retiredAt = p.retiredAt
    }
    enum CodingKeys: String, CodingKey {
        case id, note, status, left, right
        case authorityId = "authority_id", declaredBy = "declared_by", declaredAt = "declared_at", nodeId = "node_id"
        case retiredAt = "retired_at"
    }
}

struct FactPairListDTO: Encodable, Sendable { let pairs: [FactPairDTO] }

struct ConflictCaseDTO: Encodable, Sendable {
    let id, pairId, authorityId, leftProviderId, rightProviderId, status, openedAt, dueOn, updatedAt, nodeId: String
    let disagreements: Int
    let proposedSide, proposedBy, resolvedSide, resolvedBy, resolvedAt, reasons, escalatedAt: String?
    let pair: FactPairDTO
    init(_ c: ConflictCase, pair p: FactPair) {
        id = c.id; pairId = c.pairId; authorityId = c.authorityId; leftProviderId = c.leftProviderId
        rightProviderId = c.rightProviderId; status = c.status.rawValue; openedAt = c.openedAt; dueOn = c.dueOn
        updatedAt = c.updatedAt; nodeId = c.nodeId; disagreements = c.disagreements; proposedSide = c.proposedSide?.rawValue
        proposedBy = c.proposedBy; resolvedSide = c.resolvedSide?.rawValue; resolvedBy = c.resolvedBy; resolvedAt = c.resolvedAt
        reasons = c.reasons; escalatedAt = c.escalatedAt; pair = FactPairDTO(p)
    }
    enum CodingKeys: String, CodingKey {
        case id, status, disagreements, reasons, pair
        case pairId = "pair_id", authorityId = "authority_id", leftProviderId = "left_provider_id"
        case rightProviderId = "right_provider_id", openedAt = "opened_at", dueOn = "due_on", updatedAt = "updated_at"
        case nodeId = "node_id", proposedSide = "proposed_side", proposedBy = "proposed_by", resolvedSide = "resolved_side"
        case resolvedBy = "resolved_by", resolvedAt = "resolved_at", escalatedAt = "escalated_at"
    }
}

struct ConflictCaseListDTO: Encodable, Sendable { let cases: [ConflictCaseDTO] }

struct ConflictFindingDTO: Encodable, Sendable {
    let id: String
    let leftKey, leftValue, rightKey, rightValue: String?
    let leftWithheld, rightWithheld: Bool
    init(_ f: ResolvedFinding) {
        id = f.id; leftKey = f.leftKey; leftValue = f.leftValue; rightKey = f.rightKey; rightValue = f.rightValue
        leftWithheld = f.leftWithheld; rightWithheld = f.rightWithheld
    }
    enum CodingKeys: String, CodingKey {
        case id
        case leftKey = "left_key", leftValue = "left_value", rightKey = "right_key", rightValue = "right_value"
        case leftWithheld = "left_withheld", rightWithheld = "right_withheld"
    }
}

struct ConflictMessageDTO: Encodable, Sendable {
    let id, kind, departmentId, author, body, createdAt: String
    init(_ m: ConflictMessage) {
        id = m.id; kind = m.kind.rawValue; departmentId = m.departmentId; author = m.authorName; body = m.body; createdAt = m.createdAt
    }
    enum CodingKeys: String, CodingKey {
        case id, kind, author, body
        case departmentId = "department_id", createdAt = "created_at"
    }
}

struct ConflictCaseDetailDTO: Encodable, Sendable {
    let conflict: ConflictCaseDTO
    let findings: [ConflictFindingDTO]
    let messages: [ConflictMessageDTO]
    let mayNegotiate, mayAgree, mayArbitrate: Bool
    init(_ d: ConflictCaseDetail) {
        conflict = ConflictCaseDTO(d.conflict, pair: d.pair); findings = d.findings.map(ConflictFindingDTO.init)
        messages = d.messages.map(ConflictMessageDTO.init); mayNegotiate = d.mayNegotiate; mayAgree = d.mayAgree
        mayArbitrate = d.mayArbitrate
    }
    enum CodingKeys: String, CodingKey {
        case conflict, findings, messages
        case mayNegotiate = "may_negotiate", mayAgree = "may_agree", mayArbitrate = "may_arbitrate"
    }
}

struct ConflictRunDTO: Encodable, Sendable {
    let id, trigger, startedBy, startedAt, finishedAt, nodeId: String
    let pairsChecked, disagreements, casesOpened, milliseconds: Int
    init(_ r: ConflictCheckRun) {
        id = r.id; trigger = r.trigger.rawValue; startedBy = r.startedBy; startedAt = r.startedAt; finishedAt = r.finishedAt
        nodeId = r.nodeId; pairsChecked = r.pairsChecked; disagreements = r.disagreements; casesOpened = r.casesOpened
        milliseconds = r.milliseconds
    }
    enum CodingKeys: String, CodingKey {
        case id, trigger, disagreements, milliseconds
        case startedBy = "started_by", startedAt = "started_at", finishedAt = "finished_at", nodeId = "node_id"
        case pairsChecked = "pairs_checked", casesOpened = "cases_opened"
    }
}

struct ConflictRunListDTO: Encodable, Sendable { let runs: [ConflictRunDTO] }

struct ConflictStatisticsDTO: Encodable, Sendable {
    struct Provider: Encodable, Sendable {
        let providerId: String
        let open, resolved, negotiating, escalated, agreed, arbitrated: Int
        enum CodingKeys: String, CodingKey {
            case open, resolved, negotiating, escalated, agreed, arbitrated
            case providerId = "provider_id"
        }
    }
    let providers: [Provider]
    init(_ stats: [ConflictProviderStatistics]) {
        providers = stats.map {
            Provider(
                providerId: $0.providerId, open: $0.open, resolved: $0.resolved, negotiating: $0.negotiating, escalated: $0.escalated,
                agreed: $0.agreed, arbitrated: $0.arbitrated)
        }
    }
}

struct AuthoritativeSourceDTO: Codable, Sendable {
    let item, sourceEntryCode, sourceEntryName, sourceItem, decidedHow, decidedAt, caseId: String
    init(_ s: EntryAuthoritativeSource) {
        item = s.item; sourceEntryCode = s.sourceEntryCode; sourceEntryName = s.sourceEntryName; sourceItem = s.sourceItem
        decidedHow = s.decidedHow.rawValue; decidedAt = s.decidedAt; caseId = s.caseId
    }
    enum CodingKeys: String, CodingKey {
        case item
        case sourceEntryCode = "source_entry_code", sourceEntryName = "source_entry_name", sourceItem = "source_item"
        case decidedHow = "decided_how", decidedAt = "decided_at", caseId = "case_id"
    }
}

struct FactPairSideBody: Decodable, Sendable {
    var entryCode, item, keyItem: String?
    enum CodingKeys: String, CodingKey { case item; case entryCode = "entry_code", keyItem = "key_item" }
}

struct FactPairBody: Decodable, Sendable {
    var left, right: FactPairSideBody?
    var note: String?
}

struct ConflictMessageBody: Decodable, Sendable { var body: String? }
struct ConflictProposalBody: Decodable, Sendable { var side, note: String? }
struct ConflictEscalationBody: Decodable, Sendable { var note: String? }
struct ConflictArbitrationBody: Decodable, Sendable { var side, reasons: String? }

import Foundation

/// Which of a fact pair's two datasets.
public enum ConflictSide: String, Sendable, Codable, CaseIterable {
    case left, right
    public var other: ConflictSide { self == .left ? .right : .left }
}

/// One side of a fact pair: a dataset's item, and the item that identifies the record on that side.
public struct FactPairSide: Sendable, Equatable {
    public var datasetId: String
    public var entryId: String
    public var entryCode: String
    public var entryName: String
    public var providerId: String
    public var item: String
    public var keyItem: String
    public init(
        datasetId: String, entryId: String, entryCode: String, entryName: String, providerId: String, item: String, keyItem: String
    ) {
        self.datasetId = datasetId; self.entryId = entryId; self.entryCode = entryCode; self.entryName = entryName
        self.providerId = providerId; self.item = item; self.keyItem = keyItem
    }
}

/// Two items of two providers' datasets that the data authority declared to describe the same fact (Art. 13), matched
/// record by record on their key items (e.g. 人口基础信息.CSRQ and 居民户籍信息.CSRQ, keyed by GMSFHM).
public struct FactPair: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case active, retired }
    public var id: String
    /// The data authority that declared it, and arbitrates its conflicts.
    public var authorityId: String
    public var left: FactPairSide
    public var right: FactPairSide
    public var note: String
    public var status: Status
    public var declaredBy: String
    public var declaredByName: String
    public var declaredAt: String
    public var retiredAt: String?
    public var nodeId: String

    public init(
        id: String, authorityId: String, left: FactPairSide, right: FactPairSide, note: String, status: Status, declaredBy: String,
        declaredByName: String, declaredAt: String, retiredAt: String? = nil, nodeId: String
    ) {
        self.id = id; self.authorityId = authorityId; self.left = left; self.right = right; self.note = note
        self.status = status; self.declaredBy = declaredBy; self.declaredByName = declaredByName; self.declaredAt = declaredAt
        self.retiredAt = retiredAt; self.nodeId = nodeId
    }

    public func side(_ s: ConflictSide) -> FactPairSide { s == .left ? left : right }
    public var providerIds: Set<String> { [left.providerId, right.providerId] }
}

public enum ConflictStatus: String, Sendable, Codable, CaseIterable {
    /// The providers negotiate until the due date (Art. 13 "协商").
    case negotiating
    /// Both providers agreed on the authoritative source.
    case agreed
    /// Not agreed in time (or a provider asked): the data authority arbitrates.
    case escalated
    /// The data authority named the authoritative source.
    case arbitrated

    public var isOpen: Bool { self == .negotiating || self == .escalated }

    public var name: LocalizedText {
        switch self {
        case .negotiating: LocalizedText(zh: "协商中", en: "Negotiating")
        case .agreed: LocalizedText(zh: "已协商一致", en: "Agreed")
        case .escalated: LocalizedText(zh: "待主管部门裁定", en: "Escalated to the authority")
        case .arbitrated: LocalizedText(zh: "已裁定", en: "Arbitrated")
        }
    }
}

/// A conflict between two providers over one fact pair, opened by a check that found disagreeing records.
public struct ConflictCase: Sendable, Equatable {
    public var id: String
    public var pairId: String
    public var authorityId: String
    public var leftProviderId: String
    public var rightProviderId: String
    public var status: ConflictStatus
    /// Disagreeing records found by the last check that refreshed the case.
    public var disagreements: Int
    public var lastRunId: String
    public var openedAt: String
    /// The last day of negotiation, `conflict_negotiation_working_days` working days after the day it opened.
    public var dueOn: String
    public var proposedSide: ConflictSide?
    public var proposedBy: String?
    public var proposedAt: String?
    public var resolvedSide: ConflictSide?
    public var resolvedBy: String?
    public var resolvedAt: String?
    public var reasons: String?
    public var escalatedAt: String?
    public var updatedAt: String
    public var nodeId: String

    public init(
        id: String, pairId: String, authorityId: String, leftProviderId: String, rightProviderId: String, status: ConflictStatus,
        disagreements: Int, lastRunId: String, openedAt: String, dueOn: String, proposedSide: ConflictSide? = nil,
        proposedBy: String? = nil, proposedAt: String? = nil, resolvedSide: ConflictSide? = nil, resolvedBy: String? = nil,
        resolvedAt: String? = nil, reasons: String? = nil, escalatedAt: String? = nil, updatedAt: String, nodeId: String
    ) {
        self.id = id; self.pairId = pairId; self.authorityId = authorityId; self.leftProviderId = leftProviderId
        self.rightProviderId = rightProviderId; self.status = status; self.disagreements = disagreements
        self.lastRunId = lastRunId; self.openedAt = openedAt; self.dueOn = dueOn; self.proposedSide = proposedSide
        self.proposedBy = proposedBy; self.proposedAt = proposedAt; self.resolvedSide = resolvedSide
        self.resolvedBy = resolvedBy; self.resolvedAt = resolvedAt; self.reasons = reasons; self.escalatedAt = escalatedAt
        self.updatedAt = updatedAt; self.nodeId = nodeId
    }

    public func provider(_ side: ConflictSide) -> String { side == .left ? leftProviderId : rightProviderId }
    public func side(of departmentId: String) -> ConflictSide? {
        departmentId == leftProviderId ? .left : departmentId == rightProviderId ? .right : nil
    }
}

/// One disagreeing record: each side's stored row key (for an encrypted key item its blind index, never the value),
/// which only that side's provider — or the arbitrating authority — has opened through the service.
public struct ConflictFinding: Sendable, Equatable {
    public var id: String
    public var caseId: String
    public var leftRef: String
    public var rightRef: String
    public var foundAt: String
    public init(id: String, caseId: String, leftRef: String, rightRef: String, foundAt: String) {
        self.id = id; self.caseId = caseId; self.leftRef = leftRef; self.rightRef = rightRef; self.foundAt = foundAt
    }
}

/// A finding as one reader sees it: the values of a side only where the reader may see them.
public struct ResolvedFinding: Sendable, Equatable {
    public var id: String
    public var leftKey, leftValue, rightKey, rightValue: String?
    public var leftWithheld, rightWithheld: Bool
}

public struct ConflictMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case message, proposal, agreement, escalation, arbitration }
    public var id: String
    public var caseId: String
    public var kind: Kind
    public var departmentId: String
    public var authorId: String
    public var authorName: String
    public var body: String
    public var createdAt: String
    public var nodeId: String
    public init(
        id: String, caseId: String, kind: Kind, departmentId: String, authorId: String, authorName: String, body: String,
        createdAt: String, nodeId: String
    ) {
        self.id = id; self.caseId = caseId; self.kind = kind; self.departmentId = departmentId; self.authorId = authorId
        self.authorName = authorName; self.body = body; self.createdAt = createdAt; self.nodeId = nodeId
    }
}

/// One run of the conflict check over the active pairs in scope.
public struct ConflictCheckRun: Sendable, Equatable {
    public enum Trigger: String, Sendable, Codable { case scheduled, onDemand = "on_demand" }
    public var id: String
    public var trigger: Trigger
    public var startedBy: String
    public var startedAt: String
    public var finishedAt: String
    public var pairsChecked: Int
    public var disagreements: Int
    public var casesOpened: Int
    public var milliseconds: Int
    public var nodeId: String
    public init(
        id: String, trigger: Trigger, startedBy: String, startedAt: String, finishedAt: String, pairsChecked: Int, disagreements: Int,
        casesOpened: Int, milliseconds: Int, nodeId: String
    ) {
        self.id = id; self.trigger = trigger; self.startedBy = startedBy; self.startedAt = startedAt; self.finishedAt = finishedAt
        self.pairsChecked = pairsChecked; self.disagreements = disagreements; self.casesOpened = casesOpened
        self.milliseconds = milliseconds; self.nodeId = nodeId
    }
}

/// What the catalog records once a conflict is settled: for the pair's item, which dataset is the authoritative
/// source (one row per pair; a later decision replaces it).
public struct AuthoritativeSource: Sendable, Equatable {
    public var id: String
    public var pairId: String
    public var caseId: String
    public var side: ConflictSide
    /// `agreed` or `arbitrated`.
    public var decidedHow: ConflictStatus
    public var decidedByName: String
    public var reasons: String
    public var decidedAt: String
    public var nodeId: String
    public init(
        id: String, pairId: String, caseId: String, side: ConflictSide, decidedHow: ConflictStatus, decidedByName: String,
        reasons: String, decidedAt: String, nodeId: String
    ) {
        self.id = id; self.pairId = pairId; self.caseId = caseId; self.side = side; self.decidedHow = decidedHow
        self.decidedByName = decidedByName; self.reasons = reasons; self.decidedAt = decidedAt; self.nodeId = nodeId
    }
}

/// A catalog entry's item and the authoritative source named for it (the entry's API answer and page show these).
public struct EntryAuthoritativeSource: Sendable, Equatable {
    public var item: String
    public var sourceEntryCode: String
    public var sourceEntryName: String
    public var sourceItem: String
    public var decidedHow: ConflictStatus
    public var decidedAt: String
    public var caseId: String
    public init(
        item: String, sourceEntryCode: String, sourceEntryName: String, sourceItem: String, decidedHow: ConflictStatus,
        decidedAt: String, caseId: String
    ) {
        self.item = item; self.sourceEntryCode = sourceEntryCode; self.sourceEntryName = sourceEntryName
        self.sourceItem = sourceItem; self.decidedHow = decidedHow; self.decidedAt = decidedAt; self.caseId = caseId
    }
}

/// What the check found for one pair.
public struct ConflictComparison: Sendable {
    /// Disagreeing records in all.
    public var count: Int
    /// The first `keep` of them, as (left stored key, right stored key).
    public var refs: [(left: String, right: String)]
    /// Records present on both sides.
    public var matched: Int
    public init(count: Int, refs: [(left: String, right: String)], matched: Int) {
        self.count = count; self.refs = refs; self.matched = matched
    }
}

/// Supervision inputs (Art. 30) per provider: conflicts open and resolved.
public struct ConflictProviderStatistics: Sendable, Equatable {
    public var providerId: String
    public var negotiating: Int
    public var escalated: Int
    public var agreed: Int
    public var arbitrated: Int
    public init(providerId: String, negotiating: Int = 0, escalated: Int = 0, agreed: Int = 0, arbitrated: Int = 0) {
        self.providerId = providerId; self.negotiating = negotiating; self.escalated = escalated; self.agreed = agreed
        self.arbitrated = arbitrated
    }
    public var open: Int { negotiating + escalated }
    public var resolved: Int { agreed + arbitrated }
}

/// A case with its pair, as the actions answer.
public struct ConflictCaseWithPair: Sendable {
    public var conflict: ConflictCase
    public var pair: FactPair
}

import Foundation

/// What an objector says is wrong (Art. 21: 有疑义或发现有明显错误).
public enum ObjectionKind: String, Sendable, Codable, CaseIterable {
    case wrongValue = "wrong_value"
    case missingRecord = "missing_record"
    case outdated
    case duplicate
    case format

    public var name: LocalizedText {
        switch self {
        case .wrongValue: LocalizedText(zh: "数据值错误", en: "Wrong value")
        case .missingRecord: LocalizedText(zh: "缺失记录", en: "Missing record")
        case .outdated: LocalizedText(zh: "数据过时", en: "Outdated")
        case .duplicate: LocalizedText(zh: "重复记录", en: "Duplicate")
        case .format: LocalizedText(zh: "格式不符", en: "Format")
        }
    }
}

/// Where an objection stands: the provider answers (`open`), the objector accepts or disputes the answer
/// (`answered`), the data authority rules on a dispute (`disputed`); `closed` is final.
public enum ObjectionStatus: String, Sendable, Codable, CaseIterable {
    case open, answered, disputed, closed

    public var name: LocalizedText {
        switch self {
        case .open: LocalizedText(zh: "待提供部门答复", en: "Awaiting the provider")
        case .answered: LocalizedText(zh: "已答复，待异议方确认", en: "Answered, awaiting the objector")
        case .disputed: LocalizedText(zh: "有争议，待主管部门裁定", en: "Disputed, awaiting the authority")
        case .closed: LocalizedText(zh: "已办结", en: "Closed")
        }
    }
}

/// How one objected record (or the objection's whole subject, when it names no record) was answered.
public enum ObjectionRecordState: String, Sendable, Codable, CaseIterable {
    /// Not answered yet.
    case pending
    /// The provider (or the authority's ruling) confirmed the error: flagged in every read until corrected.
    case confirmed
    case rejected
    /// Corrected through a report batch linked to the objection.
    case corrected

    public var name: LocalizedText {
        switch self {
        case .pending: LocalizedText(zh: "待答复", en: "Pending")
        case .confirmed: LocalizedText(zh: "已确认有误，待更正", en: "Confirmed, to be corrected")
        case .rejected: LocalizedText(zh: "不予认可", en: "Rejected")
        case .corrected: LocalizedText(zh: "已更正", en: "Corrected")
        }
    }
}

/// How an objection ended.
public enum ObjectionOutcome: String, Sendable, Codable, CaseIterable {
    /// The objector accepted the provider's answer.
    case accepted
    /// The authority ruled for the objector: the rejected records are confirmed and must be corrected.
    case upheld
    /// The authority ruled for the provider: its answer stands.
    case dismissed
    /// The objector withdrew the objection.
    case withdrawn

    public var name: LocalizedText {
        switch self {
        case .accepted: LocalizedText(zh: "异议方认可答复", en: "Answer accepted")
        case .upheld: LocalizedText(zh: "裁定支持异议", en: "Ruled for the objector")
        case .dismissed: LocalizedText(zh: "裁定维持答复", en: "Ruled for the provider")
        case .withdrawn: LocalizedText(zh: "异议方撤回", en: "Withdrawn")
        }
    }
}

/// One objected record: its primary key (sealed at rest with what the objector believes correct), and its answer.
public struct ObjectionRecord: Sendable, Codable, Equatable {
    /// The record's primary key; empty for an objection about the dataset or an item as a whole.
    public var key: String
    /// The value the objector believes correct, for the objection's item (or as free text).
    public var proposedValue: String?
    public var state: ObjectionRecordState
    /// The provider's reason when it rejects (required then).
    public var reason: String?
    /// The report batch that corrected it.
    public var correctedBy: String?
    public init(
        key: String, proposedValue: String?, state: ObjectionRecordState = .pending, reason: String? = nil, correctedBy: String? = nil
    ) {
        self.key = key; self.proposedValue = proposedValue; self.state = state; self.reason = reason; self.correctedBy = correctedBy
    }

    public var isWholeSubject: Bool { key.isEmpty }
}

/// One step in an objection's history, shown on its page (the audit log has the same, chained).
public struct ObjectionStep: Sendable, Codable, Equatable {
    public var at: String
    public var action: String
    public var actorId: String
    public var actorName: String
    public var departmentId: String
    public var note: String?
    public init(at: String, action: String, actorId: String, actorName: String, departmentId: String, note: String?) {
        self.at = at; self.action = action; self.actorId = actorId; self.actorName = actorName
        self.departmentId = departmentId; self.note = note
    }
}

/// A consumer's objection to shared data (数据异议, Art. 21), on a clock: the provider answers within
/// `objectionReplyWorkingDays`, the authority rules on a dispute within `objectionRulingWorkingDays`.
public struct Objection: Sendable, Codable, Equatable {
    public var id: String
    public var datasetId: String
    public var entryCode: String
    public var entryName: String
    public var providerId: String
    public var objectorDepartmentId: String
    /// The data authority over the provider (Oversight), who rules on disputes.
    public var authorityId: String
    /// The item the objection is about, if one.
    public var item: String?
    public var kind: ObjectionKind
    public var description: String
    public var status: ObjectionStatus
    /// Records sealed at rest (their keys and proposed values are personal data); at least one, the whole subject
    /// (empty key) when no record is named.
    public var records: [ObjectionRecord]
    /// The clock now running (the provider's answer, then the authority's ruling); nil once closed.
    public var deadlineId: String?
    /// Its due date (filled in from the deadline when read; a provisional date moves when the year is announced).
    public var dueOn: String?
    public var dueProvisional: Bool?
    /// The provider's answer.
    public var answer: String?
    public var answeredAt: String?
    public var answeredBy: String?
    /// The answer was given after its due date.
    public var answeredLate: Bool?
    /// Working days from the day received to the answer (supervision, issue 17).
    public var answerWorkingDays: Int?
    /// Confirmed records must be corrected by this date (the answer's due date, or the ruling's correction term).
    public var correctionDueOn: String?
    public var disputeReason: String?
    public var ruling: String?
    public var ruledBy: String?
    public var outcome: ObjectionOutcome?
    /// The overdue notice (provider's answer, the ruling, or the correction) went out for this due date.
    public var overdueNoticeFor: String?
    public var attachments: [ObjectionAttachment]
    public var history: [ObjectionStep]
    public var createdBy: String
    public var createdByName: String
    public var createdAt: String
    public var updatedAt: String
    public var nodeId: String

    public init(
        id: String, datasetId: String, entryCode: String, entryName: String, providerId: String, objectorDepartmentId: String,
        authorityId: String, item: String?, kind: ObjectionKind, description: String, records: [ObjectionRecord],
        createdBy: String, createdByName: String, createdAt: String, nodeId: String
    ) {
        self.id = id; self.datasetId = datasetId; self.entryCode = entryCode; self.entryName = entryName
        self.providerId = providerId; self.objectorDepartmentId = objectorDepartmentId; self.authorityId = authorityId
        self.item = item; self.kind = kind; self.description = description; self.status = .open; self.records = records
        self.attachments = []; self.history = []; self.createdBy = createdBy; self.createdByName = createdByName
        self.createdAt = createdAt; self.updatedAt = createdAt; self.nodeId = nodeId
    }

    /// Records confirmed and not yet corrected: these are flagged in reads.
    public var openConfirmed: [ObjectionRecord] { records.filter { $0.state == .confirmed } }
    public var hasRejected: Bool { records.contains { $0.state == .rejected } }

    /// Overdue: the running clock's date has passed, or confirmed records are still uncorrected past their term.
    public func isOverdue(on today: CivilDate) -> Bool {
        if status == .open || status == .disputed, let due = dueOn.flatMap(CivilDate.init), today > due { return true }
        if !openConfirmed.isEmpty, let due = correctionDueOn.flatMap(CivilDate.init), today > due { return true }
        return false
    }

    /// Who must act next: the provider (answer or correction), the objector, the authority, or nobody.
    public var nextActor: String? {
        switch status {
        case .open: providerId
        case .answered: objectorDepartmentId
        case .disputed: authorityId
        case .closed: openConfirmed.isEmpty ? nil : providerId
        }
    }
}

/// Evidence attached to an objection, stored by its SHA-256.
public struct ObjectionAttachment: Sendable, Codable, Equatable {
    public var id: String
    public var fileName: String
    public var mediaType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var departmentId: String
    public var createdAt: String
    public init(
        id: String, fileName: String, mediaType: String, size: Int, sha256: String, uploadedBy: String, departmentId: String,
        createdAt: String
    ) {
        self.id = id; self.fileName = fileName; self.mediaType = mediaType; self.size = size; self.sha256 = sha256
        self.uploadedBy = uploadedBy; self.departmentId = departmentId; self.createdAt = createdAt
    }
}

/// Per provider, how objections were handled (supervision input for the assessment, Art. 29–31).
public struct ObjectionStatistics: Sendable, Codable, Equatable {
    public var departmentId: String
    public var received = 0
    public var answered = 0
    public var answeredOnTime = 0
    /// Answered after the due date, or unanswered past it.
    public var late = 0
    public var open = 0
    /// Objections with at least one record confirmed (by the provider or a ruling).
    public var confirmed = 0
    /// Confirmed objections whose every confirmed record has been corrected.
    public var corrected = 0
    public var disputed = 0
    public var averageWorkingDays: Double?
    public init(departmentId: String) { self.departmentId = departmentId }

    enum CodingKeys: String, CodingKey {
        case received, answered, late, open, confirmed, corrected, disputed
        case departmentId = "department_id", answeredOnTime = "answered_on_time", averageWorkingDays = "average_working_days"
    }
}

public protocol ObjectionRepository: Sendable {
    /// Stores a new objection with its deadline, notifications and audit entry in one transaction; the records' keys
    /// and proposed values are sealed, and each record gets its keyed reference (the read trace's) for flagging.
    func insert(_ objection: Objection, deadline: Deadline, notifications: [InboxMessage], audit: AuditRecord) async throws
    func find(id: String) async throws -> Objection?
    /// Objections of these departments as objector, provider or authority (all when nil), newest first.
    func list(departmentIds: Set<String>?, limit: Int) async throws -> [Objection]
    /// Saves the objection if still stored as `previous` (else 409 `objection_changed`, nothing written); meets
    /// `closing` deadline and starts `starting`; notifications and the audit entry commit with it.
    func save(
        _ objection: Objection, replacing previous: Objection, closing: String?, starting: Deadline?,
        notifications: [InboxMessage], audit: AuditRecord) async throws
}

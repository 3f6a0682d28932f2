/// Art. 19: the order in which the data authority and the provider review an application.
public enum ReviewOrder: String, Sendable, Codable, CaseIterable {
    case authorityFirst = "authority_first", providerFirst = "provider_first", parallel
}

public enum ReviewerRole: String, Sendable, Codable, CaseIterable {
    case authority, provider
}

public enum ApplicationStatus: String, Sendable, Codable, CaseIterable {
    /// Received and under review; the clock runs.
    case underReview = "under_review"
    /// A reviewer asked the applicant for more information; the clock is paused.
    case infoRequested = "info_requested"
    case approved, refused, withdrawn

    public var isOpen: Bool { self == .underReview || self == .infoRequested }

    public var name: LocalizedText {
        switch self {
        case .underReview: LocalizedText(zh: "审核中", en: "Under review")
        case .infoRequested: LocalizedText(zh: "待补充材料", en: "Information requested")
        case .approved: LocalizedText(zh: "已批准", en: "Approved")
        case .refused: LocalizedText(zh: "不予共享", en: "Refused")
        case .withdrawn: LocalizedText(zh: "已撤回", en: "Withdrawn")
        }
    }
}

/// Why an item is refused: reasons and the law or regulation that allows the refusal (Art. 16: no legal basis,
/// no refusal; an internal rule is not a basis).
public struct Refusal: Sendable, Codable, Equatable {
    public var item: String
    public var reason: String?
    public var basis: LegalBasis?
    public init(item: String, reason: String?, basis: LegalBasis?) { self.item = item; self.reason = reason; self.basis = basis }
}

/// An item the applicant needs in clear, and why (Art. 17, 19: the application states the items and what they serve).
/// A graded item (or any resident ID number) is delivered masked unless its clear value is asked for with a reason and
/// both reviewers approve it clear.
public struct ClearNeed: Sendable, Codable, Equatable {
    public var item: String
    public var reason: String
    public init(item: String, reason: String) { self.item = item; self.reason = reason }
}

/// One reviewer's decision on an application.
public struct ReviewDecision: Sendable, Codable, Equatable {
    public var role: ReviewerRole
    public var reviewerId: String
    public var reviewerName: String
    public var departmentId: String
    public var approvedItems: [String]
    public var refusals: [Refusal]
    public var conditions: String
    public var validUntil: String?
    public var decidedAt: String
    /// Set when the authority set aside this (provider) decision.
    public var overruledBy: String?
    /// Approved items this side lets the applicant read in clear (a subset of the items asked for in clear); the rest
    /// of the approved items are delivered masked. Absent in decisions recorded before clear access could be asked for.
    public var clearItems: [String]?
    /// The authority decided without the provider, who had not answered by the silence point (Art. 19).
    public var withoutProvider: Bool?

    public init(
        role: ReviewerRole, reviewerId: String, reviewerName: String, departmentId: String, approvedItems: [String],
        refusals: [Refusal], conditions: String, validUntil: String?, decidedAt: String, overruledBy: String? = nil
    ) {
        self.role = role; self.reviewerId = reviewerId; self.reviewerName = reviewerName; self.departmentId = departmentId
        self.approvedItems = approvedItems; self.refusals = refusals; self.conditions = conditions; self.validUntil = validUntil
        self.decidedAt = decidedAt; self.overruledBy = overruledBy
    }

    public var approvedClear: [String] { clearItems ?? [] }
}

/// A recorded pause: a reviewer asked for more information; the applicant answered.
public struct InfoRequest: Sendable, Codable, Equatable {
    public var askedBy: String
    public var question: String
    public var askedAt: String
    public var answer: String?
    public var answeredAt: String?
    public var pausedWorkingDays: Int?
    public init(
        askedBy: String, question: String, askedAt: String, answer: String? = nil, answeredAt: String? = nil, pausedWorkingDays: Int? = nil
    ) {
        self.askedBy = askedBy; self.question = question; self.askedAt = askedAt; self.answer = answer; self.answeredAt = answeredAt
        self.pausedWorkingDays = pausedWorkingDays
    }
}

/// An application to use conditional data (Art. 19).
public struct ShareApplication: Sendable, Codable, Equatable {
    public var id: String
    public var applicantDepartmentId: String
    public var applicantId: String
    public var contact: String
    public var dataManager: String
    public var entryId: String
    public var entryCode: String
    public var providerId: String
    public var authorityId: String
    public var items: [String]
    public var purpose: String
    public var business: String
    public var basis: String
    public var users: [String]
    public var shareMethod: String
    public var validUntil: String
    public var status: ApplicationStatus
    public var receivedOn: String
    public var deadlineId: String
    public var decisions: [ReviewDecision]
    public var infoRequests: [InfoRequest]
    public var grantId: String?
    public var decidedAt: String?
    public var escalatedAt: String?
    public var remindedAt: String?
    public var createdAt: String
    public var nodeId: String
    /// Items asked for in clear, with the reason for each (absent: none).
    public var clearNeeds: [ClearNeed]?
    /// When the provider's silence was established: it had not decided by the silence point, so the authority may
    /// decide alone and its decision settles the application (Art. 19: the application is answered in time).
    public var providerSilentAt: String?
    /// When the authority was told it may decide alone.
    public var silenceNotifiedAt: String?

    public init(
        id: String, applicantDepartmentId: String, applicantId: String, contact: String, dataManager: String, entryId: String,
        entryCode: String, providerId: String, authorityId: String, items: [String], purpose: String, business: String,
        basis: String, users: [String], shareMethod: String, validUntil: String, status: ApplicationStatus, receivedOn: String,
        deadlineId: String, decisions: [ReviewDecision], infoRequests: [InfoRequest], grantId: String?, decidedAt: String?,
        escalatedAt: String?, remindedAt: String?, createdAt: String, nodeId: String
    ) {
        self.id = id; self.applicantDepartmentId = applicantDepartmentId; self.applicantId = applicantId; self.contact = contact
        self.dataManager = dataManager; self.entryId = entryId; self.entryCode = entryCode; self.providerId = providerId
        self.authorityId = authorityId; self.items = items; self.purpose = purpose; self.business = business; self.basis = basis
        self.users = users; self.shareMethod = shareMethod; self.validUntil = validUntil; self.status = status
        self.receivedOn = receivedOn; self.deadlineId = deadlineId; self.decisions = decisions; self.infoRequests = infoRequests
        self.grantId = grantId; self.decidedAt = decidedAt; self.escalatedAt = escalatedAt; self.remindedAt = remindedAt
        self.createdAt = createdAt; self.nodeId = nodeId
    }

    public func decision(_ role: ReviewerRole) -> ReviewDecision? { decisions.last { $0.role == role && $0.overruledBy == nil } }

    public var clearRequests: [ClearNeed] { clearNeeds ?? [] }
    public var providerOverruled: Bool { decisions.contains { $0.role == .provider && $0.overruledBy != nil } }
    /// The provider no longer holds a say: it was overruled, or stayed silent past the silence point without deciding.
    /// When the reviewing authority provides the resource itself (base catalogs, Art. 10), its one decision is both.
    public var providerSeatSettled: Bool {
        decision(.provider) != nil || providerOverruled || providerSilentAt != nil || providerId == authorityId
    }
}

/// A message for a department's portal inbox (and its webhook, when one is configured).
public struct InboxMessage: Sendable, Codable, Equatable {
    public var id: String
    public var departmentId: String
    public var kind: String
    public var subjectType: String
    public var subjectId: String
    public var message: LocalizedText
    public var createdAt: String
    public var readAt: String?
    public init(
        id: String, departmentId: String, kind: String, subjectType: String, subjectId: String, message: LocalizedText,
        createdAt: String, readAt: String? = nil
    ) {
        self.id = id; self.departmentId = departmentId; self.kind = kind; self.subjectType = subjectType; self.subjectId = subjectId
        self.message = message; self.createdAt = createdAt; self.readAt = readAt
    }
}

public protocol ApplicationRepository: Sendable {
    /// Inserts the application with its deadline and notifications, in one transaction with the audit entry.
    func insert(_ application: ShareApplication, deadline: Deadline, notifications: [InboxMessage], audit: AuditRecord) async throws
    func find(id: String) async throws -> ShareApplication?
    func list(departmentIds: [String]?, openOnly: Bool) async throws -> [ShareApplication]
    /// Saves the application if it is still stored as `previous` (the document it was read as), else throws 409
    /// `application_changed` and changes nothing: two reviewers, or a reviewer and the scheduler, acting at once
    /// cannot both act on what they read. Closes its deadline when it is decided; moves the due date when `dueOn` is
    /// given; inserts the grant when one was created and the signed decision letter when it was decided; all with the
    /// notifications and the audit entry.
    func save(
        _ application: ShareApplication, replacing previous: String, dueOn: MovedDeadline?, grant: Grant?,
        notifications: [InboxMessage], documents: [OfficialDocument], audit: AuditRecord) async throws
    func notifications(departmentId: String, unreadOnly: Bool) async throws -> [InboxMessage]
    /// Whether a notification of that department was marked (false: none such).
    func markRead(notificationId: String, departmentId: String) async throws -> Bool
}

/// A due date moved by a pause: the new date, whether it is provisional, and the working days added to the clock (so a
/// later recomputation from the receipt date keeps the pause).
public struct MovedDeadline: Sendable {
    public let dueOn: CivilDate
    public let provisional: Bool
    public let addedWorkingDays: Int
    public init(dueOn: CivilDate, provisional: Bool, addedWorkingDays: Int) {
        self.dueOn = dueOn; self.provisional = provisional; self.addedWorkingDays = addedWorkingDays
    }
}

extension ShareApplication {
    /// Overdue only while its clock runs: an application waiting for the applicant's answer is paused (its due date
    /// moves when the answer comes).
    public func isOverdue(_ deadline: Deadline, on day: CivilDate) -> Bool { status == .underReview && deadline.isOverdue(on: day) }

    /// Working days the clock stood still for the applicant's answers.
    public var pausedWorkingDays: Int { infoRequests.compactMap(\.pausedWorkingDays).reduce(0, +) }
}

extension ApplicationRepository {
    /// A save that decides nothing, so signs nothing.
    func save(
        _ application: ShareApplication, replacing previous: String, dueOn: MovedDeadline?, grant: Grant?,
        notifications: [InboxMessage], audit: AuditRecord
    ) async throws {
        try await save(
            application, replacing: previous, dueOn: dueOn, grant: grant, notifications: notifications, documents: [],
            audit: audit)
    }
}

import Foundation

/// A deadline of an application or objection that was missed: still open past its due date, or met after it.
public struct LateReplyFact: Sendable, Equatable {
    public let subjectType: String
    public let subjectId: String
    /// The resource asked for or objected to.
    public let entryCode: String
    public let providerId: String
    public let dueOn: String
    /// When it was answered (nil: still open).
    public let metAt: String?
    public init(subjectType: String, subjectId: String, entryCode: String, providerId: String, dueOn: String, metAt: String?) {
        self.subjectType = subjectType; self.subjectId = subjectId; self.entryCode = entryCode; self.providerId = providerId;
        self.dueOn = dueOn
        self.metAt = metAt
    }
}

/// A read under a grant before it started or after it ended.
public struct GrantMisuseFact: Sendable, Equatable {
    public let grantId: String
    public let departmentId: String
    public let entryCode: String
    public let validFrom: String
    public let validUntil: String
    public var reads: Int
    public var lastReadAt: String
    public init(
        grantId: String, departmentId: String, entryCode: String, validFrom: String, validUntil: String, reads: Int, lastReadAt: String
    ) {
        self.grantId = grantId; self.departmentId = departmentId; self.entryCode = entryCode; self.validFrom = validFrom
        self.validUntil = validUntil; self.reads = reads; self.lastReadAt = lastReadAt
    }
}

/// An open catalog update obligation past its due date.
public struct OverdueObligationFact: Sendable, Equatable {
    public let id: String
    public let departmentId: String
    public let reference: String
    public let dueOn: String
    public init(id: String, departmentId: String, reference: String, dueOn: String) {
        self.id = id; self.departmentId = departmentId; self.reference = reference; self.dueOn = dueOn
    }
}

public struct SupervisionFindingFilter: Sendable {
    public var departmentIds: Set<String>?
    public var status: SupervisionFinding.Status?
    public var rule: SupervisionRule?
    public var limit: Int
    public init(departmentIds: Set<String>? = nil, status: SupervisionFinding.Status? = nil, rule: SupervisionRule? = nil, limit: Int = 500)
    {
        self.departmentIds = departmentIds; self.status = status; self.rule = rule; self.limit = limit
    }
}

/// What the checks read beyond the catalog and the assessment's facts, and where runs, findings and orders are kept.
public protocol SupervisionRepository: Sendable {
    /// Application and objection deadlines open past `today`, or met after their due date since `since` (civil date).
    func lateReplies(today: String, since: String) async throws -> [LateReplyFact]
    /// Reads since `since` under a grant outside its validity, per grant.
    func grantMisuse(since: String) async throws -> [GrantMisuseFact]
    func overdueObligations(today: String) async throws -> [OverdueObligationFact]

    /// Stores a run: new findings inserted, findings found again refreshed, open findings of the checked rules not
    /// found again resolved — with the audit entry, in one transaction. Returns (opened, resolved).
    func record(_ run: SupervisionRun, findings: [SupervisionFinding], audit: AuditRecord) async throws -> (opened: Int, resolved: Int)
    func lastRun() async throws -> SupervisionRun?
    func runs(limit: Int) async throws -> [SupervisionRun]
    func findings(_ filter: SupervisionFindingFilter) async throws -> [SupervisionFinding]
    func finding(id: String) async throws -> SupervisionFinding?
    /// Open findings per rule (for the charts), within the departments given (nil: all).
    func openCounts(departmentIds: Set<String>?) async throws -> [SupervisionRule: Int]

    func insert(_ plan: SamplingPlan, audit: AuditRecord) async throws
    /// Records the draw once: false when the plan was drawn already.
    func recordDraw(_ plan: SamplingPlan, audit: AuditRecord) async throws -> Bool
    func plan(id: String) async throws -> SamplingPlan?
    /// Newest first, without populations and samples.
    func plans(limit: Int) async throws -> [SamplingPlan]
    /// Records an inspection (replacing an earlier one of the same object), with its finding when it found a problem.
    func insert(_ inspection: SamplingInspection, finding: SupervisionFinding?, audit: AuditRecord) async throws
    func inspections(planId: String) async throws -> [SamplingInspection]

    func insert(_ order: RectificationOrder, deadline: Deadline, notifications: [InboxMessage], audits: [AuditRecord]) async throws
    /// Writes the order's new state if it is still `expected`; the deadline is met when accepted, open again when
    /// returned. False when someone else changed it first.
    func update(
        _ order: RectificationOrder, expected: RectificationOrder.Status, notifications: [InboxMessage], audit: AuditRecord
    ) async throws -> Bool
    func order(id: String) async throws -> RectificationOrder?
    /// Newest first, within the departments given (nil: all).
    func orders(departmentIds: Set<String>?, limit: Int) async throws -> [RectificationOrder]
}

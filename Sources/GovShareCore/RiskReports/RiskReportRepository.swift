import Foundation

/// A table another capability owns may not exist yet on this node (an older schema): its facts are then `unavailable`
/// and the report says so instead of failing.
public enum RiskFact<Value: Sendable>: Sendable {
    case unavailable
    case value(Value)
}

/// Sign-in failures of a period, grouped: `reason` is the audit entry's detail (`unknown_user`, `bad_password`,
/// `locked`, `disabled` …), with `lockout` for the failure that locked the account.
public struct SignInFailureCount: Sendable, Equatable {
    public let account: String
    public let reason: String
    public let count: Int
    public init(account: String, reason: String, count: Int) { self.account = account; self.reason = reason; self.count = count }
}

public struct IncidentFact: Sendable, Equatable {
    public let id, level, title, status, closeDueAt: String
    /// Reported to the platform after the deadline its level allowed.
    public let reportedLate: Bool
    public init(id: String, level: String, title: String, status: String, closeDueAt: String, reportedLate: Bool) {
        self.id = id; self.level = level; self.title = title; self.status = status; self.closeDueAt = closeDueAt
        self.reportedLate = reportedLate
    }
}

public struct BackupFact: Sendable, Equatable {
    public let latestFinishedAt: String?
    public let latestSizeBytes: Int64?
    public let failedInPeriod: Int
    public init(latestFinishedAt: String?, latestSizeBytes: Int64?, failedInPeriod: Int) {
        self.latestFinishedAt = latestFinishedAt; self.latestSizeBytes = latestSizeBytes; self.failedInPeriod = failedInPeriod
    }
}

/// What the risk report reads from the platform, and where reports are kept. Times are UTC ISO-8601 text, `from`
/// inclusive and `to` exclusive.
public protocol RiskReportRepository: Sendable {
    func signInFailures(from: String, to: String) async throws -> [SignInFailureCount]
    /// The grants that had at least one read in the period (their ids are the reads' purpose).
    func grantsRead(from: String, to: String) async throws -> Set<String>
    /// The columns each dataset's active data key encrypts (`dataset_keys`, encryption at rest).
    func encryptedColumns() async throws -> RiskFact<[String: Set<String>]>
    /// Incidents not closed (`incidents`).
    func openIncidents() async throws -> RiskFact<[IncidentFact]>
    /// The newest finished backup, and the backups that failed in the period (`backups`).
    func backups(from: String, to: String) async throws -> RiskFact<BackupFact>

    /// Stores a report with the audit entries of its generation and of its signing, in one transaction.
    func insert(_ report: RiskReport, audits: [AuditRecord]) async throws
    func find(id: String) async throws -> RiskReport?
    /// Newest first, without the document and rendering.
    func list(limit: Int) async throws -> [RiskReport]
    /// The scheduled report of exactly this period, if one was made (without its document and rendering).
    func scheduled(periodFrom: String, periodTo: String) async throws -> RiskReport?
    func insert(_ upload: ThirdPartyRiskReport, audit: AuditRecord) async throws
    func uploads(limit: Int) async throws -> [ThirdPartyRiskReport]
    func upload(id: String) async throws -> ThirdPartyRiskReport?
}

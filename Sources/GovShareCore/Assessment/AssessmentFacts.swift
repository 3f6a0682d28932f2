import Foundation

/// A dataset as the freshness indicator sees it at the assessment instant.
public struct DatasetUpdateFact: Sendable, Equatable {
    public let datasetId: String
    public let entryCode: String
    public let providerId: String
    public let updateCycle: String
    public let createdAt: String
    /// The newest report batch before the instant, if any.
    public let lastBatchAt: String?
    public init(datasetId: String, entryCode: String, providerId: String, updateCycle: String, createdAt: String, lastBatchAt: String?) {
        self.datasetId = datasetId; self.entryCode = entryCode; self.providerId = providerId; self.updateCycle = updateCycle;
        self.createdAt = createdAt
        self.lastBatchAt = lastBatchAt
    }
}

/// Two counts of one department: how many were due (or reported) and how many passed.
public struct AssessmentCount: Sendable, Equatable {
    public var total: Int
    public var passed: Int
    public init(total: Int, passed: Int) { self.total = total; self.passed = passed }
}

/// What the assessment reads from the platform's records, per department (keyed by department id), and where the
/// computed periods are kept. Times are UTC ISO-8601 text (`from` inclusive, `to` exclusive); due dates civil dates.
public protocol AssessmentRepository: Sendable {
    /// Entries with a dataset, a file or a service mounted before the instant.
    func mountedEntryIds(before: String) async throws -> Set<String>
    /// Datasets created before the instant, each with its newest report batch before it.
    func datasetUpdates(before: String) async throws -> [DatasetUpdateFact]
    /// Records reported (`total`) and accepted (`passed`) per provider in the window.
    func reportedRecords(from: String, to: String) async throws -> [String: AssessmentCount]
    /// Deadlines of `subjectType` (`application`, `objection`) per provider falling due from `dueFrom` to `dueTo`
    /// (civil dates, both included), cancelled ones left out; `passed`: met no later than the due date.
    func deadlinesDue(subjectType: String, dueFrom: String, dueTo: String) async throws -> [String: AssessmentCount]
    /// Per provider: how many of its datasets another department read in the window.
    func datasetsReadByOthers(from: String, to: String) async throws -> [String: Int]

    /// Stores a draft, replacing the period's earlier draft, with its audit entry. Refused (false) when the period is
    /// already published.
    func saveDraft(_ assessment: Assessment, audit: AuditRecord) async throws -> Bool
    /// Marks a draft published with its signature, with the audit entries; false when it is no longer a draft.
    func publish(
        id: String, by: String, byName: String, at: String, signature: Data, sealId: String, documentSM3Hex: String,
        audits: [AuditRecord]
    ) async throws -> Bool
    func find(id: String) async throws -> Assessment?
    /// Newest period first; without documents unless `withDocuments`.
    func list(status: AssessmentStatus?, limit: Int, withDocuments: Bool) async throws -> [Assessment]
    func published(period: String) async throws -> Assessment?
}

import Foundation

/// An instrument a department asks to cite that the list does not hold yet. It counts as a basis only once a reviewer
/// of the provincial data authority has confirmed that it is a law, regulation, rule or a State Council / provincial
/// government normative document (Art. 16, 18); until then citing it is refused as unconfirmed.
public struct LegalInstrumentProposal: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, confirmed, rejected

        public var name: LocalizedText {
            switch self {
            case .pending: LocalizedText(zh: "待确认", en: "Pending")
            case .confirmed: LocalizedText(zh: "已确认", en: "Confirmed")
            case .rejected: LocalizedText(zh: "未予确认", en: "Rejected")
            }
        }
    }

    public var id: String
    public var instrument: LegalInstrument
    /// Where it is published (a link) or a note the authority can check it by.
    public var reference: String
    public var status: Status
    public var proposedBy: String
    public var proposedByName: String
    public var departmentId: String
    public var createdAt: String
    public var decidedBy: String?
    public var decidedByName: String?
    public var decidedAt: String?
    /// Why it was confirmed or rejected (required for a rejection).
    public var decisionReason: String?
    public var nodeId: String

    public init(
        id: String, instrument: LegalInstrument, reference: String, status: Status, proposedBy: String,
        proposedByName: String, departmentId: String, createdAt: String, decidedBy: String? = nil,
        decidedByName: String? = nil, decidedAt: String? = nil, decisionReason: String? = nil, nodeId: String
    ) {
        self.id = id; self.instrument = instrument; self.reference = reference; self.status = status
        self.proposedBy = proposedBy; self.proposedByName = proposedByName; self.departmentId = departmentId
        self.createdAt = createdAt; self.decidedBy = decidedBy; self.decidedByName = decidedByName
        self.decidedAt = decidedAt; self.decisionReason = decisionReason; self.nodeId = nodeId
    }

    /// The comparison key of its name (`LegalInstrument.key`).
    public var key: String { LegalInstrument.key(instrument.name) }
}

public protocol LegalInstrumentRepository: Sendable {
    /// Every proposal, newest first.
    func proposals() async throws -> [LegalInstrumentProposal]
    func find(id: String) async throws -> LegalInstrumentProposal?
    /// Inserts a pending proposal; 409 `already_proposed` when one with the same key is pending or confirmed (checked
    /// inside the transaction, so two proposals sent together cannot both land).
    func insert(_ proposal: LegalInstrumentProposal, audit: AuditRecord) async throws
    /// Records the decision on a proposal that is still pending; 409 `proposal_decided` otherwise.
    func decide(_ proposal: LegalInstrumentProposal, audit: AuditRecord) async throws
}

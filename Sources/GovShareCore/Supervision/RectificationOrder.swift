import Foundation

/// An order to correct (责令整改, Art. 29) issued by a data authority to a department it oversees, from a finding:
/// what to correct, the basis, a deadline in working days on the official calendar. Signed with the authority's data
/// seal when issued. The department responds with what it did; the authority accepts it or returns it for more; an
/// order not answered by its due date is escalated (once) and stays overdue until it is.
public struct RectificationOrder: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case issued, responded, returned, accepted

        public var name: LocalizedText {
            switch self {
            case .issued: LocalizedText(zh: "待整改", en: "Issued")
            case .responded: LocalizedText(zh: "已报整改情况，待审核", en: "Responded, awaiting review")
            case .returned: LocalizedText(zh: "整改不到位，已退回", en: "Returned for more")
            case .accepted: LocalizedText(zh: "整改完成", en: "Accepted")
            }
        }

        /// The department's turn: the order waits for its response.
        public var awaitsDepartment: Bool { self == .issued || self == .returned }
    }

    public var id: String
    public var findingId: String
    public var rule: SupervisionRule
    public var departmentId: String
    public var authorityId: String
    public var what: String
    public var basis: String
    public var workingDays: Int
    public var issuedOn: CivilDate
    public var dueOn: CivilDate
    public var deadlineId: String
    public var status: Status
    public var issuedBy: String
    public var issuedByName: String
    public var issuedAt: String
    /// The signed order (`RectificationOrderDocument`), its SES_Signature and the seal.
    public var document: Data
    public var signature: Data
    public var sealId: String
    public var documentSM3Hex: String
    public var response: String?
    public var respondedByName: String?
    public var respondedAt: String?
    public var decisionNote: String?
    public var decidedByName: String?
    public var decidedAt: String?
    public var escalatedAt: String?
    public var updatedAt: String
    public var nodeId: String

    public init(
        id: String, findingId: String, rule: SupervisionRule, departmentId: String, authorityId: String, what: String,
        basis: String, workingDays: Int, issuedOn: CivilDate, dueOn: CivilDate, deadlineId: String, status: Status,
        issuedBy: String, issuedByName: String, issuedAt: String, document: Data, signature: Data, sealId: String,
        documentSM3Hex: String, response: String? = nil, respondedByName: String? = nil, respondedAt: String? = nil,
        decisionNote: String? = nil, decidedByName: String? = nil, decidedAt: String? = nil, escalatedAt: String? = nil,
        updatedAt: String, nodeId: String
    ) {
        self.id = id; self.findingId = findingId; self.rule = rule; self.departmentId = departmentId
        self.authorityId = authorityId; self.what = what; self.basis = basis; self.workingDays = workingDays
        self.issuedOn = issuedOn; self.dueOn = dueOn; self.deadlineId = deadlineId; self.status = status
        self.issuedBy = issuedBy; self.issuedByName = issuedByName; self.issuedAt = issuedAt; self.document = document
        self.signature = signature; self.sealId = sealId; self.documentSM3Hex = documentSM3Hex; self.response = response
        self.respondedByName = respondedByName; self.respondedAt = respondedAt; self.decisionNote = decisionNote
        self.decidedByName = decidedByName; self.decidedAt = decidedAt; self.escalatedAt = escalatedAt
        self.updatedAt = updatedAt; self.nodeId = nodeId
    }

    /// Past its due date and still the department's turn.
    public func isOverdue(on today: CivilDate) -> Bool { status.awaitsDepartment && today > dueOn }
}

/// What the authority's seal signs when an order is issued: JSON, snake_case keys in sorted order.
public struct RectificationOrderDocument: Sendable, Codable, Equatable {
    public var format = "govshare-rectification-order/1"
    public var id: String
    public var finding: String
    public var rule: String
    public var ruleVersion: Int
    public var article: String
    public var evidence: String
    public var department: String
    public var departmentCode: String
    public var authority: String
    public var what: String
    public var basis: String
    public var workingDays: Int
    public var issuedOn: String
    public var dueOn: String
    public var issuedBy: String
    public var issuedAt: String
    public var nodeId: String

    public var bytes: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }
}

import Foundation

/// The reply letter of a decided application (Art. 19, 24): what the platform signs with the data authority's seal.
/// A defined document, not a rendering: JSON with snake_case keys in sorted order, UTF-8, no insignificant
/// whitespace, so the same decision always gives the same bytes and anyone can read what was signed. The signed bytes
/// are stored as they were signed (`OfficialDocument.document`), so a later change of this type cannot unsign a letter.
public struct DecisionLetter: Sendable, Codable, Equatable {
    public static let format = "govshare-decision-letter/1"

    public struct Party: Sendable, Codable, Equatable {
        public var id: String
        /// 统一社会信用代码.
        public var code: String
        public var name: String
    }

    public struct Decider: Sendable, Codable, Equatable {
        public var role: ReviewerRole
        public var reviewerId: String
        public var reviewerName: String
        public var departmentId: String
        public var decidedAt: String
        public var approvedItems: [String]
        public var clearItems: [String]
        public var conditions: String
        /// The authority decided without the provider, silent past the silence point (Art. 19).
        public var withoutProvider: Bool
        /// This (provider) decision was set aside by the authority's reviewer.
        public var overruledBy: String?
    }

    public struct GrantTerms: Sendable, Codable, Equatable {
        public var id: String
        public var items: [String]
        public var clearItems: [String]
        public var validFrom: String
        public var validUntil: String
    }

    public var format = Self.format
    public var title = "政务数据共享申请答复书 (reply to a data-sharing application)"
    public var applicationId: String
    public var entryCode: String
    public var purpose: String
    public var business: String
    public var basis: String
    public var users: [String]
    public var shareMethod: String
    public var receivedOn: String
    public var applicant: Party
    public var applicantPerson: String
    public var provider: Party
    public var authority: Party
    /// The items asked for, and those asked for in clear with their reasons.
    public var items: [String]
    public var clearRequested: [ClearNeed]
    /// `approved` or `refused`.
    public var decision: String
    /// Items granted, and of them those granted in clear (Art. 17, 19).
    public var approvedItems: [String]
    public var clearItems: [String]
    /// Every refused item with its reasons and legal basis (Art. 16: no basis, no refusal).
    public var refusals: [Refusal]
    public var grant: GrantTerms?
    public var deciders: [Decider]
    public var decidedAt: String
    public var nodeId: String

    /// The letter of a decided (approved or refused) application; nil while it is open or after a withdrawal.
    public init?(application a: ShareApplication, grant: Grant?, applicant: Party, provider: Party, authority: Party) {
        guard a.status == .approved || a.status == .refused, let decidedAt = a.decidedAt else { return nil }
        applicationId = a.id; entryCode = a.entryCode; purpose = a.purpose; business = a.business; basis = a.basis
        users = a.users; shareMethod = a.shareMethod; receivedOn = a.receivedOn
        self.applicant = applicant; applicantPerson = a.applicantId; self.provider = provider; self.authority = authority
        items = a.items; clearRequested = a.clearRequests
        decision = a.status.rawValue
        approvedItems = grant?.items ?? []
        clearItems = grant?.clearItems ?? []
        let standing = a.decisions.filter { $0.overruledBy == nil }
        refusals = standing.flatMap(\.refusals)
        self.grant = grant.map {
            GrantTerms(id: $0.id, items: $0.items, clearItems: $0.clearItems, validFrom: $0.validFrom, validUntil: $0.validUntil)
        }
        deciders = a.decisions.map {
            Decider(
                role: $0.role, reviewerId: $0.reviewerId, reviewerName: $0.reviewerName, departmentId: $0.departmentId,
                decidedAt: $0.decidedAt, approvedItems: $0.approvedItems, clearItems: $0.approvedClear,
                conditions: $0.conditions, withoutProvider: $0.withoutProvider ?? false, overruledBy: $0.overruledBy)
        }
        self.decidedAt = decidedAt
        nodeId = a.nodeId
    }

    /// The canonical bytes (what is signed).
    public var document: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every field is a string, number, bool, array or object of these: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// One of the platform's own signed outputs (Art. 24): the exact bytes signed and the detached GB/T 38540 signature
/// by the data authority's seal.
public struct OfficialDocument: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case applicationDecision = "application_decision"
        case grant
    }
    public let id: String
    public let kind: Kind
    public let objectId: String
    public let document: Data
    /// SES_Signature, DER.
    public let signature: Data
    public let sealId: String
    public let documentSM3Hex: String
    public let signedAt: String
    public let nodeId: String

    public init(
        id: String, kind: Kind, objectId: String, document: Data, signature: Data, sealId: String, documentSM3Hex: String,
        signedAt: String, nodeId: String
    ) {
        self.id = id; self.kind = kind; self.objectId = objectId; self.document = document; self.signature = signature
        self.sealId = sealId; self.documentSM3Hex = documentSM3Hex; self.signedAt = signedAt; self.nodeId = nodeId
    }
}

extension OfficialDocument {
    /// The audit entry of this document's signing by the authority's seal, written in the transaction that stores the
    /// document (`SealService.signAsAuthorityForRecord`): the same fields `seal.sign` records for any signing.
    public func signingAudit(origin: RequestOrigin) -> AuditRecord {
        SealService.signingAudit(
            sealId: sealId, documentSM3Hex: documentSM3Hex, documentBytes: document.count, signedAt: signedAt,
            purpose: "\(kind.rawValue) \(objectId)", actor: .system("platform"), origin: origin)
    }
}

/// Reads the stored official documents (they are written with the decision they record: `ApplicationRepository.save`).
public protocol OfficialDocumentRepository: Sendable {
    /// The newest document of that kind for the object.
    func latest(kind: OfficialDocument.Kind, objectId: String) async throws -> OfficialDocument?
}

import Foundation

/// The grant a second person confirmed outside the workflow (Art. 19, 24), as the platform signs it with the data
/// authority's seal when it comes into force. Canonical like `DecisionLetter` (sorted snake_case JSON, UTF-8). Grants an
/// approval makes are in their application's decision letter.
public struct GrantLetter: Sendable, Codable, Equatable {
    public static let format = "govshare-grant-letter/1"
    public var format = Self.format
    public var title = "政务数据共享授权书 (grant of access to shared data)"
    public var grantId: String
    public var holder: DecisionLetter.Party
    public var provider: DecisionLetter.Party
    public var entryId: String
    public var items: [String]
    public var clearItems: [String]
    public var purpose: String
    public var validFrom: String
    public var validUntil: String
    /// Proposer, confirmer (four eyes) and, for clear graded items, the provider's consenting reviewer.
    public var proposedBy: String
    public var confirmedBy: String?
    public var confirmedAt: String?
    public var providerConsent: String
    public var providerConsentBy: String?
    public var inForceAt: String
    public var nodeId: String

    public init(grant g: Grant, holder: DecisionLetter.Party, provider: DecisionLetter.Party, inForceAt: String) {
        grantId = g.id; self.holder = holder; self.provider = provider; entryId = g.entryId; items = g.items
        clearItems = g.clearItems; purpose = g.purpose; validFrom = g.validFrom; validUntil = g.validUntil
        proposedBy = g.createdBy; confirmedBy = g.approvedBy; confirmedAt = g.approvedAt
        providerConsent = g.providerConsent.rawValue; providerConsentBy = g.providerConsentBy
        self.inForceAt = inForceAt; nodeId = g.nodeId
    }

    public var document: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }
}

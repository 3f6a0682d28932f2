/// A self-service subscription to unconditional items (Art. 16, 19): the department states the duty it needs them for.
public struct Subscription: Sendable, Codable, Equatable {
    public var id: String
    public var departmentId: String
    public var entryId: String
    public var items: [String]
    public var purpose: String
    public var createdBy: String
    public var createdAt: String
    public var revokedAt: String?
    public var nodeId: String
    /// The business matter the data serves, and the people or systems that will use it.
    public var business: String?
    public var users: [String]

    public init(
        id: String, departmentId: String, entryId: String, items: [String], purpose: String, createdBy: String,
        createdAt: String, revokedAt: String?, nodeId: String, business: String? = nil, users: [String] = []
    ) {
        self.business = business; self.users = users
        self.id = id; self.departmentId = departmentId; self.entryId = entryId; self.items = items; self.purpose = purpose
        self.createdBy = createdBy; self.createdAt = createdAt; self.revokedAt = revokedAt; self.nodeId = nodeId
    }

    public var isActive: Bool { revokedAt == nil }
}

/// Permission to read named conditional items for a purpose, until a date (created by the sharing workflow; until
/// then by a platform administrator).
public struct Grant: Sendable, Codable, Equatable {
    /// `proposed`: made outside the application workflow and waiting for a second person (and, for clear graded
    /// items, the provider's consent); nothing can be read under it yet.
    public enum Status: String, Sendable, Codable { case proposed, active, suspended, revoked }
    /// The provider's say over clear access to its graded items when a grant is made outside the workflow.
    public enum ProviderConsent: String, Sendable, Codable { case notNeeded = "not_needed", pending, given }
    public var id: String
    public var departmentId: String
    public var entryId: String
    public var items: [String]
    /// Items whose values the holder may read unmasked.
    public var clearItems: [String]
    public var purpose: String
    public var validFrom: String
    public var validUntil: String
    public var status: Status
    public var createdBy: String
    public var createdAt: String
    public var revokedReason: String?
    public var nodeId: String
    /// The holder's person answerable for the data (Art. 21), and the application the grant answers.
    public var dataManager: String?
    public var applicationId: String?
    /// The second person who confirmed a grant made outside the workflow, and when.
    public var approvedBy: String?
    public var approvedAt: String?
    public var providerConsent: ProviderConsent = .notNeeded
    public var providerConsentBy: String?

    public init(
        id: String, departmentId: String, entryId: String, items: [String], clearItems: [String], purpose: String,
        validFrom: String, validUntil: String, status: Status, createdBy: String, createdAt: String,
        revokedReason: String?, nodeId: String, dataManager: String? = nil, applicationId: String? = nil
    ) {
        self.dataManager = dataManager; self.applicationId = applicationId
        self.id = id; self.departmentId = departmentId; self.entryId = entryId; self.items = items
        self.clearItems = clearItems; self.purpose = purpose; self.validFrom = validFrom; self.validUntil = validUntil
        self.status = status; self.createdBy = createdBy; self.createdAt = createdAt; self.revokedReason = revokedReason
        self.nodeId = nodeId
    }

    /// In force on this civil date (validity is by day, inclusive).
    public func isInForce(on date: String) -> Bool {
        guard let day = CivilDate(date) else { return false }
        return isInForce(on: day)
    }

    /// Active, and `day` within its dates (both ends included).
    public func isInForce(on day: CivilDate) -> Bool {
        guard status == .active, let from = CivilDate(validFrom), let until = CivilDate(validUntil) else { return false }
        return from <= day && day <= until
    }
}

/// What a read is done under: the provider reading its own data, a subscription, or a grant.
public enum ReadBasis: Sendable, Equatable {
    case provider
    case subscription(Subscription)
    case grant(Grant)

    public var purposeId: String {
        switch self {
        case .provider: "provider"
        case .subscription(let s): s.id
        case .grant(let g): g.id
        }
    }
}

/// The items a reader gets and how each is shown.
public struct ReadableColumn: Sendable, Equatable {
    public let column: DatasetColumn
    public let mask: MaskRule
}

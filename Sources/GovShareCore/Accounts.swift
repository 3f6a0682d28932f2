/// Roles are held within a department: the same person may catalogue for one and only read for another.
public enum Role: String, Sendable, Codable, CaseIterable {
    case platformAdmin = "platform_admin"
    case authorityReviewer = "authority_reviewer"
    case cataloger = "cataloger"
    case departmentReviewer = "department_reviewer"
    case dataUser = "data_user"
    case securityAuditor = "security_auditor"
    case platformOperator = "operator"

    public var name: LocalizedText {
        switch self {
        case .platformAdmin: LocalizedText(zh: "平台管理员", en: "Platform administrator")
        case .authorityReviewer: LocalizedText(zh: "主管部门审核员", en: "Data authority reviewer")
        case .cataloger: LocalizedText(zh: "目录编制员", en: "Cataloger")
        case .departmentReviewer: LocalizedText(zh: "部门审核员", en: "Department reviewer")
        case .dataUser: LocalizedText(zh: "数据使用人员", en: "Data user")
        case .securityAuditor: LocalizedText(zh: "安全审计员", en: "Security auditor")
        case .platformOperator: LocalizedText(zh: "运维人员", en: "Operator")
        }
    }

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")
}

public struct RoleGrant: Sendable, Equatable, Codable, Hashable {
    public let departmentId: String
    public let role: Role
    public init(departmentId: String, role: Role) { self.departmentId = departmentId; self.role = role }
}

public enum AccountStatus: String, Sendable, Codable { case active, disabled }

public struct UserAccount: Sendable, Equatable {
    public var id: String
    public var username: String
    public var displayName: String
    public var departmentId: String
    public var passwordHash: String
    public var status: AccountStatus
    public var failedAttempts: Int
    public var lockedUntil: String?
    public var roles: [RoleGrant]
    public var nodeId: String
    public var createdAt: String
    /// Tokens and sessions issued before this instant (milliseconds since 1970) are no longer accepted: set by
    /// signing out, a password reset and disabling the account.
    public var tokensValidAfterMs: Int64 = 0

    public init(id: String, username: String, displayName: String, departmentId: String, passwordHash: String,
                status: AccountStatus, failedAttempts: Int, lockedUntil: String?, roles: [RoleGrant], nodeId: String,
                createdAt: String) {
        self.id = id; self.username = username; self.displayName = displayName; self.departmentId = departmentId
        self.passwordHash = passwordHash; self.status = status; self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil; self.roles = roles; self.nodeId = nodeId; self.createdAt = createdAt
    }
}

/// A department business system that calls the API with a client id and secret.
public struct APIClient: Sendable, Equatable {
    public var id: String
    public var clientId: String
    public var name: String
    public var departmentId: String
    public var secretHash: String
    public var roles: [Role]
    public var status: AccountStatus
    public var nodeId: String
    public var createdAt: String
    public var revokedAt: String?

    public init(id: String, clientId: String, name: String, departmentId: String, secretHash: String, roles: [Role],
                status: AccountStatus, nodeId: String, createdAt: String, revokedAt: String?) {
        self.id = id; self.clientId = clientId; self.name = name; self.departmentId = departmentId
        self.secretHash = secretHash; self.roles = roles; self.status = status; self.nodeId = nodeId
        self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

/// Who is acting: a person or a system, the department it acts for, and the roles it holds there.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case user, client, system }
    public let kind: Kind
    public let id: String
    public let name: String
    public let departmentId: String
    public let roles: Set<Role>

    public init(kind: Kind, id: String, name: String, departmentId: String, roles: Set<Role>) {
        self.kind = kind; self.id = id; self.name = name; self.departmentId = departmentId; self.roles = roles
    }

    /// The command line acts as the operator who runs it on the server; it is recorded as such in the audit log.
    public static func system(_ name: String) -> Principal {
        Principal(kind: .system, id: "system", name: name, departmentId: "", roles: Set(Role.allCases))
    }
}

/// Named authorisation policies. Everything not granted by one of these is denied.
public enum Policy: String, Sendable, CaseIterable {
    case manageOrganisations = "organisations.manage"
    case manageAccounts = "accounts.manage"
    case readAudit = "audit.read"
    case manageCalendar = "calendar.manage"
    case readDirectory = "directory.read"
    /// Reading shared data (always together with a subscription, a grant, or being the provider).
    case readData = "data.read"
    /// Reporting and mounting the department's own data.
    case reportData = "data.report"
    /// Tracing who read what (Art. 28).
    case traceReads = "data.trace"
    /// Proposing, confirming (a second person), suspending and revoking grants made outside the workflow.
    case manageGrants = "grants.manage"
    /// The provider's consent to clear access to its graded items under a grant made outside the workflow.
    case consentToGrants = "grants.consent"
    /// Reviewing sharing applications (Art. 19): the reviewing authority's and the provider's reviewers, each only on
    /// the applications they review (ApplicationService.role(of:on:)).
    case reviewApplications = "application.review"
    /// Withdrawing an application: anyone of the applicant's department (ApplicationService.withdraw scopes it).
    case withdrawApplication = "application.withdraw"
    /// Answering the reviewers' questions: anyone of the applicant's department (ApplicationService.respond scopes it).
    case respondToApplication = "application.respond"
    /// Seeing every department's applications (supervision and audit), not only those one applied for or reviews.
    case readAllApplications = "applications.read_all"
    /// Seeing who reported which batch of any provider's data (auditors and the platform's staff); the provider and
    /// the data authority over it see their own without it.
    case readAllReportBatches = "data.batches.read_all"
    /// Seeing every misuse case, not only those of one's own department.
    case readAllMisuseCases = "misuse.read_all"
    /// Closing misuse cases: the data authority's reviewers for the cases it supervises; a platform administrator for
    /// a case against the authority's own department (AccountabilityService.mayClose).
    case closeMisuseCases = "misuse.close"
    /// A provider reporting misuse of its data under a grant (Art. 21).
    case reportMisuse = "misuse.report"
    /// Where the department's notifications are delivered.
    case manageWebhooks = "webhooks.manage"
    /// Seeing which instruments count as a legal basis (Art. 16, 18) and what has been proposed.
    case readLegalInstruments = "legal_instruments.read"
    /// Proposing an instrument the list lacks (the department that wants to cite it).
    case proposeLegalInstruments = "legal_instruments.propose"
    /// Confirming or rejecting a proposal (and only in the provincial data authority: LegalBasisService).
    case confirmLegalInstruments = "legal_instruments.confirm"
    /// Compiling catalog entries and importing catalog spreadsheets (of the cataloger's own department, or as a
    /// co-builder of a thematic entry: CatalogService).
    case editCatalog = "catalog.edit"
    /// Reviewing (publishing, returning, withdrawing) entries of the departments the reviewer's authority oversees.
    case reviewCatalog = "catalog.review"
    /// Recording and linking catalog update obligations (Art. 9; on which departments: CatalogObligationService).
    case manageCatalogObligations = "catalog.obligation"
    /// Registering and planning the department's own business systems (Art. 11).
    case manageBusinessSystems = "business_system.manage"

    var allowedRoles: Set<Role> {
        switch self {
        case .manageOrganisations, .manageAccounts: [.platformAdmin]
        case .readAudit: [.securityAuditor, .platformAdmin]
        case .manageCalendar: [.platformAdmin, .platformOperator]
        case .readDirectory: Set(Role.allCases)
        case .readData: [.dataUser, .cataloger, .departmentReviewer]
        case .reportData: [.cataloger, .departmentReviewer, .platformAdmin]
        case .traceReads: [.securityAuditor]
        case .manageGrants: [.platformAdmin, .authorityReviewer]
        case .consentToGrants: [.departmentReviewer]
        case .reviewApplications: [.authorityReviewer, .departmentReviewer]
        case .withdrawApplication, .respondToApplication: Set(Role.allCases)
        case .readAllApplications, .readAllMisuseCases: [.platformAdmin, .securityAuditor]
        case .readAllReportBatches: [.securityAuditor, .platformAdmin, .platformOperator]
        case .closeMisuseCases: [.authorityReviewer, .platformAdmin]
        case .reportMisuse: [.departmentReviewer, .cataloger]
        case .manageWebhooks: [.departmentReviewer, .authorityReviewer, .platformAdmin]
        case .readLegalInstruments: Set(Role.allCases)
        case .proposeLegalInstruments: [.cataloger, .departmentReviewer]
        case .confirmLegalInstruments: [.authorityReviewer]
        case .editCatalog: [.cataloger]
        case .reviewCatalog: [.authorityReviewer]
        case .manageCatalogObligations: [.authorityReviewer, .cataloger, .platformAdmin]
        case .manageBusinessSystems: [.cataloger, .departmentReviewer]
        }
    }

    public func allows(_ principal: Principal) -> Bool {
        !principal.roles.isDisjoint(with: allowedRoles)
    }

    public func check(_ principal: Principal) throws {
        guard allows(principal) else { throw DomainError.forbidden(policy: self) }
    }
}

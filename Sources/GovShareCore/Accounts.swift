/// Roles are held within a department: the same person may catalogue for one and only read for another.
public enum Role: String, Sendable, Codable, CaseIterable {
    case platformAdmin = "platform_admin"
    case authorityReviewer = "authority_reviewer"
    case cataloger = "cataloger"
    case departmentReviewer = "department_reviewer"
    case dataUser = "data_user"
    case securityAuditor = "security_auditor"
    case platformOperator = "operator"
    /// A department's security officer (安全管理员, Art. 27): reports and handles its incidents, keeps its emergency
    /// plans and drills. The data authority's officers see every department's.
    case securityOfficer = "security_officer"

    public var name: LocalizedText {
        switch self {
        case .platformAdmin: LocalizedText(zh: "平台管理员", en: "Platform administrator")
        case .authorityReviewer: LocalizedText(zh: "主管部门审核员", en: "Data authority reviewer")
        case .cataloger: LocalizedText(zh: "目录编制员", en: "Cataloger")
        case .departmentReviewer: LocalizedText(zh: "部门审核员", en: "Department reviewer")
        case .dataUser: LocalizedText(zh: "数据使用人员", en: "Data user")
        case .securityAuditor: LocalizedText(zh: "安全审计员", en: "Security auditor")
        case .platformOperator: LocalizedText(zh: "运维人员", en: "Operator")
        case .securityOfficer: LocalizedText(zh: "安全管理员", en: "Security officer")
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

    public init(
        id: String, username: String, displayName: String, departmentId: String, passwordHash: String,
        status: AccountStatus, failedAttempts: Int, lockedUntil: String?, roles: [RoleGrant], nodeId: String,
        createdAt: String
    ) {
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

    public init(
        id: String, clientId: String, name: String, departmentId: String, secretHash: String, roles: [Role],
        status: AccountStatus, nodeId: String, createdAt: String, revokedAt: String?
    ) {
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

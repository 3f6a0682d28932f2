import Foundation

/// Password and secret hashing, implemented with vetted libraries outside the domain.
public protocol CredentialHasher: Sendable {
    /// A slow, salted hash for people's passwords.
    func hashPassword(_ password: String) async throws -> String
    func verifyPassword(_ password: String, hash: String) async -> Bool
    /// A fast digest for high-entropy machine secrets (32 random bytes), compared in constant time.
    func digestSecret(_ secret: String) -> String
    func secretMatches(_ secret: String, digest: String) -> Bool
    /// A real password hash of a random string, verified against when the username is unknown so timing does not tell.
    var dummyHash: String { get }
}

/// Sign-in with lockout, and the administration of people and systems.
public struct AccountService: Sendable {
    let accounts: any AccountRepository
    let departments: any DepartmentRepository
    let auditLog: any AuditLog
    let hasher: any CredentialHasher
    let clock: any WallClock
    let security: SecuritySettings
    let nodeId: String

    public init(
        accounts: any AccountRepository, departments: any DepartmentRepository, auditLog: any AuditLog,
        hasher: any CredentialHasher, clock: any WallClock, security: SecuritySettings, nodeId: String
    ) {
        self.accounts = accounts; self.departments = departments; self.auditLog = auditLog; self.hasher = hasher
        self.clock = clock; self.security = security; self.nodeId = nodeId
    }

    /// Every failure answers the same way (no telling unknown, locked or disabled apart); the audit log says which.
    public func signIn(username: String, password: String, origin: RequestOrigin) async throws -> Principal {
        try Self.checkSignInLengths([("username", username, InputLimits.username), ("password", password, InputLimits.signInSecret)])
        guard var user = try await accounts.findUser(username: username) else {
            _ = await hasher.verifyPassword(password, hash: hasher.dummyHash)
            try await recordFailure(username: username, userId: "unknown", departmentId: "", reason: "unknown_user", origin: origin)
            throw DomainError.badCredentials
        }
        let now = clock.now()
        // Disabled and locked accounts cost a password check too, so the answer's timing does not tell them apart.
        if user.status != .active {
            _ = await hasher.verifyPassword(password, hash: hasher.dummyHash)
            try await recordFailure(
                username: username, userId: user.id, departmentId: user.departmentId, reason: "disabled", origin: origin)
            throw DomainError.badCredentials
        }
        if let until = user.lockedUntil.flatMap(Timestamp.parse), until > now {
            _ = await hasher.verifyPassword(password, hash: hasher.dummyHash)
            try await recordFailure(username: username, userId: user.id, departmentId: user.departmentId, reason: "locked", origin: origin)
            throw DomainError.badCredentials
        }
        let before = user.lockSummary
        guard await hasher.verifyPassword(password, hash: user.passwordHash) else {
            let actor = Principal(kind: .user, id: user.id, name: username, departmentId: user.departmentId, roles: [])
            try await accounts.recordFailedPassword(
                userId: user.id, threshold: security.lockoutThreshold,
                lockUntil: Timestamp.format(now.addingTimeInterval(Double(security.lockoutMinutes) * 60))
            ) { attempts, lockedUntil in
                AuditRecord(
                    actor: actor, action: "auth.sign_in", objectType: "user", objectId: actor.id, outcome: "failure",
                    before: before,
                    after: AuditJSON.encode(["failed_attempts": String(attempts), "locked_until": lockedUntil ?? ""]),
                    detail: lockedUntil.map { "bad_password; locked until \($0)" } ?? "bad_password", origin: origin)
            }
            throw DomainError.badCredentials
        }
        let principal = principal(for: user)
        user.failedAttempts = 0
        user.lockedUntil = nil
        // A lock set by guesses checked at the same time, a disable or a password reset landing meanwhile wins over
        // this right (by then possibly old) password.
        if let refused = try await accounts.recordSignIn(
            userId: user.id, verifiedHash: user.passwordHash, now: Timestamp.format(now),
            audit: AuditRecord(
                actor: principal, action: "auth.sign_in", objectType: "user", objectId: user.id,
                before: before, after: user.lockSummary, origin: origin))
        {
            try await recordFailure(username: username, userId: user.id, departmentId: user.departmentId, reason: refused, origin: origin)
            throw DomainError.badCredentials
        }
        return principal
    }

    /// People, for platform administrators (`accounts.manage`); `departmentId` narrows to one department.
    public func users(departmentId: String? = nil, by actor: Principal) async throws -> [UserAccount] {
        try Policy.manageAccounts.check(actor)
        return try await accounts.listUsers(departmentId: departmentId)
    }

    /// Business systems' API clients, for platform administrators (`accounts.manage`).
    public func clients(departmentId: String? = nil, by actor: Principal) async throws -> [APIClient] {
        try Policy.manageAccounts.check(actor)
        return try await accounts.listClients(departmentId: departmentId)
    }

    /// Ends every session and token of the signed-in user (the portal's sign-out), audited.
    /// Writes only the cut-off (never the whole user read before), so a sign-out racing an administrator's disable or
    /// password reset cannot write back the status or hash it read.
    public func signOut(_ principal: Principal, origin: RequestOrigin) async throws {
        guard principal.kind == .user else { return }
        try await accounts.endSessions(
            userId: principal.id, before: Self.epochMs(clock.now()) + 1,
            audit: AuditRecord(
                actor: principal, action: "auth.sign_out", objectType: "user",
                objectId: principal.id, origin: origin))
    }

    /// Sign-in fields are capped before anything is looked up or audited: an anonymous caller can make the audit log
    /// grow by one small entry per attempt, never by what it sends.
    static func checkSignInLengths(_ fields: [(name: String, value: String, max: Int)]) throws {
        var v = Validator()
        for field in fields { v.limit(field.value, field: field.name, maxLength: field.max) }
        try v.check()
    }

    static func epochMs(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    public func signInClient(clientId: String, secret: String, origin: RequestOrigin) async throws -> Principal {
        try Self.checkSignInLengths([("client_id", clientId, InputLimits.clientId), ("client_secret", secret, InputLimits.signInSecret)])
        guard let client = try await accounts.findClient(clientId: clientId), client.status == .active,
            hasher.secretMatches(secret, digest: client.secretHash)
        else {
            let existing = try? await accounts.findClient(clientId: clientId)
            _ = try await auditLog.append(
                AuditRecord(
                    actor: Principal(
                        kind: .client, id: existing?.id ?? "unknown", name: clientId,
                        departmentId: existing?.departmentId ?? "", roles: []),
                    action: "auth.client_token", objectType: "api_client", objectId: existing?.id ?? "unknown",
                    outcome: "failure",
                    detail: existing == nil ? "unknown_client" : (existing!.status == .active ? "bad_secret" : "revoked"),
                    origin: origin))
            throw DomainError.badCredentials
        }
        let principal = Principal(
            kind: .client, id: client.clientId, name: client.name, departmentId: client.departmentId,
            roles: Set(client.roles))
        _ = try await auditLog.append(
            AuditRecord(
                actor: principal, action: "auth.client_token", objectType: "api_client",
                objectId: client.id, origin: origin))
        return principal
    }

    /// Re-reads a signed-in person on each request, so disabling an account takes effect at once.
    /// The principal a token names, if the account is active and the token was issued after the account's sessions
    /// were last ended (`issuedAt`; nil skips that check for callers that have no token).
    public func currentPrincipal(kind: Principal.Kind, id: String, issuedAt: Date? = nil) async throws -> Principal? {
        switch kind {
        case .user:
            guard let user = try await accounts.findUser(id: id), user.status == .active else { return nil }
            if let issuedAt, Self.epochMs(issuedAt) < user.tokensValidAfterMs { return nil }
            return principal(for: user)
        case .client:
            return nil
        case .system:
            return nil
        }
    }

    public func currentClient(id clientId: String) async throws -> Principal? {
        guard let client = try await accounts.findClient(clientId: clientId), client.status == .active else { return nil }
        return Principal(
            kind: .client, id: client.clientId, name: client.name, departmentId: client.departmentId,
            roles: Set(client.roles))
    }

    public func principal(for user: UserAccount) -> Principal {
        Principal(
            kind: .user, id: user.id, name: user.displayName, departmentId: user.departmentId,
            roles: Set(user.roles.filter { $0.departmentId == user.departmentId }.map(\.role)))
    }

    private func recordFailure(
        username: String, userId: String, departmentId: String, reason: String,
        origin: RequestOrigin
    ) async throws {
        _ = try await auditLog.append(
            AuditRecord(
                actor: Principal(kind: .user, id: userId, name: username, departmentId: departmentId, roles: []),
                action: "auth.sign_in", objectType: "user", objectId: userId, outcome: "failure", detail: reason, origin: origin))
    }
}

extension UserAccount {
    var lockSummary: String {
        AuditJSON.encode(["failed_attempts": String(failedAttempts), "locked_until": lockedUntil ?? ""])
    }

    /// What the audit log keeps of a user: never the password hash.
    public var auditSnapshot: String {
        AuditJSON.encode([
            "username": username, "display_name": displayName, "department_id": departmentId, "status": status.rawValue,
            "roles": roles.map { "\($0.departmentId):\($0.role.rawValue)" }.joined(separator: ","),
        ])
    }
}

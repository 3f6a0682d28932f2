import Foundation

public struct NewUser: Sendable, Codable {
    public var username: String?
    public var displayName: String?
    public var departmentCode: String?
    public var roles: [String]?
    public var password: String?

    public init(username: String?, displayName: String?, departmentCode: String?, roles: [String]?, password: String?) {
        self.username = username; self.displayName = displayName; self.departmentCode = departmentCode
        self.roles = roles; self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case username, roles, password
        case displayName = "display_name", departmentCode = "department_code"
    }
}

/// At least 12 characters from at least three of: lower case, upper case, digits, symbols.
public enum PasswordPolicy {
    public static func check(_ password: String?, field: String, into v: inout Validator) {
        guard let password, !password.isEmpty else {
            v.fail(field, "required", zh: "\(field) 为必填项", en: "\(field) is required")
            return
        }
        let classes = [
            password.contains(where: \.isLowercase), password.contains(where: \.isUppercase),
            password.contains(where: \.isNumber), password.contains(where: { !$0.isLetter && !$0.isNumber }),
        ].filter { $0 }.count
        if password.count < 12 || InputLimits.exceeds(password, InputLimits.password) || classes < 3 {
            v.fail(
                field, "password_policy", zh: "密码至少 12 位，且包含大写字母、小写字母、数字、符号中的至少三类",
                en: "A password has 12 to 128 characters from at least three of: upper case, lower case, digits, symbols")
        }
    }
}

extension AccountService {
    public func createUser(_ input: NewUser, by actor: Principal, origin: RequestOrigin) async throws -> UserAccount {
        try Policy.manageAccounts.check(actor)
        var v = Validator()
        v.require(input.username, field: "username", maxLength: InputLimits.username)
        if let name = input.username, !name.isEmpty, name.range(of: "^[a-z][a-z0-9_.-]{2,63}$", options: .regularExpression) == nil {
            v.fail(
                "username", "pattern", zh: "用户名须以小写字母开头，由 3–64 位小写字母、数字、_ . - 组成",
                en: "username must start with a lower-case letter and use 3-64 lower-case letters, digits, _ . -")
        }
        v.require(input.displayName, field: "display_name", maxLength: InputLimits.displayName)
        v.require(input.departmentCode, field: "department_code", maxLength: InputLimits.departmentCode)
        v.limit(input.roles, field: "roles", maxCount: InputLimits.roles, maxLength: 32)
        let roles = (input.roles ?? []).map { Role(rawValue: $0) }
        if roles.isEmpty {
            v.fail("roles", "required", zh: "roles 至少包含一个角色", en: "roles needs at least one role")
        } else if roles.contains(where: { $0 == nil }) {
            v.fail("roles", "enum", zh: "roles 只能是：\(Role.allowedValues)", en: "roles must be among: \(Role.allowedValues)")
        } else {
            RoleSeparation.check(roles.compactMap { $0 }, forClient: false, into: &v)
        }
        PasswordPolicy.check(input.password, field: "password", into: &v)
        try v.check()
        let department = try await departments.require(code: input.departmentCode!, field: "department_code")
        let now = Timestamp.format(clock.now())
        let id = Identifier.make(at: clock.now())
        let user = UserAccount(
            id: id, username: input.username!, displayName: input.displayName!, departmentId: department.id,
            passwordHash: try await hasher.hashPassword(input.password!), status: .active, failedAttempts: 0,
            lockedUntil: nil, roles: roles.compactMap { $0.map { RoleGrant(departmentId: department.id, role: $0) } },
            nodeId: nodeId, createdAt: now)
        try await accounts.insertUser(
            user,
            audit: AuditRecord(
                actor: actor, action: "user.create", objectType: "user", objectId: id, after: user.auditSnapshot, origin: origin))
        return user
    }

    /// Writes only the status and the session cut-off, so it cannot write back a password or lock another
    /// administrator's request (or a sign-in) changed after this one read the user.
    public func setStatus(username: String, to status: AccountStatus, by actor: Principal, origin: RequestOrigin) async throws
        -> UserAccount
    {
        try Policy.manageAccounts.check(actor)
        guard let user = try await accounts.findUser(username: username) else { throw DomainError.notFound("User", zh: "用户") }
        if status == .disabled, user.id == actor.id {
            throw DomainError.conflict(code: "cannot_disable_self", zh: "不能停用自己的账号", en: "You cannot disable your own account")
        }
        let changed = try await accounts.changeStatus(
            userId: user.id, to: status, endingSessionsBefore: Self.epochMs(clock.now()) + 1
        ) { before, after in
            AuditRecord(
                actor: actor, action: status == .active ? "user.enable" : "user.disable", objectType: "user",
                objectId: user.id, before: before.auditSnapshot, after: after.auditSnapshot, origin: origin)
        }
        guard let changed else { throw DomainError.notFound("User", zh: "用户") }
        return changed
    }

    /// Sets a new password and lifts any lock. Writes only the hash, the failure counter, the lock and the cut-off:
    /// a disable that lands after this request read the user stays in force.
    public func resetPassword(username: String, newPassword: String, by actor: Principal, origin: RequestOrigin) async throws {
        try Policy.manageAccounts.check(actor)
        var v = Validator()
        PasswordPolicy.check(newPassword, field: "password", into: &v)
        try v.check()
        guard let user = try await accounts.findUser(username: username) else { throw DomainError.notFound("User", zh: "用户") }
        let hash = try await hasher.hashPassword(newPassword)
        // Whoever held the old password may hold a token made with it.
        guard
            try await accounts.changePassword(
                userId: user.id, passwordHash: hash, endingSessionsBefore: Self.epochMs(clock.now()) + 1,
                audit: AuditRecord(actor: actor, action: "user.reset_password", objectType: "user", objectId: user.id, origin: origin)
            )
        else { throw DomainError.notFound("User", zh: "用户") }
    }

    /// Registers a department business system; the secret is returned once and only its digest is kept.
    public func createClient(
        name: String?, departmentCode: String?, roles: [String]?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> (client: APIClient, secret: String) {
        try Policy.manageAccounts.check(actor)
        var v = Validator()
        v.require(name, field: "name", maxLength: InputLimits.clientName)
        v.require(departmentCode, field: "department_code", maxLength: InputLimits.departmentCode)
        v.limit(roles, field: "roles", maxCount: InputLimits.roles, maxLength: 32)
        let parsedRoles = (roles ?? [Role.dataUser.rawValue]).map { Role(rawValue: $0) }
        if parsedRoles.isEmpty || parsedRoles.contains(where: { $0 == nil }) {
            v.fail("roles", "enum", zh: "roles 只能是：\(Role.allowedValues)", en: "roles must be among: \(Role.allowedValues)")
        } else {
            RoleSeparation.check(parsedRoles.compactMap { $0 }, forClient: true, into: &v)
        }
        try v.check()
        let department = try await departments.require(code: departmentCode!, field: "department_code")
        let secret = RandomToken.make()
        let client = APIClient(
            id: Identifier.make(at: clock.now()), clientId: "gs_" + RandomToken.make(bytes: 12),
            name: name!, departmentId: department.id, secretHash: hasher.digestSecret(secret),
            roles: parsedRoles.compactMap { $0 }, status: .active, nodeId: nodeId,
            createdAt: Timestamp.format(clock.now()), revokedAt: nil)
        try await accounts.insertClient(
            client,
            audit: AuditRecord(
                actor: actor, action: "client.create", objectType: "api_client", objectId: client.id,
                after: AuditJSON.encode(["client_id": client.clientId, "name": client.name, "department_id": department.id]),
                origin: origin))
        return (client, secret)
    }

    public func revokeClient(clientId: String, by actor: Principal, origin: RequestOrigin) async throws -> APIClient {
        try Policy.manageAccounts.check(actor)
        guard let client = try await accounts.findClient(clientId: clientId) else {
            throw DomainError.notFound("API client", zh: "接口客户端")
        }
        try await accounts.revokeClient(
            id: client.id, revokedAt: Timestamp.format(clock.now()),
            audit: AuditRecord(
                actor: actor, action: "client.revoke", objectType: "api_client", objectId: client.id, origin: origin))
        return try await accounts.findClient(clientId: clientId) ?? client
    }
}

import GovShareCore
import SQLKit

public struct SQLAccountRepository: AccountRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func findUser(username: String) async throws -> UserAccount? {
        try await oneUser(column: "username", value: username)
    }

    public func findUser(id: String) async throws -> UserAccount? {
        try await context.database.lookups.value("user:\(id)") { try await oneUser(column: "id", value: id) }
    }

    private func oneUser(column: String, value: String) async throws -> UserAccount? {
        try await context.database.withConnection { db in
            guard let row = try await db.select().column("*").from("users").where(SQLIdentifier(column), .equal, value).first() else {
                return nil
            }
            return try await Self.user(from: row, on: db)
        }
    }

    public func listUsers(departmentId: String?) async throws -> [UserAccount] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("users")
            if let departmentId { select.where("department_id", .equal, departmentId) }
            var users: [UserAccount] = []
            for row in try await select.orderBy("username").all() { users.append(try await Self.user(from: row, on: db)) }
            return users
        }
    }

    public func insertUser(_ user: UserAccount, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            if try await db.select().column("id").from("users").where("username", .equal, user.username).first() != nil {
                throw DomainError.conflict(
                    code: "username_taken", zh: "用户名 \(user.username) 已被使用",
                    en: "The username \(user.username) is taken")
            }
            try await db.insert(into: "users")
                .columns(
                    "id", "username", "display_name", "department_id", "password_hash", "status", "failed_attempts",
                    "locked_until", "node_id", "created_at", "updated_at"
                )
                .values(
                    SQLBind(user.id), SQLBind(user.username), SQLBind(user.displayName), SQLBind(user.departmentId),
                    SQLBind(user.passwordHash), SQLBind(user.status.rawValue), SQLBind(user.failedAttempts),
                    SQLBind(user.lockedUntil), SQLBind(user.nodeId), SQLBind(user.createdAt), SQLBind(context.now)
                )
                .run()
            try await Self.replaceRoles(of: user, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func changeStatus(
        userId: String, to status: AccountStatus, endingSessionsBefore cutoff: Int64,
        audit: @escaping @Sendable (UserAccount, UserAccount) -> AuditRecord
    ) async throws -> UserAccount? {
        let context = self.context
        return try await context.database.transaction { db in
            guard let before = try await Self.lockedUser(id: userId, context: context, on: db) else { return nil }
            try await db.update("users").set("status", to: status.rawValue).set("updated_at", to: context.now)
                .where("id", .equal, userId).run()
            try await Self.advanceCutoff(userId: userId, to: cutoff, on: db)
            guard let after = try await Self.lockedUser(id: userId, context: context, on: db) else { return nil }
            _ = try await AuditChain.append(audit(before, after), context: context, on: db)
            return after
        }
    }

    public func changePassword(
        userId: String, passwordHash: String, endingSessionsBefore cutoff: Int64,
        audit: AuditRecord
    ) async throws -> Bool {
        let context = self.context
        return try await context.database.transaction { db in
            guard try await Self.lockedUser(id: userId, context: context, on: db) != nil else { return false }
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: passwordHash), failed_attempts = 0, locked_until = NULL,
                updated_at = \(bind: context.now) WHERE id = \(bind: userId)
                """
            ).run()
            try await Self.advanceCutoff(userId: userId, to: cutoff, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
    }

    /// The user, with its row locked until the transaction ends (PostgreSQL; SQLite's writer is already exclusive).
    private static func lockedUser(id: String, context: StoreContext, on db: any SQLDatabase) async throws -> UserAccount? {
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        guard let row = try await db.raw("SELECT * FROM users WHERE id = \(bind: id)\(unsafeRaw: lock)").first() else { return nil }
        return try await user(from: row, on: db)
    }

    public func recordFailedPassword(
        userId: String, threshold: Int, lockUntil: String,
        audit: @escaping @Sendable (_ attempts: Int, _ lockedUntil: String?) -> AuditRecord
    ) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.raw(
                "UPDATE users SET failed_attempts = failed_attempts + 1, updated_at = \(bind: context.now) WHERE id = \(bind: userId)"
            ).run()
            let attempts =
                try await db.raw("SELECT failed_attempts FROM users WHERE id = \(bind: userId)").first()?
                .decode(column: "failed_attempts", as: Int.self) ?? 0
            var lockedUntil: String?
            if attempts >= threshold {
                lockedUntil = lockUntil
                try await db.raw("UPDATE users SET failed_attempts = 0, locked_until = \(bind: lockUntil) WHERE id = \(bind: userId)").run()
            }
            _ = try await AuditChain.append(audit(lockedUntil == nil ? attempts : 0, lockedUntil), context: context, on: db)
        }
    }

    public func recordSignIn(userId: String, verifiedHash: String, now: String, audit: AuditRecord) async throws -> String? {
        let context = self.context
        return try await context.database.transaction { db in
            // Lock the row (PostgreSQL; SQLite's writer is already exclusive) so a lock, disable or password reset being
            // written cannot slip in between this check and the write.
            let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
            guard
                let row = try await db.raw(
                    """
                    SELECT status, locked_until, password_hash FROM users WHERE id = \(bind: userId)\(unsafeRaw: lock)
                    """
                ).first(), try row.string("status") == AccountStatus.active.rawValue
            else { return "disabled" }
            if let until = try row.optionalString("locked_until"), until > now { return "locked" }
            // The password checked is no longer the account's: an administrator reset it meanwhile.
            if try row.string("password_hash") != verifiedHash { return "password_changed" }
            try await db.raw(
                "UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = \(bind: context.now) WHERE id = \(bind: userId)"
            ).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
            return nil
        }
    }

    public func endSessions(userId: String, before: Int64, audit: AuditRecord) async throws {
        try await context.write(audit) { db in try await Self.advanceCutoff(userId: userId, to: before, on: db) }
    }

    /// Only ever later: an edit made from an older read cannot bring back sessions a sign-out just ended.
    private static func advanceCutoff(userId: String, to cutoff: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE users SET tokens_valid_after_ms = \(bind: cutoff) WHERE id = \(bind: userId) AND tokens_valid_after_ms < \(bind: cutoff)
            """
        ).run()
    }

    private static func replaceRoles(of user: UserAccount, on db: any SQLDatabase) async throws {
        try await db.delete(from: "user_roles").where("user_id", .equal, user.id).run()
        for grant in Set(user.roles) {
            try await db.insert(into: "user_roles").columns("user_id", "department_id", "role")
                .values(SQLBind(user.id), SQLBind(grant.departmentId), SQLBind(grant.role.rawValue)).run()
        }
    }

    static func user(from row: any SQLRow, on db: any SQLDatabase) async throws -> UserAccount {
        let id = try row.string("id")
        let roles = try await db.select().column("department_id").column("role").from("user_roles")
            .where("user_id", .equal, id).all()
            .compactMap { r -> RoleGrant? in
                guard let role = Role(rawValue: try r.string("role")) else { return nil }
                return RoleGrant(departmentId: try r.string("department_id"), role: role)
            }
        var user = UserAccount(
            id: id, username: try row.string("username"), displayName: try row.string("display_name"),
            departmentId: try row.string("department_id"), passwordHash: try row.string("password_hash"),
            status: AccountStatus(rawValue: try row.string("status")) ?? .disabled,
            failedAttempts: try row.int("failed_attempts"), lockedUntil: try row.optionalString("locked_until"),
            roles: roles.sorted { ($0.departmentId, $0.role.rawValue) < ($1.departmentId, $1.role.rawValue) },
            nodeId: try row.string("node_id"), createdAt: try row.string("created_at"))
        user.tokensValidAfterMs = try row.decode(column: "tokens_valid_after_ms", as: Int64.self)
        return user
    }

    // MARK: API clients

    public func findClient(clientId: String) async throws -> APIClient? {
        try await context.database.lookups.value("client:\(clientId)") {
            try await context.database.withConnection { db in
                try await db.select().column("*").from("api_clients").where("client_id", .equal, clientId).first()
                    .map(Self.client(from:))
            }
        }
    }

    public func listClients(departmentId: String?) async throws -> [APIClient] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("api_clients")
            if let departmentId { select.where("department_id", .equal, departmentId) }
            return try await select.orderBy("created_at").all().map(Self.client(from:))
        }
    }

    public func insertClient(_ client: APIClient, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.insert(into: "api_clients")
                .columns(
                    "id", "client_id", "name", "department_id", "secret_hash", "roles", "status", "node_id",
                    "created_at", "revoked_at"
                )
                .values(
                    SQLBind(client.id), SQLBind(client.clientId), SQLBind(client.name), SQLBind(client.departmentId),
                    SQLBind(client.secretHash), SQLBind(client.roles.map(\.rawValue).joined(separator: ",")),
                    SQLBind(client.status.rawValue), SQLBind(client.nodeId), SQLBind(client.createdAt),
                    SQLBind(client.revokedAt)
                )
                .run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func revokeClient(id: String, revokedAt: String, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                UPDATE api_clients SET status = \(bind: AccountStatus.disabled.rawValue), revoked_at = COALESCE(revoked_at, \(bind: revokedAt))
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    static func client(from row: any SQLRow) throws -> APIClient {
        APIClient(
            id: try row.string("id"), clientId: try row.string("client_id"), name: try row.string("name"),
            departmentId: try row.string("department_id"), secretHash: try row.string("secret_hash"),
            roles: try row.string("roles").split(separator: ",").compactMap { Role(rawValue: String($0)) },
            status: AccountStatus(rawValue: try row.string("status")) ?? .disabled,
            nodeId: try row.string("node_id"), createdAt: try row.string("created_at"),
            revokedAt: try row.optionalString("revoked_at"))
    }
}

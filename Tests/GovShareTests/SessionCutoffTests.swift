import Foundation
import GovShareCore
import Synchronization
import Testing

/// Issue 11, item 7: the session cut-off sign-out writes cannot undo an administrator's change made meanwhile.
@Suite("Sign-out and concurrent account changes")
struct SessionCutoffTests {
    /// The platform's account repository, with `interleave` run once just before the first write made through it,
    /// which is the moment another request's change lands between what the wrapped service read and what it writes.
    /// Also used by AccountWriteRaceTests.
    struct InterleavingRepository: AccountRepository {
        let base: any AccountRepository
        let interleave: @Sendable () async throws -> Void
        let ran = Flag()

        final class Flag: Sendable {
            let value = Mutex(false)
            /// True the first time only.
            func firstTime() -> Bool {
                value.withLock { done in
                    defer { done = true }; return !done
                }
            }
        }

        func once() async throws {
            if ran.firstTime() { try await interleave() }
        }

        func findUser(username: String) async throws -> UserAccount? { try await base.findUser(username: username) }
        func findUser(id: String) async throws -> UserAccount? { try await base.findUser(id: id) }
        func listUsers(departmentId: String?) async throws -> [UserAccount] { try await base.listUsers(departmentId: departmentId) }
        func insertUser(_ user: UserAccount, audit: AuditRecord) async throws { try await base.insertUser(user, audit: audit) }
        func changeStatus(
            userId: String, to status: AccountStatus, endingSessionsBefore cutoff: Int64,
            audit: @escaping @Sendable (UserAccount, UserAccount) -> AuditRecord
        ) async throws -> UserAccount? {
            try await once()
            return try await base.changeStatus(userId: userId, to: status, endingSessionsBefore: cutoff, audit: audit)
        }
        func changePassword(
            userId: String, passwordHash: String, endingSessionsBefore cutoff: Int64,
            audit: AuditRecord
        ) async throws -> Bool {
            try await once()
            return try await base.changePassword(userId: userId, passwordHash: passwordHash, endingSessionsBefore: cutoff, audit: audit)
        }
        func recordFailedPassword(
            userId: String, threshold: Int, lockUntil: String,
            audit: @escaping @Sendable (Int, String?) -> AuditRecord
        ) async throws {
            try await once()
            try await base.recordFailedPassword(userId: userId, threshold: threshold, lockUntil: lockUntil, audit: audit)
        }
        func recordSignIn(userId: String, verifiedHash: String, now: String, audit: AuditRecord) async throws -> String? {
            try await once()
            return try await base.recordSignIn(userId: userId, verifiedHash: verifiedHash, now: now, audit: audit)
        }
        func endSessions(userId: String, before: Int64, audit: AuditRecord) async throws {
            try await once()
            try await base.endSessions(userId: userId, before: before, audit: audit)
        }
        func findClient(clientId: String) async throws -> APIClient? { try await base.findClient(clientId: clientId) }
        func listClients(departmentId: String?) async throws -> [APIClient] { try await base.listClients(departmentId: departmentId) }
        func insertClient(_ client: APIClient, audit: AuditRecord) async throws { try await base.insertClient(client, audit: audit) }
        func revokeClient(id: String, revokedAt: String, audit: AuditRecord) async throws {
            try await once()
            try await base.revokeClient(id: id, revokedAt: revokedAt, audit: audit)
        }
    }

    /// Sign-out checks no password; this one is never asked.
    struct NoHasher: CredentialHasher {
        func hashPassword(_ password: String) async throws -> String { "" }
        func verifyPassword(_ password: String, hash: String) async -> Bool { false }
        func digestSecret(_ secret: String) -> String { "" }
        func secretMatches(_ secret: String, digest: String) -> Bool { false }
        var dummyHash: String { "" }
    }

    @Test(arguments: TestDatabase.available)
    func aSignOutRacingADisableLeavesTheAccountDisabled(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let user = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            let signedIn = platform.accounts.principal(for: user)
            let admin = platform.accounts.principal(
                for: try #require(try await platform.storage.accountRepository.findUser(username: "admin")))
            let racing = InterleavingRepository(base: platform.storage.accountRepository) {
                _ = try await platform.accounts.setStatus(
                    username: "hrss_user", to: .disabled, by: admin,
                    origin: RequestOrigin(requestId: "disable", clientAddress: "test"))
            }
            let service = AccountService(
                accounts: racing, departments: platform.storage.departments, auditLog: platform.storage.auditLog,
                hasher: NoHasher(), clock: platform.clock, security: platform.config.security,
                nodeId: platform.config.nodeId)
            try await service.signOut(signedIn, origin: RequestOrigin(requestId: "sign-out", clientAddress: "test"))

            let after = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            #expect(after.status == .disabled, "the disable that landed during sign-out must stand")
            #expect(after.tokensValidAfterMs > 0)
            #expect(try await platform.accounts.currentPrincipal(kind: .user, id: user.id) == nil)
            let actions = try await platform.storage.auditLog.events(AuditQuery(limit: 2, objectId: user.id)).map(\.action)
            #expect(actions == ["auth.sign_out", "user.disable"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCutOffOnlyMovesLater(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let repository = env.platform.storage.accountRepository
            let user = try #require(try await repository.findUser(username: "hrss_user"))
            let principal = env.platform.accounts.principal(for: user)
            let origin = RequestOrigin(requestId: "cut-off", clientAddress: "test")
            try await repository.endSessions(
                userId: user.id, before: 2_000,
                audit: AuditRecord(
                    actor: principal, action: "auth.sign_out", objectType: "user", objectId: user.id, origin: origin))
            try await repository.endSessions(
                userId: user.id, before: 1_000,
                audit: AuditRecord(
                    actor: principal, action: "auth.sign_out", objectType: "user", objectId: user.id, origin: origin))
            let after = try #require(try await repository.findUser(username: "hrss_user"))
            #expect(after.tokensValidAfterMs == 2_000)
            #expect(after.status == .active && after.passwordHash == user.passwordHash)
        }
    }
}

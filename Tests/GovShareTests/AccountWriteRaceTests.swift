import Foundation
import GovShareCore
import GovShareServer
import Testing

/// Issue 11, item 7 (same class as the sign-out cut-off): account writes touch only the columns they mean to change,
/// so an administrator's disable, a password reset and a sign-in's counter write made at the same time never undo
/// each other. Each test runs one request through `SessionCutoffTests.InterleavingRepository`, which lets another
/// request's change land between what the first one read and what it writes.
@Suite("Concurrent account writes")
struct AccountWriteRaceTests {
    typealias Racing = SessionCutoffTests.InterleavingRepository

    /// Hashes to a recognisable value and accepts one password for any hash, so no real hashing is needed.
    struct FixedHasher: CredentialHasher {
        var accepts: String? = nil
        func hashPassword(_ password: String) async throws -> String { "fixed:" + password }
        func verifyPassword(_ password: String, hash: String) async -> Bool { password == accepts }
        func digestSecret(_ secret: String) -> String { "" }
        func secretMatches(_ secret: String, digest: String) -> Bool { false }
        var dummyHash: String { "" }
    }

    static func origin(_ id: String) -> RequestOrigin { RequestOrigin(requestId: id, clientAddress: "test") }

    static func service(
        _ platform: Platform, over accounts: any AccountRepository,
        hasher: any CredentialHasher = FixedHasher()
    ) -> AccountService {
        AccountService(
            accounts: accounts, departments: platform.storage.departments, auditLog: platform.storage.auditLog, hasher: hasher,
            clock: platform.clock, security: platform.config.security, nodeId: platform.config.nodeId)
    }

    static func admin(_ platform: Platform) async throws -> Principal {
        platform.accounts.principal(for: try #require(try await platform.storage.accountRepository.findUser(username: "admin")))
    }

    static func lastActions(_ platform: Platform, of userId: String, _ n: Int) async throws -> [String] {
        try await platform.storage.auditLog.events(AuditQuery(limit: n, objectId: userId)).map(\.action)
    }

    @Test(arguments: TestDatabase.available)
    func aPasswordResetReadBeforeADisableLeavesTheAccountDisabled(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let admin = try await Self.admin(platform)
            let racing = Racing(base: platform.storage.accountRepository) {
                _ = try await platform.accounts.setStatus(username: "hrss_user", to: .disabled, by: admin, origin: Self.origin("disable"))
            }
            try await Self.service(platform, over: racing)
                .resetPassword(username: "hrss_user", newPassword: "Another#Pass2026", by: admin, origin: Self.origin("reset"))

            let after = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            #expect(after.status == .disabled, "the disable that landed during the reset must stand")
            #expect(after.passwordHash == "fixed:Another#Pass2026", "and the reset is applied too")
            #expect(try await platform.accounts.currentPrincipal(kind: .user, id: after.id) == nil)
            #expect(try await Self.lastActions(platform, of: after.id, 2) == ["user.reset_password", "user.disable"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDisableReadBeforeAPasswordResetKeepsTheNewPassword(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let admin = try await Self.admin(platform)
            let racing = Racing(base: platform.storage.accountRepository) {
                try await Self.service(platform, over: platform.storage.accountRepository)
                    .resetPassword(username: "hrss_user", newPassword: "Another#Pass2026", by: admin, origin: Self.origin("reset"))
            }
            let disabled = try await Self.service(platform, over: racing)
                .setStatus(username: "hrss_user", to: .disabled, by: admin, origin: Self.origin("disable"))

            let after = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            #expect(after.status == .disabled && disabled.status == .disabled)
            #expect(after.passwordHash == "fixed:Another#Pass2026", "the disable must not write back the old password")
            #expect(try await Self.lastActions(platform, of: after.id, 2) == ["user.disable", "user.reset_password"])
            let entry = try #require(try await platform.storage.auditLog.events(AuditQuery(limit: 1, objectId: after.id)).first)
            #expect(entry.before?.contains("\"active\"") == true && entry.after?.contains("\"disabled\"") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFailedSignInsLockRacingADisableLeavesTheAccountDisabled(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let admin = try await Self.admin(platform)
            let plain = Self.service(platform, over: platform.storage.accountRepository)
            // All but the last failure before the lock; the last one (which sets the lock) races the disable.
            for _ in 1..<platform.config.security.lockoutThreshold {
                await #expect(throws: DomainError.self) {
                    try await plain.signIn(username: "hrss_user", password: "wrong", origin: Self.origin("guess"))
                }
            }
            let racing = Racing(base: platform.storage.accountRepository) {
                _ = try await platform.accounts.setStatus(username: "hrss_user", to: .disabled, by: admin, origin: Self.origin("disable"))
            }
            await #expect(throws: DomainError.self) {
                try await Self.service(platform, over: racing).signIn(
                    username: "hrss_user", password: "wrong", origin: Self.origin("guess"))
            }

            let after = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            #expect(after.status == .disabled, "the counter and lock write must not undo the disable")
            #expect(after.lockedUntil != nil, "the lock the last guess earned is set as well")
            #expect(try await Self.lastActions(platform, of: after.id, 2) == ["auth.sign_in", "user.disable"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSignInWithAPasswordResetMeanwhileIsRefused(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let admin = try await Self.admin(platform)
            let racing = Racing(base: platform.storage.accountRepository) {
                try await Self.service(platform, over: platform.storage.accountRepository)
                    .resetPassword(username: "hrss_user", newPassword: "Another#Pass2026", by: admin, origin: Self.origin("reset"))
            }
            // The old password checks out, then the reset lands before the sign-in is recorded: the sign-in must fail,
            // or the holder of the old password would get a session issued after the reset's cut-off.
            await #expect(throws: DomainError.self) {
                try await Self.service(platform, over: racing, hasher: FixedHasher(accepts: "old-password"))
                    .signIn(username: "hrss_user", password: "old-password", origin: Self.origin("sign-in"))
            }
            let user = try #require(try await platform.storage.accountRepository.findUser(username: "hrss_user"))
            let entry = try #require(try await platform.storage.auditLog.events(AuditQuery(limit: 1, objectId: user.id)).first)
            #expect(entry.action == "auth.sign_in" && entry.outcome == "failure" && entry.detail == "password_changed")
        }
    }
}

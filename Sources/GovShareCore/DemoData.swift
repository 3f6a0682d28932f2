import Foundation

/// What the demo seeder left behind, as `govshare demo purge` finds and removes it.
///
/// Demo data is recognised by the audit log: every seed run records itself (`demo_seed_runs`, and an entry of the
/// run's request id) before it creates anything, and everything it creates is audited under that request id. An
/// object is demo data when the first audit entry naming it belongs to a seed run; everything recorded against a demo
/// catalog entry (its dataset and rows, subscriptions, grants, applications) concerns only synthetic data and goes
/// with it. Organisations, the audit log and the read trace stay (docs/security.md says why).
public struct DemoInventory: Sendable, Equatable, Codable {
    public var seedRuns = 0
    /// Demo accounts (by username), removed.
    public var users: [String] = []
    public var catalogEntries = 0
    public var datasets = 0
    public var datasetRows = 0
    public var subscriptions = 0
    public var grants = 0
    public var applications = 0
    public var notifications = 0
    /// Accounts and API clients a demo account created: not demo data, but made with a published password, so they
    /// are disabled (users) and revoked (clients) rather than removed.
    public var usersDisabled: [String] = []
    public var clientsRevoked: [String] = []

    public init() {}

    public var isEmpty: Bool { self == DemoInventory() }

    enum CodingKeys: String, CodingKey {
        case seedRuns = "seed_runs", users, catalogEntries = "catalog_entries", datasets, datasetRows = "dataset_rows"
        case subscriptions, grants, applications, notifications
        case usersDisabled = "users_disabled", clientsRevoked = "clients_revoked"
    }
}

public protocol DemoDataRepository: Sendable {
    /// Records a seed run under its request id before the run creates anything, with its audit entry.
    func recordSeedRun(audit: AuditRecord) async throws
    func hasSeedRuns() async throws -> Bool
    /// Finds the demo data and, given `audit` (nil: a dry run that only counts), removes it, forgets the seed runs and
    /// appends `audit(found)`, all in one transaction. `progress` is told each step as it completes.
    func purge(
        audit: (@Sendable (DemoInventory) -> AuditRecord)?,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> DemoInventory
    /// Replaces the content of one stored catalog version, with its audit entry (`DemoAnomalies`).
    func replaceContent(entryId: String, version: Int, content: CatalogContent, audit: AuditRecord) async throws
    /// Writes a read row under the seq of its own audit entry (`DemoAnomalies`).
    func insertRead(_ read: DataRead, audit: AuditRecord) async throws
}

/// Keeps demo data out of production: the server refuses to start on it, and `govshare demo purge` removes it.
public struct DemoDataService: Sendable {
    /// The actor name every seed run writes under.
    public static let seedActor = "demo-seed"
    let repository: any DemoDataRepository
    let accounts: AccountService

    public init(repository: any DemoDataRepository, accounts: AccountService) {
        self.repository = repository; self.accounts = accounts
    }

    public func recordSeedRun(origin: RequestOrigin) async throws {
        try await repository.recordSeedRun(
            audit: AuditRecord(
                actor: .system(Self.seedActor), action: "demo.seed",
                objectType: "demo_seed_run", objectId: origin.requestId, origin: origin))
    }

    /// Called before a production server starts: refuses while a seed run is recorded, or while an account with a
    /// demo username still accepts the published demo password (however it got there).
    public func requireNoDemoData(demoUsernames: [String], demoPassword: String) async throws {
        var reasons: [LocalizedText] = []
        if try await repository.hasSeedRuns() { reasons.append(LocalizedText(zh: "存在演示数据", en: "demo data is present")) }
        var open: [String] = []
        for username in demoUsernames {
            if let user = try await accounts.accounts.findUser(username: username),
                await accounts.hasher.verifyPassword(demoPassword, hash: user.passwordHash)
            {
                open.append(username)
            }
        }
        if !open.isEmpty {
            let names = open.joined(separator: ", ")
            reasons.append(LocalizedText(zh: "以下账号仍接受公开的演示密码：\(names)", en: "accounts accept the published demo password: \(names)"))
        }
        guard reasons.isEmpty else {
            throw DomainError(
                .conflict, code: "demo_data_present",
                message: LocalizedText(
                    zh: "生产模式不能在演示数据上启动（\(reasons.map(\.zh).joined(separator: "；"))）。请先运行 `govshare demo purge --yes` 删除演示账号和演示数据"
                        + (open.isEmpty ? "" : "，并为不是演示创建的上述账号重设密码"),
                    en:
                        "Production mode does not start on demo data (\(reasons.map(\.en).joined(separator: "; "))). Run `govshare demo purge --yes` "
                        + "to remove the demo accounts and data"
                        + (open.isEmpty ? "" : ", and reset the password of any of those accounts the demo did not create")))
        }
    }

    /// What a purge would remove, without removing it.
    public func inventory() async throws -> DemoInventory {
        try await repository.purge(audit: nil, progress: { _ in })
    }

    /// Removes the demo data in one transaction, audited as `demo.purge` with what was removed.
    public func purge(by actor: Principal, origin: RequestOrigin, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> DemoInventory
    {
        try Policy.manageAccounts.check(actor)
        return try await repository.purge(
            audit: { found in
                AuditRecord(
                    actor: actor, action: "demo.purge", objectType: "demo_data", objectId: "*",
                    after: AuditJSON.encode(found), origin: origin)
            }, progress: progress)
    }
}

import Foundation
import GovShareCore

/// Loads the demo organisations and accounts (README lists them). Safe to run on every start: what exists is kept.
public struct DemoSeeder: Sendable {
    public static let password = "GovShare#2026"
    let platform: Platform

    public init(platform: Platform) { self.platform = platform }

    struct DemoFile: Decodable {
        let departments: [NewDepartment]
        let users: [DemoUser]
    }

    struct DemoUser: Decodable {
        let username: String
        let displayName: String
        let departmentCode: String
        let roles: [String]
        enum CodingKeys: String, CodingKey {
            case username, roles
            case displayName = "display_name", departmentCode = "department_code"
        }
    }

    static func organisations() throws -> DemoFile {
        guard let url = Bundle.module.url(forResource: "organisations", withExtension: "json", subdirectory: "Resources/demo") else {
            throw DomainError(.unavailable, code: "demo_missing", message: LocalizedText(zh: "缺少演示数据", en: "Demo data is missing"))
        }
        return try JSONDecoder().decode(DemoFile.self, from: Data(contentsOf: url))
    }

    /// The demo accounts' usernames (README lists them), which production checks against the published password.
    public static func usernames() throws -> [String] { try organisations().users.map(\.username) }

    public func seed() async throws {
        let file = try Self.organisations()
        let actor = Principal.system(DemoDataService.seedActor)
        // One request id for the whole run, recorded before anything is created: it is how production and
        // `govshare demo purge` recognise everything this run creates (DemoInventory).
        let origin = RequestOrigin.commandLine()
        try await platform.demoData.recordSeedRun(origin: origin)
        var created = 0
        // Provincial departments first, so city departments can name their system parent.
        for department in file.departments.sorted(by: { ($0.systemParentCode == nil ? 0 : 1) < ($1.systemParentCode == nil ? 0 : 1) }) {
            guard let code = department.code, try await platform.directory.department(code: code, by: actor) == nil else { continue }
            _ = try await platform.directory.createDepartment(department, by: actor, origin: origin)
            created += 1
        }
        for user in file.users where try await platform.demoData.principal(username: user.username, by: actor) == nil {
            _ = try await platform.accounts.createUser(
                NewUser(
                    username: user.username, displayName: user.displayName, departmentCode: user.departmentCode,
                    roles: user.roles, password: Self.password), by: actor, origin: origin)
            created += 1
        }
        created += try await seedCatalog(actor: actor, origin: origin)
        created += try await DemoExchangeSeeder(platform: platform, actor: actor, origin: origin).seed()
        created += try await DemoLicenceSeeder(platform: platform, actor: actor, origin: origin).seed()
        if platform.config.demoApplications { created += try await DemoSharingSeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoSecuritySeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoRiskSeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoObjectionSeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoConflictSeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoSupervisionSeeder(platform: platform, origin: origin).seed() }
        if platform.config.demoApplications { created += try await DemoAssessmentSeeder(platform: platform, origin: origin).seed() }
        platform.logger.notice("demo data ready", metadata: ["created": "\(created)"])
    }

    struct DemoCatalog: Decodable {
        struct Entry: Decodable {
            let providerCode: String
            let content: CatalogContent
            enum CodingKeys: String, CodingKey { case content; case providerCode = "provider_code" }
        }
        let entries: [Entry]
    }

    static let catalogDaysAgo = 42.0

    /// Files, submits and publishes each demo entry through the same service the API uses; skips names already filed.
    func seedCatalog(actor: Principal, origin: RequestOrigin) async throws -> Int {
        guard let url = Bundle.module.url(forResource: "catalog", withExtension: "json", subdirectory: "Resources/demo") else {
            return 0
        }
        let file = try JSONDecoder().decode(DemoCatalog.self, from: Data(contentsOf: url))
        var query = CatalogQuery()
        query.rows = 1000
        let existing = Set(try await platform.catalog.search(query, for: actor).documents.map(\.name))
        var created = 0
        // Compiled and published six weeks ago, as a catalog is before departments mount their data: entries still
        // without data now show as unmounted to the supervision check (Art. 30).
        let catalog = platform.catalog.on(
            clock: DemoSharingSeeder.StepClock(platform.clock.now().addingTimeInterval(-Self.catalogDaysAgo * 86_400)))
        for item in file.entries where !existing.contains(item.content.name ?? "") {
            let (entry, _) = try await catalog.createDraft(item.content, providerCode: item.providerCode, by: actor, origin: origin)
            _ = try await catalog.submit(entryId: entry.id, by: actor, origin: origin)
            _ = try await catalog.review(entryId: entry.id, decision: .publish, reason: nil, by: actor, origin: origin)
            created += 1
        }
        return created
    }
}

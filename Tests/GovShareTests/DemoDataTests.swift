import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import HummingbirdTesting
import SQLKit
import Synchronization
import Testing

/// Issue 11, item 5: a data directory that ran `--demo` does not start in production until `govshare demo purge`.
@Suite("Demo data in production")
struct DemoDataTests {
    /// The same data directory and database, now configured for production.
    static func production(_ env: TestEnvironment) -> GovShareConfig {
        var config = env.config
        config.mode = .production
        config.demo = false
        return config
    }

    static func count(_ env: TestEnvironment, _ table: String) async throws -> Int {
        try await env.platform.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    static func startsInProduction(_ env: TestEnvironment) async throws -> DomainError? {
        do {
            let server = try await buildApplication(config: production(env), logger: TestEnvironment.logger)
            await server.platform.shutdown()
            return nil
        } catch let error as DomainError {
            return error
        }
    }

    @Test(arguments: TestDatabase.available)
    func productionRefusesDemoDataUntilItIsPurged(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let platform = env.platform
            let system = Principal.system("cli:test")
            let origin = RequestOrigin(requestId: "test", clientAddress: "cli")
            // Not demo data: an account the operator made, and one a demo account (the published admin) made.
            _ = try await platform.accounts.createUser(
                NewUser(
                    username: "real_admin", displayName: "Real", departmentCode: "11440000MB3307905U",
                    roles: ["platform_admin"], password: "Real-Admin#2026x"), by: system, origin: origin)
            let demoAdmin = platform.accounts.principal(
                for: try #require(try await platform.storage.accountRepository.findUser(username: "admin")))
            _ = try await platform.accounts.createUser(
                NewUser(
                    username: "made_by_demo", displayName: "Made", departmentCode: "11440000MB3307905U",
                    roles: ["data_user"], password: "Made-ByDemo#2026"), by: demoAdmin, origin: origin)
            let departments = try await Self.count(env, "departments")
            // What the demo plants for the supervision rules (DemoData+Anomalies) only the seeder may plant, and the
            // audit log names each plant: two catalog versions and a read.
            let stray = DataRead(
                auditSeq: 0, datasetId: "", entryCode: "X", actorId: "x", actorName: "x", departmentId: "x", purposeId: "x", items: [],
                filter: "", rows: 1, readAt: "2026-01-01T00:00:00.000Z", requestId: "x")
            for actor in [system, demoAdmin] {
                await #expect(throws: DomainError.self) { try await platform.demoData.plantRead(stray, by: actor, origin: origin) }
            }
            #expect(try await platform.storage.auditLog.events(AuditQuery(limit: 10, action: "demo.plant")).count == 3)

            let refused = try #require(try await Self.startsInProduction(env))
            #expect(refused.code == "demo_data_present")
            #expect(refused.message.en.contains("govshare demo purge") && refused.message.zh.contains("govshare demo purge"))

            let found = try await platform.demoData.inventory()
            #expect(found.users.contains("admin") && !found.users.contains("real_admin") && !found.users.contains("made_by_demo"))
            #expect(found.catalogEntries > 0 && found.datasets == 4 && found.datasetRows > 0 && found.applications == 6)
            #expect(found.usersDisabled == ["made_by_demo"])

            let auditBefore = try await platform.storage.auditLog.events(AuditQuery(limit: 1)).first?.seq ?? 0
            let steps = Mutex<[String]>([])
            let removed = try await platform.demoData.purge(by: system, origin: origin) { step in steps.withLock { $0.append(step) } }
            #expect(removed == found)
            #expect(steps.withLock { $0.count } >= 3, "the purge shows its progress")

            #expect(try await Self.startsInProduction(env) == nil, "after the purge, production starts")
            try await env.test { client in
                let admin = try await client.json(.post, "/api/v1/auth/token", body: #"{"username":"admin","password":"\#(demoPassword)"}"#)
                #expect(admin.status == .unauthorized)
                let real = try await client.json(
                    .post, "/api/v1/auth/token", body: #"{"username":"real_admin","password":"Real-Admin#2026x"}"#)
                #expect(real.status == .ok)
                let catalog = try await client.json(
                    .get, "/api/v1/catalog/search", token: try #require(real.json["access_token"] as? String))
                #expect(
                    catalog.status == .ok && catalog.json["total"] as? Int == 0, "the search index drops the demo entries: \(catalog.json)")
            }
            #expect(try await platform.storage.accountRepository.findUser(username: "made_by_demo")?.status == .disabled)
            for table in [
                "catalog_entries", "datasets", "share_applications", "grants", "subscriptions", "demo_seed_runs", "fact_pairs",
                "conflict_cases", "conflict_findings", "conflict_messages", "authoritative_sources",
            ] {
                #expect(try await Self.count(env, table) == 0, "\(table)")
            }
            #expect(try await Self.count(env, "departments") == departments, "organisations stay")
            // The audit log keeps everything, the purge itself added, and still verifies.
            let purges = try await platform.storage.auditLog.events(AuditQuery(limit: 5, action: "demo.purge"))
            #expect(purges.count == 1 && purges[0].seq == auditBefore + 1 && purges[0].actorName == "cli:test")
            let verified = try await platform.storage.auditLog.verify()
            #expect(verified.ok && verified.checked > auditBefore)
            #expect(try await platform.demoData.inventory().isEmpty, "a second purge finds nothing")
        }
    }

    /// A demo account that still takes the published password blocks production even without a recorded seed run
    /// (for instance one an older version seeded and whose run the audit retention has since removed).
    @Test(arguments: TestDatabase.available)
    func anAccountWithTheDemoPasswordBlocksProduction(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.platform.database.transaction { db in try await db.raw("DELETE FROM demo_seed_runs").run() }
            let refused = try #require(try await Self.startsInProduction(env))
            #expect(refused.code == "demo_data_present" && refused.message.en.contains("admin"), "\(refused.message.en)")
        }
    }
}

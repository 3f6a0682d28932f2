import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 15 item 5 (Art. 26): registered backups — made through the API on the real store, restored into a fresh
/// directory (SQLite) or an empty database (PostgreSQL) with the same row counts and audit head and a chain that
/// verifies; a changed file or manifest is refused, and so is a non-empty target.
@Suite("Backups: encrypted, signed, registered, restored (Art. 26)")
struct BackupTests {
    @Test(arguments: TestDatabase.available)
    func backupRestoresIntoAFreshTargetWithTheSameCountsAndAuditHead(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let location = try await env.test { client -> String in
                let ops = try await client.token("ops")
                let made = try await client.json(.post, "/api/v1/backups", token: ops, body: "{}")
                #expect(made.status == .created, "\(made.json)")
                #expect(made.json["status"] as? String == "completed")
                #expect((made.json["sm3"] as? String)?.count == 64)
                let list = try await client.json(.get, "/api/v1/backups", token: try await client.token("auditor"))
                #expect(list.status == .ok)
                #expect(list.json["overdue"] as? Bool == false)
                let rows = try #require(list.json["backups"] as? [[String: Any]])
                #expect(rows.first?["id"] as? String == made.json["id"] as? String)
                // Refused to those outside operations, administration and audit.
                #expect(try await client.json(.get, "/api/v1/backups", token: try await client.token("hrss_user")).status == .forbidden)
                return try #require(made.json["location"] as? String)
            }
            // The file holds no clear text of the database (it is encrypted), and the audit log records the backup.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: location))
            #expect(bytes.range(of: Data("CREATE TABLE".utf8)) == nil && bytes.range(of: Data("audit_events".utf8)) == nil)
            let events = try await env.platform.storage.auditLog.events(AuditQuery(action: "backup.complete"))
            #expect(events.count == 1)

            let restored = try await Self.restoreFresh(env, database: database, backup: location) { config in
                // A second restore into the now non-empty target is refused and changes nothing.
                await #expect(throws: DomainError.self) {
                    _ = try await Platform.restoreBackup(location, config: config, logger: TestEnvironment.logger)
                }
            }
            #expect(restored.ok, "differs: \(restored.differingTables.keys.sorted()), chain \(restored.chain)")
            #expect(restored.restored.rowCounts == restored.manifest.rowCounts)
            #expect(restored.restored.auditSeq == restored.manifest.auditSeq && restored.manifest.auditSeq > 0)
            #expect(restored.restored.auditHash == restored.manifest.auditHash)
            #expect(restored.chain.ok && restored.rootMatches)
            #expect((restored.manifest.rowCounts["audit_events"] ?? 0) > 0 && (restored.manifest.rowCounts["departments"] ?? 0) > 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aTamperedBackupOrManifestIsRefused(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            let made = try await env.platform.backups.make(by: .system("test"), origin: .commandLine())
            let file = made.record.location
            let manifest = String(file.dropLast(5)) + ".json"
            #expect(try Platform.verifyBackup(file).id == made.record.id)

            // One byte of the encrypted file changed: the digest no longer matches the signed manifest.
            let original = try Data(contentsOf: URL(fileURLWithPath: file))
            var changed = original
            changed[changed.count / 2] ^= 0x01
            try changed.write(to: URL(fileURLWithPath: file))
            #expect(Self.code { try Platform.verifyBackup(file) } == "backup_digest_mismatch")
            try original.write(to: URL(fileURLWithPath: file))

            // The manifest's audit head changed: its signature no longer verifies.
            let text = try String(contentsOfFile: manifest, encoding: .utf8)
            let seq = made.manifest.auditSeq
            try text.replacingOccurrences(of: "\"audit_seq\" : \(seq)", with: "\"audit_seq\" : \(seq + 1)")
                .write(toFile: manifest, atomically: true, encoding: .utf8)
            #expect(Self.code { try Platform.verifyBackup(file) } == "backup_signature_invalid")
            try text.write(toFile: manifest, atomically: true, encoding: .utf8)
            #expect(try Platform.verifyBackup(file).id == made.record.id)
        }
    }

    /// The portal's "make a backup now" button is a form like every other: without the session's CSRF token it is
    /// refused and no backup is made; with it the backup is made and the page shows it.
    @Test(arguments: TestDatabase.available)
    func thePortalButtonNeedsTheCSRFToken(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let ops = try await client.token("ops")
                func count() async throws -> Int {
                    let listed = try await client.json(.get, "/api/v1/backups", token: ops)
                    return (listed.json["backups"] as? [Any])?.count ?? -1
                }
                let jar = try await PortalCatalogTests.signIn(client, "ops")
                let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: PortalTests.cookieHeader(jar)]
                let forged = try await client.execute(uri: "/backups", method: .post, headers: headers, body: ByteBuffer(string: ""))
                #expect(forged.status == .forbidden)
                #expect(try await count() == 0)
                let made = try await PortalApplicationsTests.post(client, "/backups", jar, [:])
                #expect(made.status == .seeOther)
                #expect(try await count() == 1)
            }
        }
    }

    @Test func aBackupKilledMidWayIsMarkedFailedAtTheNextStart() async throws {
        try await TestEnvironment.with(.sqlite, demo: false) { env in
            // A `running` row whose process is gone (pid 1 on another "host" is taken as alive, so use this host).
            let dead = "\(ProcessInfo.processInfo.hostName):999999"
            let partial = env.config.backupDirectoryPath + "/govshare-backup-x.gsbk.partial"
            try FileManager.default.createDirectory(atPath: env.config.backupDirectoryPath, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: partial, contents: Data("half".utf8))
            try await env.platform.database.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO backups (id, node_id, status, started_at, location, created_by, database_kind, schema_version, owner)
                    VALUES ('b-killed', \(bind: env.config.nodeId), 'running', '2026-01-01T00:00:00Z',
                    \(bind: env.config.backupDirectoryPath + "/govshare-backup-x.gsbk"), 'test', 'sqlite', 34, \(bind: dead))
                    """
                ).run()
            }
            #expect(try await env.platform.backups.failInterrupted(origin: .commandLine()) == 1)
            let overview = try await env.platform.backups.overview(by: .system("test"))
            #expect(overview.backups.first { $0.id == "b-killed" }?.status == .failed)
            #expect(!FileManager.default.fileExists(atPath: partial), "the half file is removed, never passed off as a backup")
            #expect(overview.isOverdue)
        }
    }

    static func code(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as DomainError { return error.code } catch { return "\(error)" }
    }

    /// Restores `backup` into a fresh data directory (SQLite) or a new empty database (PostgreSQL), opens a platform on
    /// it and compares it with the manifest.
    static func restoreFresh(
        _ env: TestEnvironment, database: TestDatabase, backup: String, whileRestored: (GovShareConfig) async throws -> Void
    ) async throws -> BackupRestoreCheck {
        var config = env.config
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-restore-\(UUID().uuidString)").path
        config.dataDirectory = dataDir
        config.keyFile = env.config.keyFilePath
        config.demo = false
        var createdDatabase: String?
        if database == .postgres, let url = TestDatabase.postgresURL {
            let name = "govshare_restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let admin = try GovShareDatabase.postgres(url: url, logger: TestEnvironment.logger, connectionsPerLoop: 1)
            try await admin.withConnection { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            await admin.shutdown()
            createdDatabase = name
            config.databaseURL = Self.replacingDatabase(in: url, with: name)
        }
        defer {
            try? FileManager.default.removeItem(atPath: dataDir)
        }
        do {
            let manifest = try await Platform.restoreBackup(backup, config: config, logger: TestEnvironment.logger)
            let platform = try await Platform.open(config: config, logger: TestEnvironment.logger)
            let check = try await platform.backups.checkRestore(against: manifest, by: .system("test"), origin: .commandLine())
            await platform.shutdown()
            try await whileRestored(config)
            try await dropDatabase(createdDatabase)
            return check
        } catch {
            try? await dropDatabase(createdDatabase)
            throw error
        }
    }

    static func dropDatabase(_ name: String?) async throws {
        guard let name, let url = TestDatabase.postgresURL else { return }
        let admin = try GovShareDatabase.postgres(url: url, logger: TestEnvironment.logger, connectionsPerLoop: 1)
        try await admin.withConnection { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
        await admin.shutdown()
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}

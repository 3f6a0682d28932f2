import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import SQLKit
import Testing

/// Issue 12 item 7 (Art. 28 with the Cybersecurity Law): nothing in the audit log or the read trace is deletable before
/// the configured retention — not through the application, and not through plain SQL (migration 27's triggers).
@Suite("Audit retention (Art. 28)")
struct AuditRetentionTests {
    /// What an attacker who owns the schema can do first: drop the retention triggers. The tamper tests of the audit
    /// chain use it to show the chain still names what was changed.
    static func removeGuard(on db: any SQLDatabase, kind: GovShareDatabase.Kind) async throws {
        for (table, trigger) in [
            ("audit_events", "retain"), ("audit_events", "append_only"), ("data_reads", "retain"),
            ("data_reads", "append_only"), ("data_read_refs", "retain"), ("data_read_refs", "append_only"),
        ] {
            let on = kind == .postgres ? " ON \(table)" : ""
            try await db.raw("DROP TRIGGER \(unsafeRaw: table)_\(unsafeRaw: trigger)\(unsafeRaw: on)").run()
        }
    }

    static func count(_ env: TestEnvironment, _ table: String) async throws -> Int {
        try await env.platform.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    static func counts(_ env: TestEnvironment) async throws -> [Int] {
        var result: [Int] = []
        for table in ["audit_events", "data_reads", "data_read_refs"] { result.append(try await count(env, table)) }
        return result
    }

    /// Two reads through the API, their references moved into the index by the indexer (which clears `refs`: the one
    /// update of the read trace the database allows).
    static func read(_ env: TestEnvironment) async throws {
        try await env.test { client in
            let provider = try await client.token("gd_cataloger")
            let code = try await ExchangeTests.populationCode(client, provider)
            for _ in 0..<2 {
                let read = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":5}"#)
                #expect(read.status == .ok)
            }
        }
        while try await env.platform.exchange.indexReadReferences(limit: 100) > 0 {}
    }

    /// Runs `sql` in its own transaction; true when the database refused it.
    static func refused(_ env: TestEnvironment, _ sql: String) async -> Bool {
        do {
            try await env.platform.database.transaction { db in try await db.raw(SQLQueryString(sql)).run() }
            return false
        } catch {
            // The refusal is the guard's, not some other failure of the statement.
            let text = String(reflecting: error)
            #expect(
                text.contains("audit_retention") || text.contains("audit_append_only") || text.contains("CHECK constraint"),
                "\(sql): \(text)")
            return true
        }
    }

    /// An audit entry, its read and one reference, `days` old, appended past the head with plain SQL.
    static func insertRead(_ env: TestEnvironment, seq: Int64, daysOld: Double) async throws {
        let at = Timestamp.format(Date().addingTimeInterval(-daysOld * 86_400))
        try await env.platform.database.transaction { db in
            try await db.raw(
                """
                INSERT INTO audit_events (seq, id, occurred_at, actor_kind, actor_id, actor_name, department_id, action, object_type,
                    object_id, outcome, request_id, client_address, node_id, prev_hash, hash)
                VALUES (\(bind: seq), \(bind: "old-\(seq)"), \(bind: at), 'system', 'system', 'old', '', 'data.read', 'dataset', 'x',
                    'success', 'r', 'cli', 'gd-province', 'p', 'h')
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO data_reads (audit_seq, dataset_id, entry_code, actor_id, actor_name, department_id, purpose_id, items,
                    filter, row_count, read_at, request_id)
                VALUES (\(bind: seq), 'x', 'x', 'a', 'a', 'd', 'provider', 'XM', '', 1, \(bind: at), 'r')
                """
            ).run()
            try await db.raw("INSERT INTO data_read_refs (ref, audit_seq) VALUES (\(bind: Data(repeating: 7, count: 32)), \(bind: seq))")
                .run()
        }
    }

    static func deleteRead(_ env: TestEnvironment, seq: Int64) async -> [Bool] {
        [
            await refused(env, "DELETE FROM data_read_refs WHERE audit_seq = \(seq)"),
            await refused(env, "DELETE FROM data_reads WHERE audit_seq = \(seq)"),
            await refused(env, "DELETE FROM audit_events WHERE seq = \(seq)"),
        ]
    }

    @Test(arguments: TestDatabase.available)
    func freshAuditAndReadRowsCannotBeDeletedOrChangedThroughTheDatabase(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await Self.read(env)
            let before = try await Self.counts(env)
            #expect(before[1] >= 2 && before[2] >= 2, "reads and their references are there: \(before)")
            var statements = [
                "DELETE FROM audit_events WHERE seq = 3", "DELETE FROM audit_events",
                "UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 3",
                "DELETE FROM data_reads", "UPDATE data_reads SET actor_name = 'someone else'",
                "UPDATE data_reads SET refs = NULL, row_count = 0",
                "DELETE FROM data_read_refs", "UPDATE data_read_refs SET audit_seq = audit_seq + 0",
                "DELETE FROM retention_settings", "UPDATE retention_settings SET audit_retention_days = 30",
            ]
            if database == .postgres {
                statements += ["TRUNCATE audit_events", "TRUNCATE data_reads", "TRUNCATE data_read_refs", "TRUNCATE retention_settings"]
            }
            for sql in statements {
                #expect(await Self.refused(env, sql), "the database accepted: \(sql)")
            }
            #expect(try await Self.counts(env) == before)
            #expect(try await env.platform.storage.auditLog.verify().ok)
            // The indexer's one allowed update still works on the next read.
            try await Self.read(env)
            #expect(try await Self.count(env, "data_reads") == before[1] + 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rowsOlderThanTheRetentionAreNotGuarded(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            // The guard judges by age, not by table: 200 days is past the default 183, 100 days is not.
            try await Self.insertRead(env, seq: 1_000_000, daysOld: 200)
            try await Self.insertRead(env, seq: 1_000_001, daysOld: 100)
            #expect(await Self.deleteRead(env, seq: 1_000_001) == [true, true, true])
            #expect(await Self.deleteRead(env, seq: 1_000_000) == [false, false, false])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConfiguredRetentionReachesTheDatabaseAndOnlyGrows(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false, settings: ["audit_retention_days": "400"]) { env in
            let settings = SQLRetentionSettings(
                context: StoreContext(
                    database: env.platform.database, nodeId: "gd-province",
                    clock: SystemWallClock()))
            #expect(try await settings.current() == 400)
            let raised = try await env.platform.storage.auditLog.events(AuditQuery(limit: 5, action: "retention.raise"))
            #expect(raised.count == 1 && raised.first?.after?.contains("400") == true)
            // 300 days is past the legal minimum but inside the configured 400.
            try await Self.insertRead(env, seq: 1_000_000, daysOld: 300)
            #expect(await Self.deleteRead(env, seq: 1_000_000) == [true, true, true])
            // A command run with the default configuration does not shorten it; neither does plain SQL.
            let origin = RequestOrigin(requestId: "test", clientAddress: "cli")
            #expect(try await settings.raise(to: 183, origin: origin) == 400)
            #expect(await Self.refused(env, "UPDATE retention_settings SET audit_retention_days = 250"))
            #expect(!(await Self.refused(env, "UPDATE retention_settings SET audit_retention_days = 500")), "growing is allowed")
            #expect(try await settings.current() == 500)
            #expect(
                try await env.platform.storage.auditLog.events(AuditQuery(limit: 5, action: "retention.raise")).count == 1,
                "an unchanged retention writes no entry")
        }
    }

    /// `govshare demo purge` removes demo data, never the audit entries or reads about it (see SQLDemoDataRepository).
    @Test(arguments: TestDatabase.available)
    func theDemoPurgeKeepsTheAuditLogAndTheReadTrace(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await Self.read(env)
            let before = try await Self.counts(env)
            _ = try await env.platform.demoData.purge(
                by: Principal.system("cli:test"), origin: RequestOrigin(requestId: "t", clientAddress: "cli")
            ) { _ in }
            #expect(try await Self.count(env, "datasets") == 0, "the demo data is gone")
            #expect(try await Self.counts(env) == [before[0] + 1, before[1], before[2]], "only the purge's own entry was added")
            #expect(try await env.platform.storage.auditLog.verify().ok)
        }
    }
}

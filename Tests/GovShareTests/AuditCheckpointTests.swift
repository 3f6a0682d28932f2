import Crypto
import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import SQLKit
import Testing

/// Issue 14 point 5 (Art. 28): signed audit checkpoints. Each tampering an attacker with the schema owner's rights can
/// do unseen by the chain alone — rewriting entries and recomputing every hash after them, cutting off the tail with
/// the head, deleting or altering a read's record references — is found against an exported checkpoint file.
@Suite("Signed audit checkpoints (Art. 28)")
struct AuditCheckpointTests {
    static let system = Principal.system("test")
    static let origin = RequestOrigin(requestId: "test", clientAddress: "cli")

    /// One read of five records through the API, its references left unindexed in `data_reads.refs`.
    static func readOnce(_ env: TestEnvironment) async throws {
        try await env.test { client in
            let provider = try await client.token("gd_cataloger")
            let code = try await ExchangeTests.populationCode(client, provider)
            let read = try await client.json(.post, "/api/v1/datasets/\(code)/query", token: provider, body: #"{"limit":5}"#)
            #expect(read.status == .ok)
        }
    }

    static func checkpoint(_ env: TestEnvironment) async throws -> AuditCheckpoint {
        try #require(try await env.platform.auditCheckpoints.checkpoint(by: system, origin: origin))
    }

    static func exported(_ env: TestEnvironment) async throws -> String {
        try await env.platform.auditCheckpoints.export(by: system, origin: origin).text
    }

    static func verify(_ env: TestEnvironment, _ file: String) async throws -> AuditCheckpointVerification {
        try await env.platform.auditCheckpoints.verify(file: file, rootPEM: nil, by: system, origin: origin)
    }

    /// What the attacker does first (a write: SQLite's read connections are query-only).
    static func removeGuard(_ env: TestEnvironment) async throws {
        let kind = env.platform.database.kind
        try await env.platform.database.transaction { db in try await AuditRetentionTests.removeGuard(on: db, kind: kind) }
    }

    static func run(_ env: TestEnvironment, _ sql: SQLQueryString) async throws {
        try await env.platform.database.transaction { db in try await db.raw(sql).run() }
    }

    /// The digest's entry text is written by hand on the read path: it must be what the encoder would write, and read back.
    /// A file of bad lines (a peer's megabyte, say) is refused naming its first twenty, not one problem per line.
    @Test func aFileOfBadLinesNamesOnlyTheFirstTwenty() {
        do {
            _ = try AuditCheckpointFile.parse(String(repeating: "x\n", count: 100_000))
            Issue.record("a file of bad lines was read")
        } catch let error as DomainError {
            // The twenty lines, then what the whole file lacks (its format line, any checkpoint).
            #expect(error.problems.prefix(20).allSatisfy { $0.rule == "json_line" }, "\(error.problems.prefix(3))")
            #expect(error.problems.map(\.rule).suffix(2) == ["header", "empty"] && error.problems.count == 22)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func theReadDigestEntryIsCanonicalAndReadsBack() {
        let digest = ReadReferenceDigest(count: 5, sha256: String(repeating: "ab", count: 32))
        #expect(digest.auditJSON(keeping: nil) == AuditJSON.encode(digest))
        #expect(ReadReferenceDigest.recorded(in: digest.auditJSON(keeping: nil)) == digest)
        let kept = digest.auditJSON(keeping: #"{"x":1}"#)
        #expect(ReadReferenceDigest.recorded(in: kept) == digest && kept.contains(#""recorded_after""#))
        #expect(ReadReferenceDigest.recorded(in: #"{"after":"{\"read_refs\":1}"}"#) == nil)
    }

    @Test(arguments: TestDatabase.available)
    func anUntouchedDatabaseVerifiesAndAnEditedFileDoesNot(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await AuditRetentionTests.read(env)  // two reads, indexed
            try await Self.readOnce(env)  // one not yet indexed
            // Each read's entry records the digest of its references.
            let reads = try await env.platform.storage.auditLog.events(AuditQuery(limit: 3, action: "data.read"))
            #expect(reads.count == 3 && reads.allSatisfy { ReadReferenceDigest.recorded(in: $0.after)?.count == 5 })
            let made = try await Self.checkpoint(env)
            // Nothing new since: neither the schedule nor a shutdown signs again.
            #expect(try await env.platform.auditCheckpoints.checkpointIfDue(by: Self.system, origin: Self.origin) == nil)
            #expect(try await env.platform.auditCheckpoints.checkpointIfDue(force: true, by: Self.system, origin: Self.origin) == nil)
            let file = try await Self.exported(env)
            #expect(file.contains(AuditCheckpointFile.format) && file.contains("BEGIN CERTIFICATE"))

            let report = try await Self.verify(env, file)
            #expect(report.ok, "\(report.findings.map(\.message.en))")
            #expect(report.validCheckpoints == 1 && report.lastCheckpointSeq == made.seq && report.readsChecked >= 3)

            // The same through the API, for an auditor.
            try await env.test { client in
                let auditor = try await client.token("auditor")
                let body = String(decoding: try JSONSerialization.data(withJSONObject: ["checkpoints": file]), as: UTF8.self)
                let answer = try await client.json(.post, "/api/v1/audit/checkpoints/verify", token: auditor, body: body)
                #expect(answer.status == .ok && answer.json["ok"] as? Bool == true, "\(answer.json)")
                let export = try await client.json(.get, "/api/v1/audit/checkpoints/export", token: auditor)
                #expect(export.status == .ok && String(buffer: export.response.body).contains(made.headHash))
            }

            // A checkpoint edited in the file no longer verifies, and so proves nothing.
            let edited = file.replacingOccurrences(of: made.headHash, with: String(repeating: "0", count: 64))
            let refused = try await Self.verify(env, edited)
            #expect(!refused.ok && refused.validCheckpoints == 0)
            #expect(refused.findings.contains { $0.kind == .checkpointSignature && $0.seq == made.seq })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRewrittenChainWithRecomputedHashesIsFound(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await AuditRetentionTests.read(env)
            let made = try await Self.checkpoint(env)
            try await Self.readOnce(env)
            let file = try await Self.exported(env)

            // Rewrite an entry before the checkpoint and recompute every hash from there to the head.
            try await Self.removeGuard(env)
            let from = made.seq - 2
            let all = try await env.platform.storage.auditLog.events(AuditQuery(limit: 1000))
            var entries = all.filter { $0.seq >= from }.sorted { $0.seq < $1.seq }
            var previous = try #require(all.first { $0.seq == from - 1 }).hash
            entries[0].actorName = "someone else"
            for i in entries.indices {
                entries[i].prevHash = previous
                entries[i].hash = Hex.encode(SHA256.hash(data: Data(entries[i].canonicalForm.utf8)))
                previous = entries[i].hash
                let e = entries[i]
                try await Self.run(
                    env,
                    "UPDATE audit_events SET actor_name = \(bind: e.actorName), prev_hash = \(bind: e.prevHash), hash = \(bind: e.hash) WHERE seq = \(bind: e.seq)"
                )
            }
            try await Self.run(env, "UPDATE audit_head SET hash = \(bind: previous) WHERE id = 1")
            #expect(try await env.platform.storage.auditLog.verify().ok, "the unkeyed chain alone does not see it")

            let report = try await Self.verify(env, file)
            #expect(!report.ok)
            #expect(report.findings.contains { $0.kind == .chainRewritten && $0.seq == made.seq }, "\(report.findings)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aTruncatedTailIsFound(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await AuditRetentionTests.read(env)
            let first = try await Self.checkpoint(env)
            try await Self.readOnce(env)
            let last = try await Self.checkpoint(env)
            let file = try await Self.exported(env)

            // Cut everything after the first checkpoint's own entry, and move the head back with it.
            try await Self.removeGuard(env)
            let keep = first.seq + 1
            let kept = try #require(try await env.platform.storage.auditLog.events(AuditQuery(beforeSeq: keep + 1, limit: 1)).first)
            try await Self.run(env, "DELETE FROM audit_events WHERE seq > \(bind: keep)")
            try await Self.run(env, "UPDATE audit_head SET seq = \(bind: keep), hash = \(bind: kept.hash) WHERE id = 1")
            #expect(try await env.platform.storage.auditLog.verify().ok, "the unkeyed chain alone does not see it")

            let report = try await Self.verify(env, file)
            #expect(!report.ok && report.databaseLastSeq == keep)
            #expect(report.findings.contains { $0.kind == .chainTruncated && $0.seq == last.seq }, "\(report.findings)")
            #expect(!report.findings.contains { $0.kind == .chainRewritten }, "the first checkpoint still matches")
        }
    }

    @Test(arguments: TestDatabase.available)
    func deletedOrAlteredReadReferencesAreFound(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await AuditRetentionTests.read(env)  // indexed into data_read_refs
            try await Self.readOnce(env)  // still packed in data_reads.refs
            _ = try await Self.checkpoint(env)
            let file = try await Self.exported(env)

            try await Self.removeGuard(env)
            let (indexed, packed) = try await env.platform.database.withConnection { db in
                (
                    try await db.raw("SELECT MIN(audit_seq) AS s FROM data_read_refs").first()!.decode(column: "s", as: Int64.self),
                    try await db.raw("SELECT MIN(audit_seq) AS s FROM data_reads WHERE refs IS NOT NULL").first()!
                        .decode(column: "s", as: Int64.self)
                )
            }
            // One reference of an indexed read deleted; the first of a not yet indexed read's packed references cut off.
            try await Self.run(
                env,
                """
                DELETE FROM data_read_refs WHERE audit_seq = \(bind: indexed)
                AND ref = (SELECT ref FROM data_read_refs WHERE audit_seq = \(bind: indexed) ORDER BY ref LIMIT 1)
                """)
            let cut = env.platform.database.kind == .postgres ? "substring(refs from 33)" : "substr(refs, 33)"
            try await Self.run(env, "UPDATE data_reads SET refs = \(unsafeRaw: cut) WHERE audit_seq = \(bind: packed)")
            #expect(try await env.platform.storage.auditLog.verify().ok, "the chain alone does not see it")

            let report = try await Self.verify(env, file)
            #expect(!report.ok)
            let named = Set(report.findings.filter { $0.kind == .readReferences }.compactMap(\.seq))
            #expect(named == [indexed, packed], "\(report.findings.map(\.message.en))")
        }
    }
}

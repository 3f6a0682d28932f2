import Foundation
import GovShareCore
import GovShareStore
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Scheduled pulls read a department's own PostgreSQL table; the test uses a schema on the test server as that table.
@Suite("Scheduled pull from a department's PostgreSQL table")
struct PullSourceTests {
    static func resident(_ n: Int) -> String {
        let prefix = "44011119800101" + String(format: "%03d", n)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(prefix.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return prefix + String(Array("10X98765432")[sum % 11])
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil), arguments: TestDatabase.available)
    func pullsIncrementallyAndResumesAfterAFailure(database: TestDatabase) async throws {
        let url = try #require(TestDatabase.postgresURL)
        let schema = "src_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let source = try GovShareDatabase.postgres(url: url, logger: TestEnvironment.logger, connectionsPerLoop: 1)
        defer { Task { await source.shutdown() } }
        try await source.withConnection { db in
            try await db.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            try await db.raw("CREATE TABLE \(unsafeRaw: schema).people (id_no TEXT, full_name TEXT, birth DATE, changed_at BIGINT)").run()
            // Rows 1–5 share one watermark, more than a chunk (3 rows here): none may be skipped.
            for n in 1...7 {
                let id = n == 4 ? "440111198001010041" : Self.resident(n)  // row 4 has a wrong check character
                try await db.raw(
                    "INSERT INTO \(unsafeRaw: schema).people VALUES (\(bind: id), \(bind: "源表\(n)"), '1980-01-01', \(bind: n <= 5 ? 10 : n * 10))"
                ).run()
            }
        }
        try await TestEnvironment.with(database, settings: ["pull_chunk_rows": "3"]) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let created = try await client.json(
                    .post, "/api/v1/datasets/\(code)/pull-sources", token: provider,
                    body: """
                        {"connection_url":"\(url)","table":"\(schema).people","watermark_column":"changed_at",
                         "column_map":{"GMSFHM":"id_no","XM":"full_name","CSRQ":"birth"},"interval_minutes":5}
                        """)
                #expect(created.status == .created, "\(created.json)")
                #expect(created.json["connection_url"] == nil)
                let id = try #require(created.json["id"] as? String)
                let bad = try await client.json(
                    .post, "/api/v1/datasets/\(code)/pull-sources", token: provider,
                    body: #"{"connection_url":"mysql://x","table":"a; drop","watermark_column":"w"}"#)
                #expect(Set(fieldErrors(bad.json).map(\.field)) == ["connection_url", "table"])

                let first = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                #expect(first.json["last_watermark"] as? String == "70", "\(first.json)")
                #expect(first.json["rows_pulled"] as? Int == 6)  // the bad row is rejected and counted in quality
                let warning = try #require(first.json["last_error"] as? String)
                #expect(
                    warning.contains("1 source rows rejected") && warning.contains("key 440111198001010041")
                        && warning.contains("resident_id"), "\(warning)")
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 306)

                // The stored position falls back behind applied chunks (a crash between a chunk and its position, with
                // the chunk size changed since, or rows changed without their watermark moving): a chunk then ends
                // where an earlier one ended but holds other rows. Its batch id is taken with other content; the pull
                // moves on to where the chunk ends instead of failing on every run.
                try await env.platform.database.transaction { db in
                    try await db.raw("UPDATE pull_sources SET last_watermark = '10', last_key = \(bind: Self.resident(5))").run()
                }
                try await source.withConnection { db in
                    try await db.raw("UPDATE \(unsafeRaw: schema).people SET full_name = '改名' WHERE changed_at = 70").run()
                }
                let replayed = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                #expect(replayed.json["last_watermark"] as? String == "70", "\(replayed.json)")
                #expect((replayed.json["last_error"] as? String)?.contains("already used") != true, "\(replayed.json)")
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 306)

                // The source goes away: the run fails, is recorded, and the watermark stays.
                try await source.withConnection { db in
                    try await db.raw("ALTER TABLE \(unsafeRaw: schema).people RENAME TO people_moved").run()
                }
                let failed = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                #expect(failed.json["last_error"] as? String != nil)
                #expect(failed.json["last_watermark"] as? String == "70")

                // Back, with two new rows: only those are pulled.
                try await source.withConnection { db in
                    try await db.raw("ALTER TABLE \(unsafeRaw: schema).people_moved RENAME TO people").run()
                    for n in 8...9 {
                        try await db.raw(
                            "INSERT INTO \(unsafeRaw: schema).people VALUES (\(bind: Self.resident(n)), \(bind: "源表\(n)"), '1980-01-01', \(bind: n * 10))"
                        ).run()
                    }
                }
                let resumed = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                #expect(resumed.json["last_error"] == nil)
                #expect(resumed.json["last_watermark"] as? String == "90")
                #expect(resumed.json["rows_pulled"] as? Int == 8)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 308)

                // A row without a watermark is never pulled, and the source says so.
                try await source.withConnection { db in
                    try await db.raw(
                        "INSERT INTO \(unsafeRaw: schema).people VALUES (\(bind: Self.resident(10)), '无水位', '1980-01-01', NULL)"
                    ).run()
                }
                let unmarked = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                #expect((unmarked.json["last_error"] as? String)?.contains("1 source rows have no changed_at") == true, "\(unmarked.json)")
                #expect(unmarked.json["rows_pulled"] as? Int == 8)
                let other = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: try await client.token("amr_cataloger"))
                #expect(other.status == .forbidden)
            }
        }
        try await source.withConnection { db in try await db.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run() }
    }

    /// A pull source cannot tell a department whether a host exists, listens, or takes a password: a wrong password,
    /// a closed port and a missing table read the same, and name nothing of the target.
    @Test(.enabled(if: TestDatabase.postgresURL != nil), arguments: TestDatabase.available)
    func failuresToReadASourceAllReadTheSame(database: TestDatabase) async throws {
        let url = try #require(TestDatabase.postgresURL)
        var wrongPassword = try #require(URLComponents(string: url))
        wrongPassword.password = "not-the-password"
        var closedPort = try #require(URLComponents(string: url))
        closedPort.port = 1
        let targets = [
            (try #require(wrongPassword.string), "people"), (try #require(closedPort.string), "people"),
            (url, "no_such_schema.people"),
        ]
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                var errors: [String] = []
                for (target, table) in targets {
                    let created = try await client.json(
                        .post, "/api/v1/datasets/\(code)/pull-sources", token: provider,
                        body: """
                            {"connection_url":"\(target)","table":"\(table)","watermark_column":"changed_at","column_map":{"GMSFHM":"id_no"}}
                            """)
                    let id = try #require(created.json["id"] as? String, "\(created.json)")
                    let run = try await client.json(.post, "/api/v1/pull-sources/\(id)/run", token: provider)
                    #expect(run.status == .ok, "\(run.json)")
                    errors.append(try #require(run.json["last_error"] as? String, "\(run.json)"))
                }
                #expect(errors == Array(repeating: PullSource.unreachable.message.en, count: 3), "\(errors)")
            }
        }
    }

    /// Right before each connection the reader resolves the host, checks every address and connects to the checked
    /// one: this machine is refused without a connection unless loopback is allowed, and a name goes where it was
    /// checked to go.
    @Test func theReaderChecksTheAddressBeforeEachConnection() async throws {
        let listener = try await CountingListener.start()
        func source(_ host: String) -> PullSource {
            PullSource(
                id: "s", datasetId: "d", connectionURL: "postgres://u:p@\(host):\(listener.port)/db", sourceTable: "people",
                watermarkColumn: "changed_at", columnMap: ["GMSFHM": "id_no"], intervalSeconds: 60, lastWatermark: nil,
                lastRunAt: nil, lastError: nil, rowsPulled: 0, enabled: true, createdBy: "u", createdAt: "2026-01-01T00:00:00Z",
                nodeId: "n")
        }
        let resolver = OutboundPolicyTests.FixedResolver(answers: ["source.gd.test": [.v4(0x7F00_0001)]])
        let strict = PostgresSourceReader(logger: TestEnvironment.logger, resolver: resolver)
        let loose = PostgresSourceReader(logger: TestEnvironment.logger, outbound: OutboundPolicy(allowLoopback: true), resolver: resolver)
        for host in ["127.0.0.1", "[::ffff:7f00:1]", "source.gd.test", "localhost"] {
            await #expect(throws: PullSource.unreachable, "\(host)") {
                _ = try await strict.fetch(source(host), keyColumn: "id_no", after: nil, limit: 10)
            }
        }
        #expect(listener.accepted == 0, "a refused source was connected to")
        // The listener is no database: the pull fails all the same, after connecting to the checked address.
        await #expect(throws: PullSource.unreachable) {
            _ = try await loose.fetch(source("source.gd.test"), keyColumn: "id_no", after: nil, limit: 10)
        }
        #expect(listener.accepted == 1)
        await listener.stop()
    }
}

/// A TCP listener on loopback that counts connections and closes each at once.
final class CountingListener: Sendable {
    private let count = Mutex<Int>(0)
    private let channel = Mutex<(any Channel)?>(nil)
    var accepted: Int { count.withLock { $0 } }
    var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }

    static func start() async throws -> CountingListener {
        let listener = CountingListener()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                listener.count.withLock { $0 += 1 }
                return child.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        listener.channel.withLock { $0 = channel }
        return listener
    }

    func stop() async {
        let channel = self.channel.withLock { $0 }
        try? await channel?.close()
    }
}

import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The databases every repository and route test runs on: SQLite always, PostgreSQL when
/// GOVSHARE_TEST_POSTGRES_URL is set (CI sets it and checks it is; see `postgresIsConfiguredInCI`).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["GOVSHARE_TEST_POSTGRES_URL"] }

    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A clock tests can set and advance.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    func now() -> Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A fresh, isolated platform: a new SQLite file, or a new PostgreSQL schema dropped afterwards.
struct TestEnvironment {
    let server: GovShareServer
    let config: GovShareConfig
    var platform: Platform { server.platform }

    /// A second server process on the same database (as behind a load balancer); the caller shuts its platform down.
    func sibling(clock: any WallClock = SystemWallClock()) async throws -> GovShareServer {
        var config = self.config
        config.demo = false
        return try await buildApplication(config: config, clock: clock, logger: Self.logger)
    }

    static let logger: Logger = {
        var logger = Logger(label: "govshare-test")
        logger.logLevel = .warning
        return logger
    }()

    static func config(
        _ database: TestDatabase, dataDir: String, schema: String?, demo: Bool, demoApplications: Bool = true,
        settings: [String: String] = [:]
    ) throws -> GovShareConfig {
        var flags = [
            "data_dir": dataDir, "password_hash_cost": "4", "log_level": "warning",
            "token_secret": "test-secret-test-secret-test-secret-0123", "demo_rows": "300",
            "database_connections": "2", "scheduler_seconds": "0",
            // The tests' webhook receivers and department endpoints listen on this machine.
            "outbound_allow_loopback": "true",
        ]
        if demo { flags["demo"] = "true" }
        if !demoApplications { flags["demo_applications"] = "false" }
        flags.merge(settings) { _, new in new }
        if database == .postgres, let url = TestDatabase.postgresURL {
            flags["database_url"] = url
            flags["database_schema"] = schema
        }
        return try GovShareConfig.load(flags: flags, environment: [:], file: [:])
    }

    static func with<T>(
        _ database: TestDatabase, demo: Bool = true, demoApplications: Bool = true, settings: [String: String] = [:],
        clock: any WallClock = SystemWallClock(),
        _ body: (TestEnvironment) async throws -> T
    ) async throws -> T {
        // Swift Testing starts every test at once; each PostgreSQL environment holds a few connections, so at most
        // `postgresGate`'s count are open together (the server allows 400).
        if database == .postgres { await postgresGate.acquire() }
        defer { if database == .postgres { Task { await postgresGate.release() } } }
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-test-\(UUID().uuidString)").path
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if database == .postgres {
            let admin = try GovShareDatabase.postgres(url: TestDatabase.postgresURL!, logger: logger, connectionsPerLoop: 1)
            try await admin.withConnection { db in try await db.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run() }
            await admin.shutdown()
        }
        let config = try config(
            database, dataDir: dataDir, schema: String(schema), demo: demo, demoApplications: demoApplications,
            settings: settings)
        let server: GovShareServer
        do {
            server = try await buildApplication(config: config, clock: clock, logger: logger)
        } catch {
            // PostgreSQL's errors describe themselves only when reflected: say what failed at start-up.
            Issue.record("start-up failed on \(database): \(String(reflecting: error))")
            throw error
        }
        let environment = TestEnvironment(server: server, config: config)
        do {
            let result = try await body(environment)
            await cleanup(environment, database: database, schema: String(schema), dataDir: dataDir)
            return result
        } catch {
            await cleanup(environment, database: database, schema: String(schema), dataDir: dataDir)
            throw error
        }
    }

    private static func cleanup(_ environment: TestEnvironment, database: TestDatabase, schema: String, dataDir: String) async {
        await environment.platform.shutdown()
        if database == .postgres,
            let admin = try? GovShareDatabase.postgres(
                url: TestDatabase.postgresURL!, logger: logger,
                connectionsPerLoop: 1)
        {
            _ = try? await admin.withConnection { db in try await db.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run() }
            await admin.shutdown()
        }
        try? FileManager.default.removeItem(atPath: dataDir)
        // The key-encryption key lives beside the data directory, not in it.
        try? FileManager.default.removeItem(atPath: dataDir + "-keys")
    }

    /// Runs requests through the real router.
    func test<T>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await server.app.test(.router, body)
    }
}

/// How many PostgreSQL test environments may be open at once.
let postgresGate = AsyncGate(count: 24)

/// A counting semaphore for async code: `acquire` waits while `count` holders are in.
actor AsyncGate {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(count: Int) { available = count }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

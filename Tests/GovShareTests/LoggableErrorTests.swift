import Foundation
import GovShareCore
import GovShareStore
import Testing

/// What the log keeps of a database error: never the values PostgreSQL quotes in its message and detail.
@Suite("Errors in the log")
struct LoggableErrorTests {
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func aUniqueViolationIsLoggedWithoutTheValue() async throws {
        let database = try GovShareDatabase.postgres(
            url: try #require(TestDatabase.postgresURL), logger: TestEnvironment.logger,
            connectionsPerLoop: 1)
        let table = "log_probe_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let described = try await database.withConnection { db -> String in
            try await db.raw("CREATE TABLE \(unsafeRaw: table) (id_no TEXT PRIMARY KEY)").run()
            defer { Task { try? await database.withConnection { try await $0.raw("DROP TABLE \(unsafeRaw: table)").run() } } }
            try await db.raw("INSERT INTO \(unsafeRaw: table) VALUES ('440106199001011235')").run()
            do {
                try await db.raw("INSERT INTO \(unsafeRaw: table) VALUES ('440106199001011235')").run()
                return "no error"
            } catch {
                #expect(String(reflecting: error).contains("440106199001011235"), "PostgreSQL quotes the value; the log must not")
                return LoggableError.describe(error)
            }
        }
        #expect(described.contains("23505") && described.contains(table), "\(described)")
        #expect(!described.contains("440106199001011235"), "\(described)")
        await database.shutdown()
    }
}

import Foundation
import GovShareCore
import GovShareServer
import HummingbirdTesting
import Testing

/// Issue 19, part 3: read replicas. The real primary + streaming replica run in `Tests/e2e/read_replica.sh`; here, what
/// must hold without one: a "replica" that is not a standby (here the primary itself) never serves, reads fall back to
/// the primary and stay correct, and the configuration refuses what cannot work.
@Suite("Read replicas")
struct ReadReplicaTests {
    @Test func theConfigurationRefusesReplicasWithoutAPrimaryOrWithAnotherScheme() throws {
        func problems(_ values: [String: String]) -> String {
            do {
                _ = try GovShareConfig.load(flags: [:], environment: [:], file: values)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(problems(["database_read_url": "postgres://r/db"]).contains("database_read_url needs database_url"))
        #expect(
            problems(["database_url": "postgres://p/db", "database_read_url": "postgres://r/db, mysql://u:secret@r/db"])
                .contains("database_read_url must list postgres:// URLs"))
        #expect(!problems(["database_url": "postgres://p/db", "database_read_url": "mysql://u:secret@r/db"]).contains("secret"))
        #expect(problems(["database_url": "postgres://p/db", "database_read_check_ms": "5"]).contains("database_read_check_ms"))
        let config = try GovShareConfig.load(
            flags: [:], environment: [:],
            file: ["database_url": "postgres://p/db", "database_read_url": "postgres://r1/db,postgres://r2/db"])
        #expect(config.databaseReadURLs == ["postgres://r1/db", "postgres://r2/db"] && config.databaseReadCheckMilliseconds == 250)
    }

    @Test func aServerWhoseReplicaIsNoStandbyNeverReadsFromItAndAnswersFromThePrimary() async throws {
        guard TestDatabase.available.contains(.postgres) else { return }
        try await TestEnvironment.with(.postgres) { env in
            var config = env.config
            config.demo = false
            config.databaseReadURLs = [try #require(config.databaseURL)]
            config.databaseReadCheckMilliseconds = 50
            let server = try await buildApplication(config: config, logger: TestEnvironment.logger)
            do {
                try await Task.sleep(for: .milliseconds(400))
                #expect(server.platform.database.replicaFreshness == [false], "the primary is not in recovery: never a replica")
                try await server.app.test(.router) { client in
                    let user = try await client.token("hrss_user")
                    let code = try await ExchangeTests.populationCode(client, user)
                    let subscription = try #require(
                        ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"]
                            as? String)
                    let read = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":5}"#)
                    #expect(read.status == .ok && ExchangeTests.records(read.json).count == 5, "\(read.json)")
                }
            } catch {
                await server.platform.shutdown()
                throw error
            }
            await server.platform.shutdown()
        }
    }
}

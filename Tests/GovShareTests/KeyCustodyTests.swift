import Foundation
import GovShareCore
import GovShareCrypto
import GovShareServer
import GovShareStore
import SQLKit
import Testing

/// Issue 15 item 1 (key custody): the node's symmetric keys are stored only wrapped (a copied database holds none of
/// them), and the key-encryption key rotates online — row by row, a half-done rotation still reads everything, a rerun
/// finishes it, and a retired KEK that is gone is named in the error.
@Suite("Key custody: wrapped platform keys and online KEK rotation")
struct KeyCustodyTests {
    static let custodyCrypto = OpenSSLNationalCrypto()

    /// The node's symmetric keys as the custody unwraps them (name → key bytes).
    static func platformKeys(_ env: TestEnvironment) async throws -> [String: Data] {
        let custody = try FileKeyCustody(path: env.config.keyFilePath, crypto: custodyCrypto, create: false)
        let rows = try await env.platform.database.withConnection { db in
            try await db.raw("SELECT name, key_value, wrapped_key, kek_id FROM platform_keys").all().map {
                (
                    try $0.decode(column: "name", as: String.self), try $0.decode(column: "key_value", as: String.self),
                    try $0.decode(column: "wrapped_key", as: Data.self), try $0.decode(column: "kek_id", as: String.self)
                )
            }
        }
        var keys: [String: Data] = [:]
        for (name, clear, wrapped, kek) in rows {
            #expect(clear.isEmpty, "platform key \(name) is still stored in clear")
            keys[name] = try custody.unwrap(wrapped, label: WrappedKeyKind.platformSymmetricKeyLabel(name), keyEncryptionKeyId: kek)
        }
        return keys
    }

    @Test(arguments: TestDatabase.available)
    func platformKeysAreStoredOnlyWrapped(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            let keys = try await Self.platformKeys(env)
            #expect(Set(keys.keys) == ["read_ref", "source_key"])
            #expect(keys.values.allSatisfy { $0.count == 32 })
            if database == .sqlite {
                // The database file, copied away after the server stops: none of the keys, in base64 (as migration 7
                // stored them) or raw, is in it.
                await env.platform.shutdown()
                var copied = try Data(contentsOf: URL(fileURLWithPath: env.config.sqlitePath))
                if let wal = try? Data(contentsOf: URL(fileURLWithPath: env.config.sqlitePath + "-wal")) { copied.append(wal) }
                for (name, key) in keys {
                    #expect(copied.range(of: key) == nil, "\(name) raw in the file")
                    #expect(copied.range(of: Data(key.base64EncodedString().utf8)) == nil, "\(name) in base64 in the file")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aHalfDoneRotationStillReadsEverythingAndARerunFinishesIt(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            let seal = try await env.test { client in try await SealTests.issue(client) }
            let before = try await env.platform.keyCustody.status(by: .system("test"))
            let oldId = before.currentId
            #expect(before.remaining == 0 && before.rows.count >= 3)

            // A rotation killed after the switch and two re-wrapped rows: some rows under the new KEK, the rest under the old.
            let custody = try FileKeyCustody(path: env.config.keyFilePath, crypto: Self.custodyCrypto, create: false)
            let switched = try custody.rotateKeyEncryptionKey()
            #expect(switched.previous == oldId && switched.current != oldId)
            let storage = StoreContext(
                database: env.platform.database, nodeId: env.config.nodeId, clock: env.platform.clock, custody: custody)
            let repository = SQLWrappedKeyRepository(context: storage)
            let some = try await repository.rowsNotUnder(switched.current, limit: 2)
            var rewrapped: [(row: WrappedKeyRow, wrapped: [String: Data])] = []
            for row in some {
                var wrapped: [String: Data] = [:]
                for (column, bytes) in row.wrapped {
                    let label = row.kind.label(column: column, id: row.id)
                    let secret = try custody.unwrap(bytes, label: label, keyEncryptionKeyId: row.keyEncryptionKeyId)
                    wrapped[column] = try custody.wrap(secret, label: label)
                }
                rewrapped.append((row, wrapped))
            }
            #expect(
                try await repository.rewrap(
                    rewrapped, to: switched.current,
                    audit: AuditRecord(
                        actor: .system("test"), action: "keys.rewrap", objectType: "key_encryption_key", objectId: switched.current,
                        origin: .commandLine())) == 2)
            let mixed = try await env.platform.keyCustody.status(by: .system("test"))
            #expect(Set(mixed.rows.map(\.keyEncryptionKeyId)) == [oldId, switched.current])
            #expect(mixed.currentId == switched.current, "the running server re-read the key file")
            #expect(mixed.retiredIds == [oldId])

            // The running server and a second one started now both read everything: a query (read references and
            // cursors: platform_keys), a signature (a seal key), the node key (a checkpoint).
            let sibling = try await env.sibling()
            for server in [env.server, sibling] {
                try await server.app.test(.router) { client in
                    let reviewer = try await client.token("psb_reviewer")
                    let signed = try await SealTests.sign(client, reviewer, seal: seal, Data("rotation".utf8))
                    #expect(signed.status == .created, "\(signed.json)")
                    let user = try await client.token("hrss_user")
                    let code = try await ExchangeTests.populationCode(client, user)
                    let subscription = try #require(
                        ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response).first?["id"]
                            as? String)
                    let read = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)","limit":2}"#)
                    #expect(read.status == .ok, "\(read.json)")
                }
                #expect(try await server.platform.auditCheckpoints.checkpoint(by: .system("test"), origin: .commandLine()) != nil)
            }
            await sibling.platform.shutdown()

            // The rerun finishes what is left without starting another KEK.
            let finished = try await env.platform.keyCustody.rotate(by: .system("test"), origin: .commandLine(), batchSize: 1)
            #expect(!finished.startedNewKey && finished.currentId == switched.current)
            #expect(finished.rewrapped == mixed.remaining && finished.rewrapped > 0)
            let after = try await env.platform.keyCustody.status(by: .system("test"))
            #expect(after.remaining == 0 && after.retiredIds == [oldId])
            #expect(try await env.platform.storage.auditLog.events(AuditQuery(action: "keys.rotate_complete")).count == 1)
        }
    }

    @Test func aMissingRetiredKeyIsNamedInTheError() async throws {
        try await TestEnvironment.with(.sqlite, demo: false) { env in
            let custody = try FileKeyCustody(path: env.config.keyFilePath, crypto: Self.custodyCrypto, create: false)
            let oldId = custody.keyEncryptionKeyId
            let wrapped = try custody.wrap(Data("secret".utf8), label: "test:1")
            let switched = try custody.rotateKeyEncryptionKey()
            // The retired key is still held, and re-read by a fresh custody from the directory.
            let fresh = try FileKeyCustody(path: env.config.keyFilePath, crypto: Self.custodyCrypto, create: false)
            #expect(fresh.keyEncryptionKeyId == switched.current)
            #expect(try fresh.unwrap(wrapped, label: "test:1", keyEncryptionKeyId: oldId) == Data("secret".utf8))
            // Gone: a clear error naming the key id.
            let retired = env.config.keyFilePath + ".retired-" + oldId.replacingOccurrences(of: "sm3:", with: "")
            try FileManager.default.removeItem(atPath: retired)
            let later = try FileKeyCustody(path: env.config.keyFilePath, crypto: Self.custodyCrypto, create: false)
            do {
                _ = try later.unwrap(wrapped, label: "test:1", keyEncryptionKeyId: oldId)
                Issue.record("unwrapped with a retired key that is gone")
            } catch let error as DomainError {
                #expect(error.code == "key_encryption_key_missing")
                #expect(error.message.en.contains(oldId) && error.message.zh.contains(oldId))
            }
            // And a platform whose root and node keys are under it does not start, naming it too.
            await env.platform.shutdown()
            do {
                let server = try await buildApplication(config: env.config, logger: TestEnvironment.logger)
                await server.platform.shutdown()
                Issue.record("started without the KEK that wraps its keys")
            } catch let error as DomainError {
                #expect(error.code == "key_encryption_key_mismatch" && error.message.en.contains(oldId))
            }
        }
    }
}

import Foundation
import GovShareCore
import GovShareCrypto
import GovShareServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The platform's root and node keys (Art. 25, 28) and their custody: created on first start, certified with SM2 with
/// SM3, wrapped under a key-encryption key outside the data directory, and refused under a foreign key file.
@Suite struct PlatformKeyringTests {
    let crypto = OpenSSLNationalCrypto()

    @Test(arguments: TestDatabase.available)
    func rootAndNodeKeysAreCreatedAndChained(_ database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            let root = try await env.platform.keyring.rootCertificate()
            let node = try await env.platform.keyring.nodeCertificate()
            #expect(root.isCertificateAuthority)
            #expect(root.signatureAlgorithmOID == SM2Parameters.signatureAlgorithmOID)
            #expect(root.subject == root.issuer)
            #expect(crypto.verifyCertificateSignature(root, issuerKey: root.publicKey))
            #expect(!node.isCertificateAuthority)
            #expect(node.issuer == root.subject)
            #expect(PlatformKeyring.chains(node, to: root, at: Date(), crypto: crypto))
            // Not valid before it was made, nor under another root.
            #expect(!PlatformKeyring.chains(node, to: root, at: node.notBefore.addingTimeInterval(-3600), crypto: crypto))
            #expect(!PlatformKeyring.chains(node, to: node, at: Date(), crypto: crypto))

            // A node signature verifies with the node certificate's key and the standard ID only.
            let message = Data("checkpoint 42".utf8)
            let signed = try await env.platform.keyring.signAsNode(message)
            let signer = try crypto.parseCertificate(signed.certificateDER)
            #expect(crypto.verify(signed.signature, of: message, by: signer.publicKey, id: SM2Parameters.defaultID))
            #expect(!crypto.verify(signed.signature, of: message, by: signer.publicKey, id: Data("1".utf8)))
            #expect(!crypto.verify(signed.signature, of: Data("checkpoint 43".utf8), by: signer.publicKey, id: SM2Parameters.defaultID))

            // The key file is outside the data directory and readable by its owner only.
            let keyFile = env.config.keyFilePath
            #expect(!keyFile.hasPrefix((env.config.dataDirectory as NSString).standardizingPath + "/"))
            let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)

            // A second start on the same database keeps the same keys.
            let sibling = try await env.sibling()
            let again = try await sibling.platform.keyring.rootCertificate()
            await sibling.platform.shutdown()
            #expect(again.der == root.der)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aForeignKeyFileIsRefusedAtStart(_ database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { env in
            var config = env.config
            let otherKeys = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-kek-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: otherKeys) }
            config.keyFile = otherKeys.appendingPathComponent("other.kek").path
            do {
                let server = try await buildApplication(config: config, logger: TestEnvironment.logger)
                await server.platform.shutdown()
                Issue.record("a platform started with a key-encryption key that did not wrap its keys")
            } catch let error as DomainError {
                #expect(error.code == "key_encryption_key_mismatch")
            }
        }
    }

    @Test func keyFileInsideTheDataDirectoryIsAConfigurationError() throws {
        #expect(throws: ConfigError.self) {
            try GovShareConfig.load(
                flags: ["data_dir": "/srv/govshare/data", "key_file": "/srv/govshare/data/kek"], environment: [:], file: [:])
        }
        let config = try GovShareConfig.load(flags: ["data_dir": "/srv/govshare/data"], environment: [:], file: [:])
        #expect(config.keyFilePath == "/srv/govshare/data-keys/govshare.kek")
    }

    @Test func wrappedKeysOpenOnlyWithTheirKeyAndLabel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-kek-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let custody = try FileKeyCustody(path: directory.appendingPathComponent("a.kek").path, crypto: crypto, create: true)
        let other = try FileKeyCustody(path: directory.appendingPathComponent("b.kek").path, crypto: crypto, create: true)
        let key = try crypto.generateSM2Key()
        let wrapped = try custody.wrap(key, label: "seal:1")
        #expect(wrapped.range(of: key.pkcs8DER.suffix(40)) == nil)
        #expect(try custody.unwrapPrivateKey(wrapped, label: "seal:1", keyEncryptionKeyId: custody.keyEncryptionKeyId) == key)
        #expect(throws: NationalCryptoError.authenticationFailed) {
            try custody.unwrap(wrapped, label: "seal:2", keyEncryptionKeyId: custody.keyEncryptionKeyId)
        }
        #expect(throws: NationalCryptoError.authenticationFailed) {
            try other.unwrap(wrapped, label: "seal:1", keyEncryptionKeyId: other.keyEncryptionKeyId)
        }
        #expect(custody.keyEncryptionKeyId != other.keyEncryptionKeyId)
        // Reopening reads the same key; a missing file is not created unless asked.
        let reopened = try FileKeyCustody(path: directory.appendingPathComponent("a.kek").path, crypto: crypto, create: false)
        #expect(reopened.keyEncryptionKeyId == custody.keyEncryptionKeyId)
        #expect(throws: DomainError.self) {
            try FileKeyCustody(path: directory.appendingPathComponent("missing.kek").path, crypto: crypto, create: false)
        }
    }

    /// RFC 8998 Appendix A.1: SM4-GCM through libcrypto's GCM over the SM4 block.
    @Test func sm4GCMMatchesRFC8998() throws {
        func hex(_ s: String) -> Data { Data(Hex.decode(s)!) }
        let sealed = try crypto.sm4GCMSeal(
            hex(
                "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
            ),
            key: hex("0123456789ABCDEFFEDCBA9876543210"), nonce: hex("00001234567800000000ABCD"),
            associatedData: hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
        #expect(
            Hex.encode(sealed.dropFirst(12))
                == "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
                + "83de3541e4c2b58177e065a9bf7b62ec")
        let opened = try crypto.sm4GCMOpen(
            sealed, key: hex("0123456789ABCDEFFEDCBA9876543210"), associatedData: hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
        #expect(opened.count == 64)
    }
}

@Suite struct SealNameBoundTests {
    /// A seal's name is its certificate's CN: longer than RFC 5280's 64 characters is a 422 naming the field, not a
    /// library failure (found by schemathesis).
    @Test(arguments: TestDatabase.available)
    func aSealNameLongerThanACommonNameIsRefusedByName(_ database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                func issue(_ name: String) async throws -> (status: HTTPResponse.Status, body: String) {
                    let r = try await client.json(
                        .post, "/api/v1/seals", token: admin,
                        body: #"{"name":"\#(name)","kind":"official_seal","holder_department_id":"114400000060952367"}"#)
                    return (r.status, String(buffer: r.response.body))
                }
                let long = try await issue(String(repeating: "0", count: 99))
                #expect(long.status == .unprocessableContent, "\(long.body)")
                #expect(long.body.contains("name"))
                let bound = try await issue(String(repeating: "印", count: 64))
                #expect(bound.status == .created, "\(bound.body)")
            }
        }
    }

    @Test func distinguishedNamesAreCutToTheBound() {
        let name = DistinguishedName(commonName: String(repeating: "局", count: 80), organization: String(repeating: "x", count: 70))
        #expect(name.commonName.count == 64 && name.organization?.count == 64)
    }
}

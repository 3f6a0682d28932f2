import Foundation
import GovShareCore
import GovShareCrypto
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 14 points 2 and 3 (Art. 24, 25): seals issued by the provincial data authority, GB/T 38540 signatures made
/// with them, verified by the API, offline with the root alone, and by `govshare seal verify`.
@Suite("Seals and signatures (Art. 24, 25)")
struct SealTests {
    static let psbCode = "114400000060952367"

    static func issue(_ client: any TestClientProtocol, kind: String = "data_seal", department: String = psbCode) async throws -> String {
        let admin = try await client.token("admin")
        let issued = try await client.json(
            .post, "/api/v1/seals", token: admin,
            body: #"{"name":"广东省公安厅数据专用章","kind":"\#(kind)","holder_department_id":"\#(department)"}"#)
        #expect(issued.status == .created, "\(issued.json)")
        #expect(
            issued.json["status"] as? String == "active"
                && (issued.json["certificate"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE") == true)
        #expect(issued.json["wrapped_private_key"] == nil && issued.json["private_key"] == nil)
        return try #require(issued.json["id"] as? String)
    }

    static func sign(_ client: any TestClientProtocol, _ token: String, seal: String, _ document: Data) async throws
        -> (status: HTTPResponse.Status, json: [String: Any])
    {
        let response = try await client.execute(
            uri: "/api/v1/seals/\(seal)/sign?purpose=%E6%B5%8B%E8%AF%95", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream"],
            body: ByteBuffer(bytes: document))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    static func verify(_ client: any TestClientProtocol, _ token: String, document: Data, signature: Data) async throws -> [String: Any] {
        let boundary = "sealtest\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, bytes) in [("document", document), ("signature", signature)] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).bin\"\r\n\r\n".utf8))
            body.append(bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let response = try await client.execute(
            uri: "/api/v1/seals/verify", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body))
        #expect(response.status == .ok, "\(String(decoding: response.body.readableBytesView, as: UTF8.self))")
        return (try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func codes(_ verification: [String: Any]) -> [String] {
        ((verification["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    /// The provincial authority's data seal signs the platform's own documents (decision letters, orders, manifests):
    /// its reviewers cannot sign arbitrary bytes with it, and nobody can issue a second one (whose certificate would
    /// name the authority as the platform's seal does), while its official seal is issued as any department's.
    @Test(arguments: TestDatabase.available)
    func nobodySignsByHandWithThePlatformsSeal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let admin = try await client.token("admin")
                let refused = try await client.json(
                    .post, "/api/v1/seals", token: admin,
                    body: #"{"name":"另一枚数据专用章","kind":"data_seal","holder_department_id":"11440000MB3307905U"}"#)
                #expect(
                    refused.status == .unprocessableContent
                        && ((refused.json["errors"] as? [[String: Any]]) ?? []).contains { $0["rule"] as? String == "platform_seal" },
                    "\(refused.json)")
                _ = try await Self.issue(client, kind: "official_seal", department: "11440000MB3307905U")
                let seal = try await env.platform.seals.signAsAuthority(
                    document: Data("复函".utf8), purpose: "test", origin: RequestOrigin(requestId: "t", clientAddress: "test")
                ).sealId
                let signed = try await Self.sign(client, try await client.token("gd_reviewer"), seal: seal, Data("任意文件".utf8))
                #expect(signed.status == .forbidden && signed.json["code"] as? String == "platform_seal", "\(signed.json)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func issuedSealSignsVerifiesRejectsChangesAndHonoursRevocationTime(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            try await env.test { client in
                let seal = try await Self.issue(client)
                let reviewer = try await client.token("psb_reviewer")
                let reader = try await client.token("hrss_user")
                let document = Data("关于共享人口基础信息的复函（测试）\n".utf8)

                let first = try await Self.sign(client, reviewer, seal: seal, document)
                #expect(first.status == .created, "\(first.json)")
                let signatureText = try #require(first.json["signature"] as? String)
                let signature = try #require(Data(base64Encoded: signatureText))
                let ok = try await Self.verify(client, reader, document: document, signature: signature)
                #expect(ok["valid"] as? Bool == true, "\(ok)")
                #expect(ok["seal_id"] as? String == seal && ok["holder_name"] as? String == "广东省公安厅", "\(ok)")
                #expect(ok["seal_kind"] as? String == "data_seal" && ok["revoked_at"] == nil)
                #expect((ok["signer_subject"] as? String)?.contains("广东省公安厅数据专用章") == true)

                // One byte changed: refused, naming why.
                var changed = document
                changed[changed.startIndex + 3] ^= 0x01
                let bad = try await Self.verify(client, reader, document: changed, signature: signature)
                #expect(bad["valid"] as? Bool == false && Self.codes(bad) == ["document_changed"], "\(bad)")
                // A changed signature value or seal structure is refused too.
                var forged = signature
                forged[forged.endIndex - 5] ^= 0x01
                #expect(try await Self.verify(client, reader, document: document, signature: forged)["valid"] as? Bool == false)

                // A second signature a minute later; the seal is then revoked from between the two (the key was
                // misused from then on): the first still verifies and reports the revocation, the second is refused.
                clock.advance(by: 60)
                let second = try await Self.sign(client, reviewer, seal: seal, document)
                let laterText = try #require(second.json["signature"] as? String)
                let laterSignature = try #require(Data(base64Encoded: laterText))
                clock.advance(by: 60)
                let effective = Timestamp.format(Date(timeIntervalSince1970: (clock.now().timeIntervalSince1970 - 90).rounded(.down)))
                let revoked = try await client.json(
                    .post, "/api/v1/seals/\(seal)/revoke", token: try await client.token("admin"),
                    body: #"{"reason":"密钥被冒用","effective_at":"\#(effective)"}"#)
                #expect(revoked.status == .ok && revoked.json["status"] as? String == "revoked", "\(revoked.json)")
                let before = try await Self.verify(client, reader, document: document, signature: signature)
                #expect(before["valid"] as? Bool == true && before["revoked_at"] as? String == effective, "\(before)")
                let after = try await Self.verify(client, reader, document: document, signature: laterSignature)
                #expect(after["valid"] as? Bool == false && Self.codes(after) == ["seal_revoked"], "\(after)")
                let message = ((after["reasons"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
                #expect(message.contains(effective), "\(message)")
                // And a revoked seal signs nothing more.
                let refused = try await Self.sign(client, reviewer, seal: seal, document)
                #expect(refused.status == .conflict && refused.json["code"] as? String == "seal_not_active", "\(refused.json)")

                let status = try await client.json(.get, "/api/v1/seals/status/\(seal)", token: reader)
                #expect(status.json["status"] as? String == "revoked" && status.json["revoked_at"] as? String == effective)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheAuthorityIssuesAndOnlyTheHolderSigns(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let body = #"{"name":"广东省公安厅公章","kind":"official_seal","holder_department_id":"\#(Self.psbCode)"}"#
                for user in ["psb_reviewer", "gd_reviewer", "hrss_user"] {
                    let refused = try await client.json(.post, "/api/v1/seals", token: try await client.token(user), body: body)
                    #expect(refused.status == .forbidden, "\(user): \(refused.json)")
                }
                let seal = try await Self.issue(client)
                let document = Data("x".utf8)
                // Another department's reviewer, and a data user of no seal's department: 403.
                let other = try await Self.sign(client, try await client.token("amr_reviewer"), seal: seal, document)
                #expect(other.status == .forbidden && other.json["code"] as? String == "not_seal_holder", "\(other.json)")
                let user = try await Self.sign(client, try await client.token("hrss_user"), seal: seal, document)
                #expect(user.status == .forbidden, "\(user.json)")
                // Departments see their own seals only.
                let amr = try await client.token("amr_reviewer")
                let own = try await client.json(.get, "/api/v1/seals", token: amr)
                #expect(own.status == .ok && !String(decoding: own.response.body.readableBytesView, as: UTF8.self).contains(seal))
                let psbDepartment = try #require(
                    try await client.json(.get, "/api/v1/departments/\(Self.psbCode)", token: amr).json["id"] as? String)
                #expect(try await client.json(.get, "/api/v1/seals?department_id=\(psbDepartment)", token: amr).status == .forbidden)
                let psb = try await client.json(.get, "/api/v1/seals", token: try await client.token("psb_cataloger"))
                #expect(String(decoding: psb.response.body.readableBytesView, as: UTF8.self).contains(seal))
                // Suspended: no signing until resumed.
                let admin = try await client.token("admin")
                #expect(
                    try await client.json(.post, "/api/v1/seals/\(seal)/suspend", token: admin, body: #"{"reason":"核查"}"#).status == .ok)
                #expect(try await Self.sign(client, try await client.token("psb_reviewer"), seal: seal, document).status == .conflict)
                #expect(try await client.json(.post, "/api/v1/seals/\(seal)/resume", token: admin).status == .ok)
                #expect(try await Self.sign(client, try await client.token("psb_reviewer"), seal: seal, document).status == .created)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func structureRoundTripsParsesWithOpenSSLAndVerifiesOffline(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let platform = env.platform
            let document = Data("电子证照 测试".utf8)
            let signed = try await platform.seals.signAsAuthority(
                document: document, purpose: "licence", origin: RequestOrigin(requestId: "t", clientAddress: "test"))
            #expect(signed.sealName.contains("数据专用章"))

            // DER round trip: every part re-encodes to the same bytes.
            let codec = GBT38540Codec()
            let decoded = try codec.decodeSignature(signed.signatureDER)
            #expect(decoded.version == 4 && decoded.seal.version == 4 && decoded.seal.info.type == 1)
            #expect(try codec.encodeSealInfo(decoded.seal.info) == decoded.seal.sealInfoDER)
            #expect(
                try codec.encodeSeal(
                    sealInfoDER: decoded.seal.sealInfoDER, makerCertificateDER: decoded.seal.makerCertificateDER,
                    signedValue: decoded.seal.signedValue) == decoded.seal.der)
            #expect(
                try codec.encodeToSign(
                    ToSignContent(
                        version: 4, sealDER: decoded.seal.der, timeInfo: decoded.timeInfo, dataHash: decoded.dataHash,
                        propertyInfo: decoded.propertyInfo)) == decoded.toSignDER)
            #expect(
                try codec.encodeSignature(
                    toSignDER: decoded.toSignDER, signerCertificateDER: decoded.signerCertificateDER, signature: decoded.signature)
                    == signed.signatureDER)
            #expect(abs(decoded.timeInfo.timeIntervalSince(signed.signedAt)) < 0.001)
            #expect(decoded.signatureAlgorithmOID == "1.2.156.10197.1.501" && decoded.seal.info.esID == signed.sealId)
            #expect(throws: NationalCryptoError.self) { try codec.decodeSignature(Data([0x30, 0x03, 0x02, 0x01, 0x04])) }

            // OpenSSL's own parser reads it: the structures, the GeneralizedTime and the SM2 OID.
            let work = try WorkDirectory()
            try work.write("sig.der", signed.signatureDER)
            let parsed = try await work.openssl(["asn1parse", "-inform", "DER", "-in", "sig.der"])
            #expect(parsed.status == 0, "\(parsed)")
            #expect(parsed.output.contains("GENERALIZEDTIME") && parsed.output.contains(":ES"), "\(parsed)")
            // OpenSSL names the SM2-with-SM3 OID (1.2.156.10197.1.501).
            #expect(parsed.output.contains("SM2-with-SM3") || parsed.output.contains("1.2.156.10197.1.501"), "\(parsed)")

            // Offline, with the root certificate alone.
            let root = try await platform.keyring.rootCertificate()
            let crypto = platform.keyring.crypto
            let offline = ElectronicSealVerifier.verifyOffline(
                document: document, signature: signed.signatureDER, root: root, crypto: crypto)
            #expect(offline.valid, "\(offline.reasons)")
            #expect(offline.holderName == "广东省政务服务数据管理局" && offline.sealKind == .dataSeal)
            let changed = ElectronicSealVerifier.verifyOffline(
                document: document + Data([0]), signature: signed.signatureDER, root: root, crypto: crypto)
            #expect(!changed.valid && changed.reasons.map(\.code) == ["document_changed"])
            // Another root (another platform) does not vouch for it.
            let strangerKey = try crypto.generateSM2Key()
            let stranger = try crypto.parseCertificate(
                try crypto.issueCertificate(
                    CertificateRequest(
                        subject: DistinguishedName(commonName: "stranger"), serialNumber: Data([0x01, 0x02]), notBefore: Date(),
                        notAfter: Date().addingTimeInterval(86_400), publicKey: try crypto.publicKey(of: strangerKey),
                        isCertificateAuthority: true), issuer: nil, issuerKey: strangerKey))
            let foreign = ElectronicSealVerifier.verifyOffline(
                document: document, signature: signed.signatureDER, root: stranger, crypto: crypto)
            #expect(!foreign.valid && foreign.reasons.map(\.code).contains("seal_maker_unknown"))

            // The authority's seal is issued once and reused.
            let again = try await platform.seals.signAsAuthority(
                document: document, purpose: "licence", origin: RequestOrigin(requestId: "t2", clientAddress: "test"))
            #expect(again.sealId == signed.sealId)
        }
    }

    /// The issue's done-when, through the command line: `govshare seal verify` accepts, rejects a changed byte, and
    /// after revocation rejects later signatures (with the revocation time) while accepting earlier ones.
    @Test(arguments: TestDatabase.available)
    func commandLineVerifies(database: TestDatabase) async throws {
        let binary = try #require(Self.govshareBinary, "the govshare executable is built beside the tests")
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            let work = try WorkDirectory()
            let environment = Self.cliEnvironment(env, database)
            func govshare(_ arguments: [String]) async throws -> CLIResult {
                try await Self.run(binary, arguments, in: work, environment: environment)
            }

            let issued = try await govshare(["seal", "issue", "--name", "广东省公安厅数据专用章", "--kind", "data_seal", "--department", Self.psbCode])
            try #require(issued.status == 0, "\(issued)")
            let seal = String(try #require(issued.output.split(separator: "\t").first?.split(separator: " ").last))
            try work.write("letter.txt", "复函：同意共享。\n")
            let signed = try await govshare(["seal", "sign", "letter.txt", "--seal", seal, "--out", "letter.sig"])
            try #require(signed.status == 0, "\(signed)")
            let valid = try await govshare(["seal", "verify", "letter.txt", "letter.sig"])
            #expect(valid.status == 0 && valid.output.hasPrefix("valid"), "\(valid)")
            try work.write("changed.txt", "复函：不同意共享。\n")
            let changed = try await govshare(["seal", "verify", "changed.txt", "letter.sig"])
            #expect(changed.status == 1 && changed.output.contains("document_changed"), "\(changed)")

            // Signed later (the server's clock moves on; the command line's is the real one, a little earlier).
            // The command line ran on the real clock, maybe minutes after the test began on a loaded machine.
            clock.advance(by: max(120, Date().timeIntervalSince(clock.now()) + 120))
            let later = try await env.platform.seals.sign(
                document: try work.read("letter.txt"), sealId: seal, by: .system("test"),
                origin: RequestOrigin(requestId: "t", clientAddress: "test"))
            try work.write("later.sig", later.signatureDER)
            // Whole seconds: a stored time is shown again exactly (Timestamp's parse and format can lose a millisecond).
            let effective = Timestamp.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 60).rounded(.down)))
            clock.advance(by: 60)
            _ = try await env.platform.seals.revoke(
                id: seal, reason: "注销", effectiveAt: Timestamp.parse(effective), by: .system("test"),
                origin: RequestOrigin(requestId: "t", clientAddress: "test"))
            let before = try await govshare(["seal", "verify", "letter.txt", "letter.sig"])
            #expect(before.status == 0 && before.output.contains("revoked at: \(effective)"), "\(before)")
            let after = try await govshare(["seal", "verify", "letter.txt", "later.sig"])
            #expect(after.status == 1 && after.output.contains("seal_revoked") && after.output.contains(effective), "\(after)")
        }
    }

    static var govshareBinary: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            directory, directory.deletingLastPathComponent(), directory.deletingLastPathComponent().deletingLastPathComponent(),
        ]
        .map { $0.appendingPathComponent("govshare").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The environment that points the command line at a test environment's database.
    static func cliEnvironment(_ env: TestEnvironment, _ database: TestDatabase) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GOVSHARE_DATA_DIR"] = env.config.dataDirectory
        if database == .postgres {
            environment["GOVSHARE_DATABASE_URL"] = env.config.databaseURL
            environment["GOVSHARE_DATABASE_SCHEMA"] = env.config.databaseSchema
        }
        return environment
    }

    static func run(_ executable: String, _ arguments: [String], in work: WorkDirectory, environment: [String: String])
        async throws -> CLIResult
    {
        try await ProcessLaunch.run(executable, arguments, in: work.url, environment: environment)
    }
}

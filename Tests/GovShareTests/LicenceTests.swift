import Foundation
import GovShareCore
import GovShareCrypto
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("E-licences (Art. 23): issuance, lookup under the catalog's access rules, offline verification")
struct LicenceTests {
    static let hrss = "11440000MB9525066D"

    /// The demo's business licences as their issuer (省市场监管局) lists them.
    static func businessLicences(_ client: any TestClientProtocol) async throws -> [[String: Any]] {
        let issuer = try await client.token("amr_reviewer")
        return ExchangeTests.array(try await client.json(.get, "/api/v1/licences?type=yyzz", token: issuer).response)
    }

    static func entryCode(_ client: any TestClientProtocol, type: String, token: String) async throws -> String {
        let types = ExchangeTests.array(try await client.json(.get, "/api/v1/licence-types", token: token).response)
        return try #require(types.first { $0["code"] as? String == type }?["entry_code"] as? String, "\(types)")
    }

    /// A grant made outside the workflow (the administrator proposes, the authority's reviewer confirms).
    static func grant(_ client: any TestClientProtocol, department: String, entry: String, items: [String], clear: [String] = [])
        async throws
        -> String
    {
        let admin = try await client.token("admin")
        let until = CivilDate(instant: Date()).adding(days: 365).description
        let items = items.map { "\"\($0)\"" }.joined(separator: ","), clearItems = clear.map { "\"\($0)\"" }.joined(separator: ",")
        let proposed = try await client.json(
            .post, "/api/v1/grants", token: admin,
            body: """
                {"department_code":"\(department)","entry_code":"\(entry)","items":[\(items)],"clear_items":[\(clearItems)],
                 "purpose":"企业参保登记时核验营业执照","valid_until":"\(until)"}
                """)
        let id = try #require(proposed.json["id"] as? String, "\(proposed.json)")
        let confirmed = try await client.json(
            .post, "/api/v1/grants/\(id)/confirm", token: try await client.token("gd_reviewer"), body: #"{"confirm":true}"#)
        #expect(confirmed.json["in_force"] as? Bool == true, "\(confirmed.json)")
        return id
    }

    @Test(arguments: TestDatabase.available)
    func anEnterpriseLicenceIsFoundByCreditCodeUnderAGrantAndItsFileVerifiesOffline(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let licence = try #require(try await Self.businessLicences(client).first { $0["status"] as? String == "active" })
                let creditCode = try #require(licence["holder_id"] as? String)
                let name = try #require(licence["holder_name"] as? String)
                let id = try #require(licence["id"] as? String)
                let user = try await client.token("hrss_user")
                let auditor = try await client.token("auditor")
                let lookup = #"{"holder_id":"\#(creditCode)","matter":"企业职工养老保险参保登记"}"#

                // 人社厅 holds no subscription or grant on 企业营业执照信息: 403, and nothing about the holder is revealed
                // or looked at (no read is recorded).
                let refused = try await client.json(.post, "/api/v1/licences/lookup", token: user, body: lookup)
                #expect(refused.status == .forbidden, "\(refused.json)")
                let refusedBody = String(buffer: refused.response.body)
                #expect(!refusedBody.contains(name) && !refusedBody.contains(id))
                #expect(try await client.json(.get, "/api/v1/licences/\(id)/package?matter=x", token: user).status == .forbidden)
                let before = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/data-reads?record=\(creditCode)", token: auditor).response)
                #expect(before.isEmpty, "\(before)")
                // A stated business matter is required.
                let noMatter = try await client.json(
                    .post, "/api/v1/licences/lookup", token: user, body: #"{"holder_id":"\#(creditCode)"}"#)
                #expect(fieldErrors(noMatter.json).contains { $0.field == "matter" && $0.rule == "required" }, "\(noMatter.json)")

                // Under a grant to the entry the licence type belongs to, it is found by the credit code.
                let entry = try await Self.entryCode(client, type: "yyzz", token: user)
                let grantId = try await Self.grant(
                    client, department: Self.hrss, entry: entry,
                    items: ["TYSHXYDM", "QYMC", "QYLX", "FDDBR", "ZCZB", "CLRQ", "YYQXZ", "YYQXJZ", "ZS", "JYFW", "DJJG", "HZRQ", "DJZT"])
                let found = try await client.json(
                    .post, "/api/v1/licences/lookup", token: user,
                    body: #"{"holder_id":"\#(creditCode)","type":"yyzz","purpose":"\#(grantId)","matter":"企业职工养老保险参保登记"}"#)
                #expect(found.status == .ok, "\(found.json)")
                let licences = found.json["licences"] as? [[String: Any]] ?? []
                #expect(licences.count == 1 && licences.first?["id"] as? String == id, "\(found.json)")
                #expect(licences.first?["holder_name"] as? String == name && licences.first?["status"] as? String == "active")
                #expect(licences.first?["downloadable"] as? Bool == true)
                #expect(found.json["purpose_ids"] as? [String] == [grantId])

                // The lookup is a read in the auditors' trace, found by the holder, under the grant.
                let traced = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/data-reads?record=\(creditCode)", token: auditor).response)
                #expect(traced.count == 1 && traced.first?["purpose_id"] as? String == grantId, "\(traced)")

                // The signed package verifies offline with the root certificate alone …
                let download = try await client.json(
                    .get, "/api/v1/licences/\(id)/package?purpose=\(grantId)&matter=%E5%8F%82%E4%BF%9D", token: user)
                #expect(download.status == .ok, "\(download.json)")
                let package = Data(download.response.body.readableBytesView)
                let root = try await client.json(.get, "/api/v1/licences/root-certificate")  // public: no token
                #expect(root.status == .ok)
                let rootPEM = Data(root.response.body.readableBytesView)
                #expect(String(decoding: rootPEM, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))
                let crypto = OpenSSLNationalCrypto()
                let (parsed, verification) = try LicencePackage.verifyOffline(
                    package: package, rootCertificate: rootPEM, crypto: crypto, codec: GBT38540Codec())
                #expect(verification.valid, "\(verification.reasons)")
                #expect(parsed.documentText.contains(creditCode) && parsed.chain.count == 2)
                let traceAfter = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/data-reads?record=\(id)", token: auditor).response)
                #expect(traceAfter.count == 2, "lookup and download both name the licence: \(traceAfter)")

                // … and fails after one byte of the document, or of the signature, is changed.
                var document = try #require(Data(base64Encoded: parsed.document))
                document[document.count / 2] ^= 0x01
                var altered = parsed
                altered.document = document.base64EncodedString()
                let alteredResult = try LicencePackage.verifyOffline(
                    package: altered.encoded(), rootCertificate: rootPEM, crypto: crypto, codec: GBT38540Codec()
                ).1
                #expect(!alteredResult.valid)
                var signature = try #require(Data(base64Encoded: parsed.signature))
                signature[signature.count - 5] ^= 0x01
                var badSignature = parsed
                badSignature.signature = signature.base64EncodedString()
                #expect(
                    !(try LicencePackage.verifyOffline(
                        package: badSignature.encoded(), rootCertificate: rootPEM, crypto: crypto, codec: GBT38540Codec()
                    ).1.valid))
                // A root certificate of another platform does not vouch for it.
                let otherKey = try crypto.generateSM2Key()
                let otherRoot = try crypto.issueCertificate(
                    CertificateRequest(
                        subject: DistinguishedName(commonName: "Other root"), serialNumber: Data([1, 2, 3]),
                        notBefore: Date(timeIntervalSinceNow: -86_400),
                        notAfter: Date(timeIntervalSinceNow: 86_400), publicKey: try crypto.publicKey(of: otherKey),
                        isCertificateAuthority: true),
                    issuer: nil, issuerKey: otherKey)
                #expect(
                    !(try LicencePackage.verifyOffline(package: package, rootCertificate: otherRoot, crypto: crypto, codec: GBT38540Codec())
                        .1.valid))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func issuanceChecksItsInputAndRevokedAndExpiredLicencesShowAsSuch(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let issuer = try await client.token("amr_reviewer")
                let code = "91440106MA59C2HJ8" + String(try #require(CreditCode.checkCharacter(for: "91440106MA59C2HJ8")))
                func issue(_ number: String, validTo: String?, holder: String = code) async throws -> (
                    status: HTTPResponse.Status, json: [String: Any]
                ) {
                    let until = validTo.map { #","valid_to":"\#($0)""# } ?? ""
                    let r = try await client.json(
                        .post, "/api/v1/licences", token: issuer,
                        body: """
                            {"type":"yyzz","number":"\(number)","holder_id":"\(holder)","holder_name":"广州测试科技有限公司",
                             "valid_from":"2020-01-01"\(until),"fields":{"QYMC":"广州测试科技有限公司","QYLX":"1100","FDDBR":"张三",
                             "CLRQ":"2020-01-01","YYQXZ":"2020-01-01","ZS":"广州市天河区中山大道1号","JYFW":"技术开发","DJJG":"广州市天河区市场监督管理局"}}
                            """)
                    return (r.status, r.json)
                }
                // The holder's credit code is checked by GB 32100; a department that does not issue the type is refused.
                let bad = try await issue("T-0", validTo: nil, holder: String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0"))
                #expect(bad.status == .unprocessableContent && fieldErrors(bad.json).contains { $0.field == "holder_id" }, "\(bad.json)")
                let other = try await client.json(
                    .post, "/api/v1/licences", token: try await client.token("psb_reviewer"),
                    body: #"{"type":"yyzz","number":"T-9","holder_id":"\#(code)","holder_name":"x","valid_from":"2020-01-01","fields":{}}"#)
                #expect(other.status == .forbidden && other.json["code"] as? String == "not_issuer", "\(other.json)")

                let yesterday = CivilDate(instant: Date()).adding(days: -1).description
                let expired = try await issue("T-1", validTo: yesterday)
                #expect(expired.status == .created && expired.json["status"] as? String == "expired", "\(expired.json)")
                let active = try await issue("T-2", validTo: nil)
                #expect(active.status == .created && active.json["status"] as? String == "active", "\(active.json)")
                #expect(try await issue("T-2", validTo: nil).json["code"] as? String == "licence_number_taken")
                let activeId = try #require(active.json["id"] as? String)
                // Revoking is the issuing department's reviewer's; a cataloger issues but does not revoke.
                let byCataloger = try await client.json(
                    .post, "/api/v1/licences/\(activeId)/revoke", token: try await client.token("amr_cataloger"), body: #"{"reason":"x"}"#)
                #expect(byCataloger.status == .forbidden)
                let revoked = try await client.json(
                    .post, "/api/v1/licences/\(activeId)/revoke", token: issuer, body: #"{"reason":"企业申请注销登记"}"#)
                #expect(revoked.status == .ok && revoked.json["status"] as? String == "revoked", "\(revoked.json)")
                let again = try await client.json(.post, "/api/v1/licences/\(activeId)/revoke", token: issuer, body: #"{"reason":"再次"}"#)
                #expect(again.status == .conflict)

                // The issuer, as the entry's provider, looks the holder up: both show their status and why.
                let found = try await client.json(
                    .post, "/api/v1/licences/lookup", token: issuer, body: #"{"holder_id":"\#(code)","matter":"登记事项核查"}"#)
                #expect(found.status == .ok, "\(found.json)")
                let byNumber = Dictionary(
                    uniqueKeysWithValues: (found.json["licences"] as? [[String: Any]] ?? []).map { ($0["number"] as? String ?? "", $0) })
                #expect(byNumber["T-1"]?["status"] as? String == "expired")
                #expect(byNumber["T-2"]?["status"] as? String == "revoked")
                #expect((byNumber["T-2"]?["status_reason"] as? String ?? "").contains("企业申请注销登记"), "\(byNumber)")
                // The revoked licence's package still verifies (it was validly issued) and says it is revoked.
                let package = try await client.json(.get, "/api/v1/licences/\(activeId)/package?matter=%E6%A0%B8%E6%9F%A5", token: issuer)
                #expect(package.json["status_at_download"] as? String == "revoked", "\(package.json)")
            }
        }
    }
}

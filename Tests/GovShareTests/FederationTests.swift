import Foundation
import GovShareCore
import GovShareServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 18, parts 1 and 5: the node registry, signed and sequenced messages between a province (on each database) and
/// a city sub-node (SQLite), over real HTTP, and the outbox delivering in order after the peer was not ready.
@Suite struct FederationTests {
    static let citySettings = ["node_id": "gz-city", "node_region_code": "440100", "authority_name": "广州市政务服务数据管理局"]

    @Test(arguments: TestDatabase.available)
    func registryLinkCheckOutboxAndRevocation(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { province in
            // Live: the city's deliveries travel over HTTP. The test's own requests go through the router (a live test
            // client times out when CI loads the machine).
            try await province.server.app.test(.live) { live in
                let port = try #require(live.port)
                try await TestEnvironment.with(.sqlite, settings: Self.citySettings) { city in
                    try await province.test { provinceClient in
                        try await city.test { cityClient in
                            let provinceAdmin = try await provinceClient.token("admin")
                            let cityAdmin = try await cityClient.token("admin")
                            let citySelf = try await cityClient.json(.get, "/api/v1/nodes/self")
                            #expect(citySelf.json["region_code"] as? String == "440100" && citySelf.json["is_province"] as? Bool == false)
                            let cityPEM = try #require(citySelf.json["certificate_pem"] as? String)
                            let provinceSelf = try await provinceClient.json(.get, "/api/v1/nodes/self")
                            let provincePEM = try #require(provinceSelf.json["certificate_pem"] as? String)

                            // The city registers its parent first; the province does not know the city yet.
                            let parent = try await cityClient.json(
                                .post, "/api/v1/nodes", token: cityAdmin,
                                body: Self.registration(
                                    id: "gd-province", name: "省节点", region: "440000", url: "http://127.0.0.1:\(port)", pem: provincePEM))
                            #expect(parent.status == .created, "\(parent.json)")
                            #expect(parent.json["relation"] as? String == "parent")
                            let early = try await cityClient.json(.post, "/api/v1/nodes/gd-province/check", token: cityAdmin)
                            #expect(early.status == .ok, "\(early.json)")
                            // Waiting: the city's catalog (its published entries, in batches) and the link check.
                            let waiting = try #require(early.json["pending"] as? Int)
                            #expect(early.json["delivered"] as? Int == 0 && waiting >= 2, "\(early.json)")
                            #expect((early.json["error"] as? String ?? "").contains("unknown_node"), "\(early.json)")
                            // Backoff: the refused message is not tried again before its next attempt (5 s after the first).
                            #expect(try await city.platform.federation.deliverDue(origin: .commandLine()).isEmpty)

                            // Registry rules on the province.
                            let operatorToken = try await provinceClient.token("ops")
                            let body = Self.registration(
                                id: "gz-city", name: "广州", region: "440100", url: "http://127.0.0.1:1", pem: cityPEM)
                            #expect(
                                try await provinceClient.json(.post, "/api/v1/nodes", token: operatorToken, body: body).status == .forbidden
                            )
                            let selfRegion = try await provinceClient.json(
                                .post, "/api/v1/nodes", token: provinceAdmin,
                                body: Self.registration(id: "other", name: "x", region: "440000", url: "http://127.0.0.1:1", pem: cityPEM))
                            #expect(fieldErrors(selfRegion.json).contains { $0 == ("region_code", "city") }, "\(selfRegion.json)")
                            let notCert = try await provinceClient.json(
                                .post, "/api/v1/nodes", token: provinceAdmin,
                                body: Self.registration(
                                    id: "sz-city", name: "深圳", region: "440300", url: "ftp://x", pem: "not a certificate"))
                            let problems = fieldErrors(notCert.json)
                            #expect(problems.contains { $0 == ("certificate", "sm2") } && problems.contains { $0 == ("base_url", "url") })
                            let registered = try await provinceClient.json(.post, "/api/v1/nodes", token: provinceAdmin, body: body)
                            #expect(registered.status == .created, "\(registered.json)")
                            #expect(registered.json["relation"] as? String == "child")
                            let sameRegion = try await provinceClient.json(
                                .post, "/api/v1/nodes", token: provinceAdmin,
                                body: Self.registration(
                                    id: "gz-two", name: "广州二", region: "440100", url: "http://127.0.0.1:1", pem: cityPEM))
                            #expect(fieldErrors(sameRegion.json).contains { $0 == ("region_code", "unique") })

                            // The waiting message and a new one arrive in order.
                            let check = try await cityClient.json(.post, "/api/v1/nodes/gd-province/check", token: cityAdmin)
                            #expect(check.json["delivered"] as? Int == waiting + 1 && check.json["pending"] as? Int == 0, "\(check.json)")
                            let seen = try await provinceClient.json(
                                .get, "/api/v1/nodes/gz-city", token: try await provinceClient.token("auditor"))
                            #expect(seen.json["last_received_seq"] as? Int == waiting + 1, "\(seen.json)")
                            let link = try await cityClient.json(.get, "/api/v1/nodes/gd-province", token: cityAdmin)
                            #expect(link.json["last_sent_seq"] as? Int == waiting + 1 && link.json["last_error"] == nil, "\(link.json)")

                            // The portal's 节点管理 page: the link state for those who see the registry, the form for administrators.
                            let (status, adminPage) = try await PortalDataTests.get(
                                provinceClient, "/nodes", try await PortalCatalogTests.signIn(provinceClient, "admin"))
                            #expect(
                                status == .ok && adminPage.contains("id=\"node-gz-city\"") && adminPage.contains("id=\"node-register\""))
                            let (_, auditorPage) = try await PortalDataTests.get(
                                provinceClient, "/nodes", try await PortalCatalogTests.signIn(provinceClient, "auditor"))
                            #expect(auditorPage.contains("id=\"node-gz-city\"") && !auditorPage.contains("id=\"node-register\""))
                            let (denied, _) = try await PortalDataTests.get(
                                provinceClient, "/nodes", try await PortalCatalogTests.signIn(provinceClient, "hrss_user"))
                            #expect(denied == .forbidden)
                            let (_, cityPage) = try await PortalDataTests.get(
                                cityClient, "/nodes", try await PortalCatalogTests.signIn(cityClient, "ops"))
                            #expect(cityPage.contains("class=\"link-up\"") && cityPage.contains("440100"), "the parent's link is up")

                            // Revoked: the city's next message is refused and stays in its outbox.
                            let revoked = try await provinceClient.json(
                                .post, "/api/v1/nodes/gz-city/revoke", token: provinceAdmin, body: #"{"reason":"证书泄露"}"#)
                            #expect(revoked.json["status"] as? String == "revoked", "\(revoked.json)")
                            let refused = try await cityClient.json(.post, "/api/v1/nodes/gd-province/check", token: cityAdmin)
                            #expect(
                                refused.json["pending"] as? Int == 1 && (refused.json["error"] as? String ?? "").contains("unknown_node"))
                            let events = try await provinceClient.json(
                                .get, "/api/v1/audit/events?object_id=gz-city", token: try await provinceClient.token("auditor"))
                            let actions = (events.json["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                            #expect(actions.contains("node.register") && actions.contains("node.revoke"), "\(actions)")
                        }
                    }
                }
            }
        }
    }

    /// Signed envelopes posted straight at the province: a tampered body, a replayed number, a gap, an old timestamp,
    /// the wrong recipient and an unknown sender are refused; a retry of the last accepted message is a duplicate.
    @Test(arguments: TestDatabase.available)
    func tamperedReplayedAndReorderedMessagesAreRefused(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { province in
            try await TestEnvironment.with(.sqlite, demo: false, settings: Self.citySettings) { city in
                let cert = try await city.platform.federation.describeSelf().certificateDER
                let admin = Principal.system("test")
                let origin = RequestOrigin.commandLine()
                _ = try await province.platform.federation.register(
                    PeerRegistration(id: "gz-city", name: "广州", regionCode: "440100", baseURL: "http://127.0.0.1:1", certificate: cert),
                    by: admin, origin: origin)
                let keyring = city.platform.keyring
                func envelope(seq: Int64, body: String = "{}", to: String = "gd-province", sentAt: Date = Date(), id: String? = nil)
                    async throws
                    -> NodeEnvelope
                {
                    var e = NodeEnvelope(
                        id: id ?? Identifier.make(), from: "gz-city", to: to, seq: seq, kind: "link.check",
                        sentAt: Timestamp.format(sentAt),
                        body: body, signature: "")
                    e.signature = try await keyring.signAsNode(e.signedBytes).signature.base64EncodedString()
                    return e
                }
                func post(_ e: NodeEnvelope, sender: String = "gz-city", header: String? = nil, signed: Signed? = nil) async throws -> (
                    status: HTTPResponse.Status, json: [String: Any]
                ) {
                    let wire = try await city.platform.federation.wire(e)
                    let r = try await province.test { client in
                        try await client.json(
                            .post, "/api/v1/federation/messages", body: String(decoding: signed?.body ?? wire.body, as: UTF8.self),
                            headers: [
                                .init("X-GovShare-Node")!: sender,
                                .init(NodeRequestSignature.headerName)!: signed?.header ?? header ?? wire.signature.header,
                            ])
                    }
                    return (r.status, r.json)
                }
                let first = try await envelope(seq: 1)
                let accepted = try await post(first)
                #expect(accepted.status == .ok && accepted.json["outcome"] as? String == "accepted", "\(accepted.json)")
                let again = try await post(first)
                #expect(again.status == .ok && again.json["outcome"] as? String == "duplicate", "\(again.json)")

                var tampered = try await envelope(seq: 2, body: #"{"a":1}"#)
                tampered.body = #"{"a":2}"#
                let bad = try await post(tampered)
                #expect(bad.status == .unauthorized && bad.json["code"] as? String == "bad_signature", "\(bad.json)")
                let replay = try await post(try await envelope(seq: 1))
                #expect(replay.status == .conflict && replay.json["code"] as? String == "replayed_message", "\(replay.json)")
                let gap = try await post(try await envelope(seq: 3))
                #expect(gap.status == .conflict && gap.json["code"] as? String == "out_of_order", "\(gap.json)")
                let stale = try await post(try await envelope(seq: 2, sentAt: Date().addingTimeInterval(-3_600)))
                #expect(fieldErrors(stale.json).contains { $0 == ("sent_at", "clock_skew") }, "\(stale.json)")
                let misaddressed = try await envelope(seq: 2, to: "sz-city")
                let elsewhere = try await post(
                    misaddressed, signed: try await Self.header(for: misaddressed, by: city, sentAt: Date(), to: "gd-province"))
                #expect(fieldErrors(elsewhere.json).contains { $0 == ("to", "this_node") }, "\(elsewhere.json)")
                let stranger = try await post(try await envelope(seq: 2), sender: "fs-city")
                #expect(stranger.status == .unauthorized && stranger.json["code"] as? String == "unknown_node")
                let mismatch = try await post(try await envelope(seq: 2), sender: "gd-province")
                #expect(mismatch.status == .unauthorized, "the province itself is no registered peer")
                // The signed request header: missing, made for another body, stale, or signed by another key — each
                // refused before the body is used, none audited (anyone could have sent them).
                let next = try await envelope(seq: 2)
                let other = try await city.platform.federation.wire(try await envelope(seq: 2, body: #"{"other":true}"#))
                let signedNext = try await Self.header(for: next, by: city, sentAt: Date())
                for signed in [
                    Signed(body: signedNext.body + Data("   ".utf8), header: signedNext.header),
                    Signed(body: other.body, header: ""), Signed(body: try JSONEncoder().encode(next), header: other.signature.header),
                    try await Self.header(for: next, by: city, sentAt: Date().addingTimeInterval(-3_600)),
                    try await Self.header(for: next, by: province, sentAt: Date()),
                ] {
                    let unsigned = try await post(next, signed: signed)
                    let header = signed.header
                    #expect(
                        unsigned.status == .unauthorized && unsigned.json["code"] as? String == "bad_request_signature",
                        "\(header): \(unsigned.json)")
                }
                #expect(try await post(try await envelope(seq: 2)).json["outcome"] as? String == "accepted")
                // A sub-node may not send an entry it did not issue (a provincial code).
                let forged = CatalogCopyBatch(entries: [
                    CatalogEntryCopy(
                        entryId: Identifier.make(), code: "302001/000099", kind: .department, homeNode: "gz-city", published: false,
                        version: 1, content: nil, provider: nil, createdAt: Timestamp.format(Date()), publishedAt: nil)
                ])
                var injected = try await envelope(seq: 3)
                injected.kind = NodeMessageKind.catalogEntry.rawValue
                injected.body = String(decoding: try JSONEncoder().encode(forged), as: UTF8.self)
                injected.signature = try await keyring.signAsNode(injected.signedBytes).signature.base64EncodedString()
                let refusedCopy = try await post(injected)
                #expect(fieldErrors(refusedCopy.json).contains { $0 == ("body", "home_node") }, "\(refusedCopy.json)")
                // Nor audit checkpoints it did not sign.
                let fake = AuditCheckpoint(
                    seq: 7, headHash: String(repeating: "0", count: 64), time: Timestamp.format(Date()), nodeId: "gz-city",
                    signature: Data(repeating: 1, count: 70), certificateDER: cert)
                var unsigned = try await envelope(seq: 3)
                unsigned.kind = NodeMessageKind.auditCheckpoints.rawValue
                unsigned.body = AuditCheckpointFile(nodeId: "gz-city", rootCertificatePEM: nil, checkpoints: [fake]).text
                unsigned.signature = try await keyring.signAsNode(unsigned.signedBytes).signature.base64EncodedString()
                let refusedCheckpoint = try await post(unsigned)
                #expect(
                    fieldErrors(refusedCheckpoint.json).contains { $0 == ("body", "checkpoint_signature") }, "\(refusedCheckpoint.json)")

                let peer = try await province.platform.federation.peer("gz-city", by: admin).peer
                #expect(peer.lastReceivedSeq == 2, "the forged catalog message was not taken")
                let refusals = try await province.platform.audit.events(
                    AuditQuery(limit: 50, action: "node.message.refuse"), by: admin, origin: origin)
                // Audited once the signature verifies: replayed, out of order, stale, misaddressed, the forged copy and
                // checkpoints. Not the tampered one: its signature does not verify, so anyone could have sent it.
                #expect(refusals.count == 6, "\(refusals.map(\.detail))")
                #expect(!refusals.contains { $0.detail == "bad_signature" })
            }
        }
    }

    /// A request header for `envelope` signed by `node`'s key at `sentAt` (the other node's, or an old time, in tests).
    /// A body with the request header to post with it.
    struct Signed {
        let body: Data
        let header: String
    }

    static func header(for envelope: NodeEnvelope, by node: TestEnvironment, sentAt: Date, to: String? = nil) async throws -> Signed {
        let body = try JSONEncoder().encode(envelope)
        let digest = Hex.encode(node.platform.keyring.crypto.sm3(body))
        let time = Timestamp.format(sentAt)
        let signed = try await node.platform.keyring.signAsNode(
            NodeRequestSignature.signedBytes(from: envelope.from, to: to ?? envelope.to, sentAt: time, length: body.count, sm3Hex: digest))
        return Signed(
            body: body, header: NodeRequestSignature(sentAt: time, length: body.count, sm3Hex: digest, signature: signed.signature).header)
    }

    static func registration(id: String, name: String, region: String, url: String, pem: String) -> String {
        let object: [String: String] = ["id": id, "name": name, "region_code": region, "base_url": url, "certificate_pem": pem]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}

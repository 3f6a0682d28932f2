import Foundation
import GovShareCore
import GovShareServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 18, part 2: a city's published entries reach the provincial catalog and search as read-only copies with their
/// home node, withdrawals follow; the province's entries reach the city; copies refuse changes and data requests.
@Suite struct FederationCatalogTests {
    @Test(arguments: TestDatabase.available)
    func catalogEntriesFlowUpAndDown(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { province in
            // Live: deliveries travel over HTTP both ways; the test's own requests go through the routers.
            try await province.server.app.test(.live) { provinceLive in
                try await TestEnvironment.with(.sqlite, settings: FederationTests.citySettings) { city in
                    try await city.server.app.test(.live) { cityLive in
                        try await Self.pair(
                            province: province, provincePort: try #require(provinceLive.port), city: city,
                            cityPort: try #require(cityLive.port))
                        try await province.test { provinceClient in
                            try await city.test { cityClient in
                                let origin = RequestOrigin.commandLine()
                                let cityCode = try await MountTests.publish(cityClient, format: "database", name: "广州市网约车驾驶员许可信息")
                                #expect(cityCode.contains("-440100"), "a city code carries its region: \(cityCode)")
                                let provinceCode = try await MountTests.publish(provinceClient, format: "database", name: "省级港澳通行证签注信息")

                                // Up: the city's entries (its whole published catalog the first time) reach the province.
                                let up = try await city.platform.federation.synchronise(origin: origin)
                                #expect(up.first?.error == nil && up.first?.pending == 0, "\(up)")
                                let reviewer = try await provinceClient.token("gd_reviewer")
                                let found = try await provinceClient.json(.get, Self.search("网约车驾驶员"), token: reviewer)
                                let hit = try #require((found.json["items"] as? [[String: Any]])?.first, "\(found.json)")
                                #expect(hit["code"] as? String == cityCode.replacingOccurrences(of: "-", with: "/"))
                                let copyId = try #require(hit["entry_id"] as? String)
                                let copy = try await provinceClient.json(.get, "/api/v1/catalog/entries/\(copyId)", token: reviewer)
                                #expect(copy.status == .ok && copy.json["home_node"] as? String == "gz-city", "\(copy.json)")

                                let (_, page) = try await PortalDataTests.get(
                                    provinceClient, "/catalog/\(copyId)",
                                    try await PortalCatalogTests.signIn(provinceClient, "psb_cataloger"))
                                #expect(
                                    page.contains("id=\"entry-home-node\"") && !page.contains("id=\"edit-entry\""), "a copy offers no edit")

                                // Read-only there: no withdrawal, no subscription (data lives on the home node).
                                let withdraw = try await provinceClient.json(
                                    .post, "/api/v1/catalog/entries/\(copyId)/withdraw", token: reviewer, body: #"{"reason":"试图下架副本"}"#)
                                #expect(
                                    withdraw.status == .conflict && withdraw.json["code"] as? String == "remote_entry", "\(withdraw.json)")
                                let subscribe = try await provinceClient.json(
                                    .post, "/api/v1/subscriptions", token: try await provinceClient.token("hrss_user"),
                                    body: #"{"entry_code":"\#(cityCode)","items":["XM"],"purpose":"核验"}"#)
                                #expect(
                                    subscribe.status == .conflict && subscribe.json["code"] as? String == "remote_entry",
                                    "\(subscribe.json)")

                                // Down: the province's own entry reaches the city; the city's own entry does not come back.
                                let down = try await province.platform.federation.synchronise(origin: origin)
                                #expect(down.first?.error == nil && down.first?.pending == 0, "\(down)")
                                let cityReviewer = try await cityClient.token("gd_reviewer")
                                let provinceHit = try await cityClient.json(.get, Self.search("港澳通行证签注"), token: cityReviewer)
                                let provinceItem = try #require(
                                    (provinceHit.json["items"] as? [[String: Any]])?.first, "\(provinceHit.json)")
                                #expect(provinceItem["code"] as? String == provinceCode.replacingOccurrences(of: "-", with: "/"))
                                let provinceCopy = try await cityClient.json(
                                    .get, "/api/v1/catalog/entries/\(try #require(provinceItem["entry_id"] as? String))",
                                    token: cityReviewer)
                                #expect(provinceCopy.json["home_node"] as? String == "gd-province", "\(provinceCopy.json)")
                                let ownHits = try await cityClient.json(.get, Self.search("网约车驾驶员"), token: cityReviewer)
                                #expect(
                                    (ownHits.json["items"] as? [[String: Any]])?.count == 1,
                                    "the city's own entry did not come back as a copy")
                                let own = try await cityClient.json(.get, "/api/v1/catalog/entries/\(copyId)", token: cityReviewer)
                                #expect(own.json["home_node"] == nil && own.json["status"] as? String == "published", "\(own.json)")

                                // A withdrawal on the city follows to the province.
                                let cityId = copyId  // one id on every node
                                let withdrawn = try await cityClient.json(
                                    .post, "/api/v1/catalog/entries/\(cityId)/withdraw", token: cityReviewer, body: #"{"reason":"停止提供"}"#)
                                #expect(withdrawn.status == .ok, "\(withdrawn.json)")
                                _ = try await city.platform.federation.synchronise(origin: origin)
                                let gone = try await provinceClient.json(.get, Self.search("网约车驾驶员"), token: reviewer)
                                #expect((gone.json["items"] as? [[String: Any]])?.isEmpty == true, "\(gone.json)")
                                let after = try await provinceClient.json(.get, "/api/v1/catalog/entries/\(copyId)", token: reviewer)
                                #expect(after.json["status"] as? String == "withdrawn", "\(after.json)")

                                // Nothing new: a further round queues nothing.
                                let peer = try await province.platform.federation.peer("gz-city", by: .system("test")).peer
                                _ = try await city.platform.federation.synchronise(origin: origin)
                                #expect(
                                    try await province.platform.federation.peer("gz-city", by: .system("test")).peer.lastReceivedSeq
                                        == peer.lastReceivedSeq)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Part 6: a city's signed audit checkpoints go to the province; exported there, they verify the city's chain.
    @Test(arguments: TestDatabase.available)
    func subNodeCheckpointsReachTheProvince(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demo: false) { province in
            try await province.server.app.test(.live) { provinceClient in
                try await TestEnvironment.with(.sqlite, demo: false, settings: FederationTests.citySettings) { city in
                    try await city.server.app.test(.live) { cityClient in
                        try await Self.pair(
                            province: province, provincePort: try #require(provinceClient.port), city: city,
                            cityPort: try #require(cityClient.port))
                        let system = Principal.system("test")
                        let origin = RequestOrigin.commandLine()
                        let first = try #require(try await city.platform.auditCheckpoints.checkpoint(by: system, origin: origin))
                        _ = try await city.platform.federation.synchronise(origin: origin)
                        #expect(try await province.platform.federation.peer("gz-city", by: system).peer.lastCheckpointSeq == first.seq)
                        let second = try #require(try await city.platform.auditCheckpoints.checkpoint(by: system, origin: origin))
                        _ = try await city.platform.federation.synchronise(origin: origin)

                        let file = try await province.platform.federation.peerCheckpoints("gz-city", by: system, origin: origin)
                        #expect(file.checkpoints.map(\.seq) == [first.seq, second.seq] && file.rootCertificatePEM != nil)
                        #expect(file.checkpoints.last?.headHash == second.headHash)
                        // On the city, its chain verifies against what the province holds.
                        let report = try await city.platform.auditCheckpoints.verify(
                            file: file.text, rootPEM: nil, by: system, origin: origin)
                        #expect(report.ok && report.validCheckpoints == 2, "\(report.findings)")
                        // The province does not send its own checkpoints down, and the province's copy is not the city's.
                        #expect(try await city.platform.federation.peer("gd-province", by: system).peer.lastCheckpointSeq == nil)
                        let foreign = try await province.platform.auditCheckpoints.verify(
                            file: file.text, rootPEM: nil, by: system, origin: origin)
                        #expect(!foreign.ok, "the city's checkpoints do not describe the province's chain")
                    }
                }
            }
        }
    }

    /// The province registers the city and the city its parent, each with the other's node certificate.
    static func pair(province: TestEnvironment, provincePort: Int, city: TestEnvironment, cityPort: Int) async throws {
        try await registerChild(city, port: cityPort, on: province)
        try await registerParent(province, port: provincePort, on: city)
    }

    /// The province registers the city gz-city (listening on `port`; 1 where the test delivers by hand) as its child.
    static func registerChild(_ city: TestEnvironment, port: Int = 1, on province: TestEnvironment) async throws {
        _ = try await province.platform.federation.register(
            PeerRegistration(
                id: "gz-city", name: "广州", regionCode: "440100", baseURL: "http://127.0.0.1:\(port)",
                certificate: try await city.platform.federation.describeSelf().certificateDER),
            by: .system("test"), origin: .commandLine())
    }

    /// The city registers the province (listening on `port`) as its parent.
    static func registerParent(_ province: TestEnvironment, port: Int, on city: TestEnvironment) async throws {
        _ = try await city.platform.federation.register(
            PeerRegistration(
                id: "gd-province", name: "广东省", regionCode: "440000", baseURL: "http://127.0.0.1:\(port)",
                certificate: try await province.platform.federation.describeSelf().certificateDER),
            by: .system("test"), origin: .commandLine())
    }

    static func search(_ text: String) -> String {
        "/api/v1/catalog/search?q=" + text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
    }
}

import Foundation
import GovShareCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import GovShareServer

/// Server-side request forgery: what a department enters as a webhook, a service endpoint or a pull source cannot
/// make the platform reach this machine or its link (cloud metadata), in any spelling, directly or through a redirect.
@Suite("Outbound requests: addresses, redirects")
struct OutboundRequestTests {
    /// The hosts of the attack, as an HTTP URL's host and as a postgres URL's host.
    static let hosts = [
        "[::ffff:7f00:1]", "[0::1]", "[::ffff:127.0.0.1]", "[::1]", "[0:0:0:0:0:0:0:1]", "[fe80::1%25eth0]",
        "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[::127.0.0.1]",
        "127.0.0.1", "0x7f.1", "2130706433", "localhost", "localhost.", "169.254.169.254", "[::]", "0",
    ]

    @Test(arguments: TestDatabase.available)
    func forbiddenHostsAreRefusedAtRegistration(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, settings: ["outbound_allow_loopback": "false"]) { env in
            try await env.test { client in
                let reviewer = try await client.token("psb_reviewer")
                let service = try await MountTests.publish(client, format: "service_interface", name: "参保资格核验接口")
                let cataloger = try await client.token("psb_cataloger")
                let puller = try await client.token("gd_cataloger")
                let dataset = try await ExchangeTests.populationCode(client, puller)
                for host in Self.hosts {
                    let webhook = try await client.json(
                        .put, "/api/v1/webhook", token: reviewer, body: #"{"url":"http://\#(host):8080/hook"}"#)
                    #expect(fieldErrors(webhook.json).map(\.rule).contains("outbound_address"), "webhook \(host): \(webhook.json)")
                    let mounted = try await client.json(
                        .post, "/api/v1/resources/\(service)/service", token: cataloger,
                        body: #"{"endpoint":"http://\#(host)/verify"}"#)
                    #expect(fieldErrors(mounted.json).map(\.rule) == ["outbound_address"], "endpoint \(host): \(mounted.json)")
                    let pull = try await client.json(
                        .post, "/api/v1/datasets/\(dataset)/pull-sources", token: puller,
                        body: """
                            {"connection_url":"postgres://u:p@\(host):5432/db","table":"people","watermark_column":"changed_at",
                             "column_map":{"GMSFHM":"id_no"}}
                            """)
                    #expect(fieldErrors(pull.json).map(\.field) == ["connection_url"], "pull source \(host): \(pull.json)")
                    #expect(fieldErrors(pull.json).map(\.rule) == ["outbound_address"], "pull source \(host): \(pull.json)")
                }
                // A department's systems on the government network (private ranges) stay reachable.
                let allowed = try await client.json(.put, "/api/v1/webhook", token: reviewer, body: #"{"url":"http://10.20.30.40/hook"}"#)
                #expect(allowed.status == .ok, "\(allowed.json)")
            }
        }
    }

    /// A system that redirects: the first hop is allowed (this machine, as in development), the redirect is not
    /// followed, whether it points at cloud metadata or back at this machine.
    @Test(arguments: TestDatabase.available)
    func redirectsAreNotFollowed(database: TestDatabase) async throws {
        let landed = Mutex<Int>(0)
        let upstream = Router()
        upstream.get("verify") { _, _ in Response(status: .found, headers: [.location: "/landing"]) }
        upstream.get("landing") { _, _ -> Response in
            landed.withLock { $0 += 1 }
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"XM":"x"}"#)))
        }
        upstream.post("hook") { _, _ in
            Response(status: .temporaryRedirect, headers: [.location: "http://169.254.169.254/latest/meta-data/"])
        }
        try await Application(router: upstream).test(.live) { upstreamClient in
            let port = try #require(upstreamClient.port)
            try await TestEnvironment.with(database) { env in
                try await env.test { client in
                    let code = try await MountTests.publish(client, format: "service_interface", name: "参保资格核验接口")
                    let mounted = try await client.json(
                        .post, "/api/v1/resources/\(code)/service", token: try await client.token("psb_cataloger"),
                        body: #"{"endpoint":"http://127.0.0.1:\#(port)/verify"}"#)
                    #expect(mounted.status == .created, "\(mounted.json)")
                    let user = try await client.token("hrss_user")
                    let subscription = try await client.json(
                        .post, "/api/v1/subscriptions", token: user,
                        body: #"{"entry_code":"\#(code)","items":["XM"],"purpose":"参保资格核验"}"#)
                    let purpose = try #require(subscription.json["id"] as? String, "\(subscription.json)")
                    let called = try await client.json(
                        .post, "/api/v1/resources/\(code)/call", token: user,
                        body: #"{"purpose":"\#(purpose)","parameters":{"name":"张三丰"}}"#)
                    #expect(called.status == .serviceUnavailable && called.json["code"] as? String == "upstream_redirect", "\(called.json)")
                    #expect(landed.withLock { $0 } == 0, "the redirect was followed")

                    let provider = try await client.token("psb_reviewer")
                    let set = try await client.json(
                        .put, "/api/v1/webhook", token: provider, body: #"{"url":"http://127.0.0.1:\#(port)/hook"}"#)
                    #expect(set.status == .ok, "\(set.json)")
                    let applicant = try await client.token("hrss_user")
                    _ = try await ApplicationTests.apply(
                        client, applicant, code: try await ApplicationTests.householdCode(client, applicant),
                        until: "2027-06-30")
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (0, 1))
                    let deliveries =
                        (try await client.json(.get, "/api/v1/webhook", token: provider).json["deliveries"] as? [[String: Any]]) ?? []
                    let error = try #require(deliveries.first?["last_error"] as? String)
                    #expect(error.contains("redirect (HTTP 307)") && !error.contains("169.254"), "\(error)")
                }
            }
        }
    }

    /// The connection goes to the address that was checked, not to whatever DNS answers next: a name the system
    /// resolver does not know reaches the endpoint through the checked address alone.
    @Test func aConnectionGoesToTheCheckedAddress() async throws {
        let upstream = Router()
        upstream.get("ping") { request, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: request.head.authority ?? "")))
        }
        try await Application(router: upstream).test(.live) { upstreamClient in
            let port = try #require(upstreamClient.port)
            let resolver = OutboundPolicyTests.FixedResolver(answers: [
                "receiver.gd.test": [.v4(0x7F00_0001)],
                "rebind.gd.test": [.v4(0x0A00_0001), .v4(0xA9FE_A9FE)],
            ])
            let loose = HTTPServiceCaller(outbound: OutboundPolicy(allowLoopback: true), logger: TestEnvironment.logger, resolver: resolver)
            let answer = try await loose.get("http://receiver.gd.test:\(port)/ping", parameters: [:])
            #expect(answer.status == 200 && String(decoding: answer.body, as: UTF8.self) == "receiver.gd.test:\(port)")
            // Not allowed: nothing is sent, and what the caller is told does not say what the name resolved to.
            let strict = HTTPServiceCaller(outbound: OutboundPolicy(), logger: TestEnvironment.logger, resolver: resolver)
            for (caller, url) in [
                (loose, "http://rebind.gd.test:\(port)/ping"), (strict, "http://receiver.gd.test:\(port)/ping"),
                (loose, "http://unknown.gd.test:\(port)/ping"),
                // Other schemes the HTTP client knows (Unix sockets) are never used.
                (loose, "http+unix://%2Fvar%2Frun%2Fdocker.sock/info"),
            ] {
                await #expect(
                    throws: DomainError(
                        .unavailable, code: "upstream_failed",
                        message: LocalizedText(zh: "无法连接提供部门接口", en: "The provider's endpoint could not be reached")),
                    "\(url)"
                ) {
                    _ = try await caller.get(url, parameters: [:])
                }
            }
        }
    }
}

import GovShareCore
import Testing

/// Which addresses the platform refuses to call for a department (webhooks, service endpoints, pull sources).
@Suite("Outbound addresses")
struct OutboundPolicyTests {
    /// This machine, link-local (cloud metadata), unspecified, multicast and reserved addresses in the spellings an
    /// attacker tries: every IPv4 form resolvers accept, IPv6 with leading zeros, IPv4 carried inside IPv6, zone ids.
    static let refused = [
        "http://127.0.0.1:8080/x", "http://localhost/x", "http://api.localhost/", "http://localhost./", "http://LOCALHOST/",
        "http://2130706433/", "http://127.1/", "http://0x7f.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://017700000001/",
        "http://0/", "http://0.0.0.0/", "http://[::]/", "http://[::1]/", "http://[0::1]/", "http://[0:0:0:0:0:0:0:1]/",
        "http://[0000:0000:0000:0000:0000:0000:0000:0001]/", "http://[::ffff:7f00:1]/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:0:7f00:1]/", "http://[::127.0.0.1]/", "http://[::7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/",
        "http://169.254.169.254/latest/meta-data/", "http://0xa9.0xfe.0xa9.0xfe/", "http://2852039166/", "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://metadata.google.internal/",
        "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[fd00::1%25eth0]/", "http://[febf::1]/", "http://224.0.0.1/",
        "http://[ff02::1]/", "http://240.0.0.1/", "http://255.255.255.255/", "http://[2001::1]/", "http://[64:ff9b:1::a00:1]/",
        "http://127.0.0.1%20x/", "http://1.2.3.4.5/", "http://256.0.0.1/", "http://[::ffff:7f00:1/",
    ]

    @Test func thisMachineLinkLocalMulticastAndReservedAreRefusedInEverySpelling() {
        let strict = OutboundPolicy()
        for url in Self.refused { #expect(strict.refusal(for: url) != nil, "\(url) must be refused") }
    }

    /// Government networks use private ranges (政务外网); IPv6 unique-local addresses are their IPv6 counterpart.
    @Test func privateNetworksGlobalAddressesAndNamesAreAllowed() {
        let strict = OutboundPolicy()
        for url in [
            "http://10.20.30.40/api", "https://172.16.1.2:8443/", "http://192.168.1.9/", "https://data.gd.gov.cn/verify",
            "http://100.64.1.1/", "http://[2001:db8::1]/", "http://1.2.3.4/", "http://[fd12:3456::1]/", "http://[::ffff:10.1.2.3]/",
            "http://[2002:a01:203::1]/", "http://sjzx.gd.gov.cn./",
        ] {
            #expect(strict.refusal(for: url) == nil, "\(url) must be allowed")
        }
    }

    /// Development and tests may call this machine, in any spelling; never link-local, metadata or zone-scoped hosts.
    @Test func theLoopbackSwitchAllowsThisMachineOnly() {
        let loose = OutboundPolicy(allowLoopback: true)
        for url in [
            "http://127.0.0.1:9000/hook", "http://[::1]/", "http://[0::1]/", "http://[::ffff:7f00:1]/", "http://localhost/",
            "http://0x7f.1/",
        ] {
            #expect(loose.refusal(for: url) == nil, "\(url)")
        }
        for url in ["http://169.254.169.254/", "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1%25lo]/", "http://[::]/", "http://0/"] {
            #expect(loose.refusal(for: url) != nil, "\(url)")
        }
    }

    @Test func addressesAreJudgedByTheirBytes() throws {
        let scopes: [(String, AddressScope)] = [
            ("::ffff:7f00:1", .loopback), ("0::1", .loopback), ("[0:0:0:0:0:0:0:1]", .loopback), ("::127.0.0.1", .loopback),
            ("64:ff9b::7f00:1", .loopback), ("2002:7f00:1::", .loopback), ("0x7f.1", .loopback), ("2130706433", .loopback),
            ("::ffff:a9fe:a9fe", .linkLocal), ("fe80::1", .linkLocal), ("169.254.169.254", .linkLocal), ("::", .unspecified),
            ("0.0.0.0", .unspecified), ("ff02::1", .multicast), ("239.1.1.1", .multicast), ("2001::1", .reserved), ("240.0.0.1", .reserved),
            ("fd00::1", .privateNetwork), ("10.0.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("172.32.0.1", .global),
            ("100.64.0.1", .privateNetwork), ("100.128.0.1", .global), ("2001:db8::1", .global), ("8.8.8.8", .global),
        ]
        for (text, scope) in scopes { #expect(IPAddress(numeric: text)?.scope == scope, "\(text)") }
        #expect(IPAddress(numeric: "[0::1]")?.description == "::1")
        #expect(IPAddress(numeric: "0x7f.1")?.description == "127.0.0.1")
        for text in ["fe80::1%eth0", "1.2.3.4.5", "256.1.1.1", "gd.gov.cn", "127.0.0.1 x", "", "[]", "::ffff:7f00:1:2:3:4:5:6"] {
            #expect(IPAddress(numeric: text) == nil, "\(text)")
        }
    }

    /// A fixed answer per name, standing in for DNS.
    struct FixedResolver: HostResolver {
        let answers: [String: [IPAddress]]
        func addresses(of host: String) async throws -> [IPAddress] {
            guard let found = answers[host] else { throw SystemResolver.Failure(code: -2) }
            return found
        }
    }

    /// Right before connecting, a name is resolved and every address it resolves to must be allowed: one address on
    /// this machine or the link refuses it (a resolver may hand out any of them). The refusal says nothing of the answer.
    @Test func everyAddressANameResolvesToIsChecked() async throws {
        let resolver = FixedResolver(answers: [
            "api.gd.test": [.v4(0x0A00_0001)], "mixed.gd.test": [.v4(0x0A00_0001), .v4(0x7F00_0001)],
            "mapped.gd.test": [IPAddress(numeric: "::ffff:a9fe:a9fe")!], "empty.gd.test": [],
            "self.gd.test": [IPAddress(numeric: "::1")!],
        ])
        let strict = OutboundPolicy(), loose = OutboundPolicy(allowLoopback: true)
        #expect(try await strict.checkedAddress(host: "api.gd.test", resolver: resolver) == .v4(0x0A00_0001))
        for host in ["mixed.gd.test", "mapped.gd.test", "empty.gd.test", "self.gd.test", "unknown.gd.test", "localhost", "[::ffff:7f00:1]"]
        {
            await #expect(throws: OutboundPolicy.Refused.self, "\(host)") {
                try await strict.checkedAddress(host: host, resolver: resolver)
            }
        }
        #expect(try await loose.checkedAddress(host: "self.gd.test", resolver: resolver) == IPAddress(numeric: "::1"))
        await #expect(throws: OutboundPolicy.Refused.self) { try await loose.checkedAddress(host: "mapped.gd.test", resolver: resolver) }
        // A literal is not looked up: it is the address.
        #expect(try await loose.checkedAddress(host: "[0::1]", resolver: resolver) == IPAddress(numeric: "::1"))
    }

    @Test func theSystemResolverAnswersWithAddresses() async throws {
        let addresses = try await SystemResolver().addresses(of: "localhost")
        #expect(!addresses.isEmpty && addresses.allSatisfy { $0.scope == .loopback }, "\(addresses)")
        await #expect(throws: OutboundPolicy.Refused.self) { try await OutboundPolicy().checkedAddress(host: "127.0.0.1") }
    }

    @Test func loopbackCannotBeAllowedInProduction() throws {
        let problems =
            (try? GovShareConfig.load(
                flags: [
                    "mode": "production", "token_secret": String(repeating: "k", count: 40),
                    "outbound_allow_loopback": "true",
                ], environment: [:], file: [:])) == nil
        #expect(problems)
    }
}

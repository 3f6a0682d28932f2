import GovShareCore
import Testing

/// Which addresses the platform refuses to call for a department (webhooks, service endpoints).
@Suite("Outbound addresses")
struct OutboundPolicyTests {
    @Test func thisMachineLinkLocalAndMulticastAreRefusedPrivateNetworksAreNot() {
        let strict = OutboundPolicy()
        for url in ["http://127.0.0.1:8080/x", "http://localhost/x", "http://api.localhost/", "http://[::1]/x", "http://2130706433/",
                    "http://127.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://[::ffff:127.0.0.1]/",
                    "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://[fe80::1]/", "http://224.0.0.1/",
                    "http://metadata.google.internal/", "http://[::]/"] {
            #expect(strict.refusal(for: url) != nil, "\(url) must be refused")
        }
        for url in ["http://10.20.30.40/api", "https://172.16.1.2:8443/", "http://192.168.1.9/", "https://data.gd.gov.cn/verify",
                    "http://[2001:db8::1]/", "http://1.2.3.4/"] {
            #expect(strict.refusal(for: url) == nil, "\(url) must be allowed")
        }
        // Development and tests may call this machine, never link-local or metadata addresses.
        let loose = OutboundPolicy(allowLoopback: true)
        #expect(loose.refusal(for: "http://127.0.0.1:9000/hook") == nil)
        #expect(loose.refusal(for: "http://169.254.169.254/") != nil)
    }

    @Test func loopbackCannotBeAllowedInProduction() throws {
        let problems = (try? GovShareConfig.load(flags: ["mode": "production", "token_secret": String(repeating: "k", count: 40),
                                                         "outbound_allow_loopback": "true"], environment: [:], file: [:])) == nil
        #expect(problems)
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 11: one table says, for every route of the API contract, every role of the demo and objects of different
/// departments, what the platform answers. The table (`AuthorizationMatrix+Table.swift`) is written from the rules
/// (README, docs/, `Policy`, the services), not from what the server happens to answer; a route in openapi.json without
/// a row, or a row for a route that is not there, fails the suite.
///
/// Write requests carry a body that is valid JSON but fails validation after the authorisation decision (usually `{}`),
/// so an authorised caller gets 422 (or 404/409) and nothing changes, while a refused caller gets 401/403: the platform
/// decides who may act before it validates what they sent. Where the decision depends on an object named in the body
/// (the provider of a new entry, the department of a grant), the body names it and fails a later rule instead. Rows do
/// not depend on each other's order; the few that change something say so.
///
/// Where the server answers differently from the rules today, the row keeps the rule in `expect` and today's answer in
/// `today` with the reason: reported as a known issue until fixed, then failing until `today` is removed.
@Suite("Security: the authorisation matrix")
struct AuthorizationMatrixTests {
    /// Who calls: nobody, and the demo accounts (README's table), each holding one role.
    enum Caller: String, CaseIterable, Sendable {
        case anonymous, admin, gd = "gd_reviewer", gz = "gz_reviewer", psbC = "psb_cataloger", psbR = "psb_reviewer"
        case hrss = "hrss_user", auditor, ops, psbS = "psb_security"
    }

    /// What a caller gets; compared exactly.
    enum Outcome: Hashable, Sendable, CustomStringConvertible {
        /// 2xx
        case ok
        /// 422: authorised, the input is refused
        case invalid
        /// 401 for anonymous callers, 403 for signed-in ones
        case denied
        /// 404: the object is not shown to this caller (or does not exist)
        case hidden
        /// 409: authorised, the object's state refuses the action
        case conflict
        case status(Int)

        func accepts(_ code: Int, from caller: Caller) -> Bool {
            switch self {
            case .ok: (200..<300).contains(code)
            case .invalid: code == 422
            case .denied: code == (caller == .anonymous ? 401 : 403)
            case .hidden: code == 404
            case .conflict: code == 409
            case .status(let expected): code == expected
            }
        }

        var description: String {
            switch self {
            case .ok: "ok (2xx)"
            case .invalid: "invalid (422)"
            case .denied: "denied (401/403)"
            case .hidden: "hidden (404)"
            case .conflict: "conflict (409)"
            case .status(let code): "\(code)"
            }
        }
    }

    /// The expected outcome for each caller.
    struct Expect: Sendable {
        var outcomes: [Caller: Outcome]

        /// Everyone, signed in or not.
        static func anyone(_ outcome: Outcome) -> Expect {
            Expect(outcomes: Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, outcome) }))
        }

        /// Every signed-in caller; anonymous callers are refused (401).
        static func signedIn(_ outcome: Outcome) -> Expect { anyone(outcome).and(.anonymous, get: .denied) }

        /// The named callers get `outcome`, every other signed-in caller `otherwise`, anonymous callers 401.
        static func only(_ callers: Caller..., get outcome: Outcome, otherwise: Outcome = .denied) -> Expect {
            only(callers, get: outcome, otherwise: otherwise)
        }

        static func only(_ callers: [Caller], get outcome: Outcome, otherwise: Outcome = .denied) -> Expect {
            signedIn(otherwise).and(callers, get: outcome)
        }

        func and(_ callers: Caller..., get outcome: Outcome) -> Expect { and(callers, get: outcome) }

        func and(_ callers: [Caller], get outcome: Outcome) -> Expect {
            var copy = self
            for caller in callers { copy.outcomes[caller] = outcome }
            return copy
        }
    }

    /// One request shape: a route of the contract, the object it names (fixture placeholders such as `$G_PSB`, one per
    /// path parameter, in order), and the answer each caller gets.
    struct Probe: Sendable {
        let route: String
        let objects: [String]
        let query: String
        let body: String?
        let contentType: String
        /// What the rules say.
        let expect: Expect
        /// What the server answers today where that differs from the rules, and why: a known issue (reported, not
        /// failing) until it is fixed; then the suite fails until `today` is removed.
        let today: Expect?
        let why: String

        init(
            _ route: String, on objects: String..., query: String = "", body: String? = nil, type: String = "application/json",
            expect: Expect, today: Expect? = nil, why: String = ""
        ) {
            self.route = route; self.objects = objects; self.query = query; self.body = body; self.contentType = type
            self.expect = expect; self.today = today; self.why = why
        }

        var name: String { ([route] + objects + (query.isEmpty ? [] : ["?" + query]) + (body.map { [$0] } ?? [])).joined(separator: " ") }

        var method: HTTPRequest.Method { HTTPRequest.Method(String(route.prefix { $0 != " " }))! }

        /// The path with each `{parameter}` replaced by the next object, then the query.
        var uri: String {
            var remaining = objects[...]
            let path = route.drop { $0 != " " }.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
                guard part.hasPrefix("{"), let object = remaining.popFirst() else { return String(part) }
                return object
            }.joined(separator: "/")
            return query.isEmpty ? path : path + "?" + query
        }
    }

    struct Mismatch {
        let probe: Probe
        let caller: Caller
        let expected: Outcome
        let status: Int
        let code: String

        var line: String { "\(probe.name) — \(caller.rawValue): expected \(expected), got \(status) \(code)" }
    }

    @Test(arguments: TestDatabase.available)
    func everyRouteAnswersEveryRoleAsTheRulesSay(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let fixture = try await MatrixFixture.make(client)
                let table = Self.table

                // Coverage: the served contract and the table name the same routes.
                let documented = try await Self.documentedRoutes(client)
                let covered = Set(table.map(\.route))
                let missing = documented.subtracting(covered).sorted()
                let stale = covered.subtracting(documented).sorted()
                if !missing.isEmpty {
                    Issue.record("routes in openapi.json without a row in the authorisation matrix:\n\(missing.joined(separator: "\n"))")
                }
                if !stale.isEmpty { Issue.record("rows for routes that openapi.json does not have:\n\(stale.joined(separator: "\n"))") }
                for probe in table {
                    #expect(probe.objects.count == probe.route.filter { $0 == "{" }.count, "\(probe.route): one object per path parameter")
                    #expect(Set(probe.expect.outcomes.keys) == Set(Caller.allCases), "\(probe.route): an outcome for every caller")
                }

                var unexpected: [Mismatch] = [], known: [(Mismatch, String)] = [], fixed: [String] = []
                var requests = 0
                for probe in table {
                    let uri = fixture.substitute(probe.uri)
                    let body = probe.body.map(fixture.substitute)
                    var deviations = 0
                    for caller in Caller.allCases {
                        guard let expected = probe.expect.outcomes[caller] else { continue }
                        var headers: HTTPFields = [:]
                        if body != nil { headers[.contentType] = probe.contentType }
                        if let token = fixture.tokens[caller] { headers[.authorization] = "Bearer \(token)" }
                        let response = try await client.execute(
                            uri: uri, method: probe.method, headers: headers,
                            body: body.map { ByteBuffer(string: $0) })
                        requests += 1
                        let status = Int(response.status.code)
                        guard !expected.accepts(status, from: caller) else { continue }
                        deviations += 1
                        let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
                        let mismatch = Mismatch(
                            probe: probe, caller: caller, expected: expected, status: status,
                            code: json?["code"] as? String ?? "")
                        if probe.today?.outcomes[caller]?.accepts(status, from: caller) == true {
                            known.append((mismatch, probe.why))
                        } else {
                            unexpected.append(mismatch)
                        }
                    }
                    if probe.today != nil, deviations == 0 { fixed.append(probe.name) }
                }
                if !unexpected.isEmpty {
                    Issue.record(
                        """
                        \(unexpected.count) of \(requests) answers differ from the authorisation matrix:
                        \(unexpected.map(\.line).joined(separator: "\n"))
                        """)
                }
                if !fixed.isEmpty {
                    Issue.record("these rows now answer as the rules say; remove their `today:`:\n\(fixed.joined(separator: "\n"))")
                }
                if !known.isEmpty {
                    withKnownIssue("answers known to differ from the rules (`today:` in the table)") {
                        Issue.record(Comment(rawValue: known.map { "\($0.0.line) [\($0.1)]" }.joined(separator: "\n")))
                    }
                }
            }
        }
    }

    /// "METHOD /path" of every operation in the served OpenAPI document.
    static func documentedRoutes(_ client: any TestClientProtocol) async throws -> Set<String> {
        let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var routes = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
        return routes
    }
}

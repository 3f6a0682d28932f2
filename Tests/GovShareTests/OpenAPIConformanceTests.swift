import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 13: the contract is checked by machine. Every JSON answer the server gives to the authorisation matrix's
/// requests (every route, every role, objects of several departments — so the DTOs are encoded with the demo's real
/// values) must be accepted by the schema openapi.json gives for that route and status. Object schemas are closed
/// here: a member the contract does not declare fails, as does a missing required one. CI also regenerates the
/// document with Tools/generate_openapi.py and fails when the committed one differs.
@Suite("API contract: answers conform to openapi.json")
struct OpenAPIConformanceTests {
    typealias Caller = AuthorizationMatrixTests.Caller

    static func document() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/GovShareServer/Resources/openapi.json")
        return try JSONValue.parse(try Data(contentsOf: url))
    }

    @Test(arguments: TestDatabase.available)
    func everyAnswerConformsToItsSchema(database: TestDatabase) async throws {
        let document = try Self.document()
        let visited = try await TestEnvironment.with(database) { env in
            try await env.test { client in
                var checker = JSONSchemaChecker(document: document)
                let fixture = try await MatrixFixture.make(client)
                var problems: [String] = [], checked = 0, successes = 0

                // A write whose answer the matrix never succeeds at (its probes are refused or invalid by design): a
                // business-system client, so the list of clients below holds one too. Its request is checked as well.
                let newClient = #"{"name":"契约测试系统","department_code":"$D_PSB","roles":["data_user"]}"#
                if let schema = Self.requestSchema(document, route: "POST /api/v1/clients") {
                    problems += checker.problems(try JSONValue.parse(Data(fixture.substitute(newClient).utf8)), against: schema)
                        .map { "POST /api/v1/clients request: \($0)" }
                } else {
                    problems.append("POST /api/v1/clients: openapi.json documents no JSON request body")
                }
                let created = try await client.json(
                    .post, "/api/v1/clients", token: fixture.tokens[.admin], body: fixture.substitute(newClient))
                #expect(created.response.status == .created)
                if let schema = Self.responseSchema(document, route: "POST /api/v1/clients", status: 201, mediaType: "application/json") {
                    problems += checker.problems(try JSONValue.parse(Data(created.response.body.readableBytesView)), against: schema)
                        .map { "POST /api/v1/clients → 201: \($0)" }
                }
                for probe in AuthorizationMatrixTests.table {
                    let uri = fixture.substitute(probe.uri)
                    let body = probe.body.map(fixture.substitute)
                    for caller in Caller.allCases {
                        var headers: HTTPFields = [:]
                        if body != nil { headers[.contentType] = probe.contentType }
                        if let token = fixture.tokens[caller] { headers[.authorization] = "Bearer \(token)" }
                        let response = try await client.execute(
                            uri: uri, method: probe.method, headers: headers,
                            body: body.map { ByteBuffer(string: $0) })
                        let status = Int(response.status.code)
                        let mediaType = (response.headers[.contentType] ?? "").split(separator: ";").first.map(String.init) ?? ""
                        guard mediaType == "application/json" || mediaType == "application/problem+json" else { continue }
                        let label = "\(probe.route) as \(caller.rawValue) → \(status)"
                        guard let schema = Self.responseSchema(document, route: probe.route, status: status, mediaType: mediaType) else {
                            problems.append("\(label): openapi.json documents no \(mediaType) answer for this status")
                            continue
                        }
                        guard let value = try? JSONValue.parse(Data(response.body.readableBytesView)) else {
                            problems.append("\(label): the body is not JSON")
                            continue
                        }
                        checked += 1
                        if (200..<300).contains(status) { successes += 1 }
                        problems += checker.problems(value, against: schema).map { "\(label): \($0)" }
                    }
                }
                #expect(successes > 100, "the matrix gave \(successes) successful JSON answers to check; expected many more")
                #expect(
                    problems.isEmpty,
                    """
                    \(problems.count) problems in \(checked) answers checked against openapi.json:
                    \(problems.prefix(80).joined(separator: "\n"))
                    """)
                return checker.visited
            }
        }
        // The answers exercised the schemas of the main resources (a DTO left out of the contract would not be here).
        let expectedCovered: Set<String> = [
            "Me", "Region", "Department", "User", "Client", "AuditEvent", "AuditVerification", "CalendarInfo", "DueDate",
            "CatalogEntry", "CatalogVersion", "CatalogSearchResult", "CatalogDocument", "Obligation", "BusinessSystem",
            "Dataset", "DatasetColumn", "Batch", "Subscription", "Grant", "DataRead", "ResourceFile", "Application",
            "ApplicationDecision", "InboxMessage", "GrantUsage", "GrantOverview", "MisuseCase", "Webhook", "MailRecipient",
            "Attachment", "LegalInstrumentList", "CKANPackage", "CKANPackageSearch", "CKANOrganization", "Problem", "Health",
        ]
        let missed = expectedCovered.subtracting(visited).sorted()
        #expect(missed.isEmpty, "schemas no answer was checked against: \(missed.joined(separator: ", "))")
    }

    /// The schema of the JSON request body openapi.json documents for a route.
    static func requestSchema(_ document: JSONValue, route: String) -> JSONValue? {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return document["paths"]?[parts[1]]?[parts[0].lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    /// The schema of the answer openapi.json documents for a route ("GET /api/v1/…" as in the document), a status and
    /// a media type; the operation's `default` answer when the status is not listed.
    static func responseSchema(_ document: JSONValue, route: String, status: Int, mediaType: String) -> JSONValue? {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, let operation = document["paths"]?[parts[1]]?[parts[0].lowercased()] else { return nil }
        guard var answer = operation["responses"]?["\(status)"] ?? operation["responses"]?["default"] else { return nil }
        if let reference = answer["$ref"]?.string {
            guard let resolved = JSONSchemaChecker(document: document).resolve(reference) else { return nil }
            answer = resolved
        }
        return answer["content"]?[mediaType]?["schema"]
    }
}

/// The checker itself: it must refuse what the contract does not allow, or the suite above proves nothing.
@Suite("API contract: the schema checker")
struct JSONSchemaCheckerTests {
    static let document = try! JSONValue.parse(
        Data(
            """
            {"components": {"schemas": {
              "Thing": {"type": "object", "required": ["id", "kind"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "note": {"type": ["string", "null"], "maxLength": 5},
                "count": {"type": "integer", "minimum": 0},
                "at": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                "either": {"anyOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Small"}]}
              }},
              "Small": {"type": "object", "properties": {"x": {"type": "boolean"}}}
            }}}
            """.utf8))

    func problems(_ json: String) throws -> [String] {
        var checker = JSONSchemaChecker(document: Self.document)
        return checker.problems(try JSONValue.parse(Data(json.utf8)), against: .object(["$ref": .string("#/components/schemas/Thing")]))
    }

    @Test func acceptsAConformingValue() throws {
        let value = """
            {"id": "0190a3c2-7b1e-7d4a-9c3e-123456789abc", "kind": "a", "note": null, "count": 3, "at": "2026-01-02T03:04:05.678Z",
             "tags": ["x"], "extra": {"k": 1}, "either": {"x": true}}
            """
        #expect(try problems(value) == [])
        #expect(try problems(#"{"id": "0190a3c2-7b1e-7d4a-9c3e-123456789abc", "kind": "b", "either": 4}"#) == [])
    }

    @Test func refusesWhatTheSchemaDoesNotAllow() throws {
        let id = #""id": "0190a3c2-7b1e-7d4a-9c3e-123456789abc""#
        let cases: [(String, String)] = [
            (#"{"kind": "a"}"#, "required member \"id\" is missing"),
            ("{\(id), \"kind\": \"a\", \"surprise\": 1}", "member \"surprise\" is not in the schema"),
            ("{\(id), \"kind\": \"c\"}", "is not one of"),
            ("{\(id), \"kind\": \"a\", \"note\": 5}", "is not of type string|null"),
            ("{\(id), \"kind\": \"a\", \"note\": \"toolong\"}", "longer than 5"),
            ("{\(id), \"kind\": \"a\", \"count\": 1.5}", "is not of type integer"),
            ("{\(id), \"kind\": \"a\", \"count\": true}", "is not of type integer"),
            ("{\(id), \"kind\": \"a\", \"count\": -1}", "< minimum"),
            ("{\(id), \"kind\": \"a\", \"at\": \"yesterday\"}", "is not a date-time"),
            (#"{"id": "nope", "kind": "a"}"#, "is not a UUID"),
            ("{\(id), \"kind\": \"a\", \"tags\": [1]}", "$.tags[0]"),
            ("{\(id), \"kind\": \"a\", \"extra\": {\"k\": \"v\"}}", "$.extra.k"),
            ("{\(id), \"kind\": \"a\", \"either\": {\"y\": 1}}", "matches none of anyOf"),
        ]
        for (value, expected) in cases {
            let found = try problems(value)
            #expect(found.contains { $0.contains(expected) }, "\(value): expected a problem containing \(expected), got \(found)")
        }
    }
}

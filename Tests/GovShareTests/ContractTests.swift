import Foundation
import Testing

@Suite("API contract")
struct ContractTests {
    /// Every route the server registers is in the served OpenAPI document, and nothing else is.
    @Test func openAPIDocumentCoversEveryRoute() async throws {
        try await TestEnvironment.with(.sqlite, demo: false) { env in
            try await env.test { client in
                let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
                #expect(response.status == .ok)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented = Set<String>()
                for (path, operations) in paths {
                    for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                        documented.insert("\(method.uppercased()) \(path)")
                    }
                }
                let served = Set(
                    env.server.routes.map(Self.normalise).filter {
                        $0.contains(" /api/") || $0.hasSuffix("/healthz") || $0.hasSuffix("/metrics")
                    })
                #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi.json")
                #expect(documented.subtracting(served).sorted() == [], "documented routes the server does not have")
            }
        }
    }

    /// "GET /api/v1/departments/:code" → "GET /api/v1/departments/{code}"
    static func normalise(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }
}

import Foundation
import GovShareCore
import GovShareStore
import Hummingbird
import Prometheus

struct HealthDTO: Codable, Sendable {
    struct DatabaseState: Codable, Sendable {
        let kind: String
        let reachable: Bool
        let schemaVersion: Int?
        enum CodingKeys: String, CodingKey { case kind, reachable; case schemaVersion = "schema_version" }
    }
    let status: String
    let nodeId: String
    let database: DatabaseState
    enum CodingKeys: String, CodingKey { case status, database; case nodeId = "node_id" }
}

/// Health, metrics and the API contract: open to operators' probes without sign-in, and holding no personal data.
struct SystemController {
    let platform: Platform
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz", use: health)
        router.get("metrics", use: metrics)
        router.get("api/v1/openapi.json", use: openAPI)
    }

    @Sendable func health(request: Request, context: AppRequestContext) async throws -> JSONResponse<HealthDTO> {
        let reachable = await platform.database.ping()
        let version = reachable ? try? await Migrator(database: platform.database).appliedVersions().max() : nil
        let healthy = reachable && version == Migrator.latestVersion
        return JSONResponse(
            HealthDTO(
                status: healthy ? "ok" : "unavailable", nodeId: platform.config.nodeId,
                database: .init(
                    kind: platform.database.kind.rawValue, reachable: reachable,
                    schemaVersion: version)),
            status: healthy ? .ok : .serviceUnavailable)
    }

    @Sendable func metrics(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    @Sendable func openAPI(request: Request, context: AppRequestContext) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else {
            throw DomainError(
                .unavailable, code: "contract_missing",
                message: LocalizedText(zh: "接口文档缺失", en: "The API document is missing"))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

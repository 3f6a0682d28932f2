import Foundation
import GovShareCore
import Hummingbird

struct PullSourceRequest: Codable, Sendable {
    var connectionURL: String?
    var table: String?
    var watermarkColumn: String?
    var columnMap: [String: String]?
    var intervalMinutes: Int?
    enum CodingKeys: String, CodingKey {
        case table
        case connectionURL = "connection_url", watermarkColumn = "watermark_column", columnMap = "column_map"
        case intervalMinutes = "interval_minutes"
    }
}

/// What is shown of a pull source: never the connection URL, only its host.
struct PullSourceDTO: Codable, Sendable {
    let id, datasetId, host, table, watermarkColumn, createdAt: String
    let columnMap: [String: String]
    let intervalMinutes, rowsPulled: Int
    let lastWatermark, lastKey, lastRunAt, lastError: String?
    let enabled: Bool
    init(_ s: PullSource) {
        id = s.id; datasetId = s.datasetId; host = s.host; table = s.sourceTable; watermarkColumn = s.watermarkColumn
        createdAt = s.createdAt; columnMap = s.columnMap; intervalMinutes = s.intervalSeconds / 60; rowsPulled = s.rowsPulled
        lastWatermark = s.lastWatermark; lastKey = s.lastKey; lastRunAt = s.lastRunAt; lastError = s.lastError; enabled = s.enabled
    }
    enum CodingKeys: String, CodingKey {
        case id, host, table, enabled
        case datasetId = "dataset_id", watermarkColumn = "watermark_column", createdAt = "created_at", columnMap = "column_map"
        case intervalMinutes = "interval_minutes", rowsPulled = "rows_pulled", lastWatermark = "last_watermark", lastKey = "last_key"
        case lastRunAt = "last_run_at", lastError = "last_error"
    }
}

/// Scheduled pulls from a department's own PostgreSQL table (Art. 15).
struct PullSourcesController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("datasets/{code}/pull-sources", use: create)
        group.get("datasets/{code}/pull-sources", use: list)
        group.post("pull-sources/{id}/run", use: run)
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<PullSourceDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(PullSourceRequest.self, from: request, context: context)
        let source = try await platform.pulls.register(
            code: try context.parameters.require("code"), connectionURL: body.connectionURL,
            table: body.table, watermarkColumn: body.watermarkColumn, columnMap: body.columnMap,
            intervalMinutes: body.intervalMinutes, by: actor, origin: context.origin)
        return JSONResponse(PullSourceDTO(source), status: .created)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<[PullSourceDTO]> {
        let actor = try context.require(.reportData)
        return JSONResponse(
            try await platform.pulls.sources(code: try context.parameters.require("code"), by: actor).map(PullSourceDTO.init))
    }

    /// Runs a pull now (the scheduler runs them when due); the answer is the source's state afterwards.
    @Sendable func run(request: Request, context: AppRequestContext) async throws -> JSONResponse<PullSourceDTO> {
        let actor = try context.require(.reportData)
        return JSONResponse(
            PullSourceDTO(
                try await platform.pulls.run(
                    sourceId: try context.parameters.require("id"), by: actor,
                    origin: context.origin)))
    }
}

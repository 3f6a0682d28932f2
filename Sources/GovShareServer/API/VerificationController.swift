import Foundation
import GovShareCore
import Hummingbird

struct VerificationRequest: Codable, Sendable {
    var purpose: String?
    /// Item code → the clear value the caller holds, e.g. `{"GMSFHM": "440106…", "XM": "张三"}`.
    var values: [String: String]?
}

struct VerificationDTO: Codable, Sendable {
    let match: Bool
    let items: [String]
    let purposeId: String
    let checkedAt: String
    enum CodingKeys: String, CodingKey { case match, items, purposeId = "purpose_id", checkedAt = "checked_at" }
}

/// `POST /api/v1/datasets/{code}/verify`: identity verification (核验) — match or no match, never the record.
struct VerificationController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("datasets/{code}/verify", use: verify)
    }

    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> JSONResponse<VerificationDTO> {
        let actor = try context.require(.readData)
        let body = try await JSONBody.decode(VerificationRequest.self, from: request, context: context)
        let result = try await platform.verification.verify(
            code: try context.parameters.require("code"), purpose: body.purpose,
            values: body.values ?? [:], by: actor, origin: context.origin)
        return JSONResponse(
            VerificationDTO(
                match: result.match, items: result.items, purposeId: result.read.purposeId,
                checkedAt: result.read.readAt))
    }
}

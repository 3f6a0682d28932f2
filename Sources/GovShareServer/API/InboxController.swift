import Foundation
import GovShareCore
import Hummingbird

/// The department inbox: what the workflow, grants and misuse cases told the caller's department.
struct InboxController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("notifications", use: inbox)
        group.post("notifications/{id}/read", use: markRead)
    }

    @Sendable func inbox(request: Request, context: AppRequestContext) async throws -> JSONResponse<[InboxMessageDTO]> {
        let actor = try context.requirePrincipal()
        let unread = request.uri.queryParameters["unread"] == "true"
        return JSONResponse(
            try await platform.applications.notifications(for: actor, unreadOnly: unread).map {
                InboxMessageDTO(
                    id: $0.id, kind: $0.kind, subjectType: $0.subjectType, subjectId: $0.subjectId,
                    message: $0.message.text(context.language), createdAt: $0.createdAt, readAt: $0.readAt)
            })
    }

    @Sendable func markRead(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        try await platform.applications.markRead(notificationId: try context.parameters.require("id"), by: actor)
        return Response(status: .noContent)
    }
}

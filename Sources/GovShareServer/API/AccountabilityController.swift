import Foundation
import GovShareCore
import Hummingbird

/// Art. 21: misuse cases, the department webhook, and the
/// supporting documents of applications.
struct AccountabilityController {
    let platform: Platform
    var service: AccountabilityService { platform.accountability }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("grants/{id}/misuse-reports", use: reportMisuse)
        group.get("misuse-cases", use: misuseCases)
        group.post("misuse-cases/{id}/close", use: closeMisuse)
        group.get("webhook", use: webhook)
        group.put("webhook", use: setWebhook)
        group.delete("webhook", use: removeWebhook)
        group.get("mail-recipient", use: mailRecipient)
        group.put("mail-recipient", use: setMailRecipient)
        group.delete("mail-recipient", use: removeMailRecipient)
        group.get("applications/{id}/attachments", use: attachments)
        group.post("applications/{id}/attachments", use: attach)
        group.get("applications/{id}/attachments/{attachment}", use: downloadAttachment)
    }

    @Sendable func reportMisuse(request: Request, context: AppRequestContext) async throws -> JSONResponse<MisuseCaseDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(MisuseReportRequest.self, from: request, context: context)
        let c = try await service.reportMisuse(
            grantId: try context.parameters.require("id"), description: body.description, by: actor,
            origin: context.origin)
        return JSONResponse(MisuseCaseDTO(c), status: .created)
    }

    @Sendable func misuseCases(request: Request, context: AppRequestContext) async throws -> JSONResponse<[MisuseCaseDTO]> {
        JSONResponse(try await service.misuseCases(for: try context.requirePrincipal()).map(MisuseCaseDTO.init))
    }

    @Sendable func closeMisuse(request: Request, context: AppRequestContext) async throws -> JSONResponse<MisuseCaseDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(MisuseCloseRequest.self, from: request, context: context)
        return JSONResponse(
            MisuseCaseDTO(
                try await service.closeMisuse(
                    id: try context.parameters.require("id"), resolution: body.resolution,
                    by: actor, origin: context.origin)))
    }

    @Sendable func webhook(request: Request, context: AppRequestContext) async throws -> JSONResponse<WebhookDTO> {
        let (webhook, deliveries) = try await service.webhook(for: try context.requirePrincipal())
        return JSONResponse(WebhookDTO(url: webhook?.url, secret: nil, deliveries: deliveries.map(DeliveryDTO.init)))
    }

    @Sendable func setWebhook(request: Request, context: AppRequestContext) async throws -> JSONResponse<WebhookDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(WebhookRequest.self, from: request, context: context)
        let webhook = try await service.setWebhook(url: body.url, by: actor, origin: context.origin)
        return JSONResponse(WebhookDTO(url: webhook.url, secret: webhook.secret, deliveries: []))
    }

    @Sendable func removeWebhook(request: Request, context: AppRequestContext) async throws -> Response {
        try await service.removeWebhook(by: try context.requirePrincipal(), origin: context.origin)
        return Response(status: .noContent)
    }

    @Sendable func mailRecipient(request: Request, context: AppRequestContext) async throws -> JSONResponse<MailRecipientDTO> {
        JSONResponse(MailRecipientDTO(address: try await service.mailRecipient(for: try context.requirePrincipal())))
    }

    @Sendable func setMailRecipient(request: Request, context: AppRequestContext) async throws -> JSONResponse<MailRecipientDTO> {
        let actor = try context.requirePrincipal()
        let body = try await JSONBody.decode(MailRecipientRequest.self, from: request, context: context)
        return JSONResponse(MailRecipientDTO(address: try await service.setMailRecipient(body.address, by: actor, origin: context.origin)))
    }

    @Sendable func removeMailRecipient(request: Request, context: AppRequestContext) async throws -> Response {
        try await service.removeMailRecipient(by: try context.requirePrincipal(), origin: context.origin)
        return Response(status: .noContent)
    }

    @Sendable func attachments(request: Request, context: AppRequestContext) async throws -> JSONResponse<[AttachmentDTO]> {
        let actor = try context.requirePrincipal()
        let a = try await platform.applications.load(id: try context.parameters.require("id"), for: actor)
        return JSONResponse(try await service.attachments(of: a).map(AttachmentDTO.init))
    }

    /// The body is the file itself; `file_name` names it and Content-Type gives its type.
    @Sendable func attach(request: Request, context: AppRequestContext) async throws -> JSONResponse<AttachmentDTO> {
        let actor = try context.requirePrincipal()
        // Authorised before the file is read.
        try await service.authorizeAttachment(applicationId: try context.parameters.require("id"), by: actor)
        let bytes = Array(try await request.body.collect(upTo: service.maxAttachmentBytes + 1).readableBytesView)
        let attachment = try await service.attach(
            applicationId: try context.parameters.require("id"),
            fileName: request.uri.queryParameters["file_name"].map(String.init),
            mediaType: request.headers[.contentType], bytes: bytes, by: actor, origin: context.origin)
        return JSONResponse(AttachmentDTO(attachment), status: .created)
    }

    @Sendable func downloadAttachment(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let a = try await platform.applications.load(id: try context.parameters.require("id"), for: actor)
        let (attachment, bytes) = try await service.attachment(
            applicationId: a.id, attachmentId: try context.parameters.require("attachment"),
            visibleTo: a)
        return FileResponse.attachment(
            name: attachment.fileName, contentType: attachment.mediaType, sha256: attachment.sha256, bytes: bytes)
    }
}

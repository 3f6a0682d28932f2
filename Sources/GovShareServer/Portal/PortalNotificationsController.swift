import Foundation
import GovShareCore
import Hummingbird

/// Where a department's notifications go besides the inbox: its signed webhook (the secret shown once, when set) with
/// the recent deliveries and their retries, and its mailbox. The same rules as the API (`webhooks.manage`).
struct PortalNotificationsController {
    let platform: Platform
    let pages: PageRenderer
    var service: AccountabilityService { platform.accountability }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("notifications", use: page)
        router.post("notifications/webhook", use: setWebhook)
        router.post("notifications/webhook/remove", use: removeWebhook)
        router.post("notifications/mail", use: setMail)
        router.post("notifications/mail/remove", use: removeMail)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, secret: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let (webhook, deliveries) = try await service.webhook(for: actor)
        let status: [NotificationDelivery.Status: LocalizedText] = [
            .pending: LocalizedText(zh: "待重试", en: "Pending"), .delivered: LocalizedText(zh: "已送达", en: "Delivered"),
            .failed: LocalizedText(zh: "已放弃", en: "Given up"),
        ]
        let page = NotificationsPage(
            webhookUrl: webhook?.url ?? "", hasWebhook: webhook != nil,
            mail: try await service.mailRecipient(for: actor) ?? "", mailEnabled: service.mailEnabled,
            deliveries: deliveries.map { d in
                NotificationsPage.Delivery(
                    id: d.id, channel: d.channel == .webhook ? "Webhook" : (language == .en ? "E-mail" : "邮件"),
                    kind: d.notification.kind, status: status[d.status]?.text(language) ?? d.status.rawValue,
                    attempts: d.attempts, next: d.status == .pending ? d.nextAttemptAt : "—",
                    when: d.deliveredAt ?? "—", error: d.lastError ?? "")
            },
            error: error, secret: secret)
        return pages.render(
            page, title: Strings.dictionary(language)["nav_notifications"]!, context: context,
            path: "/notifications", status: error == nil ? .ok : .unprocessableContent)
    }

    /// Runs a form action; a refused input shows the page again with the message, anything else propagates.
    func act(_ context: AppRequestContext, _ body: () async throws -> String?) async throws -> Response {
        do {
            guard let secret = try await body() else { return Response(status: .seeOther, headers: [.location: "/notifications"]) }
            return try await render(context: context, secret: secret)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func setWebhook(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        // The secret is shown on this answer only; it is stored sealed and never shown again.
        return try await act(context) { try await service.setWebhook(url: form["url"], by: actor, origin: context.origin).secret }
    }

    @Sendable func removeWebhook(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        return try await act(context) {
            try await service.removeWebhook(by: actor, origin: context.origin); return nil
        }
    }

    @Sendable func setMail(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        return try await act(context) {
            _ = try await service.setMailRecipient(form["address"], by: actor, origin: context.origin); return nil
        }
    }

    @Sendable func removeMail(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        return try await act(context) {
            try await service.removeMailRecipient(by: actor, origin: context.origin); return nil
        }
    }
}

/// `notifications.mustache`: the department's webhook and mailbox, and the recent deliveries.
struct NotificationsPage: PortalPage {
    static let template = PageTemplate.notifications
    struct Delivery: Encodable {
        var id, channel, kind, status: String
        var attempts: Int
        var next, when, error: String
    }
    var webhookUrl: String
    var hasWebhook: Bool
    /// The mailbox ("" when none is set).
    var mail: String
    var mailEnabled: Bool
    var deliveries: [Delivery]
    /// A refused input, shown above the forms.
    var error: String?
    /// A new webhook's secret, shown on this answer only.
    var secret: String?
}

import GovShareCore

/// Sends the notifications (webhooks, mail) that are due, with retries and backoff.
struct WebhookDeliveryJob: ScheduledJob {
    let name = "webhook delivery"

    func run(platform: Platform, actor: Principal) async throws {
        try await platform.notificationDispatcher.deliverDue()
    }
}

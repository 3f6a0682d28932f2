import GovShareCore

/// Art. 9: catalog update obligations — reminders before the due date, escalation after it.
struct CatalogObligationSweepJob: ScheduledJob {
    let name = "catalog obligation sweep"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.obligations.sweep(by: actor, origin: origin())
    }
}

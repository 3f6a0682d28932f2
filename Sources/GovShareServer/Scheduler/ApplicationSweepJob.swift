import GovShareCore

/// Sharing applications: reminders before the reply is due, escalation after it (Art. 19).
struct ApplicationSweepJob: ScheduledJob {
    let name = "application sweep"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.applications.sweep(by: actor, origin: origin())
    }
}

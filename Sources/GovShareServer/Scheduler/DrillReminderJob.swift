import GovShareCore

/// Drill reminders (Art. 27): each department's security officers are told once when its periodic drill is due soon
/// and once when it is overdue (`drill_interval_days`, `drill_reminder_days`).
struct DrillReminderJob: ScheduledJob {
    let name = "drill reminders"

    func run(platform: Platform, actor: Principal) async throws {
        try await platform.security.sweepDrillReminders(by: actor, origin: origin())
    }
}

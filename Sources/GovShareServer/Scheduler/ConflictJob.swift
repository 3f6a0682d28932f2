import GovShareCore

/// Art. 13: cases still negotiating after their due date go to the data authority; and the conflict check over every
/// fact pair runs when the last run is `conflict_check_hours` old (restarts and other nodes see the last run).
struct ConflictJob: ScheduledJob {
    let name = "conflicts"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.conflicts.sweep(by: actor, origin: origin())
        _ = try await platform.conflicts.checkIfDue(hours: platform.config.conflictCheckHours, by: actor, origin: origin())
    }
}

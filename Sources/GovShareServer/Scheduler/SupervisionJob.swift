import GovShareCore

/// Art. 29–30: orders past their due date are escalated once; the supervision checks run when the last run is
/// `supervision_check_hours` old (restarts and other nodes see the last run).
struct SupervisionJob: ScheduledJob {
    let name = "supervision"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.supervision.sweep(by: actor, origin: origin())
        _ = try await platform.supervision.checkIfDue(by: actor, origin: origin())
    }
}

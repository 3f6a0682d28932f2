import GovShareCore

/// Art. 21: objections past their date (answer, ruling, correction) — the side that must act, and its authority, are told.
struct ObjectionSweepJob: ScheduledJob {
    let name = "objection sweep"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.objections.sweep(by: actor, origin: origin())
    }
}

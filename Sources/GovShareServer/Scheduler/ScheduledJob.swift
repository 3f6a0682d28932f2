import GovShareCore

/// One piece of periodic work run by `JobScheduler`.
protocol ScheduledJob: Sendable {
    /// Names the job in the log when a round of it fails.
    var name: String { get }
    func run(platform: Platform, actor: Principal) async throws
}

extension ScheduledJob {
    /// Each round of a job is its own request as far as the audit log is concerned.
    func origin() -> RequestOrigin {
        RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler")
    }
}

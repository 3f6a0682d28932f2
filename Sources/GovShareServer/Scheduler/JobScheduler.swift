import GovShareCore
import GovShareStore
import ServiceLifecycle

/// Runs the platform's periodic jobs, in order, every `period` while the server runs. A job that fails is logged
/// under its name and the next job still runs; the next round tries the failed one again.
struct JobScheduler: Service {
    let platform: Platform
    var period: Duration = .seconds(30)
    var jobs: [any ScheduledJob] = JobScheduler.standardJobs

    /// Due pulls first (fresh data), then the sweeps that send reminders and escalate, then the deliveries of what
    /// they queued.
    static let standardJobs: [any ScheduledJob] = [
        DuePullsJob(), ApplicationSweepJob(), CatalogObligationSweepJob(), ObjectionSweepJob(), ConflictJob(), SupervisionJob(),
        DrillReminderJob(),
        WebhookDeliveryJob(),
        AuditCheckpointJob(), AuditArchiveJob(), RiskReportJob(), DatasetReencryptionJob(),
    ]

    func run() async throws {
        let actor = Principal.system("pull-scheduler")
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // First wait, then work: a starting server (and its demo seeding) is not raced.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            for job in jobs {
                do {
                    try await job.run(platform: platform, actor: actor)
                } catch {
                    platform.logger.error("\(job.name)", metadata: ["error": "\(LoggableError.describe(error))"])
                }
            }
        }
    }
}

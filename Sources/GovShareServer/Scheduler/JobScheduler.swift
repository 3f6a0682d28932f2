import GovShareCore
import GovShareStore
import ServiceLifecycle

/// Runs the platform's periodic jobs, in order, every `period` while the server runs. A job that fails is logged
/// under its name and the next job still runs; the next round tries the failed one again. With several servers on
/// one PostgreSQL database, a round runs on one of them at a time: it holds the database lease `leaseKey`, and a
/// server that finds the lease taken skips its round (docs/deployment.md).
struct JobScheduler: Service {
    /// The advisory lock of a scheduler round (the others: `AdvisoryLock`).
    static let leaseKey: Int32 = 4_400_100
    /// The node-delivery loop's own lock: it runs every `federation_sync_seconds`, apart from the slower round.
    static let nodeLeaseKey: Int32 = 4_400_101

    let platform: Platform
    var period: Duration = .seconds(30)
    var jobs: [any ScheduledJob] = JobScheduler.standardJobs
    var leaseKey: Int32 = JobScheduler.leaseKey

    /// The loop that keeps peer nodes current (issue 18): catalog changes and checkpoints queued and delivered every
    /// few seconds, so a change reaches a peer in seconds rather than a scheduler round.
    static func nodeDelivery(platform: Platform, seconds: Int) -> JobScheduler {
        JobScheduler(platform: platform, period: .seconds(seconds), jobs: [NodeDeliveryJob()], leaseKey: nodeLeaseKey)
    }

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
            do {
                let ran = try await platform.database.withLease(leaseKey) { try await runRound(actor: actor) }
                if ran == nil { platform.logger.debug("scheduler round skipped: another server holds the lease") }
            } catch {
                platform.logger.error("scheduler lease", metadata: ["error": "\(LoggableError.describe(error))"])
            }
        }
    }

    func runRound(actor: Principal) async throws {
        for job in jobs {
            do {
                try await job.run(platform: platform, actor: actor)
            } catch {
                platform.logger.error("\(job.name)", metadata: ["error": "\(LoggableError.describe(error))"])
            }
        }
    }
}

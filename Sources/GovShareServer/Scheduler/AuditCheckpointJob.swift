import GovShareCore

/// Art. 28: signs the audit chain's head every `audit_checkpoint_minutes` (the service decides whether one is due:
/// the interval has passed and the chain has grown since the last checkpoint).
struct AuditCheckpointJob: ScheduledJob {
    let name = "audit checkpoint"

    func run(platform: Platform, actor: Principal) async throws {
        try await platform.auditCheckpoints.checkpointIfDue(by: actor, origin: origin())
    }
}

import GovShareCore

/// Art. 26, 28: every `audit_archive_minutes` (when `audit_archive_enabled`), moves audit entries past
/// `audit_retention_days` into signed audit-segment packages (the service decides whether a round is due).
struct AuditArchiveJob: ScheduledJob {
    let name = "audit archive"

    func run(platform: Platform, actor: Principal) async throws {
        guard platform.config.auditArchiveEnabled else { return }
        let made = try await platform.archives.archiveAuditIfDue(by: actor, origin: origin())
        for segment in made {
            platform.logger.notice(
                "audit entries archived",
                metadata: ["first_seq": "\(segment.firstSeq)", "last_seq": "\(segment.lastSeq)", "archive_id": "\(segment.archiveId)"])
        }
    }
}

import GovShareCore

/// Runs every scheduled pull whose time has come.
struct DuePullsJob: ScheduledJob {
    let name = "pull scheduler"

    func run(platform: Platform, actor: Principal) async throws {
        for source in try await platform.pulls.due() {
            let result = try await platform.pulls.run(sourceId: source.id, by: actor, origin: origin())
            // The text stays on the source for its department: it can quote source keys (ID numbers).
            if result.lastError != nil {
                platform.logger.warning("pull needs attention (see the source's last_error)", metadata: ["source": "\(source.id)"])
            }
        }
    }
}

import GovShareCore

/// Art. 28: the risk report of the last complete period (the previous month by default, `risk_report_interval_days`),
/// made once — a period already reported on by the schedule is left alone, so restarts and other nodes add nothing.
struct RiskReportJob: ScheduledJob {
    let name = "risk report"

    func run(platform: Platform, actor: Principal) async throws {
        try await platform.riskReports.generateIfDue(by: actor, origin: origin())
    }
}

import GovShareCore
import Metrics

/// Queues catalog changes for peer nodes and delivers the outbox where its retry time has come (issue 18, parts 2 and 5),
/// then exports each peer's link state
/// to `/metrics`: messages waiting, the oldest one's age, and whether the last attempt failed.
struct NodeDeliveryJob: ScheduledJob {
    let name = "node delivery"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.federation.synchronise(origin: origin())
        for view in try await platform.federation.peers(by: actor) where view.peer.status == .active {
            let peer = [("peer", view.peer.id)]
            Gauge(label: "govshare_federation_pending_messages", dimensions: peer).record(view.pending)
            Gauge(label: "govshare_federation_lag_seconds", dimensions: peer).record(view.lagSeconds ?? 0)
            Gauge(label: "govshare_federation_link_failing", dimensions: peer).record(view.peer.lastError == nil ? 0 : 1)
        }
    }
}

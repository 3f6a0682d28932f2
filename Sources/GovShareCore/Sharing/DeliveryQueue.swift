import Foundation

/// The queue of notifications waiting to reach departments' webhooks and mailboxes: what is due, and what became of
/// each attempt. The dispatcher (server) sends; the rules of the queue — what is due when, how an attempt is recorded —
/// live here, over the store's repository.
public struct DeliveryQueue: Sendable {
    let repository: any AccountabilityRepository

    public init(repository: any AccountabilityRepository) { self.repository = repository }

    /// Deliveries whose next attempt is due at `now`, oldest first, at most `limit`.
    public func due(at now: Date, limit: Int) async throws -> [(NotificationDelivery, DeliveryTarget)] {
        try await repository.dueDeliveries(now: Timestamp.format(now), limit: limit)
    }

    /// A delivery reached its receiver.
    public func delivered(_ delivery: NotificationDelivery, attempts: Int, at now: Date) async throws {
        try await repository.recordAttempt(
            deliveryId: delivery.id, status: .delivered, attempts: attempts,
            nextAttemptAt: delivery.nextAttemptAt, error: nil, deliveredAt: Timestamp.format(now))
    }

    /// A delivery failed: tried again after `retryAfter` seconds, or given up (`failed`) when there is no retry left.
    public func failed(_ delivery: NotificationDelivery, attempts: Int, problem: String, retryAfter: TimeInterval?, at now: Date)
        async throws
    {
        try await repository.recordAttempt(
            deliveryId: delivery.id, status: retryAfter == nil ? .failed : .pending, attempts: attempts,
            nextAttemptAt: Timestamp.format(now.addingTimeInterval(retryAfter ?? 0)), error: problem,
            deliveredAt: nil)
    }
}

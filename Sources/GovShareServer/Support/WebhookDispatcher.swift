import AsyncHTTPClient
import Crypto
import Foundation
import GovShareCore
import Logging
import NIOCore

/// Posts queued notifications to department webhooks. The body is the notification as JSON; the request carries
/// `X-GovShare-Delivery` (the id, for the receiver to drop repeats), `X-GovShare-Timestamp` and
/// `X-GovShare-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<body>" with the department's secret>`.
/// A 2xx answer delivers it; anything else is retried with backoff (WebhookRetryPolicy), then marked failed.
public struct WebhookDispatcher: Sendable {
    let repository: any AccountabilityRepository
    let clock: any WallClock
    let logger: Logger
    public var policy = WebhookRetryPolicy()

    struct Payload: Codable {
        let id, departmentId, kind, subjectType, subjectId, messageZh, messageEn, createdAt: String
        enum CodingKeys: String, CodingKey {
            case id, kind
            case departmentId = "department_id", subjectType = "subject_type", subjectId = "subject_id", messageZh = "message_zh"
            case messageEn = "message_en", createdAt = "created_at"
        }
    }

    public static func signature(secret: String, timestamp: String, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array((timestamp + ".").utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Sends what is due now; returns (delivered, failed attempts).
    @discardableResult
    public func deliverDue(limit: Int = 100) async throws -> (delivered: Int, failed: Int) {
        let now = clock.now()
        var delivered = 0, failed = 0
        for (delivery, webhook) in try await repository.dueDeliveries(now: Timestamp.format(now), limit: limit) {
            let n = delivery.notification
            let body = Array(AuditJSON.encode(Payload(id: n.id, departmentId: n.departmentId, kind: n.kind, subjectType: n.subjectType,
                                                      subjectId: n.subjectId, messageZh: n.message.zh, messageEn: n.message.en,
                                                      createdAt: n.createdAt)).utf8)
            let timestamp = String(Int(now.timeIntervalSince1970))
            var request = HTTPClientRequest(url: webhook.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "X-GovShare-Delivery", value: delivery.id)
            request.headers.add(name: "X-GovShare-Timestamp", value: timestamp)
            request.headers.add(name: "X-GovShare-Signature", value: Self.signature(secret: webhook.secret, timestamp: timestamp, body: body))
            request.body = .bytes(ByteBuffer(bytes: body))
            let attempts = delivery.attempts + 1
            var problem: String?
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if !(200..<300).contains(Int(response.status.code)) { problem = "HTTP \(response.status.code)" }
            } catch {
                problem = "unreachable: \(type(of: error))"
            }
            if problem == nil {
                delivered += 1
                try await repository.recordAttempt(deliveryId: delivery.id, status: .delivered, attempts: attempts,
                                                   nextAttemptAt: delivery.nextAttemptAt, error: nil, deliveredAt: Timestamp.format(clock.now()))
            } else {
                failed += 1
                let delay = policy.delay(afterFailedAttempts: attempts)
                try await repository.recordAttempt(deliveryId: delivery.id, status: delay == nil ? .failed : .pending, attempts: attempts,
                                                   nextAttemptAt: Timestamp.format(now.addingTimeInterval(delay ?? 0)), error: problem,
                                                   deliveredAt: nil)
                logger.warning("webhook delivery failed", metadata: ["delivery": "\(delivery.id)", "attempt": "\(attempts)",
                                                                     "error": "\(problem!)"])
            }
        }
        return (delivered, failed)
    }
}

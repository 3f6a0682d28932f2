import AsyncHTTPClient
import Crypto
import Foundation
import GovShareCore
import Logging
import NIOCore

/// Sends queued notifications to departments' systems and mailboxes.
///
/// Webhook: the body is the notification as JSON; the request carries `X-GovShare-Delivery` (the id, for the receiver
/// to drop repeats), `X-GovShare-Timestamp` and `X-GovShare-Signature: sha256=<hex HMAC-SHA256 over
/// "<timestamp>.<body>" with the department's secret>`; a 2xx answer delivers it. E-mail: one message per notification
/// through the configured SMTP relay (`smtp_url`), in Chinese and English. Anything else is retried with backoff
/// (DeliveryRetryPolicy), then marked failed; the message stays in the portal inbox either way.
public struct NotificationDispatcher: Sendable {
    let queue: DeliveryQueue
    let clock: any WallClock
    let logger: Logger
    let smtp: SMTPSettings?
    public var policy = DeliveryRetryPolicy()

    let outbound: OutboundPolicy

    public init(
        queue: DeliveryQueue, clock: any WallClock, logger: Logger, smtp: SMTPSettings?,
        outbound: OutboundPolicy = OutboundPolicy()
    ) {
        self.queue = queue; self.clock = clock; self.logger = logger; self.smtp = smtp; self.outbound = outbound
    }

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
        return "sha256=" + Hex.encode(mac)
    }

    /// Sends what is due now; returns (delivered, failed attempts).
    @discardableResult
    public func deliverDue(limit: Int = 100) async throws -> (delivered: Int, failed: Int) {
        let now = clock.now()
        var delivered = 0, failed = 0
        let due = try await queue.due(at: now, limit: limit)
        // Eight at a time: one slow receiver (10 s timeout) does not hold the others, nor the scheduler, for long.
        var outcomes: [String?] = []
        for start in stride(from: 0, to: due.count, by: 8) {
            let slice = Array(due[start..<min(start + 8, due.count)])
            let results = await withTaskGroup(of: (Int, String?).self) { group in
                for (index, (delivery, target)) in slice.enumerated() {
                    group.addTask {
                        switch target {
                        case .webhook(let webhook): (index, await self.post(delivery.notification, id: delivery.id, to: webhook, at: now))
                        case .email(let address): (index, await self.mail(delivery.notification, id: delivery.id, to: address))
                        }
                    }
                }
                return await group.reduce(into: [String?](repeating: nil, count: slice.count)) { $0[$1.0] = $1.1 }
            }
            outcomes += results
        }
        for ((delivery, _), problem) in zip(due, outcomes) {
            let attempts = delivery.attempts + 1
            if let problem {
                failed += 1
                let delay = policy.delay(afterFailedAttempts: attempts)
                try await queue.failed(delivery, attempts: attempts, problem: problem, retryAfter: delay, at: now)
                logger.warning(
                    "notification delivery failed",
                    metadata: [
                        "delivery": "\(delivery.id)", "channel": "\(delivery.channel.rawValue)",
                        "attempt": "\(attempts)", "error": "\(problem)",
                    ])
            } else {
                delivered += 1
                try await queue.delivered(delivery, attempts: attempts, at: clock.now())
            }
        }
        return (delivered, failed)
    }

    /// nil when delivered, else what went wrong (kept on the delivery and shown to the department; it holds no secret,
    /// and a failure to connect reads the same whatever the cause, so a webhook cannot probe the network: whether a
    /// name resolves, to what, or whether anything listens there). The cause goes to the server log at debug level.
    func post(_ n: InboxMessage, id: String, to webhook: DepartmentWebhook, at now: Date) async -> String? {
        // Checked again at each delivery: the policy may have been tightened since the webhook was set.
        if let refusal = outbound.refusal(for: webhook.url) { return "not sent: \(refusal.en)" }
        let body = Array(
            AuditJSON.encode(
                Payload(
                    id: n.id, departmentId: n.departmentId, kind: n.kind, subjectType: n.subjectType,
                    subjectId: n.subjectId, messageZh: n.message.zh, messageEn: n.message.en,
                    createdAt: n.createdAt)
            ).utf8)
        let timestamp = String(Int(now.timeIntervalSince1970))
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "X-GovShare-Delivery", value: id)
        request.headers.add(name: "X-GovShare-Timestamp", value: timestamp)
        request.headers.add(name: "X-GovShare-Signature", value: Self.signature(secret: webhook.secret, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        do throws(OutboundHTTP.Failure) {
            let status = try await OutboundHTTP.send(
                request, policy: outbound, timeout: .seconds(10), maxBody: 64 * 1024,
                discardBody: true
            ).status
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            logger.debug("webhook delivery failed", metadata: ["delivery": "\(id)", "cause": "\(error)"])
            if case .redirected(let status) = error {
                return "not delivered: the receiver answered with a redirect (HTTP \(status)), which is not followed; set the final address"
            }
            return Self.unreachable
        }
    }

    /// The one answer for every failure to reach a receiver (policy refusal after resolution, DNS, connection, TLS,
    /// timeout).
    static let unreachable = "not delivered: the receiver could not be reached"

    func mail(_ n: InboxMessage, id: String, to address: String) async -> String? {
        guard let smtp else { return "SMTP is not configured (smtp_url)" }
        let subject = "【广东省政务数据共享平台】" + String(n.message.zh.prefix(60))
        let body =
            "\(n.message.zh)\n\n\(n.message.en)\n\n类型 / kind: \(n.kind)\n对象 / subject: \(n.subjectType) \(n.subjectId)\n时间 / at: \(n.createdAt)\n"
        do {
            try await SMTPMailer(settings: smtp).send(to: address, subject: subject, body: body, messageId: id)
            return nil
        } catch let error as SMTPError {
            return error.description
        } catch {
            return "unreachable: \(type(of: error))"
        }
    }
}

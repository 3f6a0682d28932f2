import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Department webhooks and mail recipients, and the one queue of deliveries to them.
extension SQLAccountabilityRepository {
    // MARK: Webhooks

    public func setWebhook(_ webhook: DepartmentWebhook?, departmentId: String, audit: AuditRecord) async throws {
        let key = self.key
        try await write(audit) { db in
            try await db.delete(from: "department_webhooks").where("department_id", .equal, departmentId).run()
            guard let webhook else { return try await Self.abandon(.webhook, departmentId: departmentId, on: db) }
            let sealed = try ChaChaPoly.seal(Data(webhook.secret.utf8), using: try await key.load(on: db)).combined.base64EncodedString()
            try await db.insert(into: "department_webhooks").columns("department_id", "url", "secret_sealed", "created_by", "created_at")
                .values(
                    SQLBind(departmentId), SQLBind(webhook.url), SQLBind(sealed), SQLBind(webhook.createdBy), SQLBind(webhook.createdAt)
                ).run()
        }
    }

    public func webhook(departmentId: String) async throws -> DepartmentWebhook? {
        let key = self.key
        return try await context.database.withConnection { db in
            guard
                let row = try await db.select().column("*").from("department_webhooks").where("department_id", .equal, departmentId).first()
            else {
                return nil
            }
            return try await Self.webhook(row, key: try await key.load(on: db))
        }
    }

    static func webhook(_ row: any SQLRow, key: SymmetricKey) async throws -> DepartmentWebhook {
        guard let data = Data(base64Encoded: try row.string("secret_sealed")),
            let secret = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: key)
        else {
            throw DomainError(
                .unavailable, code: "secret_unreadable", message: LocalizedText(zh: "回调密钥无法解密", en: "The webhook secret cannot be unsealed")
            )
        }
        return DepartmentWebhook(
            departmentId: try row.string("department_id"), url: try row.string("url"),
            secret: String(decoding: secret, as: UTF8.self), createdBy: try row.string("created_by"),
            createdAt: try row.string("created_at"))
    }

    public func deliveries(departmentId: String, limit: Int) async throws -> [NotificationDelivery] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT d.*, n.department_id AS n_department_id, n.kind, n.subject_type, n.subject_id, n.message_zh, n.message_en,
                       n.created_at AS n_created_at
                FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                WHERE d.department_id = \(bind: departmentId) ORDER BY d.created_at DESC LIMIT \(literal: limit)
                """
            ).all().map(Self.delivery)
        }
    }

    public func dueDeliveries(now: String, limit: Int) async throws -> [(NotificationDelivery, DeliveryTarget)] {
        let key = self.key
        return try await context.database.withConnection { db in
            let rows = try await db.raw(
                """
                SELECT d.*, n.department_id AS n_department_id, n.kind, n.subject_type, n.subject_id, n.message_zh, n.message_en,
                       n.created_at AS n_created_at, w.url, w.secret_sealed, w.created_by AS w_created_by, w.created_at AS w_created_at,
                       m.address
                FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                LEFT JOIN department_webhooks w ON w.department_id = d.department_id AND d.channel = 'webhook'
                LEFT JOIN department_mail m ON m.department_id = d.department_id AND d.channel = 'email'
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: now) AND (w.url IS NOT NULL OR m.address IS NOT NULL)
                ORDER BY d.next_attempt_at LIMIT \(literal: limit)
                """
            ).all()
            let symmetric = try await key.load(on: db)
            var result: [(NotificationDelivery, DeliveryTarget)] = []
            for row in rows {
                let delivery = try Self.delivery(row)
                if delivery.channel == .email, let address = try row.optionalString("address") {
                    result.append((delivery, .email(address)))
                } else if delivery.channel == .webhook, let url = try row.optionalString("url"),
                    let data = Data(base64Encoded: try row.string("secret_sealed")),
                    let secret = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: symmetric)
                {
                    result.append(
                        (
                            delivery,
                            .webhook(
                                DepartmentWebhook(
                                    departmentId: try row.string("department_id"), url: url,
                                    secret: String(decoding: secret, as: UTF8.self),
                                    createdBy: try row.string("w_created_by"), createdAt: try row.string("w_created_at")))
                        ))
                }
            }
            return result
        }
    }

    public func setMailRecipient(_ address: String?, departmentId: String, actorId: String, audit: AuditRecord) async throws {
        let now = context.now
        try await write(audit) { db in
            try await db.delete(from: "department_mail").where("department_id", .equal, departmentId).run()
            guard let address else { return try await Self.abandon(.email, departmentId: departmentId, on: db) }
            try await db.insert(into: "department_mail").columns("department_id", "address", "created_by", "created_at")
                .values(SQLBind(departmentId), SQLBind(address), SQLBind(actorId), SQLBind(now)).run()
        }
    }

    /// A channel removed: what was still on its way there has nowhere to go (it stays in the inbox).
    static func abandon(_ channel: NotificationDelivery.Channel, departmentId: String, on db: any SQLDatabase) async throws {
        try await db.update("notification_deliveries").set("status", to: NotificationDelivery.Status.failed.rawValue)
            .set("last_error", to: "channel removed").where("department_id", .equal, departmentId)
            .where("channel", .equal, channel.rawValue).where("status", .equal, NotificationDelivery.Status.pending.rawValue).run()
    }

    public func mailRecipient(departmentId: String) async throws -> String? {
        try await context.database.withConnection { db in
            try await db.select().column("address").from("department_mail").where("department_id", .equal, departmentId).first()?
                .string("address")
        }
    }

    static func delivery(_ row: any SQLRow) throws -> NotificationDelivery {
        let notification = InboxMessage(
            id: try row.string("notification_id"), departmentId: try row.string("n_department_id"),
            kind: try row.string("kind"), subjectType: try row.string("subject_type"),
            subjectId: try row.string("subject_id"),
            message: LocalizedText(zh: try row.string("message_zh"), en: try row.string("message_en")),
            createdAt: try row.string("n_created_at"))
        return NotificationDelivery(
            id: try row.string("id"),
            channel: NotificationDelivery.Channel(rawValue: try row.string("channel")) ?? .webhook,
            notification: notification, status: NotificationDelivery.Status(rawValue: try row.string("status")) ?? .pending,
            attempts: try row.int("attempts"), nextAttemptAt: try row.string("next_attempt_at"),
            lastError: try row.optionalString("last_error"), deliveredAt: try row.optionalString("delivered_at"))
    }

    public func recordAttempt(
        deliveryId: String, status: NotificationDelivery.Status, attempts: Int, nextAttemptAt: String, error: String?,
        deliveredAt: String?
    ) async throws {
        try await context.database.transaction { db in
            try await db.update("notification_deliveries").set("status", to: status.rawValue).set("attempts", to: attempts)
                .set("next_attempt_at", to: nextAttemptAt).set("last_error", to: error).set("delivered_at", to: deliveredAt)
                .where("id", .equal, deliveryId).run()
        }
    }
}

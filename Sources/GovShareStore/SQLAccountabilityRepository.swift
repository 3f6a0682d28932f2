import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Grants by provider, usage aggregates over the read log, misuse cases, webhooks and their delivery queue, attachments.
public struct SQLAccountabilityRepository: AccountabilityRepository {
    let context: StoreContext
    private let key = KeyCache(name: "read_ref")
    public init(context: StoreContext) { self.context = context }

    public func usage(purposeIds: [String]) async throws -> [String: PurposeUsage] {
        guard !purposeIds.isEmpty else { return [:] }
        return try await context.database.withConnection { db in
            var result: [String: PurposeUsage] = [:]
            for chunk in purposeIds.chunked(500) {
                let rows = try await db.raw("""
                    SELECT purpose_id, COUNT(*) AS reads, SUM(row_count) AS row_total, MAX(read_at) AS last_read_at
                    FROM data_reads WHERE purpose_id IN (\(binds: Array(chunk))) GROUP BY purpose_id
                    """).all()
                for row in rows {
                    result[try row.string("purpose_id")] = PurposeUsage(reads: try row.int("reads"), rows: try row.decode(column: "row_total", as: Int?.self) ?? 0,
                                                                        lastReadAt: try row.optionalString("last_read_at"))
                }
            }
            return result
        }
    }

    public func grants(providerId: String) async throws -> [Grant] {
        try await context.database.withConnection { db in
            try await db.raw("""
                SELECT g.* FROM grants g JOIN catalog_entries e ON e.id = g.entry_id
                WHERE e.provider_id = \(bind: providerId) ORDER BY g.created_at DESC
                """).all().map(SQLAccessRepository.grant(from:))
        }
    }

    public func update(_ grant: Grant, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await SQLAccessRepository.update(grant, on: db)
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    // MARK: Misuse cases

    public func insert(_ c: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "misuse_cases").columns(
                "id", "grant_id", "reporter_department_id", "holder_department_id", "authority_id", "description", "status",
                "resolution", "reported_by", "created_at", "closed_at", "closed_by", "node_id"
            ).values(SQLBind(c.id), SQLBind(c.grantId), SQLBind(c.reporterDepartmentId), SQLBind(c.holderDepartmentId),
                     SQLBind(c.authorityId), SQLBind(c.description), SQLBind(c.status.rawValue), SQLBind(c.resolution),
                     SQLBind(c.reportedBy), SQLBind(c.createdAt), SQLBind(c.closedAt), SQLBind(c.closedBy), SQLBind(c.nodeId)).run()
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func update(_ c: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.update("misuse_cases").set("status", to: c.status.rawValue).set("resolution", to: c.resolution)
                .set("closed_at", to: c.closedAt).set("closed_by", to: c.closedBy).where("id", .equal, c.id).run()
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func misuseCase(id: String) async throws -> MisuseCase? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("misuse_cases").where("id", .equal, id).first().map(Self.misuseCase)
        }
    }

    public func misuseCases(departmentIds: [String]?) async throws -> [MisuseCase] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("misuse_cases")
            if let ids = departmentIds {
                select.where { g in
                    g.where("reporter_department_id", .in, ids).orWhere("holder_department_id", .in, ids).orWhere("authority_id", .in, ids)
                }
            }
            return try await select.orderBy("created_at", .descending).limit(1000).all().map(Self.misuseCase)
        }
    }

    static func misuseCase(_ row: any SQLRow) throws -> MisuseCase {
        MisuseCase(id: try row.string("id"), grantId: try row.string("grant_id"), reporterDepartmentId: try row.string("reporter_department_id"),
                   holderDepartmentId: try row.string("holder_department_id"), authorityId: try row.string("authority_id"),
                   description: try row.string("description"), status: MisuseCase.Status(rawValue: try row.string("status")) ?? .open,
                   resolution: try row.optionalString("resolution"), reportedBy: try row.string("reported_by"),
                   createdAt: try row.string("created_at"), closedAt: try row.optionalString("closed_at"),
                   closedBy: try row.optionalString("closed_by"), nodeId: try row.string("node_id"))
    }

    // MARK: Webhooks

    public func setWebhook(_ webhook: DepartmentWebhook?, departmentId: String, audit: AuditRecord) async throws {
        let key = self.key
        try await write(audit) { db in
            try await db.delete(from: "department_webhooks").where("department_id", .equal, departmentId).run()
            guard let webhook else { return try await Self.abandon(.webhook, departmentId: departmentId, on: db) }
            let sealed = try ChaChaPoly.seal(Data(webhook.secret.utf8), using: try await key.load(on: db)).combined.base64EncodedString()
            try await db.insert(into: "department_webhooks").columns("department_id", "url", "secret_sealed", "created_by", "created_at")
                .values(SQLBind(departmentId), SQLBind(webhook.url), SQLBind(sealed), SQLBind(webhook.createdBy), SQLBind(webhook.createdAt)).run()
        }
    }

    public func webhook(departmentId: String) async throws -> DepartmentWebhook? {
        let key = self.key
        return try await context.database.withConnection { db in
            guard let row = try await db.select().column("*").from("department_webhooks").where("department_id", .equal, departmentId).first() else {
                return nil
            }
            return try await Self.webhook(row, key: try await key.load(on: db))
        }
    }

    static func webhook(_ row: any SQLRow, key: SymmetricKey) async throws -> DepartmentWebhook {
        guard let data = Data(base64Encoded: try row.string("secret_sealed")),
              let secret = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: key) else {
            throw DomainError(.unavailable, code: "secret_unreadable", message: LocalizedText(zh: "回调密钥无法解密", en: "The webhook secret cannot be unsealed"))
        }
        return DepartmentWebhook(departmentId: try row.string("department_id"), url: try row.string("url"),
                                 secret: String(decoding: secret, as: UTF8.self), createdBy: try row.string("created_by"),
                                 createdAt: try row.string("created_at"))
    }

    public func deliveries(departmentId: String, limit: Int) async throws -> [NotificationDelivery] {
        try await context.database.withConnection { db in
            try await db.raw("""
                SELECT d.*, n.department_id AS n_department_id, n.kind, n.subject_type, n.subject_id, n.message_zh, n.message_en,
                       n.created_at AS n_created_at
                FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                WHERE d.department_id = \(bind: departmentId) ORDER BY d.created_at DESC LIMIT \(literal: limit)
                """).all().map(Self.delivery)
        }
    }

    public func dueDeliveries(now: String, limit: Int) async throws -> [(NotificationDelivery, DeliveryTarget)] {
        let key = self.key
        return try await context.database.withConnection { db in
            let rows = try await db.raw("""
                SELECT d.*, n.department_id AS n_department_id, n.kind, n.subject_type, n.subject_id, n.message_zh, n.message_en,
                       n.created_at AS n_created_at, w.url, w.secret_sealed, w.created_by AS w_created_by, w.created_at AS w_created_at,
                       m.address
                FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                LEFT JOIN department_webhooks w ON w.department_id = d.department_id AND d.channel = 'webhook'
                LEFT JOIN department_mail m ON m.department_id = d.department_id AND d.channel = 'email'
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: now) AND (w.url IS NOT NULL OR m.address IS NOT NULL)
                ORDER BY d.next_attempt_at LIMIT \(literal: limit)
                """).all()
            let symmetric = try await key.load(on: db)
            var result: [(NotificationDelivery, DeliveryTarget)] = []
            for row in rows {
                let delivery = try Self.delivery(row)
                if delivery.channel == .email, let address = try row.optionalString("address") {
                    result.append((delivery, .email(address)))
                } else if delivery.channel == .webhook, let url = try row.optionalString("url"),
                          let data = Data(base64Encoded: try row.string("secret_sealed")),
                          let secret = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: symmetric) {
                    result.append((delivery, .webhook(DepartmentWebhook(
                        departmentId: try row.string("department_id"), url: url, secret: String(decoding: secret, as: UTF8.self),
                        createdBy: try row.string("w_created_by"), createdAt: try row.string("w_created_at")))))
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
        let notification = InboxMessage(id: try row.string("notification_id"), departmentId: try row.string("n_department_id"),
                                        kind: try row.string("kind"), subjectType: try row.string("subject_type"),
                                        subjectId: try row.string("subject_id"),
                                        message: LocalizedText(zh: try row.string("message_zh"), en: try row.string("message_en")),
                                        createdAt: try row.string("n_created_at"))
        return NotificationDelivery(id: try row.string("id"),
                                    channel: NotificationDelivery.Channel(rawValue: try row.string("channel")) ?? .webhook,
                                    notification: notification, status: NotificationDelivery.Status(rawValue: try row.string("status")) ?? .pending,
                                    attempts: try row.int("attempts"), nextAttemptAt: try row.string("next_attempt_at"),
                                    lastError: try row.optionalString("last_error"), deliveredAt: try row.optionalString("delivered_at"))
    }

    public func recordAttempt(deliveryId: String, status: NotificationDelivery.Status, attempts: Int, nextAttemptAt: String, error: String?,
                              deliveredAt: String?) async throws {
        try await context.database.transaction { db in
            try await db.update("notification_deliveries").set("status", to: status.rawValue).set("attempts", to: attempts)
                .set("next_attempt_at", to: nextAttemptAt).set("last_error", to: error).set("delivered_at", to: deliveredAt)
                .where("id", .equal, deliveryId).run()
        }
    }

    // MARK: Attachments

    public func insert(_ a: ApplicationAttachment, audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "application_attachments").columns(
                "id", "application_id", "file_name", "media_type", "size", "sha256", "uploaded_by", "created_at"
            ).values(SQLBind(a.id), SQLBind(a.applicationId), SQLBind(a.fileName), SQLBind(a.mediaType), SQLBind(a.size),
                     SQLBind(a.sha256), SQLBind(a.uploadedBy), SQLBind(a.createdAt)).run()
        }
    }

    public func attachments(applicationId: String) async throws -> [ApplicationAttachment] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("application_attachments").where("application_id", .equal, applicationId)
                .orderBy("created_at").all().map { row in
                    ApplicationAttachment(id: try row.string("id"), applicationId: try row.string("application_id"),
                                          fileName: try row.string("file_name"), mediaType: try row.string("media_type"),
                                          size: try row.int("size"), sha256: try row.string("sha256"),
                                          uploadedBy: try row.string("uploaded_by"), createdAt: try row.string("created_at"))
                }
        }
    }

    func write(_ audit: AuditRecord, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await context.write(audit, body)
    }
}

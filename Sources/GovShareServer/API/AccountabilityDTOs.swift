import GovShareCore

struct MisuseReportRequest: Codable, Sendable { var description: String? }
struct MisuseCloseRequest: Codable, Sendable { var resolution: String? }

struct MisuseCaseDTO: Codable, Sendable {
    let id, grantId, reporterDepartmentId, holderDepartmentId, authorityId, description, status, reportedBy, createdAt: String
    let resolution, closedAt, closedBy: String?
    init(_ c: MisuseCase) {
        id = c.id; grantId = c.grantId; reporterDepartmentId = c.reporterDepartmentId; holderDepartmentId = c.holderDepartmentId
        authorityId = c.authorityId; description = c.description; status = c.status.rawValue; reportedBy = c.reportedBy
        createdAt = c.createdAt; resolution = c.resolution; closedAt = c.closedAt; closedBy = c.closedBy
    }
    enum CodingKeys: String, CodingKey {
        case id, description, status, resolution
        case grantId = "grant_id", reporterDepartmentId = "reporter_department_id", holderDepartmentId = "holder_department_id"
        case authorityId = "authority_id", reportedBy = "reported_by", createdAt = "created_at", closedAt = "closed_at", closedBy =
            "closed_by"
    }
}

struct WebhookRequest: Codable, Sendable { var url: String? }
struct MailRecipientRequest: Codable, Sendable { var address: String? }
struct MailRecipientDTO: Codable, Sendable { let address: String? }

struct WebhookDTO: Codable, Sendable {
    let url: String?
    /// Only in the answer that sets the webhook: the receiver needs it to check signatures; it is never shown again.
    let secret: String?
    let deliveries: [DeliveryDTO]
}

struct DeliveryDTO: Codable, Sendable {
    let id, channel, notificationKind, status, nextAttemptAt: String
    let attempts: Int
    let lastError, deliveredAt: String?
    init(_ d: NotificationDelivery) {
        id = d.id; channel = d.channel.rawValue; notificationKind = d.notification.kind; status = d.status.rawValue
        nextAttemptAt = d.nextAttemptAt; attempts = d.attempts; lastError = d.lastError; deliveredAt = d.deliveredAt
    }
    enum CodingKeys: String, CodingKey {
        case id, channel, status, attempts
        case notificationKind = "notification_kind", nextAttemptAt = "next_attempt_at", lastError = "last_error", deliveredAt =
            "delivered_at"
    }
}

struct AttachmentDTO: Codable, Sendable {
    let id, applicationId, fileName, mediaType, sha256, uploadedBy, createdAt: String
    let size: Int
    init(_ a: ApplicationAttachment) {
        id = a.id; applicationId = a.applicationId; fileName = a.fileName; mediaType = a.mediaType; sha256 = a.sha256
        uploadedBy = a.uploadedBy; createdAt = a.createdAt; size = a.size
    }
    enum CodingKeys: String, CodingKey {
        case id, sha256, size
        case applicationId = "application_id", fileName = "file_name", mediaType = "media_type", uploadedBy = "uploaded_by", createdAt =
            "created_at"
    }
}

/// Reads and rows under one grant or subscription (Art. 21).
public struct PurposeUsage: Sendable, Codable, Equatable {
    public var reads: Int
    public var rows: Int
    public var lastReadAt: String?
    public init(reads: Int = 0, rows: Int = 0, lastReadAt: String? = nil) {
        self.reads = reads; self.rows = rows; self.lastReadAt = lastReadAt
    }
}

/// A provider's report that a holder used data beyond the grant (Art. 21), handled by the data authority.
public struct MisuseCase: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case open, closed }
    public var id: String
    public var grantId: String
    public var reporterDepartmentId: String
    public var holderDepartmentId: String
    public var authorityId: String
    public var description: String
    public var status: Status
    public var resolution: String?
    public var reportedBy: String
    public var createdAt: String
    public var closedAt: String?
    public var closedBy: String?
    public var nodeId: String

    public init(
        id: String, grantId: String, reporterDepartmentId: String, holderDepartmentId: String, authorityId: String,
        description: String, status: Status, resolution: String?, reportedBy: String, createdAt: String,
        closedAt: String?, closedBy: String?, nodeId: String
    ) {
        self.id = id; self.grantId = grantId; self.reporterDepartmentId = reporterDepartmentId
        self.holderDepartmentId = holderDepartmentId; self.authorityId = authorityId; self.description = description
        self.status = status; self.resolution = resolution; self.reportedBy = reportedBy; self.createdAt = createdAt
        self.closedAt = closedAt; self.closedBy = closedBy; self.nodeId = nodeId
    }
}

/// A department system that receives the department's notifications, signed with a shared secret.
public struct DepartmentWebhook: Sendable, Equatable {
    public var departmentId: String
    public var url: String
    public var secret: String
    public var createdBy: String
    public var createdAt: String
    public init(departmentId: String, url: String, secret: String, createdBy: String, createdAt: String) {
        self.departmentId = departmentId; self.url = url; self.secret = secret; self.createdBy = createdBy; self.createdAt = createdAt
    }
}

/// One notification on its way to a department's webhook or mail recipient.
public struct NotificationDelivery: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case pending, delivered, failed }
    public enum Channel: String, Sendable, Codable { case webhook, email }
    public var id: String
    public var channel: Channel
    public var notification: InboxMessage
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: String
    public var lastError: String?
    public var deliveredAt: String?
    public init(
        id: String, channel: Channel, notification: InboxMessage, status: Status, attempts: Int, nextAttemptAt: String,
        lastError: String?, deliveredAt: String?
    ) {
        self.id = id; self.channel = channel; self.notification = notification; self.status = status; self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt; self.lastError = lastError; self.deliveredAt = deliveredAt
    }
}

/// Where a delivery goes.
public enum DeliveryTarget: Sendable, Equatable {
    case webhook(DepartmentWebhook)
    case email(String)
}

/// Retries with exponential backoff: 30 s, 1 min, 2 min … up to `maxAttempts`, then the delivery is failed (the
/// message stays in the portal inbox either way).
public struct DeliveryRetryPolicy: Sendable {
    public var baseSeconds: Double = 30
    public var maxAttempts = 8
    public init() {}
    /// Seconds to wait after the given number of failed attempts; nil when no attempt is left.
    public func delay(afterFailedAttempts attempts: Int) -> Double? {
        attempts >= maxAttempts ? nil : baseSeconds * Double(1 << min(attempts - 1, 20))
    }
}

/// A supporting document of an application, stored by its SHA-256.
public struct ApplicationAttachment: Sendable, Codable, Equatable {
    public var id: String
    public var applicationId: String
    public var fileName: String
    public var mediaType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var createdAt: String
    public init(
        id: String, applicationId: String, fileName: String, mediaType: String, size: Int, sha256: String,
        uploadedBy: String, createdAt: String
    ) {
        self.id = id; self.applicationId = applicationId; self.fileName = fileName; self.mediaType = mediaType; self.size = size
        self.sha256 = sha256; self.uploadedBy = uploadedBy; self.createdAt = createdAt
    }
}

public protocol AccountabilityRepository: Sendable {
    /// Usage per purpose (grant or subscription id), in one aggregate over the read log.
    func usage(purposeIds: [String]) async throws -> [String: PurposeUsage]
    /// Grants on resources the department provides.
    func grants(providerId: String) async throws -> [Grant]
    /// Grants on one catalog entry that are not revoked.
    func liveGrants(entryId: String) async throws -> [Grant]
    func insert(_ case: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws
    func update(_ case: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws
    func misuseCase(id: String) async throws -> MisuseCase?
    /// Cases the departments reported, hold or supervise; all when nil.
    func misuseCases(departmentIds: [String]?) async throws -> [MisuseCase]
    func setWebhook(_ webhook: DepartmentWebhook?, departmentId: String, audit: AuditRecord) async throws
    func webhook(departmentId: String) async throws -> DepartmentWebhook?
    func deliveries(departmentId: String, limit: Int) async throws -> [NotificationDelivery]
    func dueDeliveries(now: String, limit: Int) async throws -> [(NotificationDelivery, DeliveryTarget)]
    func setMailRecipient(_ address: String?, departmentId: String, actorId: String, audit: AuditRecord) async throws
    func mailRecipient(departmentId: String) async throws -> String?
    func recordAttempt(
        deliveryId: String, status: NotificationDelivery.Status, attempts: Int, nextAttemptAt: String, error: String?,
        deliveredAt: String?) async throws
    func insert(_ attachment: ApplicationAttachment, audit: AuditRecord) async throws
    func attachments(applicationId: String) async throws -> [ApplicationAttachment]
    /// Changes a grant (if still stored as `previous`, as `AccessRepository.update`) and tells its holder, in one
    /// transaction with the audit entry.
    func update(_ grant: Grant, replacing previous: Grant, notifications: [InboxMessage], audit: AuditRecord) async throws
}

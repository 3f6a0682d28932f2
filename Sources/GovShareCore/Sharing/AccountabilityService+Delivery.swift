import Foundation

extension AccountabilityService {
    // MARK: Webhooks

    /// Sets where the department's notifications are posted. The platform makes the signing secret and shows it once.
    public func setWebhook(url: String?, by actor: Principal, origin: RequestOrigin) async throws -> DepartmentWebhook {
        try Policy.manageWebhooks.check(actor)
        var v = Validator()
        v.require(url, field: "url", maxLength: InputLimits.webhookURL)
        if let url, let parsed = URL(string: url) {
            if !["https", "http"].contains(parsed.scheme?.lowercased() ?? "") || parsed.host == nil {
                v.fail("url", "http_url", zh: "url 应为 http(s) 地址", en: "url must be an http(s) address")
            }
        } else if url != nil {
            v.fail("url", "http_url", zh: "url 应为 http(s) 地址", en: "url must be an http(s) address")
        }
        if let url, let refusal = outbound.refusal(for: url) { v.fail("url", "outbound_address", zh: refusal.zh, en: refusal.en) }
        try v.check()
        let secret = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255) })
        let webhook = DepartmentWebhook(departmentId: actor.departmentId, url: url!, secret: secret, createdBy: actor.id, createdAt: now)
        try await repository.setWebhook(
            webhook, departmentId: actor.departmentId,
            audit: AuditRecord(
                actor: actor, action: "webhook.set", objectType: "department",
                objectId: actor.departmentId, after: url, origin: origin))
        return webhook
    }

    public func removeWebhook(by actor: Principal, origin: RequestOrigin) async throws {
        try Policy.manageWebhooks.check(actor)
        try await repository.setWebhook(
            nil, departmentId: actor.departmentId,
            audit: AuditRecord(
                actor: actor, action: "webhook.remove", objectType: "department",
                objectId: actor.departmentId, origin: origin))
    }

    public func webhook(for actor: Principal) async throws -> (DepartmentWebhook?, [NotificationDelivery]) {
        try Policy.manageWebhooks.check(actor)
        return (
            try await repository.webhook(departmentId: actor.departmentId),
            try await repository.deliveries(departmentId: actor.departmentId, limit: 50)
        )
    }

    // MARK: Mail

    /// Sets the mailbox that also receives the department's notifications (needs `smtp_url`).
    public func setMailRecipient(_ address: String?, by actor: Principal, origin: RequestOrigin) async throws -> String {
        try Policy.manageWebhooks.check(actor)
        guard mailEnabled else {
            throw DomainError.conflict(
                code: "smtp_not_configured", zh: "平台未配置邮件服务器（smtp_url），不能设置邮件通知",
                en: "No SMTP relay is configured (smtp_url); mail notifications cannot be set")
        }
        var v = Validator()
        v.require(address, field: "address", maxLength: InputLimits.mailAddress)
        if let address, address.range(of: #"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$"#, options: .regularExpression) == nil {
            v.fail("address", "email", zh: "address 应为邮件地址", en: "address must be a mail address")
        }
        try v.check()
        try await repository.setMailRecipient(
            address!, departmentId: actor.departmentId, actorId: actor.id,
            audit: AuditRecord(
                actor: actor, action: "mail_recipient.set", objectType: "department",
                objectId: actor.departmentId, after: address, origin: origin))
        return address!
    }

    public func removeMailRecipient(by actor: Principal, origin: RequestOrigin) async throws {
        try Policy.manageWebhooks.check(actor)
        try await repository.setMailRecipient(
            nil, departmentId: actor.departmentId, actorId: actor.id,
            audit: AuditRecord(
                actor: actor, action: "mail_recipient.remove", objectType: "department",
                objectId: actor.departmentId, origin: origin))
    }

    public func mailRecipient(for actor: Principal) async throws -> String? {
        try Policy.manageWebhooks.check(actor)
        return try await repository.mailRecipient(departmentId: actor.departmentId)
    }

    // MARK: Attachments

    /// Adds a supporting document to an open application of the actor's department.
    public func attach(
        applicationId: String, fileName: String?, mediaType: String?, bytes: [UInt8], by actor: Principal,
        origin: RequestOrigin
    ) async throws -> ApplicationAttachment {
        guard let a = try await applications.find(id: applicationId), a.applicantDepartmentId == actor.departmentId else {
            throw DomainError.notFound("Application", zh: "共享申请")
        }
        guard a.status.isOpen else {
            throw DomainError.conflict(
                code: "application_decided", zh: "申请已办结，不能再添加附件", en: "The application is decided; no more attachments")
        }
        var v = Validator()
        v.attachment(fileName: fileName, mediaType: mediaType, bytes: bytes.count, maxBytes: maxAttachmentBytes)
        try v.check()
        let stored = try await files.put(bytes)
        let attachment = ApplicationAttachment(
            id: Identifier.make(at: clock.now()), applicationId: a.id, fileName: fileName!,
            mediaType: mediaType ?? "application/octet-stream", size: stored.size,
            sha256: stored.sha256, uploadedBy: actor.id, createdAt: now)
        try await repository.insert(
            attachment,
            audit: AuditRecord(
                actor: actor, action: "application.attach", objectType: "application",
                objectId: a.id, after: AuditJSON.encode(attachment), origin: origin))
        return attachment
    }

    /// The attachment and its bytes, checked against the stored SHA-256 (the file store refuses a mismatch).
    public func attachment(applicationId: String, attachmentId: String, visibleTo a: ShareApplication) async throws -> (
        ApplicationAttachment, [UInt8]
    ) {
        guard let attachment = try await repository.attachments(applicationId: a.id).first(where: { $0.id == attachmentId }) else {
            throw DomainError.notFound("Attachment", zh: "附件")
        }
        return (attachment, try await files.get(sha256: attachment.sha256))
    }

    public func attachments(of a: ShareApplication) async throws -> [ApplicationAttachment] {
        try await repository.attachments(applicationId: a.id)
    }
}

import Foundation

/// Art. 21: who holds what and how much they used, misuse reports to the data authority, where a department's
/// notifications are delivered, and applications' supporting documents.
public struct AccountabilityService: Sendable {
    let repository: any AccountabilityRepository
    let access: any AccessRepository
    let applications: any ApplicationRepository
    let catalog: CatalogService
    let catalogRepository: any CatalogRepository
    let departments: any DepartmentRepository
    let files: any FileStore
    let clock: any WallClock
    let nodeId: String
    /// Attachments larger than this are refused.
    public let maxAttachmentBytes: Int
    /// Whether an SMTP relay is configured; without one no mail recipient can be set.
    public let mailEnabled: Bool
    let outbound: OutboundPolicy

    public init(
        repository: any AccountabilityRepository, access: any AccessRepository, applications: any ApplicationRepository,
        catalog: CatalogService, catalogRepository: any CatalogRepository, departments: any DepartmentRepository,
        files: any FileStore, clock: any WallClock, nodeId: String, mailEnabled: Bool = false, maxAttachmentBytes: Int = 10 << 20,
        outbound: OutboundPolicy = OutboundPolicy()
    ) {
        self.outbound = outbound
        self.repository = repository; self.access = access; self.applications = applications; self.catalog = catalog
        self.catalogRepository = catalogRepository; self.departments = departments; self.files = files; self.clock = clock
        self.nodeId = nodeId; self.mailEnabled = mailEnabled; self.maxAttachmentBytes = maxAttachmentBytes
    }

    var now: String { Timestamp.format(clock.now()) }

    // MARK: Misuse (Art. 21)

    /// The provider reports that a holder used its data beyond the grant; the case goes to the data authority that
    /// reviews the provider, and the holder is told.
    public func reportMisuse(grantId: String, description: String?, by actor: Principal, origin: RequestOrigin) async throws -> MisuseCase {
        try Policy.reportMisuse.check(actor)
        guard let g = try await access.grant(id: grantId), let entry = try await catalogRepository.entry(id: g.entryId),
            entry.providerId == actor.departmentId
        else {
            throw DomainError.notFound("Grant", zh: "授权")
        }
        var v = Validator()
        v.require(description, field: "description", maxLength: InputLimits.misuseText)
        try v.check()
        guard let provider = try await departments.find(id: entry.providerId),
            let authority = try await catalog.reviewingAuthority(for: provider)
        else {
            throw DomainError(
                .unavailable, code: "no_authority",
                message: LocalizedText(zh: "未找到负责的政务数据主管部门", en: "No data authority supervises this provider"))
        }
        let c = MisuseCase(
            id: Identifier.make(at: clock.now()), grantId: g.id, reporterDepartmentId: actor.departmentId,
            holderDepartmentId: g.departmentId, authorityId: authority.id, description: description!, status: .open,
            resolution: nil, reportedBy: actor.id, createdAt: now, closedAt: nil, closedBy: nil, nodeId: nodeId)
        let notices = [
            notice(
                authority.id, "misuse.reported", c,
                LocalizedText(zh: "收到数据滥用报告（目录 \(entry.code)），请处理", en: "Misuse reported on \(entry.code); please handle it")),
            notice(
                g.departmentId, "misuse.reported", c,
                LocalizedText(
                    zh: "提供部门报告本部门对目录 \(entry.code) 的使用超出授权", en: "The provider reported your use of \(entry.code) as beyond the grant")),
        ]
        try await repository.insert(
            c, notifications: notices,
            audit: AuditRecord(
                actor: actor, action: "misuse.report", objectType: "misuse_case",
                objectId: c.id, after: AuditJSON.encode(c), origin: origin))
        return c
    }

    /// The data authority closes a case with its finding; suspending or revoking the grant is a separate, audited step.
    public func closeMisuse(id: String, resolution: String?, by actor: Principal, origin: RequestOrigin) async throws -> MisuseCase {
        guard var c = try await repository.misuseCase(id: id) else { throw DomainError.notFound("Misuse case", zh: "滥用报告") }
        // The authority decides about others' use of data, not its own: a case against the authority's own department
        // is closed by a platform administrator.
        guard mayClose(c, by: actor) else {
            if isAuthority(actor, of: c) {
                throw DomainError(
                    .forbidden, code: "own_department",
                    message: LocalizedText(
                        zh: "针对本部门的滥用报告由平台管理员办结", en: "A case against your own department is closed by a platform administrator"))
            }
            throw DomainError.notFound("Misuse case", zh: "滥用报告")
        }
        guard c.status == .open else { throw DomainError.conflict(code: "case_closed", zh: "该报告已办结", en: "The case is already closed") }
        var v = Validator()
        v.require(resolution, field: "resolution", maxLength: InputLimits.misuseText)
        try v.check()
        let before = AuditJSON.encode(c)
        c.status = .closed; c.resolution = resolution; c.closedAt = now; c.closedBy = actor.id
        let message = LocalizedText(zh: "数据滥用报告已办结：\(resolution!)", en: "Misuse case closed: \(resolution!)")
        try await repository.update(
            c,
            notifications: [
                notice(c.reporterDepartmentId, "misuse.closed", c, message),
                notice(c.holderDepartmentId, "misuse.closed", c, message),
            ],
            audit: AuditRecord(
                actor: actor, action: "misuse.close", objectType: "misuse_case", objectId: c.id,
                before: before, after: AuditJSON.encode(c), origin: origin))
        return c
    }

    /// The cases the actor's department reported, is the subject of, or supervises; auditors and admins see all.
    public func misuseCases(for actor: Principal) async throws -> [MisuseCase] {
        let all = Policy.readAllMisuseCases.allows(actor)
        return try await repository.misuseCases(departmentIds: all ? nil : [actor.departmentId])
    }

    /// The authority decides about others' use of data, not its own: a case against the authority's own department
    /// is closed by a platform administrator (`misuse.close`).
    public func mayClose(_ c: MisuseCase, by actor: Principal) -> Bool {
        guard Policy.closeMisuseCases.allows(actor) else { return false }
        let againstAuthority = c.holderDepartmentId == c.authorityId
        return isAuthority(actor, of: c) && !againstAuthority || againstAuthority && actor.roles.contains(.platformAdmin)
    }

    /// A reviewer of the data authority the case went to.
    func isAuthority(_ actor: Principal, of c: MisuseCase) -> Bool {
        actor.departmentId == c.authorityId && actor.roles.contains(.authorityReviewer)
    }

    func notice(_ departmentId: String, _ kind: String, _ c: MisuseCase, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "misuse_case",
            subjectId: c.id, message: message, createdAt: now)
    }
}

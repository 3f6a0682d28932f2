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

    public init(repository: any AccountabilityRepository, access: any AccessRepository, applications: any ApplicationRepository,
                catalog: CatalogService, catalogRepository: any CatalogRepository, departments: any DepartmentRepository,
                files: any FileStore, clock: any WallClock, nodeId: String, mailEnabled: Bool = false, maxAttachmentBytes: Int = 10 << 20,
                outbound: OutboundPolicy = OutboundPolicy()) {
        self.outbound = outbound
        self.repository = repository; self.access = access; self.applications = applications; self.catalog = catalog
        self.catalogRepository = catalogRepository; self.departments = departments; self.files = files; self.clock = clock
        self.nodeId = nodeId; self.mailEnabled = mailEnabled; self.maxAttachmentBytes = maxAttachmentBytes
    }

    var now: String { Timestamp.format(clock.now()) }

    public struct GrantView: Sendable {
        public var grant: Grant
        public var usage: PurposeUsage
        public var entryCode: String
        public var providerId: String
    }

    public struct GrantOverview: Sendable {
        public var held: [GrantView], provided: [GrantView]
        /// The grants the actor manages: on resources of the departments its authority reviews (an authority
        /// reviewer), every grant (an administrator); empty for others.
        public var supervised: [GrantView]
    }

    /// The grants the actor's department holds and those on resources it provides, each with its usage, counted in
    /// one aggregate over the read log.
    public func grants(for actor: Principal) async throws -> GrantOverview {
        let held = try await access.grants(departmentId: actor.departmentId)
        let provided = try await repository.grants(providerId: actor.departmentId)
        var entries: [String: CatalogEntry] = [:]
        let supervised = try await managed(by: actor, entries: &entries)
        let usage = try await repository.usage(purposeIds: Array(Set((held + provided + supervised).map(\.id))))
        func views(_ grants: [Grant]) async throws -> [GrantView] {
            var result: [GrantView] = []
            for g in grants {
                if entries[g.entryId] == nil { entries[g.entryId] = try await catalogRepository.entry(id: g.entryId) }
                result.append(GrantView(grant: g, usage: usage[g.id] ?? PurposeUsage(), entryCode: entries[g.entryId]?.code ?? "",
                                        providerId: entries[g.entryId]?.providerId ?? ""))
            }
            return result
        }
        return GrantOverview(held: try await views(held), provided: try await views(provided), supervised: try await views(supervised))
    }

    /// `GET /grants`: the grants the actor's department holds, and those it manages (`GrantOverview.supervised`).
    public func visibleGrants(for actor: Principal) async throws -> [Grant] {
        var entries: [String: CatalogEntry] = [:]
        let managed = Set(try await managed(by: actor, entries: &entries).map(\.id))
        if managed.isEmpty { return try await access.grants(departmentId: actor.departmentId) }
        return try await access.grants(departmentId: nil).filter { $0.departmentId == actor.departmentId || managed.contains($0.id) }
    }

    /// Grants a grant manager answers for: a data authority's reviewer those on the resources of the departments its
    /// authority reviews (the same rule as managing them), an administrator all; a city's reviewer sees nothing of the
    /// province's grants. `entries` caches the entries looked up.
    func managed(by actor: Principal, entries: inout [String: CatalogEntry]) async throws -> [Grant] {
        guard Policy.manageGrants.allows(actor) else { return [] }
        let scope = try await departments.oversight(of: actor)
        guard scope != .none else { return [] }
        var result: [Grant] = []
        for g in try await access.grants(departmentId: nil) {
            if entries[g.entryId] == nil { entries[g.entryId] = try await catalogRepository.entry(id: g.entryId) }
            if let providerId = entries[g.entryId]?.providerId, scope.contains(providerId) { result.append(g) }
        }
        return result
    }

    /// The holder, the provider and the grant's managers (the authority over its provider, administrators) may see a
    /// grant's usage; others learn nothing of it.
    public func usage(grantId: String, for actor: Principal) async throws -> (Grant, PurposeUsage) {
        guard let g = try await access.grant(id: grantId) else { throw DomainError.notFound("Grant", zh: "授权") }
        let providerId = try await catalogRepository.entry(id: g.entryId)?.providerId ?? ""
        let scope = Policy.manageGrants.allows(actor) ? try await departments.oversight(of: actor) : .none
        let manages = scope.contains(providerId)
        guard actor.departmentId == g.departmentId || actor.departmentId == providerId || manages else {
            throw DomainError.notFound("Grant", zh: "授权")
        }
        return (g, try await repository.usage(purposeIds: [g.id])[g.id] ?? PurposeUsage())
    }

    // MARK: Misuse (Art. 21)

    /// The provider reports that a holder used its data beyond the grant; the case goes to the data authority that
    /// reviews the provider, and the holder is told.
    public func reportMisuse(grantId: String, description: String?, by actor: Principal, origin: RequestOrigin) async throws -> MisuseCase {
        try Policy.reportMisuse.check(actor)
        guard let g = try await access.grant(id: grantId), let entry = try await catalogRepository.entry(id: g.entryId),
              entry.providerId == actor.departmentId else {
            throw DomainError.notFound("Grant", zh: "授权")
        }
        var v = Validator()
        v.require(description, field: "description", maxLength: InputLimits.misuseText)
        try v.check()
        guard let provider = try await departments.find(id: entry.providerId),
              let authority = try await catalog.reviewingAuthority(for: provider) else {
            throw DomainError(.unavailable, code: "no_authority", message: LocalizedText(zh: "未找到负责的政务数据主管部门", en: "No data authority supervises this provider"))
        }
        let c = MisuseCase(id: Identifier.make(at: clock.now()), grantId: g.id, reporterDepartmentId: actor.departmentId,
                           holderDepartmentId: g.departmentId, authorityId: authority.id, description: description!, status: .open,
                           resolution: nil, reportedBy: actor.id, createdAt: now, closedAt: nil, closedBy: nil, nodeId: nodeId)
        let notices = [
            notice(authority.id, "misuse.reported", c, LocalizedText(zh: "收到数据滥用报告（目录 \(entry.code)），请处理", en: "Misuse reported on \(entry.code); please handle it")),
            notice(g.departmentId, "misuse.reported", c, LocalizedText(zh: "提供部门报告本部门对目录 \(entry.code) 的使用超出授权", en: "The provider reported your use of \(entry.code) as beyond the grant")),
        ]
        try await repository.insert(c, notifications: notices, audit: AuditRecord(actor: actor, action: "misuse.report", objectType: "misuse_case",
                                                                                  objectId: c.id, after: AuditJSON.encode(c), origin: origin))
        return c
    }

    /// The data authority closes a case with its finding; suspending or revoking the grant is a separate, audited step.
    public func closeMisuse(id: String, resolution: String?, by actor: Principal, origin: RequestOrigin) async throws -> MisuseCase {
        guard var c = try await repository.misuseCase(id: id) else { throw DomainError.notFound("Misuse case", zh: "滥用报告") }
        // The authority decides about others' use of data, not its own: a case against the authority's own department
        // is closed by a platform administrator.
        let isAuthority = actor.departmentId == c.authorityId && actor.roles.contains(.authorityReviewer)
        let againstAuthority = c.holderDepartmentId == c.authorityId
        guard isAuthority && !againstAuthority || againstAuthority && actor.roles.contains(.platformAdmin) else {
            if isAuthority {
                throw DomainError(.forbidden, code: "own_department", message: LocalizedText(
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
        try await repository.update(c, notifications: [notice(c.reporterDepartmentId, "misuse.closed", c, message),
                                                       notice(c.holderDepartmentId, "misuse.closed", c, message)],
                                    audit: AuditRecord(actor: actor, action: "misuse.close", objectType: "misuse_case", objectId: c.id,
                                                       before: before, after: AuditJSON.encode(c), origin: origin))
        return c
    }

    /// The cases the actor's department reported, is the subject of, or supervises; auditors and admins see all.
    public func misuseCases(for actor: Principal) async throws -> [MisuseCase] {
        let all = actor.roles.contains(.platformAdmin) || actor.roles.contains(.securityAuditor)
        return try await repository.misuseCases(departmentIds: all ? nil : [actor.departmentId])
    }

    func notice(_ departmentId: String, _ kind: String, _ c: MisuseCase, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "misuse_case",
                     subjectId: c.id, message: message, createdAt: now)
    }
}

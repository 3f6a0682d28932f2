import Foundation

/// Compiling, reviewing, publishing and withdrawing catalog entries (Art. 8–11, 17–18).
public struct CatalogService: Sendable {
    let repository: any CatalogRepository
    let departments: any DepartmentRepository
    private(set) var clock: any WallClock
    let nodeId: String
    /// Keeps grants within what a newly published version (or a withdrawal) still shares.
    let grants: GrantReconciler?
    /// The free-text elements a submitted entry must fill in (`rules.catalogRequiredFields`, Art. 8).
    public let requiredFields: [String]
    /// What a conditional or not-shared element may cite as its legal basis (Art. 18).
    let legalBasis: LegalBasisService
    /// The authoritative sources conflicts between providers named for items (Art. 13), shown with the entry.
    let sources: (any AuthoritativeSourceReader)?

    public init(
        repository: any CatalogRepository, departments: any DepartmentRepository, clock: any WallClock, nodeId: String,
        legalBasis: LegalBasisService, grants: GrantReconciler? = nil, requiredFields: [String] = RegulationRules().catalogRequiredFields,
        sources: (any AuthoritativeSourceReader)? = nil
    ) {
        self.repository = repository; self.departments = departments; self.clock = clock; self.nodeId = nodeId; self.grants = grants
        self.requiredFields = requiredFields; self.legalBasis = legalBasis; self.sources = sources
    }

    var now: String { Timestamp.format(clock.now()) }

    /// The same service on another clock (the demo seeder files its catalog weeks before the rest of its records).
    public func on(clock: any WallClock) -> CatalogService {
        var service = self
        service.clock = clock
        return service
    }

    // MARK: Lifecycle

    public func createDraft(
        _ content: CatalogContent, providerCode: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> (CatalogEntry, CatalogVersion) {
        let provider = try await authorizeCreate(providerCode: providerCode, by: actor)
        try CatalogRules.checkDraft(content)
        try await checkCoBuilders(content, providerId: provider.id)
        let id = Identifier.make(at: clock.now())
        let entry = CatalogEntry(
            id: id, code: "", kind: content.catalogKind!, providerId: provider.id, latestVersion: 1,
            publishedVersion: nil, status: .draft, nodeId: nodeId, createdAt: now, updatedAt: now)
        let version = CatalogVersion(entryId: id, version: 1, status: .draft, content: content, createdBy: actor.id, createdAt: now)
        let created = try await repository.create(
            entry, version: version, classificationCode: content.classificationCode!,
            audit: AuditRecord(
                actor: actor, action: "catalog.create", objectType: "catalog_entry",
                objectId: id, after: AuditJSON.encode(content), origin: origin))
        return (created, version)
    }

    /// Replaces the working draft; editing a published (or withdrawn) entry starts the next version.
    public func updateDraft(
        entryId: String, content: CatalogContent, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> (CatalogEntry, CatalogVersion) {
        var (entry, latest) = try await load(entryId)
        let owner = try await requireEditor(actor, entry: entry, stored: latest.content)
        try CatalogRules.checkDraft(content)
        guard content.catalogKind == entry.kind else {
            throw DomainError.invalid(field: "kind", rule: "immutable", zh: "目录类型不能修改", en: "The kind of an entry cannot change")
        }
        if !owner { try Self.requireSameCoBuilders(content, as: latest.content) }
        try await checkCoBuilders(content, providerId: entry.providerId)
        var version = latest
        switch latest.status {
        case .draft, .returned:
            version.content = content
            version.status = .draft
        case .published, .withdrawn:
            version = CatalogVersion(
                entryId: entry.id, version: latest.version + 1, status: .draft, content: content,
                createdBy: actor.id, createdAt: now)
            entry.latestVersion = version.version
        case .submitted:
            throw DomainError.conflict(code: "under_review", zh: "该目录正在审核中，不能修改", en: "The entry is under review and cannot be edited")
        }
        entry.status = .draft
        entry.updatedAt = now
        try await repository.save(
            entry, version: version, index: .none, closeObligationsOf: nil,
            audit: AuditRecord(
                actor: actor, action: "catalog.edit", objectType: "catalog_entry", objectId: entry.id,
                before: AuditJSON.encode(latest.content), after: AuditJSON.encode(content), detail: "version \(version.version)",
                origin: origin))
        return (entry, version)
    }

    public func submit(entryId: String, by actor: Principal, origin: RequestOrigin) async throws -> (CatalogEntry, CatalogVersion) {
        var (entry, version) = try await load(entryId)
        try requireOwner(actor, providerId: entry.providerId)  // co-builders edit; the lead department submits
        guard version.status == .draft || version.status == .returned else {
            throw DomainError.conflict(code: "not_a_draft", zh: "只有草稿或已退回的目录可以提交", en: "Only a draft or returned entry can be submitted")
        }
        guard let provider = try await departments.find(id: entry.providerId) else { throw DomainError.notFound("Provider", zh: "提供方") }
        try await checkForSubmission(version.content, provider: provider, register: try await legalBasis.register())
        version.status = .submitted
        version.submittedAt = now
        entry.status = .submitted
        entry.updatedAt = now
        try await repository.save(
            entry, version: version, index: .none, closeObligationsOf: nil,
            audit: AuditRecord(
                actor: actor, action: "catalog.submit", objectType: "catalog_entry", objectId: entry.id,
                detail: "version \(version.version)", origin: origin))
        return (entry, version)
    }

    public enum Decision: String, Sendable { case publish, `return` }

    public func review(
        entryId: String, decision: Decision, reason: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> (CatalogEntry, CatalogVersion) {
        var (entry, version) = try await load(entryId)
        guard let provider = try await departments.find(id: entry.providerId) else { throw DomainError.notFound("Provider", zh: "提供方") }
        try await requireReviewer(actor, provider: provider)
        guard version.status == .submitted else {
            throw DomainError.conflict(code: "not_submitted", zh: "该目录不在待审核状态", en: "The entry is not awaiting review")
        }
        // Separation of duties: the person who wrote a version does not publish it.
        if decision == .publish, version.createdBy == actor.id, actor.kind != .system {
            throw DomainError(
                .forbidden, code: "own_entry",
                message: LocalizedText(
                    zh: "不能审核发布本人编制的目录", en: "You cannot publish a catalog version you wrote"))
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        version.reviewedBy = actor.id
        version.reviewReason = reason
        var index: CatalogDocument?? = .none
        switch decision {
        case .return:
            guard let reason, !reason.isEmpty else {
                throw DomainError.invalid(field: "reason", rule: "required", zh: "退回须说明理由", en: "A return needs a reason")
            }
            version.status = .returned
            entry.status = .returned
        case .publish:
            try await checkForSubmission(version.content, provider: provider, register: try await legalBasis.register())
            version.status = .published
            version.publishedAt = now
            entry.status = .published
            entry.publishedVersion = version.version
            index = .some(document(entry: entry, version: version, provider: provider))
        }
        entry.updatedAt = now
        try await repository.save(
            entry, version: version, index: index,
            closeObligationsOf: decision == .publish ? entry.providerId : nil,
            audit: AuditRecord(
                actor: actor, action: "catalog.\(decision.rawValue)", objectType: "catalog_entry",
                objectId: entry.id, detail: "version \(version.version)" + (reason.map { "; \($0)" } ?? ""),
                origin: origin))
        if decision == .publish { try await grants?.reconcile(entry: entry, content: version.content, by: actor, origin: origin) }
        return (entry, version)
    }

    /// Returns the entry with its latest version (a draft of the next version, if one is being written).
    public func withdraw(
        entryId: String, reason: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> (CatalogEntry, CatalogVersion) {
        var (entry, latest) = try await load(entryId)
        guard let provider = try await departments.find(id: entry.providerId) else { throw DomainError.notFound("Provider", zh: "提供方") }
        try await requireReviewer(actor, provider: provider)
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw DomainError.invalid(field: "reason", rule: "required", zh: "下架须说明理由", en: "A withdrawal needs a reason")
        }
        guard let publishedNumber = entry.publishedVersion,
            var published = try await repository.version(entryId: entry.id, version: publishedNumber),
            entry.isPublished
        else {
            throw DomainError.conflict(code: "not_published", zh: "只有已发布的目录可以下架", en: "Only a published entry can be withdrawn")
        }
        published.status = .withdrawn
        published.reviewReason = reason
        entry.status = .withdrawn
        entry.publishedVersion = nil
        entry.updatedAt = now
        try await repository.save(
            entry, version: published, index: .some(nil), closeObligationsOf: nil,
            audit: AuditRecord(
                actor: actor, action: "catalog.withdraw", objectType: "catalog_entry", objectId: entry.id, detail: reason, origin: origin))
        try await grants?.reconcile(entry: entry, content: nil, by: actor, origin: origin)
        return (entry, latest.version == published.version ? published : latest)
    }

    // MARK: Helpers

    func load(_ entryId: String) async throws -> (CatalogEntry, CatalogVersion) {
        guard let entry = try await repository.entry(id: entryId),
            let latest = try await repository.version(entryId: entryId, version: entry.latestVersion)
        else {
            throw DomainError.notFound("Catalog entry", zh: "目录")
        }
        try entry.requireLocal()  // every change goes through here; a copy changes only by its home node's messages
        return (entry, latest)
    }

    func provider(code: String?, actor: Principal) async throws -> Department {
        if let code, !code.isEmpty {
            var v = Validator()
            v.limit(code, field: "provider_code", maxLength: CatalogLimits.departmentCode)
            try v.check()
            guard let department = try await departments.find(code: code) else {
                throw DomainError.invalid(
                    field: "provider_code", rule: "exists", zh: "提供方代码 \(code) 不存在", en: "No department has code \(code)")
            }
            return department
        }
        guard let department = try await departments.find(id: actor.departmentId) else {
            throw DomainError.invalid(field: "provider_code", rule: "required", zh: "请指定提供方", en: "provider_code is required")
        }
        return department
    }

    public func document(entry: CatalogEntry, version: CatalogVersion, provider: Department) -> CatalogDocument {
        CatalogDocument.make(entry: entry, version: version, provider: provider, publishedAt: now)
    }
}

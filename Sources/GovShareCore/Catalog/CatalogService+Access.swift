import Foundation

/// Who may do what with an entry (Art. 9, 10). An entry belongs to its provider, for a thematic entry the lead
/// department: only the provider's catalogers file it, submit it and name its co-builders. Co-builders are the
/// departments the provider named in the stored entry; their catalogers may edit the content, never the list of
/// co-builders, so nobody can file an entry in another department's name or make itself a co-builder by writing its own
/// code into `co_builder_codes`.
extension CatalogService {
    /// Who may file an entry for `providerCode` (the caller's own department when absent): asked before the body is
    /// looked at, so a caller who may not file learns nothing from validation. Returns the provider.
    public func authorizeCreate(providerCode: String?, by actor: Principal) async throws -> Department {
        try Policy.editCatalog.check(actor)
        let provider = try await provider(code: providerCode, actor: actor)
        try requireOwner(actor, providerId: provider.id)
        return provider
    }

    /// Whether the actor may edit the entry (see `requireEditor`), before its new content is looked at.
    public func authorizeEdit(entryId: String, by actor: Principal) async throws {
        let (entry, latest) = try await load(entryId)
        try await requireEditor(actor, entry: entry, stored: latest.content)
    }

    /// Whether the actor reviews the entry's provider, before the decision is looked at.
    public func authorizeReview(entryId: String, by actor: Principal) async throws {
        let (entry, _) = try await load(entryId)
        guard let provider = try await departments.find(id: entry.providerId) else { throw DomainError.notFound("Provider", zh: "提供方") }
        try await requireReviewer(actor, provider: provider)
    }

    /// The provider's catalogers (or the platform itself, e.g. the demo seeder).
    func requireOwner(_ actor: Principal, providerId: String) throws {
        guard actor.kind == .system || (Policy.editCatalog.allows(actor) && actor.departmentId == providerId) else {
            throw DomainError(
                .forbidden, code: "not_provider_cataloger",
                message: LocalizedText(
                    zh: "只有提供（牵头）部门的编目人员可以为其编制、提交目录", en: "Only the providing (lead) department's catalogers file and submit its entries"))
        }
    }

    /// The provider's catalogers and, for a thematic entry, the catalogers of the co-builders named in `stored` (the
    /// entry as it is now, never the content being saved). Returns whether the actor acts as the owner.
    @discardableResult
    func requireEditor(_ actor: Principal, entry: CatalogEntry, stored: CatalogContent) async throws -> Bool {
        if actor.kind == .system || (Policy.editCatalog.allows(actor) && actor.departmentId == entry.providerId) { return true }
        guard Policy.editCatalog.allows(actor), try await isCoBuilder(actor, entry: entry, content: stored) else {
            throw DomainError.forbidden(policy: Policy.editCatalog)
        }
        return false
    }

    func isCoBuilder(_ actor: Principal, entry: CatalogEntry, content: CatalogContent) async throws -> Bool {
        guard entry.kind == .thematic, let codes = content.coBuilderCodes, !codes.isEmpty,
            let department = try await departments.find(id: actor.departmentId)
        else { return false }
        return codes.contains(department.code)
    }

    /// A co-builder saves the content with the co-builders as they are: adding, removing or reordering them is the
    /// lead department's decision.
    static func requireSameCoBuilders(_ content: CatalogContent, as stored: CatalogContent) throws {
        guard (content.coBuilderCodes ?? []) == (stored.coBuilderCodes ?? []) else {
            throw DomainError(
                .forbidden, code: "co_builders_by_provider",
                message: LocalizedText(
                    zh: "共建部门只能由牵头（提供）部门调整", en: "Only the lead (providing) department changes the co-builders"))
        }
    }

    /// Co-builders exist, are named once, are not the provider itself, and only thematic entries have them (Art. 10).
    /// Called after `CatalogRules.checkDraft`, which caps their number and length.
    func checkCoBuilders(_ content: CatalogContent, providerId: String) async throws {
        guard let codes = content.coBuilderCodes, !codes.isEmpty else { return }
        var v = Validator()
        guard content.catalogKind == .thematic else {
            v.fail("co_builder_codes", "thematic_only", zh: "只有主题目录有共建部门（第十条）", en: "Only thematic entries have co-builders (Art. 10)")
            return try v.check()
        }
        var seen = Set<String>()
        for (index, code) in codes.enumerated() {
            let field = "co_builder_codes[\(index)]"
            guard seen.insert(code).inserted else {
                v.fail(field, "unique", zh: "共建部门 \(code) 重复", en: "Co-builder \(code) is named twice")
                continue
            }
            guard let department = try await departments.find(code: code) else {
                v.fail(field, "exists", zh: "部门代码 \(code) 不存在", en: "No department has code \(code)")
                continue
            }
            if department.id == providerId {
                v.fail(field, "not_provider", zh: "提供部门本身不是共建部门", en: "The provider is not its own co-builder")
            }
        }
        try v.check()
    }

    /// The data authority that reviews a provider's catalog: the province's for provincial bodies, the city's for its city,
    /// a county's own authority for its county (else the city's); see `Oversight`.
    public func reviewingAuthority(for provider: Department) async throws -> Department? {
        try await departments.reviewingAuthority(for: provider)
    }

    public func requireReviewer(_ actor: Principal, provider: Department) async throws {
        if actor.kind == .system { return }
        let authority = try await reviewingAuthority(for: provider)
        guard Policy.reviewCatalog.allows(actor), authority?.id == actor.departmentId else {
            throw DomainError.forbidden(policy: Policy.reviewCatalog)
        }
    }

    /// Drafts are seen by the provider, co-builders, the reviewing authority and administrators; published by everyone
    /// signed in.
    public func canSeeDrafts(_ actor: Principal, entry: CatalogEntry, content: CatalogContent) async throws -> Bool {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) || actor.departmentId == entry.providerId { return true }
        if try await isCoBuilder(actor, entry: entry, content: content) { return true }
        guard let provider = try await departments.find(id: entry.providerId) else { return false }
        return try await reviewingAuthority(for: provider)?.id == actor.departmentId
    }
}

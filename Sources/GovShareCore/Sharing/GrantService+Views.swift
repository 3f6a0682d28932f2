import Foundation

/// Art. 21: who holds which grant and how much they used it, as the holder, the provider and the grant's managers
/// see it, and what the viewer may do with each.
extension GrantService {
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

    /// What the viewer may do with a grant now (the portal offers only these; the actions check again).
    public struct Permissions: Sendable, Equatable {
        /// Suspend, resume, renew or revoke it.
        public var manage: Bool
        /// Confirm or refuse it as the second person.
        public var confirm: Bool
        /// Consent to (or refuse) clear access to the provider's graded items.
        public var consent: Bool
    }

    /// The grants the actor's department holds and those on resources it provides, each with its usage, counted in
    /// one aggregate over the read log.
    public func overview(for actor: Principal) async throws -> GrantOverview {
        let held = try await access.grants(departmentId: actor.departmentId)
        let provided = try await accountability.grants(providerId: actor.departmentId)
        var entries: [String: CatalogEntry] = [:]
        let supervised = try await managed(by: actor, entries: &entries)
        let usage = try await accountability.usage(purposeIds: Array(Set((held + provided + supervised).map(\.id))))
        func views(_ grants: [Grant]) async throws -> [GrantView] {
            var result: [GrantView] = []
            for g in grants {
                if entries[g.entryId] == nil { entries[g.entryId] = try await catalog.entry(id: g.entryId) }
                result.append(
                    GrantView(
                        grant: g, usage: usage[g.id] ?? PurposeUsage(), entryCode: entries[g.entryId]?.code ?? "",
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
            if entries[g.entryId] == nil { entries[g.entryId] = try await catalog.entry(id: g.entryId) }
            if let providerId = entries[g.entryId]?.providerId, scope.contains(providerId) { result.append(g) }
        }
        return result
    }

    /// The holder, the provider and the grant's managers (the authority over its provider, administrators) may see a
    /// grant's usage; others learn nothing of it.
    public func usage(grantId: String, for actor: Principal) async throws -> (Grant, PurposeUsage) {
        guard let g = try await access.grant(id: grantId) else { throw DomainError.notFound("Grant", zh: "授权") }
        let providerId = try await catalog.entry(id: g.entryId)?.providerId ?? ""
        let scope = Policy.manageGrants.allows(actor) ? try await departments.oversight(of: actor) : .none
        let manages = scope.contains(providerId)
        guard actor.departmentId == g.departmentId || actor.departmentId == providerId || manages else {
            throw DomainError.notFound("Grant", zh: "授权")
        }
        return (g, try await accountability.usage(purposeIds: [g.id])[g.id] ?? PurposeUsage())
    }

    /// What the viewer may do with `g`: managers act on grants in force; a second manager, not the proposer, confirms
    /// a proposed one; the provider's reviewer, neither proposer nor confirmer, consents to clear graded items.
    public func permissions(on g: Grant, for actor: Principal) -> Permissions {
        let manage = Policy.manageGrants.allows(actor)
        return Permissions(
            manage: manage && g.status != .revoked && g.status != .proposed,
            confirm: manage && g.status == .proposed && g.approvedBy == nil && g.createdBy != actor.id,
            consent: g.status == .proposed && g.providerConsent == .pending && Policy.consentToGrants.allows(actor)
                && g.createdBy != actor.id && g.approvedBy != actor.id)
    }
}

import Foundation

/// Nobody decides their own cause. A data authority decides cases over the departments it oversees — it approves
/// destructions, rules on disputed objections, orders and accepts corrections, arbitrates conflicts — and it oversees
/// its own department too. When that department is a party, its reviewers would decide for themselves, so the case is
/// decided by the authority's platform administrators instead (`Policy.decideAuthorityOwnCases`), who decide no other
/// case: the separation `AccountabilityService.mayClose` draws for misuse reports against the authority (review
/// finding).
public enum Impartiality {
    /// The first check of a deciding action: the action's policy, or the administrators of the authority's own cases.
    public static func checkEntry(_ actor: Principal, _ policy: Policy) throws {
        guard policy.allows(actor) || Policy.decideAuthorityOwnCases.allows(actor) else { throw DomainError.forbidden(policy: policy) }
    }

    /// Whether `actor`, acting for the authority over the case, may decide a case between `parties` (department ids)
    /// under `policy`. The scheduler's system principal is nobody's party.
    public static func mayDecide(_ actor: Principal, parties: [String], policy: Policy) -> Bool {
        if actor.kind == .system { return true }
        return parties.contains(actor.departmentId) ? Policy.decideAuthorityOwnCases.allows(actor) : policy.allows(actor)
    }

    /// Throws unless `mayDecide`: 403 `authority_is_party` when the actor's department is a party, else the policy's
    /// refusal.
    public static func check(_ actor: Principal, parties: [String], policy: Policy) throws {
        guard !mayDecide(actor, parties: parties, policy: policy) else { return }
        guard parties.contains(actor.departmentId) else { throw DomainError.forbidden(policy: policy) }
        throw DomainError(
            .forbidden, code: "authority_is_party",
            message: LocalizedText(
                zh: "本事项的一方是主管部门本部门，须由平台管理员决定，主管部门审核人员不能自行决定",
                en: "The authority's own department is a party: a platform administrator decides this, not the authority's reviewers"))
    }
}

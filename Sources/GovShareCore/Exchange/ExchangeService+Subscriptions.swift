import Foundation

/// Self-service subscriptions (Art. 16, 19): a department takes unconditionally shared items of a published entry for
/// a stated purpose, and reads under it until it revokes.
extension ExchangeService {
    public func subscribe(
        code: String, items: [String], purpose: String?, business: String? = nil, users: [String] = [],
        by actor: Principal, origin: RequestOrigin
    ) async throws -> Subscription {
        try Policy.readData.check(actor)
        let (entry, content) = try await publishedEntry(code: code)
        var v = Validator()
        v.require(purpose, field: "purpose", maxLength: 500)
        v.limit(business, field: "business", maxLength: 500)
        v.limit(users, field: "users", maxCount: InputLimits.users, maxLength: InputLimits.userName)
        v.limit(items, field: "items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        if items.isEmpty { v.fail("items", "required", zh: "请选择要订阅的信息项", en: "Choose the items to subscribe to") }
        let all = content.items ?? []
        for code in items {
            guard let item = all.first(where: { $0.code == code }) else {
                v.fail("items.\(code)", "unknown_item", zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")
                continue
            }
            if item.shareType != ShareType.unconditional.rawValue {
                v.fail(
                    "items.\(code)", "not_unconditional", zh: "信息项「\(item.name ?? code)」不是无条件共享，须提出共享申请",
                    en: "Item '\(item.name ?? code)' is not unconditional; apply for it instead")
            }
        }
        try v.check()
        let s = Subscription(
            id: Identifier.make(at: clock.now()), departmentId: actor.departmentId, entryId: entry.id,
            items: items, purpose: purpose!.trimmingCharacters(in: .whitespacesAndNewlines), createdBy: actor.id,
            createdAt: now, revokedAt: nil, nodeId: nodeId,
            business: business.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
            users: users.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        try await access.insert(
            s,
            audit: AuditRecord(
                actor: actor, action: "subscription.create", objectType: "subscription",
                objectId: s.id, after: AuditJSON.encode(s), origin: origin))
        return s
    }

    public func revokeSubscription(id: String, by actor: Principal, origin: RequestOrigin) async throws -> Subscription {
        guard var s = try await access.subscription(id: id), s.departmentId == actor.departmentId || actor.roles.contains(.platformAdmin)
        else {
            throw DomainError.notFound("Subscription", zh: "订阅")
        }
        guard s.isActive else { return s }
        let before = AuditJSON.encode(s)
        s.revokedAt = now
        try await access.update(
            s,
            audit: AuditRecord(
                actor: actor, action: "subscription.revoke", objectType: "subscription",
                objectId: s.id, before: before, after: AuditJSON.encode(s), origin: origin))
        return s
    }

    /// The subscriptions the actor's department holds, revoked ones included (the API list; the purposes it may read
    /// under are `readPurposes`).
    public func subscriptions(of actor: Principal) async throws -> [Subscription] {
        try await access.subscriptions(departmentId: actor.departmentId)
    }
}

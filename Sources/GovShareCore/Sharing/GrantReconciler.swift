import Foundation

/// Art. 16/19 after a catalog change: a grant never covers more than the published entry shares. When a new version
/// removes an item or makes it not shared, or the entry is withdrawn, the affected grants lose those items (a grant
/// left with none is revoked) and their holders are told. Reads already stop at once (AccessPolicy reads the
/// published version); this keeps the grants themselves and the holders' view true.
public struct GrantReconciler: Sendable {
    let accountability: any AccountabilityRepository
    let clock: any WallClock

    public init(accountability: any AccountabilityRepository, clock: any WallClock) {
        self.accountability = accountability; self.clock = clock
    }

    /// `content` is the newly published version, or nil when the entry was withdrawn. Returns the grants changed.
    @discardableResult
    public func reconcile(entry: CatalogEntry, content: CatalogContent?, by actor: Principal, origin: RequestOrigin) async throws -> [Grant] {
        let shareable = Set((content?.items ?? []).filter { $0.shareType != ShareType.notShared.rawValue }.compactMap(\.code))
        let now = Timestamp.format(clock.now())
        var changed: [Grant] = []
        for var grant in try await accountability.liveGrants(entryId: entry.id) {
            let removed = grant.items.filter { !shareable.contains($0) }
            guard !removed.isEmpty else { continue }
            let before = AuditJSON.encode(grant)
            grant.items.removeAll { removed.contains($0) }
            grant.clearItems.removeAll { removed.contains($0) }
            let reason = content == nil ? "目录已撤销 / entry withdrawn" : "目录变更，不再共享：\(removed.joined(separator: "、"))"
            if grant.items.isEmpty {
                grant.status = .revoked
                grant.revokedReason = reason
            }
            let message = grant.status == .revoked
                ? LocalizedText(zh: "目录 \(entry.code) 变更，授权已终止（\(reason)）", en: "Catalog entry \(entry.code) changed; the grant has ended (\(reason))")
                : LocalizedText(zh: "目录 \(entry.code) 变更，授权不再包含：\(removed.joined(separator: "、"))",
                                en: "Catalog entry \(entry.code) changed; the grant no longer covers: \(removed.joined(separator: ", "))")
            let notice = InboxMessage(id: Identifier.make(at: clock.now()), departmentId: grant.departmentId, kind: "grant.narrowed",
                                      subjectType: "grant", subjectId: grant.id, message: message, createdAt: now)
            try await accountability.update(grant, notifications: [notice],
                                            audit: AuditRecord(actor: actor, action: "grant.narrow", objectType: "grant", objectId: grant.id,
                                                               before: before, after: AuditJSON.encode(grant), detail: reason, origin: origin))
            changed.append(grant)
        }
        return changed
    }
}

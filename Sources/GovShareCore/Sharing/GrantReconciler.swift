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
    public func reconcile(entry: CatalogEntry, content: CatalogContent?, by actor: Principal, origin: RequestOrigin) async throws -> [Grant]
    {
        let shareable = Set((content?.items ?? []).filter { $0.shareType != ShareType.notShared.rawValue }.compactMap(\.code))
        let now = Timestamp.format(clock.now())
        var changed: [Grant] = []
        for found in try await accountability.liveGrants(entryId: entry.id) {
            // A grant changed by someone else meanwhile is read again and narrowed as it now stands (three tries).
            var current: Grant? = found
            for attempt in 1...3 {
                guard let grant = current else { break }
                do {
                    if let narrowed = try await narrow(
                        grant, entry: entry, shareable: shareable, withdrawn: content == nil, now: now,
                        by: actor, origin: origin)
                    {
                        changed.append(narrowed)
                    }
                    break
                } catch let error as DomainError where error.code == "grant_changed" && attempt < 3 {
                    current = try await accountability.liveGrants(entryId: entry.id).first { $0.id == grant.id }
                }
            }
        }
        return changed
    }

    /// Takes the items no longer shared out of one grant (revoking it when none is left) and tells the holder; nil
    /// when the grant keeps all its items.
    private func narrow(
        _ original: Grant, entry: CatalogEntry, shareable: Set<String>, withdrawn: Bool, now: String,
        by actor: Principal, origin: RequestOrigin
    ) async throws -> Grant? {
        var grant = original
        let removed = grant.items.filter { !shareable.contains($0) }
        guard !removed.isEmpty else { return nil }
        let before = AuditJSON.encode(grant)
        grant.items.removeAll { removed.contains($0) }
        grant.clearItems.removeAll { removed.contains($0) }
        let reason = withdrawn ? "目录已撤销 / entry withdrawn" : "目录变更，不再共享：\(removed.joined(separator: "、"))"
        if grant.items.isEmpty {
            grant.status = .revoked
            grant.revokedReason = reason
        }
        let message =
            grant.status == .revoked
            ? LocalizedText(
                zh: "目录 \(entry.code) 变更，授权已终止（\(reason)）", en: "Catalog entry \(entry.code) changed; the grant has ended (\(reason))")
            : LocalizedText(
                zh: "目录 \(entry.code) 变更，授权不再包含：\(removed.joined(separator: "、"))",
                en: "Catalog entry \(entry.code) changed; the grant no longer covers: \(removed.joined(separator: ", "))")
        let notice = InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: grant.departmentId, kind: "grant.narrowed",
            subjectType: "grant", subjectId: grant.id, message: message, createdAt: now)
        try await accountability.update(
            grant, replacing: original, notifications: [notice],
            audit: AuditRecord(
                actor: actor, action: "grant.narrow", objectType: "grant", objectId: grant.id,
                before: before, after: AuditJSON.encode(grant), detail: reason, origin: origin))
        return grant
    }
}

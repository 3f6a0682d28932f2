import Foundation
import GovShareCore
import SQLKit

/// The streams a node sends its peers (issue 18, parts 2 and 6): its catalog change log read as copies and its audit
/// checkpoints, queued per peer with the peer's position in each; and applying what a peer sent.
extension SQLFederationRepository {
    public func position(peerId: String, stream: FederationStream) async throws -> Int64? {
        try await context.database.withConnection { db in
            try await db.raw(
                "SELECT position FROM federation_positions WHERE peer_id = \(bind: peerId) AND stream = \(bind: stream.rawValue)"
            ).first()?.decode(column: "position", as: Int64.self)
        }
    }

    public func ownCheckpoints(after seq: Int64, limit: Int) async throws -> [AuditCheckpoint] {
        let nodeId = context.nodeId
        return try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM audit_checkpoints WHERE node_id = \(bind: nodeId) AND seq > \(bind: seq) ORDER BY seq LIMIT \(bind: limit)
                """
            ).all().map(SQLAuditCheckpointRepository.checkpoint(from:))
        }
    }

    public func receivedCheckpoints(fromNode: String) async throws -> (checkpoints: [AuditCheckpoint], root: Data?) {
        try await context.database.withConnection { db in
            let rows = try await db.raw("SELECT * FROM federation_audit_checkpoints WHERE from_node = \(bind: fromNode) ORDER BY seq").all()
            let checkpoints = try rows.map {
                AuditCheckpoint(
                    seq: try $0.decode(column: "seq", as: Int64.self), headHash: try $0.string("head_hash"),
                    time: try $0.string("signed_at"),
                    nodeId: try $0.string("from_node"), signature: try $0.decode(column: "signature", as: Data.self),
                    certificateDER: try $0.decode(column: "certificate", as: Data.self))
            }
            let root = try await db.raw("SELECT root_certificate FROM federation_peers WHERE id = \(bind: fromNode)").first()?
                .decode(column: "root_certificate", as: Data?.self)
            return (checkpoints, root)
        }
    }

    /// Stores a sub-node's checkpoints (a number seen before keeps its first copy) and its root certificate.
    static func store(_ changes: InboundChanges, from node: String, at: String, on db: any SQLDatabase) async throws {
        for c in changes.checkpoints {
            try await db.raw(
                """
                INSERT INTO federation_audit_checkpoints (from_node, seq, head_hash, signed_at, signature, certificate, received_at)
                VALUES (\(bind: node), \(bind: c.seq), \(bind: c.headHash), \(bind: c.time), \(bind: c.signature), \(bind: c.certificateDER),
                \(bind: at)) ON CONFLICT (from_node, seq) DO NOTHING
                """
            ).run()
        }
        if let last = changes.checkpoints.map(\.seq).max() {
            try await db.raw(
                """
                UPDATE federation_peers SET last_checkpoint_seq = \(bind: last), root_certificate = COALESCE(\(bind: changes.rootCertificate), root_certificate)
                WHERE id = \(bind: node)
                """
            ).run()
        }
    }

    public func catalogChanges(after position: Int64, limit: Int) async throws -> CatalogChanges {
        let nodeId = context.nodeId
        return try await context.database.withConnection { db in
            let log = try await db.raw(
                "SELECT seq, entry_id FROM catalog_search_changes WHERE seq > \(bind: position) ORDER BY seq LIMIT \(bind: limit)"
            ).all()
            guard let last = try log.last?.decode(column: "seq", as: Int64.self) else {
                return CatalogChanges(copies: [], position: position)
            }
            var ids: [String] = []
            for row in log {
                let id = try row.string("entry_id")
                if !ids.contains(id) { ids.append(id) }
            }
            let rows = try await db.raw(
                """
                SELECT e.*, v.entry_id AS v_entry_id, v.version AS v_version, v.status AS v_status, v.content AS v_content,
                       v.created_by AS v_created_by, v.created_at AS v_created_at, v.submitted_at AS v_submitted_at,
                       v.reviewed_by AS v_reviewed_by, v.review_reason AS v_review_reason, v.published_at AS v_published_at
                FROM catalog_entries e LEFT JOIN catalog_versions v ON v.entry_id = e.id AND v.version = e.published_version
                WHERE e.id IN (\(binds: ids))
                """
            ).all()
            var entries: [String: (CatalogEntry, CatalogVersion?)] = [:]
            var providerIds: Set<String> = []
            for row in rows {
                let entry = try SQLCatalogRepository.entry(from: row)
                let published = entry.isPublished ? try SQLCatalogRepository.version(from: row, prefix: "v_") : nil
                if published != nil { providerIds.insert(entry.providerId) }
                entries[entry.id] = (entry, published)
            }
            var providers: [String: Department] = [:]
            if !providerIds.isEmpty {
                for row in try await db.raw("SELECT * FROM departments WHERE id IN (\(binds: Array(providerIds)))").all() {
                    let d = try SQLDepartmentRepository.department(from: row)
                    providers[d.id] = d
                }
            }
            let copies = ids.compactMap { id -> CatalogEntryCopy? in
                guard let (entry, version) = entries[id] else { return nil }
                let provider = version != nil ? providers[entry.providerId] : nil
                let published = version != nil && provider != nil
                return CatalogEntryCopy(
                    entryId: entry.id, code: entry.code, kind: entry.kind, homeNode: entry.homeNode ?? nodeId, published: published,
                    version: version?.version ?? entry.latestVersion, content: published ? version?.content : nil,
                    provider: published ? provider : nil, createdAt: entry.createdAt, publishedAt: version?.publishedAt)
            }
            return CatalogChanges(copies: copies, position: last)
        }
    }

    public func enqueue(
        _ kind: NodeMessageKind, stream: FederationStream, peerId: String, bodies: [(id: String, body: String)], position: Int64,
        at: String, audit: AuditRecord?
    ) async throws {
        let nodeId = context.nodeId
        let work: @Sendable (any SQLDatabase) async throws -> Void = { db in
            for b in bodies {
                _ = try await Self.append(peerId: peerId, id: b.id, kind: kind.rawValue, body: b.body, at: at, nodeId: nodeId, on: db)
            }
            try await db.raw(
                """
                INSERT INTO federation_positions (peer_id, stream, position) VALUES (\(bind: peerId), \(bind: stream.rawValue), \(bind: position))
                ON CONFLICT (peer_id, stream) DO UPDATE SET position = excluded.position
                """
            ).run()
        }
        if let audit { try await context.write(audit, work) } else { try await context.database.transaction(work) }
    }

    /// One copy, inside the transaction accepting its message. Never touches an entry of this node's own, never takes
    /// another entry's code; an older version arriving after a newer one is ignored.
    static func apply(_ w: CatalogCopyWrite, on db: any SQLDatabase) async throws {
        let e = w.entry
        let existing = try await db.raw("SELECT home_node, latest_version FROM catalog_entries WHERE id = \(bind: e.id)").first()
        if let existing {
            guard try existing.optionalString("home_node") == e.homeNode else {
                throw DomainError.conflict(
                    code: "entry_not_a_copy", zh: "目录 \(e.code) 不是该节点目录的副本", en: "Entry \(e.code) is not a copy of that node's")
            }
            if w.document != nil, try existing.decode(column: "latest_version", as: Int.self) > e.latestVersion { return }
        } else if w.document == nil {
            return  // the withdrawal of an entry never received here
        }
        if try await db.raw("SELECT id FROM catalog_entries WHERE code = \(bind: e.code) AND id <> \(bind: e.id)").first() != nil {
            throw DomainError.conflict(code: "code_taken", zh: "资源代码 \(e.code) 已被另一目录使用", en: "Code \(e.code) belongs to another entry")
        }
        guard var document = w.document, let provider = w.provider else {
            try await db.raw(
                """
                UPDATE catalog_entries SET status = 'withdrawn', published_version = NULL, updated_at = \(bind: e.updatedAt)
                WHERE id = \(bind: e.id)
                """
            ).run()
            try await db.raw("UPDATE catalog_versions SET status = 'withdrawn' WHERE entry_id = \(bind: e.id) AND status = 'published'")
                .run()
            try await db.delete(from: "catalog_search").where("entry_id", .equal, e.id).run()
            try await CatalogSearchCache.recordChange(entryId: e.id, on: db)
            return
        }
        let providerId = try await resolve(provider, homeNode: e.homeNode ?? provider.nodeId, senderRegion: w.senderRegion, on: db)
        if existing == nil {
            try await db.raw(
                """
                INSERT INTO catalog_entries (id, code, kind, provider_id, latest_version, published_version, status, node_id,
                created_at, updated_at, home_node)
                VALUES (\(bind: e.id), \(bind: e.code), \(bind: e.kind.rawValue), \(bind: providerId), \(bind: e.latestVersion),
                \(bind: e.publishedVersion), 'published', \(bind: e.nodeId), \(bind: e.createdAt), \(bind: e.updatedAt), \(bind: e.homeNode))
                """
            ).run()
        } else {
            try await db.raw(
                """
                UPDATE catalog_entries SET provider_id = \(bind: providerId), latest_version = \(bind: e.latestVersion),
                published_version = \(bind: e.publishedVersion), status = 'published', updated_at = \(bind: e.updatedAt)
                WHERE id = \(bind: e.id)
                """
            ).run()
        }
        try await SQLCatalogRepository.upsert(w.version, on: db)
        try await db.delete(from: "catalog_search").where("entry_id", .equal, e.id).run()
        document.providerId = providerId
        try await SQLCatalogRepository.insert(document, on: db)
        try await CatalogSearchCache.recordChange(entryId: e.id, on: db)
    }

    /// The local id of the copy's provider: the department with its unified social credit code (a legal identifier,
    /// unique nationally), or the provider added to the directory as the home node knows it (its id kept unless taken,
    /// no system parent, belonging to the home node) — from a sub-node only inside its region and below the provincial
    /// level, and never as a second data authority for a level and region: the directory decides who reviews whom
    /// (Oversight), and a peer's message must not change that.
    static func resolve(_ provider: Department, homeNode: String, senderRegion: String?, on db: any SQLDatabase) async throws -> String {
        if let row = try await db.raw("SELECT id FROM departments WHERE code = \(bind: provider.code)").first() {
            return try row.string("id")
        }
        guard CatalogCopyWrite.mayAdd(provider, senderRegion: senderRegion) else {
            throw DomainError.invalid(
                field: "body", rule: "provider_region",
                zh: "子节点只能带来本区划内市、县级的提供方（\(provider.code)，\(provider.regionCode)）",
                en: "A sub-node brings only city or county providers of its own region (\(provider.code), \(provider.regionCode))")
        }
        guard try await db.raw("SELECT code FROM regions WHERE code = \(bind: provider.regionCode)").first() != nil else {
            throw DomainError.invalid(
                field: "body", rule: "provider_region", zh: "提供方的区划 \(provider.regionCode) 未知",
                en: "The provider's region \(provider.regionCode) is unknown")
        }
        if provider.kind == .dataAuthority,
            try await db.raw(
                """
                SELECT id FROM departments WHERE kind = 'data_authority' AND level = \(bind: provider.level.rawValue)
                AND region_code = \(bind: provider.regionCode)
                """
            ).first() != nil
        {
            throw DomainError.invalid(
                field: "body", rule: "provider_authority",
                zh: "本节点已有该区划的政务数据主管部门，副本不能再添加一个（\(provider.code)）",
                en: "This node already has the data authority of that region; a copy cannot add another (\(provider.code))")
        }
        let taken = try await db.raw("SELECT id FROM departments WHERE id = \(bind: provider.id)").first() != nil
        let id = taken || !Identifier.isValid(provider.id) ? Identifier.make() : provider.id
        try await db.insert(into: "departments")
            .columns(
                "id", "code", "name_zh", "name_en", "level", "region_code", "kind", "system_parent_id", "node_id", "created_at",
                "updated_at"
            )
            .values(
                SQLBind(id), SQLBind(provider.code), SQLBind(provider.nameZh), SQLBind(provider.nameEn), SQLBind(provider.level.rawValue),
                SQLBind(provider.regionCode), SQLBind(provider.kind.rawValue), SQLBind(String?.none), SQLBind(homeNode),
                SQLBind(provider.createdAt), SQLBind(provider.updatedAt)
            )
            .run()
        return id
    }
}

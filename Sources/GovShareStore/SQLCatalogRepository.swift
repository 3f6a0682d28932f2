import Foundation
import GovShareCore
import SQLKit

public struct SQLCatalogRepository: CatalogRepository {
    let context: StoreContext
    /// How this node numbers what it catalogs (unique province-wide: ResourceCodeScheme).
    let codes: ResourceCodeScheme
    private let searchCache = CatalogSearchCache()
    public init(context: StoreContext, codes: ResourceCodeScheme = ResourceCodeScheme()) { self.context = context; self.codes = codes }

    public func create(
        _ entry: CatalogEntry, version: CatalogVersion, classificationCode: String,
        audit: AuditRecord
    ) async throws -> CatalogEntry {
        try await createAll([(entry, version, classificationCode, audit)])[0]
    }

    public func createAll(_ drafts: [(entry: CatalogEntry, version: CatalogVersion, classificationCode: String, audit: AuditRecord)])
        async throws -> [CatalogEntry]
    {
        let context = self.context, codes = self.codes
        return try await context.database.transaction { db in
            var created: [CatalogEntry] = []
            for draft in drafts {
                created.append(
                    try await Self.file(
                        draft.entry, version: draft.version, classificationCode: draft.classificationCode,
                        audit: draft.audit, codes: codes, context: context, on: db))
            }
            return created
        }
    }

    static func file(
        _ entry: CatalogEntry, version: CatalogVersion, classificationCode: String, audit: AuditRecord,
        codes: ResourceCodeScheme, context: StoreContext, on db: any SQLDatabase
    ) async throws -> CatalogEntry {
        // One atomic statement: read-then-update let two servers (or two requests on PostgreSQL) take the same number
        // and the second filing fail on the code's uniqueness.
        let next =
            try await db.raw(
                """
                INSERT INTO catalog_code_sequences (classification_code, last_value) VALUES (\(bind: classificationCode), 1)
                ON CONFLICT (classification_code) DO UPDATE SET last_value = catalog_code_sequences.last_value + 1
                RETURNING last_value
                """
            ).first()?.int("last_value") ?? 1
        var entry = entry
        entry.code = codes.code(classification: classificationCode, sequence: next)
        try await db.insert(into: "catalog_entries")
            .columns(
                "id", "code", "kind", "provider_id", "latest_version", "published_version", "status", "node_id",
                "created_at", "updated_at"
            )
            .values(
                SQLBind(entry.id), SQLBind(entry.code), SQLBind(entry.kind.rawValue), SQLBind(entry.providerId),
                SQLBind(entry.latestVersion), SQLBind(entry.publishedVersion), SQLBind(entry.status.rawValue),
                SQLBind(entry.nodeId), SQLBind(entry.createdAt), SQLBind(entry.updatedAt)
            )
            .run()
        try await upsert(version, on: db)
        var record = audit
        record.detail = "code \(entry.code)"
        _ = try await AuditChain.append(record, context: context, on: db)
        return entry
    }

    public func entry(id: String) async throws -> CatalogEntry? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("catalog_entries").where("id", .equal, id).first().map(Self.entry(from:))
        }
    }

    public func entry(code: String) async throws -> CatalogEntry? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("catalog_entries").where("code", .equal, code).first().map(Self.entry(from:))
        }
    }

    public func version(entryId: String, version: Int) async throws -> CatalogVersion? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("catalog_versions").where("entry_id", .equal, entryId)
                .where("version", .equal, version).first().map(Self.version(from:))
        }
    }

    public func versions(entryId: String) async throws -> [CatalogVersion] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("catalog_versions").where("entry_id", .equal, entryId)
                .orderBy("version").all().map(Self.version(from:))
        }
    }

    public func save(
        _ entry: CatalogEntry, version: CatalogVersion, index: CatalogDocument??, closeObligationsOf: String?,
        audit: AuditRecord
    ) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.update("catalog_entries").set("latest_version", to: entry.latestVersion)
                .set("published_version", to: entry.publishedVersion).set("status", to: entry.status.rawValue)
                .set("updated_at", to: entry.updatedAt).where("id", .equal, entry.id).run()
            try await Self.upsert(version, on: db)
            switch index {
            case .none: break
            case .some(.none):
                try await db.delete(from: "catalog_search").where("entry_id", .equal, entry.id).run()
                try await CatalogSearchCache.recordChange(entryId: entry.id, on: db)
            case .some(.some(let document)):
                try await db.delete(from: "catalog_search").where("entry_id", .equal, entry.id).run()
                try await Self.insert(document, on: db)
                try await CatalogSearchCache.recordChange(entryId: entry.id, on: db)
            }
            if let departmentId = closeObligationsOf {
                try await Self.closeObligations(of: departmentId, linkedTo: entry.id, context: context, on: db)
            }
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func entries(status: EntryStatus?, providerIds: [String]?) async throws -> [CatalogEntry] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("catalog_entries")
            if let status { select.where("status", .equal, status.rawValue) }
            if let providerIds { select.where("provider_id", .in, providerIds) }
            return try await select.orderBy("updated_at").all().map(Self.entry(from:))
        }
    }

    public func entries(
        with choice: CatalogVersionChoice, status: EntryStatus?, providerIds: [String]?,
        ids: [String]?
    ) async throws -> [CatalogEntryVersion] {
        if providerIds?.isEmpty == true || ids?.isEmpty == true { return [] }
        return try await context.database.withConnection { db in
            var sql = SQLQueryString(
                """
                SELECT e.*, v.entry_id AS v_entry_id, v.version AS v_version, v.status AS v_status, v.content AS v_content,
                       v.created_by AS v_created_by, v.created_at AS v_created_at, v.submitted_at AS v_submitted_at,
                       v.reviewed_by AS v_reviewed_by, v.review_reason AS v_review_reason, v.published_at AS v_published_at
                FROM catalog_entries e JOIN catalog_versions v ON v.entry_id = e.id AND v.version =
                """)
            sql.appendLiteral(choice == .latest ? " e.latest_version" : " e.published_version")
            sql.appendLiteral(" WHERE 1 = 1")
            if let status {
                sql.appendLiteral(" AND e.status = ")
                sql.appendInterpolation(bind: status.rawValue)
            }
            if let providerIds {
                sql.appendLiteral(" AND e.provider_id IN (")
                sql.appendInterpolation(binds: providerIds)
                sql.appendLiteral(")")
            }
            if let ids {
                sql.appendLiteral(" AND e.id IN (")
                sql.appendInterpolation(binds: ids)
                sql.appendLiteral(")")
            }
            sql.appendLiteral(" ORDER BY e.updated_at, e.id")
            return try await db.raw(sql).all().map {
                CatalogEntryVersion(entry: try Self.entry(from: $0), version: try Self.version(from: $0, prefix: "v_"))
            }
        }
    }

    /// Answered from the in-memory index, brought up to date with the database first (CatalogSearchCache).
    public func search(_ query: CatalogQuery) async throws -> CatalogSearchResult {
        try await searchCache.search(query, database: context.database)
    }

    // MARK: Rows

    static func upsert(_ version: CatalogVersion, on db: any SQLDatabase) async throws {
        try await db.delete(from: "catalog_versions").where("entry_id", .equal, version.entryId)
            .where("version", .equal, version.version).run()
        try await db.insert(into: "catalog_versions")
            .columns(
                "entry_id", "version", "status", "content", "created_by", "created_at", "submitted_at", "reviewed_by",
                "review_reason", "published_at"
            )
            .values(
                SQLBind(version.entryId), SQLBind(version.version), SQLBind(version.status.rawValue),
                SQLBind(AuditJSON.encode(version.content)), SQLBind(version.createdBy), SQLBind(version.createdAt),
                SQLBind(version.submittedAt), SQLBind(version.reviewedBy), SQLBind(version.reviewReason),
                SQLBind(version.publishedAt)
            )
            .run()
    }

    static func insert(_ d: CatalogDocument, on db: any SQLDatabase) async throws {
        try await db.insert(into: "catalog_search")
            .columns(
                "entry_id", "code", "version", "name", "summary", "item_names", "provider_id", "region_code", "kind",
                "share_type", "classification_code", "open_to_public", "published_at"
            )
            .values(
                SQLBind(d.entryId), SQLBind(d.code), SQLBind(d.version), SQLBind(d.name), SQLBind(d.summary),
                SQLBind(d.itemNames), SQLBind(d.providerId), SQLBind(d.regionCode), SQLBind(d.kind.rawValue),
                SQLBind(d.shareType.rawValue), SQLBind(d.classificationCode), SQLBind(d.openToPublic), SQLBind(d.publishedAt)
            )
            .run()
    }

    static func entry(from row: any SQLRow) throws -> CatalogEntry {
        CatalogEntry(
            id: try row.string("id"), code: try row.string("code"),
            kind: CatalogKind(rawValue: try row.string("kind")) ?? .department, providerId: try row.string("provider_id"),
            latestVersion: try row.int("latest_version"), publishedVersion: try row.decode(column: "published_version", as: Int?.self),
            status: EntryStatus(rawValue: try row.string("status")) ?? .draft, nodeId: try row.string("node_id"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"),
            homeNode: (try? row.optionalString("home_node")) ?? nil)
    }

    static func version(from row: any SQLRow) throws -> CatalogVersion { try version(from: row, prefix: "") }

    /// `prefix`: the columns' alias prefix when the version is read joined to its entry.
    static func version(from row: any SQLRow, prefix p: String) throws -> CatalogVersion {
        let content = try JSONDecoder().decode(CatalogContent.self, from: Data(try row.string(p + "content").utf8))
        return CatalogVersion(
            entryId: try row.string(p + "entry_id"), version: try row.int(p + "version"),
            status: EntryStatus(rawValue: try row.string(p + "status")) ?? .draft, content: content,
            createdBy: try row.string(p + "created_by"), createdAt: try row.string(p + "created_at"),
            submittedAt: try row.optionalString(p + "submitted_at"), reviewedBy: try row.optionalString(p + "reviewed_by"),
            reviewReason: try row.optionalString(p + "review_reason"), publishedAt: try row.optionalString(p + "published_at"))
    }

    static func document(from row: any SQLRow) throws -> CatalogDocument {
        CatalogDocument(
            entryId: try row.string("entry_id"), code: try row.string("code"), version: try row.int("version"),
            name: try row.string("name"), summary: try row.string("summary"), itemNames: try row.string("item_names"),
            providerId: try row.string("provider_id"), regionCode: try row.string("region_code"),
            kind: CatalogKind(rawValue: try row.string("kind")) ?? .department,
            shareType: ShareType(rawValue: try row.string("share_type")) ?? .unconditional,
            classificationCode: try row.string("classification_code"),
            openToPublic: try row.decode(column: "open_to_public", as: Bool.self),
            publishedAt: try row.string("published_at"))
    }
}

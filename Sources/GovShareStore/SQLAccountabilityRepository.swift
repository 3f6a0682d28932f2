import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Grants by provider, usage aggregates over the read log, misuse cases, webhooks and their delivery queue, attachments.
public struct SQLAccountabilityRepository: AccountabilityRepository {
    let context: StoreContext
    let key: KeyCache
    public init(context: StoreContext) {
        self.context = context
        key = KeyCache(name: "read_ref", custody: context.custody)
    }

    public func usage(purposeIds: [String]) async throws -> [String: PurposeUsage] {
        guard !purposeIds.isEmpty else { return [:] }
        return try await context.database.withConnection { db in
            var result: [String: PurposeUsage] = [:]
            for chunk in purposeIds.chunked(500) {
                let rows = try await db.raw(
                    """
                    SELECT purpose_id, COUNT(*) AS reads, SUM(row_count) AS row_total, MAX(read_at) AS last_read_at
                    FROM data_reads WHERE purpose_id IN (\(binds: Array(chunk))) GROUP BY purpose_id
                    """
                ).all()
                for row in rows {
                    result[try row.string("purpose_id")] = PurposeUsage(
                        reads: try row.int("reads"), rows: try row.decode(column: "row_total", as: Int?.self) ?? 0,
                        lastReadAt: try row.optionalString("last_read_at"))
                }
            }
            return result
        }
    }

    public func grants(providerId: String) async throws -> [Grant] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT g.* FROM grants g JOIN catalog_entries e ON e.id = g.entry_id
                WHERE e.provider_id = \(bind: providerId) ORDER BY g.created_at DESC
                """
            ).all().map(SQLAccessRepository.grant(from:))
        }
    }

    public func liveGrants(entryId: String) async throws -> [Grant] {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM grants WHERE entry_id = \(bind: entryId) AND status <> 'revoked' ORDER BY created_at
                """
            ).all().map(SQLAccessRepository.grant(from:))
        }
    }

    public func update(_ grant: Grant, replacing previous: Grant, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await SQLAccessRepository.update(grant, replacing: previous, on: db)
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    // MARK: Misuse cases

    public func insert(_ c: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "misuse_cases").columns(
                "id", "grant_id", "reporter_department_id", "holder_department_id", "authority_id", "description", "status",
                "resolution", "reported_by", "created_at", "closed_at", "closed_by", "node_id"
            ).values(
                SQLBind(c.id), SQLBind(c.grantId), SQLBind(c.reporterDepartmentId), SQLBind(c.holderDepartmentId),
                SQLBind(c.authorityId), SQLBind(c.description), SQLBind(c.status.rawValue), SQLBind(c.resolution),
                SQLBind(c.reportedBy), SQLBind(c.createdAt), SQLBind(c.closedAt), SQLBind(c.closedBy), SQLBind(c.nodeId)
            ).run()
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func update(_ c: MisuseCase, notifications: [InboxMessage], audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.update("misuse_cases").set("status", to: c.status.rawValue).set("resolution", to: c.resolution)
                .set("closed_at", to: c.closedAt).set("closed_by", to: c.closedBy).where("id", .equal, c.id).run()
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func misuseCase(id: String) async throws -> MisuseCase? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("misuse_cases").where("id", .equal, id).first().map(Self.misuseCase)
        }
    }

    public func misuseCases(departmentIds: [String]?) async throws -> [MisuseCase] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("misuse_cases")
            if let ids = departmentIds {
                select.where { g in
                    g.where("reporter_department_id", .in, ids).orWhere("holder_department_id", .in, ids).orWhere("authority_id", .in, ids)
                }
            }
            return try await select.orderBy("created_at", .descending).limit(1000).all().map(Self.misuseCase)
        }
    }

    static func misuseCase(_ row: any SQLRow) throws -> MisuseCase {
        MisuseCase(
            id: try row.string("id"), grantId: try row.string("grant_id"), reporterDepartmentId: try row.string("reporter_department_id"),
            holderDepartmentId: try row.string("holder_department_id"), authorityId: try row.string("authority_id"),
            description: try row.string("description"), status: MisuseCase.Status(rawValue: try row.string("status")) ?? .open,
            resolution: try row.optionalString("resolution"), reportedBy: try row.string("reported_by"),
            createdAt: try row.string("created_at"), closedAt: try row.optionalString("closed_at"),
            closedBy: try row.optionalString("closed_by"), nodeId: try row.string("node_id"))
    }

    // MARK: Attachments

    public func insert(_ a: ApplicationAttachment, audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "application_attachments").columns(
                "id", "application_id", "file_name", "media_type", "size", "sha256", "uploaded_by", "created_at"
            ).values(
                SQLBind(a.id), SQLBind(a.applicationId), SQLBind(a.fileName), SQLBind(a.mediaType), SQLBind(a.size),
                SQLBind(a.sha256), SQLBind(a.uploadedBy), SQLBind(a.createdAt)
            ).run()
        }
    }

    public func attachments(applicationId: String) async throws -> [ApplicationAttachment] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("application_attachments").where("application_id", .equal, applicationId)
                .orderBy("created_at").all().map { row in
                    ApplicationAttachment(
                        id: try row.string("id"), applicationId: try row.string("application_id"),
                        fileName: try row.string("file_name"), mediaType: try row.string("media_type"),
                        size: try row.int("size"), sha256: try row.string("sha256"),
                        uploadedBy: try row.string("uploaded_by"), createdAt: try row.string("created_at"))
                }
        }
    }

    func write(_ audit: AuditRecord, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await context.write(audit, body)
    }
}

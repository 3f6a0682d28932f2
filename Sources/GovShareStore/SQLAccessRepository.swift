import Foundation
import GovShareCore
import SQLKit

public struct SQLAccessRepository: AccessRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insert(_ s: Subscription, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.insert(into: "subscriptions").columns(
                "id", "department_id", "entry_id", "items", "purpose", "created_by", "created_at", "revoked_at", "node_id",
                "business", "users"
            ).values(
                SQLBind(s.id), SQLBind(s.departmentId), SQLBind(s.entryId), SQLBind(AuditJSON.encode(s.items)),
                SQLBind(s.purpose), SQLBind(s.createdBy), SQLBind(s.createdAt), SQLLiteral.null, SQLBind(s.nodeId),
                SQLBind(s.business), SQLBind(AuditJSON.encode(s.users))
            ).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func subscription(id: String) async throws -> Subscription? {
        try await context.database.lookups.value("subscription:\(id)") {
            try await context.database.withConnection { db in
                try await db.select().column("*").from("subscriptions").where("id", .equal, id).first().map(Self.subscription(from:))
            }
        }
    }

    public func subscriptions(departmentId: String) async throws -> [Subscription] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("subscriptions").where("department_id", .equal, departmentId)
                .orderBy("created_at", .descending).all().map(Self.subscription(from:))
        }
    }

    public func update(_ s: Subscription, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await db.update("subscriptions").set("revoked_at", to: s.revokedAt).where("id", .equal, s.id).run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func list(_ text: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [] }

    static func subscription(from row: any SQLRow) throws -> Subscription {
        Subscription(
            id: try row.string("id"), departmentId: try row.string("department_id"), entryId: try row.string("entry_id"),
            items: list(try row.string("items")), purpose: try row.string("purpose"), createdBy: try row.string("created_by"),
            createdAt: try row.string("created_at"), revokedAt: try row.optionalString("revoked_at"), nodeId: try row.string("node_id"),
            business: try row.optionalString("business"), users: list(try row.optionalString("users") ?? "[]"))
    }

    public func insert(_ g: Grant, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await Self.insert(g, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    /// Inside the caller's transaction (an approved application creates its grant atomically).
    static func insert(_ g: Grant, on db: any SQLDatabase) async throws {
        try await db.insert(into: "grants").columns(
            "id", "department_id", "entry_id", "items", "clear_items", "purpose", "valid_from", "valid_until", "status",
            "created_by", "created_at", "revoked_reason", "node_id", "data_manager", "application_id",
            "approved_by", "approved_at", "provider_consent", "provider_consent_by"
        ).values(
            SQLBind(g.id), SQLBind(g.departmentId), SQLBind(g.entryId), SQLBind(AuditJSON.encode(g.items)),
            SQLBind(AuditJSON.encode(g.clearItems)), SQLBind(g.purpose), SQLBind(g.validFrom), SQLBind(g.validUntil),
            SQLBind(g.status.rawValue), SQLBind(g.createdBy), SQLBind(g.createdAt), SQLLiteral.null, SQLBind(g.nodeId),
            SQLBind(g.dataManager), SQLBind(g.applicationId), SQLBind(g.approvedBy), SQLBind(g.approvedAt),
            SQLBind(g.providerConsent.rawValue), SQLBind(g.providerConsentBy)
        ).run()
    }

    public func grant(id: String) async throws -> Grant? {
        try await context.database.lookups.value("grant:\(id)") {
            try await context.database.withConnection { db in
                try await db.select().column("*").from("grants").where("id", .equal, id).first().map(Self.grant(from:))
            }
        }
    }

    public func grants(departmentId: String?) async throws -> [Grant] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("grants")
            if let departmentId { select.where("department_id", .equal, departmentId) }
            return try await select.orderBy("created_at", .descending).all().map(Self.grant(from:))
        }
    }

    public func update(_ g: Grant, replacing previous: Grant, documents: [OfficialDocument], audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await Self.update(g, replacing: previous, on: db)
            try await SQLOfficialDocumentRepository.insert(documents, origin: audit.origin, context: context, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func update(_ g: Grant, replacing previous: Grant, on db: any SQLDatabase) async throws {
        let saved = try await db.update("grants").set("status", to: g.status.rawValue).set("revoked_reason", to: g.revokedReason)
            .set("valid_until", to: g.validUntil).set("items", to: AuditJSON.encode(g.items))
            .set("clear_items", to: AuditJSON.encode(g.clearItems)).set("approved_by", to: g.approvedBy)
            .set("approved_at", to: g.approvedAt).set("provider_consent", to: g.providerConsent.rawValue)
            .set("provider_consent_by", to: g.providerConsentBy).where("id", .equal, g.id)
            .where("provider_consent", .equal, previous.providerConsent.rawValue)
            .where("status", .equal, previous.status.rawValue).where("valid_until", .equal, previous.validUntil)
            .where("items", .equal, AuditJSON.encode(previous.items)).where("clear_items", .equal, AuditJSON.encode(previous.clearItems))
            .returning("id").all()
        guard !saved.isEmpty else {
            throw DomainError.conflict(code: "grant_changed", zh: "授权已被同时变更，请刷新后重试", en: "The grant was changed meanwhile; reload it")
        }
    }

    static func grant(from row: any SQLRow) throws -> Grant {
        var grant = Grant(
            id: try row.string("id"), departmentId: try row.string("department_id"), entryId: try row.string("entry_id"),
            items: list(try row.string("items")), clearItems: list(try row.string("clear_items")), purpose: try row.string("purpose"),
            validFrom: try row.string("valid_from"), validUntil: try row.string("valid_until"),
            status: Grant.Status(rawValue: try row.string("status")) ?? .revoked, createdBy: try row.string("created_by"),
            createdAt: try row.string("created_at"), revokedReason: try row.optionalString("revoked_reason"),
            nodeId: try row.string("node_id"), dataManager: try row.optionalString("data_manager"),
            applicationId: try row.optionalString("application_id"))
        grant.approvedBy = try row.optionalString("approved_by")
        grant.approvedAt = try row.optionalString("approved_at")
        grant.providerConsent = Grant.ProviderConsent(rawValue: try row.optionalString("provider_consent") ?? "") ?? .pending
        grant.providerConsentBy = try row.optionalString("provider_consent_by")
        return grant
    }
}

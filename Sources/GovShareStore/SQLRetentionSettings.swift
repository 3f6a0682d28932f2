import Foundation
import GovShareCore
import SQLKit

/// The retention the database enforces (`retention_settings`, read by the triggers of migration 27). The server
/// writes its configured `audit_retention_days` here at start-up.
public struct SQLRetentionSettings: Sendable {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    /// Raises the stored retention to `days` when it is lower, with an audit entry in the same transaction; never
    /// lowers it (the triggers would refuse while entries exist, and a command run without the server's configuration
    /// file must not shorten what the server promised). Returns the retention in force afterwards.
    @discardableResult
    public func raise(to days: Int, origin: RequestOrigin) async throws -> Int {
        let context = self.context
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        return try await context.database.transaction { db in
            let stored = try await db.raw("SELECT audit_retention_days FROM retention_settings WHERE id = 1\(unsafeRaw: lock)").first()
                .map { try $0.decode(column: "audit_retention_days", as: Int.self) }
            guard let stored else {
                throw DomainError(
                    .unavailable, code: "retention_unavailable",
                    message: LocalizedText(zh: "日志留存设置缺失", en: "The retention setting is missing"))
            }
            guard days > stored else { return stored }
            try await db.raw(
                """
                UPDATE retention_settings SET audit_retention_days = \(bind: days), updated_at = \(bind: context.now) WHERE id = 1
                """
            ).run()
            _ = try await AuditChain.append(
                AuditRecord(
                    actor: Principal.system("config"), action: "retention.raise", objectType: "retention_settings",
                    objectId: "audit_retention_days", before: AuditJSON.encode(["audit_retention_days": stored]),
                    after: AuditJSON.encode(["audit_retention_days": days]),
                    detail: "Art. 28: audit and read-trace rows are kept at least this many days", origin: origin), context: context, on: db
            )
            return days
        }
    }

    /// The retention the triggers enforce now.
    public func current() async throws -> Int {
        try await context.database.withConnection { db in
            try await db.raw("SELECT audit_retention_days FROM retention_settings WHERE id = 1").first()?
                .decode(column: "audit_retention_days", as: Int.self) ?? Migrator.minimumRetentionDays
        }
    }
}

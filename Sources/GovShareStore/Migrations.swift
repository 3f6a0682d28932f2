import GovShareCore
import SQLKit

/// One schema change, with its SQL for each dialect (most statements are the same on both).
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: @Sendable (GovShareDatabase.Kind) throws -> [String]
    /// Work SQL alone cannot do (e.g. filling an index computed in Swift), run after the statements, same transaction.
    var backfill: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    /// A backfill that needs the key custody (wrapping keys already stored), same transaction.
    var custodyBackfill: (@Sendable (any SQLDatabase, any KeyCustody) async throws -> Void)? = nil
}

/// Applies migrations in version order, each in its own transaction, recording each in `schema_migrations`.
/// Running it again applies nothing; two processes migrating at once are serialised by a lock.
public struct Migrator: Sendable {
    let database: GovShareDatabase
    /// Needed by migrations that wrap keys (34); a pending one without it is refused.
    let custody: (any KeyCustody)?

    public init(database: GovShareDatabase, custody: (any KeyCustody)? = nil) { self.database = database; self.custody = custody }

    static let all: [Migration] = [
        foundationSchema, foundationSeed, catalogSchema, businessSystems, catalogSearchText, catalogGrams, exchangeSchema,
        exchangeQualityAndPulls, exchangeMounts, sharingApplications,
        catalogSearchChanges, accountability, packedReadRefs, lookupGeneration,
        dropCatalogSearchCopies, pullKeyCursor, batchDigests, tokensValidAfter, demoSeedRuns,
        grantApprovalsAndVerification, legalInstrumentProposals,
        retentionGuard, catalogObligationEntries, platformKeys, seals,
        licences, auditCheckpoints, encryptionAtRest,
        keyCustodyAndBackups, securityRecords, riskReportsAndDestruction, archives, licenceSealing, objections, conflicts,
        assessments, supervision, federation, federationCatalog, verificationRecordBudget, samplingPlanAuthority,
    ]

    /// Applies what is missing; returns the versions applied now.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await database.transaction { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """
            ).run()
        }
        var applied: [Int] = []
        for migration in Self.all {
            let kind = database.kind
            let didApply = try await database.transaction { db in
                if kind == .postgres {
                    try await db.raw("SELECT \(AdvisoryLock.transactionLock(AdvisoryLock.migrations))").run()
                }
                let existing = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                if existing != nil { return false }
                for statement in try migration.statements(kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await migration.backfill?(db)
                if let custodyBackfill = migration.custodyBackfill {
                    guard let custody else {
                        throw DomainError(
                            .unavailable, code: "key_custody",
                            message: LocalizedText(
                                zh: "迁移 \(migration.version) 需要密钥加密密钥", en: "Migration \(migration.version) needs the key-encryption key"))
                    }
                    try await custodyBackfill(db, custody)
                }
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.format(.now)))
                    """
                ).run()
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    public func appliedVersions() async throws -> [Int] {
        try await database.withConnection { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all()
                .map { try $0.decode(column: "version", as: Int.self) }
        }
    }

    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }
}

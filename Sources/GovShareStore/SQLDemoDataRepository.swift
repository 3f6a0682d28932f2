import Foundation
import GovShareCore
import SQLKit

/// Finds demo data through the audit log (see `DemoInventory`) and removes it in one transaction, children first, so a
/// failure part-way leaves everything as it was.
///
/// Retention (Art. 28): the purge removes demo *data* only. It never deletes or changes an audit entry or a read-trace
/// row (`audit_events`, `data_reads`, `data_read_refs`) of any age — the entries that created and read the demo data
/// are part of the chain and of the read record, and stay after the purge, which adds its own `demo.purge` entry. The
/// database refuses such a deletion anyway while the row is younger than the retention (migration 27).
public struct SQLDemoDataRepository: DemoDataRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func recordSeedRun(audit: AuditRecord) async throws {
        let now = context.now
        try await context.write(audit) { db in
            try await db.raw("INSERT INTO demo_seed_runs (request_id, started_at) VALUES (\(bind: audit.origin.requestId), \(bind: now))")
                .run()
        }
    }

    public func hasSeedRuns() async throws -> Bool {
        try await context.database.withConnection { db in
            try await db.raw("SELECT request_id FROM demo_seed_runs LIMIT 1").first() != nil
        }
    }

    /// The object types a seed run creates that a purge removes (departments stay: see DemoInventory).
    static let purgedTypes = [
        "user", "catalog_entry", "dataset", "subscription", "application", "risk_report", "assessment", "supervision_run",
        "rectification_order",
    ]

    public func purge(
        audit: (@Sendable (DemoInventory) -> AuditRecord)?,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> DemoInventory {
        let context = self.context
        return try await context.database.transaction { db in
            var found = DemoInventory()
            let runs = Set(try await db.raw("SELECT request_id FROM demo_seed_runs").all().map { try $0.string("request_id") })
            found.seedRuns = runs.count
            guard !runs.isEmpty else { return found }
            let created = try await Self.createdInRuns(runs, on: db)
            let q = Query(db: db)

            let users = try await db.raw("SELECT id, username FROM users WHERE id IN (\(binds: Self.nonEmpty(created["user"])))").all()
            let userIds = try users.map { try $0.string("id") }
            found.users = try users.map { try $0.string("username") }.sorted()
            let entries = try await q.ids("SELECT id FROM catalog_entries WHERE id IN", created["catalog_entry"])
            let datasets = try await q.ids("SELECT id FROM datasets WHERE entry_id IN", entries, "OR id IN", created["dataset"])
            let subscriptions = try await q.ids(
                "SELECT id FROM subscriptions WHERE entry_id IN", entries, "OR id IN", created["subscription"])
            let applications = try await q.ids(
                "SELECT id FROM share_applications WHERE entry_id IN", entries, "OR id IN", created["application"])
            let grants = try await q.ids("SELECT id FROM grants WHERE entry_id IN", entries, "OR application_id IN", applications)
            let misuse = try await q.ids("SELECT id FROM misuse_cases WHERE grant_id IN", grants)
            let notifications = try await q.ids("SELECT id FROM notifications WHERE subject_id IN", applications + grants + misuse)
            found.catalogEntries = entries.count; found.datasets = datasets.count; found.subscriptions = subscriptions.count
            found.applications = applications.count; found.grants = grants.count; found.notifications = notifications.count
            found.datasetRows = Int(
                try await db.raw(
                    """
                    SELECT COALESCE(SUM(row_count), 0) AS n FROM datasets WHERE id IN (\(binds: Self.nonEmpty(datasets)))
                    """
                ).first()?.decode(column: "n", as: Int64.self) ?? 0)
            // What demo accounts made: users and API clients, found by the accounts that created them.
            let made = try await db.raw(
                """
                SELECT DISTINCT object_type, object_id FROM audit_events
                WHERE actor_id IN (\(binds: Self.nonEmpty(userIds))) AND action IN ('user.create', 'client.create')
                """
            ).all().map { (try $0.string("object_type"), try $0.string("object_id")) }
            let madeUsers = try await db.raw(
                """
                SELECT id, username FROM users WHERE status = 'active'
                AND id IN (\(binds: Self.nonEmpty(made.filter { $0.0 == "user" }.map(\.1).filter { !userIds.contains($0) })))
                """
            ).all()
            let madeClients = try await db.raw(
                """
                SELECT id, client_id FROM api_clients WHERE status = 'active'
                AND id IN (\(binds: Self.nonEmpty(made.filter { $0.0 == "api_client" }.map(\.1))))
                """
            ).all()
            found.usersDisabled = try madeUsers.map { try $0.string("username") }.sorted()
            found.clientsRevoked = try madeClients.map { try $0.string("client_id") }.sorted()
            guard let audit else { return found }

            try await q.delete("notification_deliveries", "notification_id", notifications)
            try await q.delete("notifications", "id", notifications)
            try await q.delete("misuse_cases", "id", misuse)
            try await q.delete("application_attachments", "application_id", applications)
            try await db.raw(
                """
                DELETE FROM deadlines WHERE subject_type = 'application' AND subject_id IN (\(binds: Self.nonEmpty(applications)))
                """
            ).run()
            try await q.delete("share_applications", "id", applications)
            try await q.delete("verification_budget", "dataset_id", datasets)
            try await q.delete("verification_record_budget", "dataset_id", datasets)
            // Objections on demo datasets (migration 39) and their clocks.
            try await db.raw(
                """
                DELETE FROM deadlines WHERE subject_type = 'objection'
                    AND subject_id IN (SELECT id FROM objections WHERE dataset_id IN (\(binds: Self.nonEmpty(datasets))))
                """
            ).run()
            try await q.delete("objection_records", "dataset_id", datasets)
            try await q.delete("objections", "dataset_id", datasets)
            try await q.delete("destruction_records", "dataset_id", datasets)
            // Conflicts (Art. 13) over a demo dataset on either side, with everything hanging off their pairs.
            let pairs = try await q.ids("SELECT id FROM fact_pairs WHERE left_dataset_id IN", datasets, "OR right_dataset_id IN", datasets)
            let cases = try await q.ids("SELECT id FROM conflict_cases WHERE pair_id IN", pairs)
            try await q.delete("authoritative_sources", "pair_id", pairs)
            try await q.delete("conflict_findings", "case_id", cases)
            try await q.delete("conflict_messages", "case_id", cases)
            try await q.delete("conflict_cases", "id", cases)
            try await q.delete("fact_pairs", "id", pairs)
            try await q.delete("destruction_requests", "dataset_id", datasets)
            try await q.delete("risk_reports", "id", created["risk_report"] ?? [])
            // Assessment periods the seed run computed (scores of demo departments; demo data only).
            try await q.delete("assessments", "id", created["assessment"] ?? [])
            // Supervision runs of the seed run, their findings (unless a later order cites one) and the demo's orders.
            let orders = created["rectification_order"] ?? []
            try await q.delete("deadlines", "subject_id", orders)
            try await q.delete("notifications", "subject_id", orders)
            try await q.delete("rectification_orders", "id", orders)
            let supervisionRuns = created["supervision_run"] ?? []
            if !supervisionRuns.isEmpty {
                try await db.raw(
                    """
                    DELETE FROM supervision_findings WHERE run_id IN (\(binds: supervisionRuns))
                        AND id NOT IN (SELECT finding_id FROM rectification_orders)
                    """
                ).run()
            }
            try await q.delete("supervision_runs", "id", supervisionRuns)
            let plans = created["sampling_plan"] ?? []
            try await q.delete("sampling_inspections", "plan_id", plans)
            if !plans.isEmpty {
                try await db.raw(
                    """
                    DELETE FROM supervision_findings WHERE rule = 'inspection' AND run_id IN (\(binds: plans))
                        AND id NOT IN (SELECT finding_id FROM rectification_orders)
                    """
                ).run()
            }
            try await q.delete("sampling_plans", "id", plans)
            try await q.delete("grants", "id", grants)
            try await q.delete("subscriptions", "id", subscriptions)
            progress("申请、授权、订阅 / applications \(applications.count), grants \(grants.count), subscriptions \(subscriptions.count)")
            for id in datasets {
                let table = "ds_" + id.replacingOccurrences(of: "-", with: "")
                guard table.range(of: "^ds_[A-Za-z0-9_]+$", options: .regularExpression) != nil else { continue }
                try await db.raw("DROP TABLE IF EXISTS \(unsafeRaw: table)").run()
            }
            for table in ["dataset_quality", "pull_sources", "inherited_mounts", "dataset_batches"] {
                try await q.delete(table, "dataset_id", datasets)
            }
            try await q.delete("datasets", "id", datasets)
            progress("数据集 / datasets \(datasets.count) (\(found.datasetRows) rows)")
            let indexed = try await q.ids("SELECT entry_id AS id FROM catalog_search WHERE entry_id IN", entries)
            try await q.delete("catalog_search", "entry_id", indexed)
            // Each server's in-memory search index drops the entries on its next search.
            for id in indexed { try await CatalogSearchCache.recordChange(entryId: id, on: db) }
            // E-licences of the demo's licence types (their catalog entries go below).
            let licenceTypes = try await q.ids("SELECT id FROM licence_types WHERE entry_id IN", entries)
            let licences = try await q.ids("SELECT id FROM licences WHERE type_id IN", licenceTypes)
            try await q.delete("licences", "id", licences)
            try await q.delete("licence_types", "id", licenceTypes)
            progress("电子证照 / licences \(licences.count) of \(licenceTypes.count) types")
            for table in ["resource_files", "service_mounts", "catalog_versions"] { try await q.delete(table, "entry_id", entries) }
            try await q.delete("catalog_entries", "id", entries)
            progress("目录 / catalog entries \(entries.count)")
            try await q.delete("user_roles", "user_id", userIds)
            try await q.delete("users", "id", userIds)
            let nowMs = Int64((context.clock.now().timeIntervalSince1970 * 1000).rounded(.down)) + 1
            try await db.raw(
                """
                UPDATE users SET status = 'disabled', tokens_valid_after_ms = \(bind: nowMs), updated_at = \(bind: context.now)
                WHERE id IN (\(binds: Self.nonEmpty(try madeUsers.map { try $0.string("id") })))
                """
            ).run()
            try await db.raw(
                """
                UPDATE api_clients SET status = 'disabled', revoked_at = \(bind: context.now)
                WHERE id IN (\(binds: Self.nonEmpty(try madeClients.map { try $0.string("id") })))
                """
            ).run()
            progress("账号 / accounts removed \(userIds.count), disabled \(madeUsers.count), clients revoked \(madeClients.count)")
            try await db.raw("DELETE FROM demo_seed_runs").run()
            _ = try await AuditChain.append(audit(found), context: context, on: db)
            return found
        }
    }

    /// Objects of the purged types whose first audit entry belongs to a seed run: created by the demo, not merely
    /// touched by it.
    static func createdInRuns(_ runs: Set<String>, on db: any SQLDatabase) async throws -> [String: [String]] {
        let named = try await db.raw(
            """
            SELECT DISTINCT object_type, object_id FROM audit_events
            WHERE request_id IN (\(binds: Array(runs))) AND object_type IN (\(binds: purgedTypes))
            """
        ).all().map { (try $0.string("object_type"), try $0.string("object_id")) }
        var created: [String: [String]] = [:]
        for (type, id) in named {
            let first = try await db.raw(
                """
                SELECT request_id FROM audit_events WHERE object_id = \(bind: id) AND object_type = \(bind: type) ORDER BY seq LIMIT 1
                """
            ).first()?.string("request_id")
            if let first, runs.contains(first) { created[type, default: []].append(id) }
        }
        return created
    }

    /// `IN ()` is not SQL: an empty list becomes one id no row has.
    static func nonEmpty(_ ids: [String]?) -> [String] {
        guard let ids, !ids.isEmpty else { return ["\u{1}none"] }
        return ids
    }

    /// Small helpers over one transaction's connection.
    struct Query {
        let db: any SQLDatabase

        /// `select` + ` (ids…)`, optionally `or` + ` (more…)`: the `id` column of the rows found.
        func ids(_ select: String, _ first: [String]?, _ or: String? = nil, _ more: [String]? = nil) async throws -> [String] {
            var sql = SQLQueryString("\(unsafeRaw: select) (\(binds: SQLDemoDataRepository.nonEmpty(first)))")
            if let or {
                sql.appendInterpolation(unsafeRaw: " \(or) "); sql.appendLiteral("(");
                sql.appendInterpolation(binds: SQLDemoDataRepository.nonEmpty(more)); sql.appendLiteral(")")
            }
            return Array(Set(try await db.raw(sql).all().map { try $0.string("id") })).sorted()
        }

        func delete(_ table: String, _ column: String, _ ids: [String]) async throws {
            guard !ids.isEmpty else { return }
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) IN (\(binds: ids))").run()
        }
    }
}

extension Migrator {
    /// Seed runs of the demo, so a production server can refuse demo data and `govshare demo purge` can find it
    /// (DemoInventory). Data directories seeded before this version are recognised from the audit log: every seed run
    /// wrote as the system actor `demo-seed`, each under one request id. The request-id index serves that lookup.
    static let demoSeedRuns = Migration(version: 19, name: "demo_seed_runs") { _ in
        [
            "CREATE TABLE demo_seed_runs (request_id TEXT PRIMARY KEY, started_at TEXT NOT NULL)",
            "CREATE INDEX audit_events_request ON audit_events(request_id)",
            """
            INSERT INTO demo_seed_runs (request_id, started_at)
            SELECT request_id, MIN(occurred_at) FROM audit_events
            WHERE actor_kind = 'system' AND actor_name = 'demo-seed' GROUP BY request_id
            """,
        ]
    }
}

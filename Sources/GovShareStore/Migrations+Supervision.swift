import SQLKit

extension Migrator {
    /// Issue 17 parts 1 and 3 (Art. 29–30): supervision runs, their findings (one open finding per rule, department
    /// and object), orders to correct with their signed documents, and sampling plans with their inspections.
    static let supervision = Migration(version: 42, name: "supervision") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE supervision_runs (
                id TEXT PRIMARY KEY, trigger_kind TEXT NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL, found INTEGER NOT NULL, opened INTEGER NOT NULL, resolved INTEGER NOT NULL,
                milliseconds BIGINT NOT NULL, by_rule TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX supervision_runs_started ON supervision_runs (started_at)",
            """
            CREATE TABLE supervision_findings (
                id TEXT PRIMARY KEY, rule TEXT NOT NULL, rule_version INTEGER NOT NULL, department_id TEXT NOT NULL,
                object_type TEXT NOT NULL, object_id TEXT NOT NULL, object_label TEXT NOT NULL, evidence TEXT NOT NULL,
                severity TEXT NOT NULL, status TEXT NOT NULL, run_id TEXT NOT NULL, first_seen_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL, resolved_at TEXT, node_id TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX supervision_findings_open ON supervision_findings (rule, department_id, object_id) WHERE status = 'open'",
            "CREATE INDEX supervision_findings_department ON supervision_findings (department_id, status)",
            """
            CREATE TABLE rectification_orders (
                id TEXT PRIMARY KEY, finding_id TEXT NOT NULL REFERENCES supervision_findings(id), rule TEXT NOT NULL,
                department_id TEXT NOT NULL, authority_id TEXT NOT NULL, what TEXT NOT NULL, basis TEXT NOT NULL,
                working_days INTEGER NOT NULL, issued_on TEXT NOT NULL, due_on TEXT NOT NULL, deadline_id TEXT NOT NULL,
                status TEXT NOT NULL, issued_by TEXT NOT NULL, issued_by_name TEXT NOT NULL, issued_at TEXT NOT NULL,
                document \(blob) NOT NULL, signature \(blob) NOT NULL, seal_id TEXT NOT NULL, document_sm3 TEXT NOT NULL,
                response TEXT, responded_by_name TEXT, responded_at TEXT, decision_note TEXT, decided_by_name TEXT,
                decided_at TEXT, escalated_at TEXT, updated_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX rectification_orders_department ON rectification_orders (department_id, status)",
            "CREATE INDEX rectification_orders_authority ON rectification_orders (authority_id, status)",
            // Random sampling (part 2): the plan with its seed, fixed before the draw; the frozen population and sample.
            """
            CREATE TABLE sampling_plans (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, population TEXT NOT NULL, department_filter TEXT, size INTEGER NOT NULL,
                head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL, seed TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at TEXT NOT NULL, drawn_at TEXT, population_objects TEXT, sample TEXT, node_id TEXT NOT NULL)
            """,
            """
            CREATE TABLE sampling_inspections (
                plan_id TEXT NOT NULL REFERENCES sampling_plans(id), object_id TEXT NOT NULL, ok BOOLEAN NOT NULL, note TEXT NOT NULL,
                inspector_name TEXT NOT NULL, inspected_at TEXT NOT NULL, finding_id TEXT, PRIMARY KEY (plan_id, object_id))
            """,
        ]
    }
}

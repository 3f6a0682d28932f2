import SQLKit

extension Migrator {
    /// Issue 16 part 3 (Art. 13): fact pairs declared by the data authority, check runs, conflict cases between two
    /// providers with their findings (each side's stored row key only: for an encrypted key item its blind index, never
    /// a clear value) and messages, and the authoritative source named per pair, which the catalog entries show.
    /// Version 39 is the objections migration (Art. 21), built on another branch.
    static let conflicts = Migration(version: 40, name: "conflicts") { _ in
        [
            """
            CREATE TABLE fact_pairs (
                id TEXT PRIMARY KEY, authority_id TEXT NOT NULL REFERENCES departments(id),
                left_dataset_id TEXT NOT NULL, left_entry_id TEXT NOT NULL, left_entry_code TEXT NOT NULL,
                left_entry_name TEXT NOT NULL, left_provider_id TEXT NOT NULL REFERENCES departments(id), left_item TEXT NOT NULL,
                left_key_item TEXT NOT NULL,
                right_dataset_id TEXT NOT NULL, right_entry_id TEXT NOT NULL, right_entry_code TEXT NOT NULL,
                right_entry_name TEXT NOT NULL, right_provider_id TEXT NOT NULL REFERENCES departments(id), right_item TEXT NOT NULL,
                right_key_item TEXT NOT NULL,
                note TEXT NOT NULL, status TEXT NOT NULL, declared_by TEXT NOT NULL, declared_by_name TEXT NOT NULL,
                declared_at TEXT NOT NULL, retired_at TEXT, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX fact_pairs_authority ON fact_pairs (authority_id, status)",
            """
            CREATE TABLE conflict_runs (
                id TEXT PRIMARY KEY, trigger_kind TEXT NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL, pairs_checked INTEGER NOT NULL, disagreements BIGINT NOT NULL,
                cases_opened INTEGER NOT NULL, milliseconds BIGINT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX conflict_runs_started ON conflict_runs (started_at)",
            """
            CREATE TABLE conflict_cases (
                id TEXT PRIMARY KEY, pair_id TEXT NOT NULL REFERENCES fact_pairs(id), authority_id TEXT NOT NULL,
                left_provider_id TEXT NOT NULL, right_provider_id TEXT NOT NULL, status TEXT NOT NULL,
                disagreements BIGINT NOT NULL, last_run_id TEXT NOT NULL, opened_at TEXT NOT NULL, due_on TEXT NOT NULL,
                proposed_side TEXT, proposed_by TEXT, proposed_at TEXT, resolved_side TEXT, resolved_by TEXT, resolved_at TEXT,
                reasons TEXT, escalated_at TEXT, updated_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX conflict_cases_pair ON conflict_cases (pair_id, status)",
            "CREATE INDEX conflict_cases_status ON conflict_cases (status, due_on)",
            // At most one open case per pair, even with two nodes checking at once.
            "CREATE UNIQUE INDEX conflict_cases_open ON conflict_cases (pair_id) WHERE status IN ('negotiating', 'escalated')",
            """
            CREATE TABLE conflict_findings (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES conflict_cases(id), left_ref TEXT NOT NULL,
                right_ref TEXT NOT NULL, found_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX conflict_findings_case ON conflict_findings (case_id)",
            """
            CREATE TABLE conflict_messages (
                id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES conflict_cases(id), kind TEXT NOT NULL,
                department_id TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL, body TEXT NOT NULL,
                created_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX conflict_messages_case ON conflict_messages (case_id, created_at)",
            """
            CREATE TABLE authoritative_sources (
                id TEXT PRIMARY KEY, pair_id TEXT NOT NULL UNIQUE REFERENCES fact_pairs(id),
                case_id TEXT NOT NULL REFERENCES conflict_cases(id), side TEXT NOT NULL, decided_how TEXT NOT NULL,
                decided_by_name TEXT NOT NULL, reasons TEXT NOT NULL, decided_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
        ]
    }
}

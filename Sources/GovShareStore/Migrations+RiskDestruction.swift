import SQLKit

extension Migrator {
    /// Issue 15 (Art. 27, 28): computed risk reports (the signed content, its rendering and the authority's
    /// signature; one scheduled report per period), third parties' uploaded reports, destruction requests and the
    /// records of executed destructions. Requests and records name their dataset without a foreign key: the record of a
    /// destruction outlives the dataset it destroyed.
    static let riskReportsAndDestruction = Migration(version: 36, name: "risk_reports_and_destruction") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE risk_reports (
                id TEXT PRIMARY KEY, period_from TEXT NOT NULL, period_to TEXT NOT NULL, trigger_kind TEXT NOT NULL,
                generated_by TEXT NOT NULL, generated_at TEXT NOT NULL, worst TEXT NOT NULL, finding_count INTEGER NOT NULL,
                document \(blob) NOT NULL, html TEXT NOT NULL, signature \(blob) NOT NULL, seal_id TEXT NOT NULL,
                document_sm3 TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX risk_reports_generated ON risk_reports (generated_at)",
            // The scheduler makes one report per period, even with two nodes racing.
            "CREATE UNIQUE INDEX risk_reports_scheduled ON risk_reports (period_from, period_to) WHERE trigger_kind = 'scheduled'",
            """
            CREATE TABLE third_party_risk_reports (
                id TEXT PRIMARY KEY, period_from TEXT NOT NULL, period_to TEXT NOT NULL, title TEXT NOT NULL,
                assessor TEXT NOT NULL, file_name TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, sm3 TEXT NOT NULL,
                uploaded_by TEXT NOT NULL, uploaded_by_name TEXT NOT NULL, uploaded_at TEXT NOT NULL, node_id TEXT NOT NULL)
            """,
            """
            CREATE TABLE destruction_requests (
                id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, entry_id TEXT NOT NULL,
                entry_code TEXT NOT NULL, provider_id TEXT NOT NULL REFERENCES departments(id), scope TEXT NOT NULL,
                before_date TEXT, basis TEXT NOT NULL, status TEXT NOT NULL, requested_by TEXT NOT NULL,
                requested_by_name TEXT NOT NULL, requested_at TEXT NOT NULL, decided_by TEXT, decided_by_name TEXT,
                decided_at TEXT, decision_note TEXT, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX destruction_requests_provider ON destruction_requests (provider_id, requested_at)",
            """
            CREATE TABLE destruction_records (
                id TEXT PRIMARY KEY, request_id TEXT NOT NULL UNIQUE REFERENCES destruction_requests(id),
                dataset_id TEXT NOT NULL, entry_code TEXT NOT NULL, provider_id TEXT NOT NULL, scope TEXT NOT NULL,
                before_date TEXT, basis TEXT NOT NULL, requested_by TEXT NOT NULL, approved_by TEXT NOT NULL,
                executed_by TEXT NOT NULL, row_count BIGINT NOT NULL, sm3 TEXT NOT NULL, executed_at TEXT NOT NULL,
                node_id TEXT NOT NULL)
            """,
            "CREATE INDEX destruction_records_provider ON destruction_records (provider_id, executed_at)",
        ]
    }
}

extension Migrator {
    /// Issue 12: instruments a department proposes as a legal basis (Art. 16, 18), confirmed or rejected by the
    /// provincial data authority. At most one pending or confirmed proposal per instrument (by its comparison key).
    static let legalInstrumentProposals = Migration(version: 26, name: "legal_instrument_proposals") { _ in
        [
            """
            CREATE TABLE legal_instrument_proposals (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL, level TEXT NOT NULL, issuer TEXT NOT NULL,
                document_number TEXT, reference TEXT NOT NULL, status TEXT NOT NULL,
                proposed_by TEXT NOT NULL, proposed_by_name TEXT NOT NULL, department_id TEXT NOT NULL,
                decided_by TEXT, decided_by_name TEXT, decided_at TEXT, decision_reason TEXT,
                node_id TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX legal_instrument_proposals_open ON legal_instrument_proposals(name_key) WHERE status <> 'rejected'",
        ]
    }
}

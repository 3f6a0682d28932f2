extension Migrator {
    /// Issue 16 (Art. 21), objections to shared data. `objections` keeps the case as a JSON document with the columns
    /// the queues filter on; the records' keys and proposed values (personal data) are SM4-GCM sealed in `sealed`
    /// under the objections' own key set (`dataset_keys`, owner `objections`). `objection_records` holds, per objected
    /// record, its keyed reference (the read trace's HMAC) and state, so a read flags its confirmed records with one
    /// indexed lookup and no clear key is ever stored.
    static let objections = Migration(version: 39, name: "objections") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE objections (
                id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id), provider_id TEXT NOT NULL,
                objector_department_id TEXT NOT NULL, authority_id TEXT NOT NULL, status TEXT NOT NULL, deadline_id TEXT,
                document TEXT NOT NULL, sealed TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                node_id TEXT NOT NULL)
            """,
            "CREATE INDEX objections_provider ON objections(provider_id, status)",
            "CREATE INDEX objections_objector ON objections(objector_department_id)",
            "CREATE INDEX objections_authority ON objections(authority_id)",
            "CREATE INDEX objections_dataset ON objections(dataset_id)",
            """
            CREATE TABLE objection_records (
                objection_id TEXT NOT NULL REFERENCES objections(id), record_ref \(blob) NOT NULL, dataset_id TEXT NOT NULL,
                state TEXT NOT NULL, PRIMARY KEY (objection_id, record_ref))
            """,
            "CREATE INDEX objection_records_flag ON objection_records(dataset_id, record_ref, state)",
        ]
    }
}

extension Migrator {
    /// Issue 15 (Art. 27–28), encryption at rest: each dataset's data and index keys, wrapped by the key-encryption key
    /// (never in clear here), one row per key version; the background re-encryption jobs with their cursor (the last
    /// `_pk` done, committed with each batch, so a killed job resumes there); and on each dataset the columns that are
    /// encrypted and whether rows with clear values remain.
    static let encryptionAtRest = Migration(version: 33, name: "encryption_at_rest") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE dataset_keys (
                id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, version INTEGER NOT NULL, wrapped_key \(blob) NOT NULL,
                wrapped_index_key \(blob) NOT NULL, kek_id TEXT NOT NULL, state TEXT NOT NULL, columns TEXT NOT NULL,
                created_at TEXT NOT NULL, node_id TEXT NOT NULL, UNIQUE (dataset_id, version))
            """,
            "CREATE INDEX dataset_keys_kek ON dataset_keys(kek_id)",
            """
            CREATE TABLE dataset_reencryptions (
                id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, target_version INTEGER NOT NULL, cursor TEXT,
                rows_done INTEGER NOT NULL DEFAULT 0, rows_total INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,
                reason TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                finished_at TEXT, node_id TEXT NOT NULL)
            """,
            "CREATE INDEX dataset_reencryptions_dataset ON dataset_reencryptions(dataset_id, created_at)",
            // At most one unfinished job per dataset.
            "CREATE UNIQUE INDEX dataset_reencryptions_one_open ON dataset_reencryptions(dataset_id) WHERE state = 'running'",
            "ALTER TABLE datasets ADD COLUMN encrypted_columns TEXT",
            "ALTER TABLE datasets ADD COLUMN encryption_pending INTEGER NOT NULL DEFAULT 0",
        ]
    }
}

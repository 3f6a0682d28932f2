extension Migrator {
    /// Issue 14 (Art. 23): e-licence types, each on a catalog entry, and the licences issued with their signed
    /// canonical document. Lookups go by (type, holder); a number is unique within its type.
    static let licences = Migration(version: 31, name: "licences") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE licence_types (
                id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
                issuer_department_id TEXT NOT NULL REFERENCES departments(id), holder_kind TEXT NOT NULL,
                holder_item TEXT NOT NULL, holder_name_item TEXT NOT NULL, number_item TEXT,
                entry_id TEXT NOT NULL REFERENCES catalog_entries(id), entry_code TEXT NOT NULL, fields TEXT NOT NULL,
                node_id TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE licences (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, type_id TEXT NOT NULL REFERENCES licence_types(id),
                number TEXT NOT NULL, holder_id TEXT NOT NULL, holder_name TEXT NOT NULL,
                issuer_department_id TEXT NOT NULL, issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,
                valid_from TEXT NOT NULL, valid_to TEXT, fields TEXT NOT NULL,
                file_name TEXT, file_content_type TEXT, file_size BIGINT, file_sha256 TEXT,
                status TEXT NOT NULL, revoked_at TEXT, revoked_by TEXT, revocation_reason TEXT,
                document \(blob) NOT NULL, signature \(blob) NOT NULL, seal_id TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX licences_type_number ON licences(type_id, number)",
            "CREATE INDEX licences_type_holder ON licences(type_id, holder_id)",
            "CREATE INDEX licences_issuer ON licences(issuer_department_id, issued_at)",
        ]
    }
}

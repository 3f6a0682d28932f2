extension Migrator {
    /// Issue 14: seals and signing keys issued by the data authority (Art. 25). The certificate and the GB/T 38540
    /// seal structure are public; the private key is stored only wrapped by the key-encryption key (not in the
    /// database), under the label `seal:<id>`. Revocation keeps its effective time (`revoked_at`) and when it was
    /// recorded.
    static let seals = Migration(version: 30, name: "seals") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE seals (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
                holder_department_id TEXT NOT NULL, holder_user_id TEXT, image \(blob),
                valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, status TEXT NOT NULL, suspended_at TEXT,
                revoked_at TEXT, revocation_recorded_at TEXT, revocation_reason TEXT,
                certificate \(blob) NOT NULL, certificate_serial TEXT NOT NULL, seal_structure \(blob) NOT NULL,
                wrapped_private_key \(blob) NOT NULL, kek_id TEXT NOT NULL, issued_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX seals_certificate_serial ON seals(certificate_serial)",
            "CREATE INDEX seals_holder ON seals(holder_department_id, created_at)",
        ]
    }
}

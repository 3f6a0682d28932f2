extension Migrator {
    /// Issue 14: the platform's root and node keys (Art. 25, 28). The certificate is public; the private key is stored
    /// only wrapped by the key-encryption key, which is not in the database. One key per kind and node: two processes
    /// starting together keep the first.
    static let platformKeys = Migration(version: 29, name: "platform_signing_keys") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE platform_signing_keys (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, node_id TEXT NOT NULL, certificate \(blob) NOT NULL,
                wrapped_private_key \(blob) NOT NULL, kek_id TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX platform_signing_keys_one_per_kind ON platform_signing_keys(node_id, kind)",
        ]
    }
}

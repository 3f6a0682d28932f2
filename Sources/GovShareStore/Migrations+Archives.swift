import SQLKit

extension Migrator {
    /// Art. 26 and 28: the registry of archival packages, and the ranges of the audit chain moved into them.
    ///
    /// - `archives`: one row per package (docs/archiving.md): where it lies, its Merkle root and the SM3 of its
    ///   signed manifest.
    /// - `audit_segments`: entries `first_seq`…`last_seq` (the first linking to `first_prev_hash`, the last hashing to
    ///   `last_hash`) are in package `archive_id`; the live chain starts after the newest segment.
    ///
    /// Both are append-only like the audit tables: no UPDATE, no DELETE, no TRUNCATE — they are what the chain's
    /// verification starts from.
    static let archives = Migration(version: 37, name: "archives_and_audit_segments") { kind in
        var statements = [
            """
            CREATE TABLE archives (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, kind TEXT NOT NULL, location TEXT NOT NULL,
                merkle_root TEXT NOT NULL, manifest_sm3 TEXT NOT NULL, file_count INTEGER NOT NULL, size_bytes BIGINT NOT NULL,
                period_from TEXT, period_to TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL, created_by_name TEXT NOT NULL)
            """,
            "CREATE INDEX archives_kind ON archives (kind, created_at)",
            """
            CREATE TABLE audit_segments (
                id TEXT PRIMARY KEY, first_seq BIGINT NOT NULL UNIQUE, last_seq BIGINT NOT NULL UNIQUE,
                first_prev_hash TEXT NOT NULL, last_hash TEXT NOT NULL, archive_id TEXT NOT NULL REFERENCES archives(id),
                archived_at TEXT NOT NULL, entries BIGINT NOT NULL, reads BIGINT NOT NULL, read_refs BIGINT NOT NULL,
                node_id TEXT NOT NULL, CHECK (last_seq >= first_seq))
            """,
        ]
        let message = "append_only: archive registrations and audit segments cannot be changed or deleted"
        if kind == .postgres {
            statements.append(
                """
                CREATE FUNCTION refuse_archive_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(message)' USING ERRCODE = 'integrity_constraint_violation'; END $$
                """)
        }
        for table in ["archives", "audit_segments"] {
            if kind == .postgres {
                statements += [
                    "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse_archive_change()",
                    "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION refuse_archive_change()",
                ]
            } else {
                statements += [
                    "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END",
                    "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END",
                ]
            }
        }
        return statements
    }
}

import SQLKit

extension Migrator {
    /// Art. 28 and Art. 24: signed audit checkpoints, and the platform's signed official documents (application
    /// decision letters, grants).
    ///
    /// - `audit_checkpoints`: the node's SM2 signature over (seq, head hash, time, node id) with the node certificate
    ///   that names the key (AuditCheckpoint.message).
    /// - `official_documents`: the exact bytes of a letter and its detached GB/T 38540 signature by the authority's
    ///   seal, per object (`kind`, `object_id`).
    ///
    /// Both are append-only like the audit tables (migration 27): no UPDATE, no TRUNCATE, and no DELETE at all — a
    /// checkpoint is what later proves the chain, and a letter is the official output itself; both are small.
    static let auditCheckpoints = Migration(version: 32, name: "audit_checkpoints_and_official_documents") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        var statements = [
            """
            CREATE TABLE audit_checkpoints (
                id TEXT PRIMARY KEY, seq BIGINT NOT NULL, head_hash TEXT NOT NULL, signed_at TEXT NOT NULL,
                node_id TEXT NOT NULL, signature \(blob) NOT NULL, certificate \(blob) NOT NULL)
            """,
            "CREATE INDEX audit_checkpoints_node_seq ON audit_checkpoints (node_id, seq)",
            """
            CREATE TABLE official_documents (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, object_id TEXT NOT NULL, document \(blob) NOT NULL,
                signature \(blob) NOT NULL, seal_id TEXT NOT NULL, document_sm3 TEXT NOT NULL, signed_at TEXT NOT NULL,
                node_id TEXT NOT NULL)
            """,
            "CREATE INDEX official_documents_object ON official_documents (kind, object_id)",
        ]
        let message = "append_only: signed checkpoints and official documents cannot be changed or deleted"
        for table in ["audit_checkpoints", "official_documents"] {
            if kind == .postgres {
                statements += [
                    "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION refuse_signed_change()",
                    "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION refuse_signed_change()",
                ]
            } else {
                statements += [
                    "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END",
                    "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END",
                ]
            }
        }
        if kind == .postgres {
            statements.insert(
                """
                CREATE FUNCTION refuse_signed_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(message)' USING ERRCODE = 'integrity_constraint_violation'; END $$
                """, at: 0)
        }
        return statements
    }
}

import SQLKit

extension Migrator {
    /// Record references travel with their read: each `data_reads` row carries its references as one packed value
    /// (`refs`, 32 bytes each), written in the read's own audit transaction. `ReadRefIndexer` later moves them into
    /// `data_read_refs` in large batches; `indexed_through` is the last read whose references are there. Reads
    /// written before this migration are already indexed.
    /// On SQLite the index becomes `WITHOUT ROWID`: one B-tree keyed by reference instead of a table plus its key index.
    static let packedReadRefs = Migration(version: 13, name: "packed_read_refs") { kind in
        var statements = [
            "ALTER TABLE data_reads ADD COLUMN refs \(kind == .postgres ? "BYTEA" : "BLOB")",
            "CREATE TABLE data_read_ref_index (id INTEGER PRIMARY KEY, indexed_through BIGINT NOT NULL)",
            "INSERT INTO data_read_ref_index (id, indexed_through) SELECT 1, COALESCE(MAX(audit_seq), 0) FROM data_reads",
        ]
        if kind == .sqlite {
            statements += [
                "CREATE TABLE data_read_refs_clustered (ref BLOB NOT NULL, audit_seq BIGINT NOT NULL, PRIMARY KEY (ref, audit_seq)) WITHOUT ROWID",
                "INSERT INTO data_read_refs_clustered (ref, audit_seq) SELECT ref, audit_seq FROM data_read_refs",
                "DROP TABLE data_read_refs",
                "ALTER TABLE data_read_refs_clustered RENAME TO data_read_refs",
            ]
        }
        return statements
    }
}

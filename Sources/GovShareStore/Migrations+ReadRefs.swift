import SQLKit

extension Migrator {
    /// Record references travel with their read: each `data_reads` row carries its references as one packed value
    /// (`refs`, 32 bytes each), written in the read's own audit transaction. `ReadRefIndexer` later moves them into
    /// `data_read_refs` in large batches; `indexed_through` is the last read whose references are there. Reads
    /// written before this migration are already indexed.
    static let packedReadRefs = Migration(version: 13, name: "packed_read_refs") { kind in
        [
            "ALTER TABLE data_reads ADD COLUMN refs \(kind == .postgres ? "BYTEA" : "BLOB")",
            "CREATE TABLE data_read_ref_index (id INTEGER PRIMARY KEY, indexed_through BIGINT NOT NULL)",
            "INSERT INTO data_read_ref_index (id, indexed_through) SELECT 1, COALESCE(MAX(audit_seq), 0) FROM data_reads",
        ]
    }
}

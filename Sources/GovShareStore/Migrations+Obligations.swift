extension Migrator {
    /// Issue 12, Art. 9: an obligation names the entry it concerns (only that entry's publication meets it) and records
    /// when the department was reminded and when the overdue obligation went to its reviewing authority (each once).
    /// No foreign key, as `met_by_entry_id`: removing demo entries (`govshare demo purge`) keeps obligations as records.
    static let catalogObligationEntries = Migration(version: 28, name: "catalog_obligation_entry_and_notices") { _ in
        [
            "ALTER TABLE catalog_obligations ADD COLUMN entry_id TEXT",
            "ALTER TABLE catalog_obligations ADD COLUMN reminded_at TEXT",
            "ALTER TABLE catalog_obligations ADD COLUMN escalated_at TEXT",
            "CREATE INDEX catalog_obligations_entry ON catalog_obligations(entry_id)",
        ]
    }
}

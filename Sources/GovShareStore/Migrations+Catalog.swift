extension Migrator {
    static let catalogSchema = Migration(version: 3, name: "catalog") { _ in
        [
            """
            CREATE TABLE catalog_entries (
                id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                provider_id TEXT NOT NULL REFERENCES departments(id), latest_version INTEGER NOT NULL,
                published_version INTEGER, status TEXT NOT NULL, node_id TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX catalog_entries_status ON catalog_entries(status, provider_id)",
            """
            CREATE TABLE catalog_versions (
                entry_id TEXT NOT NULL REFERENCES catalog_entries(id), version INTEGER NOT NULL, status TEXT NOT NULL,
                content TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, submitted_at TEXT,
                reviewed_by TEXT, review_reason TEXT, published_at TEXT, PRIMARY KEY (entry_id, version))
            """,
            // Sequence numbers per classification code: only ever incremented, so codes are never reused.
            "CREATE TABLE catalog_code_sequences (classification_code TEXT PRIMARY KEY, last_value INTEGER NOT NULL)",
            // The search index of published entries; *_lc columns hold lower-cased text for matching.
            """
            CREATE TABLE catalog_search (
                entry_id TEXT PRIMARY KEY REFERENCES catalog_entries(id), code TEXT NOT NULL, version INTEGER NOT NULL,
                name TEXT NOT NULL, summary TEXT NOT NULL, item_names TEXT NOT NULL,
                name_lc TEXT NOT NULL, summary_lc TEXT NOT NULL, item_names_lc TEXT NOT NULL,
                provider_id TEXT NOT NULL, region_code TEXT NOT NULL, kind TEXT NOT NULL, share_type TEXT NOT NULL,
                classification_code TEXT NOT NULL, open_to_public BOOLEAN NOT NULL, published_at TEXT NOT NULL)
            """,
            "CREATE INDEX catalog_search_facets ON catalog_search(kind, share_type, region_code)",
            "CREATE INDEX catalog_search_provider ON catalog_search(provider_id)",
            "CREATE INDEX catalog_search_published ON catalog_search(published_at)",
            """
            CREATE TABLE catalog_obligations (
                id TEXT PRIMARY KEY, trigger_kind TEXT NOT NULL, trigger_date TEXT NOT NULL, reference TEXT NOT NULL,
                department_id TEXT NOT NULL REFERENCES departments(id), deadline_id TEXT NOT NULL REFERENCES deadlines(id),
                met_by_entry_id TEXT, met_at TEXT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX catalog_obligations_department ON catalog_obligations(department_id)",
        ]
    }
}

extension Migrator {
    static let businessSystems = Migration(version: 4, name: "business systems (Art. 11)") { _ in
        [
            """
            CREATE TABLE business_systems (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, department_id TEXT NOT NULL REFERENCES departments(id),
                status TEXT NOT NULL, planned_entry_ids TEXT NOT NULL, node_id TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """
        ]
    }
}

extension Migrator {
    /// One lower-cased text column to match against, so a query scans each row's text once.
    static let catalogSearchText = Migration(version: 5, name: "catalog search text") { _ in
        [
            "ALTER TABLE catalog_search ADD COLUMN search_lc TEXT NOT NULL DEFAULT ''",
            "UPDATE catalog_search SET search_lc = name_lc || ' ' || summary_lc || ' ' || item_names_lc",
        ]
    }
}

extension Migrator {
    /// A bigram table for SQL-side search; superseded by the in-memory index (v11), which drops it. Fresh databases
    /// have no published entries at this version, so there is nothing to fill.
    static let catalogGrams = Migration(version: 6, name: "catalog bigram index") { kind in
        [
            "CREATE TABLE catalog_grams (gram TEXT NOT NULL, entry_id TEXT NOT NULL, PRIMARY KEY (gram, entry_id))"
                + (kind == .sqlite ? " WITHOUT ROWID" : ""),
            "CREATE INDEX catalog_grams_entry ON catalog_grams(entry_id)",
        ]
    }
}

extension Migrator {
    /// The change log that keeps each server's in-memory search index current (CatalogSearchCache).
    static let catalogSearchChanges = Migration(version: 11, name: "catalog search change log") { _ in
        [
            "CREATE TABLE catalog_search_state (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
            "INSERT INTO catalog_search_state (id, generation) VALUES (1, 1)",
            "CREATE TABLE catalog_search_changes (seq BIGINT PRIMARY KEY, entry_id TEXT NOT NULL)",
            "DROP TABLE catalog_grams",
        ]
    }
}

extension Migrator {
    /// The lower-cased copies only the old SQL search read; the in-memory index (v11) lower-cases as it loads.
    static let dropCatalogSearchCopies = Migration(version: 15, name: "drop_catalog_search_lowercase_copies") { _ in
        ["name_lc", "summary_lc", "item_names_lc", "search_lc"].map { "ALTER TABLE catalog_search DROP COLUMN \($0)" }
    }
}

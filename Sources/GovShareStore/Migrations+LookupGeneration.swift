import SQLKit

extension Migrator {
    /// Tables whose rows decide who a caller is and what they may read. Any write to them, by any code path or any
    /// server on the same database, bumps `lookup_generation` in the writing transaction (database triggers), which is
    /// what lets `LookupCache` serve those lookups from memory.
    static let lookupTables = ["users", "user_roles", "api_clients", "datasets", "catalog_entries", "subscriptions", "grants"]

    static let lookupGeneration = Migration(version: 14, name: "lookup_generation") { kind in
        var statements = [
            "CREATE TABLE lookup_generation (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
            "INSERT INTO lookup_generation (id, n) VALUES (1, 0)",
        ]
        if kind == .postgres {
            statements.append(
                """
                CREATE FUNCTION bump_lookup_generation() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE lookup_generation SET n = n + 1 WHERE id = 1; RETURN NULL; END $$
                """)
            for table in lookupTables {
                statements.append(
                    """
                    CREATE TRIGGER \(table)_lookup_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(table)
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_lookup_generation()
                    """)
            }
        } else {
            for table in lookupTables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    statements.append(
                        """
                        CREATE TRIGGER \(table)_lookup_generation_\(event.lowercased()) AFTER \(event) ON \(table)
                        BEGIN UPDATE lookup_generation SET n = n + 1 WHERE id = 1; END
                        """)
                }
            }
        }
        return statements
    }
}

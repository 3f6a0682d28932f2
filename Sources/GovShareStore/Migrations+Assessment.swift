import SQLKit

extension Migrator {
    /// Issue 17 part 4 (Art. 31): computed assessment periods. A published row is never changed (a trigger refuses
    /// it on both databases); at most one draft and one published row per period.
    static let assessments = Migration(version: 41, name: "assessments") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        var statements = [
            """
            CREATE TABLE assessments (
                id TEXT PRIMARY KEY, period TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,
                as_of TEXT NOT NULL, scheme_version TEXT NOT NULL, status TEXT NOT NULL, department_count INTEGER NOT NULL,
                computed_by TEXT NOT NULL, computed_by_name TEXT NOT NULL, computed_at TEXT NOT NULL, published_by TEXT,
                published_by_name TEXT, published_at TEXT, document \(blob) NOT NULL, document_sm3 TEXT NOT NULL,
                signature \(blob), seal_id TEXT, node_id TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX assessments_one_per_status ON assessments (period, status)",
            "CREATE INDEX assessments_status ON assessments (status, period_to)",
            // The facts read per period: batches by time, deadlines by kind and due date.
            "CREATE INDEX dataset_batches_created ON dataset_batches (created_at)",
            "CREATE INDEX deadlines_subject_due ON deadlines (subject_type, due_on)",
        ]
        let message = "a published assessment is immutable"
        if kind == .postgres {
            statements += [
                """
                CREATE FUNCTION refuse_published_assessment_change() RETURNS trigger AS $$
                BEGIN
                    IF OLD.status = 'published' THEN RAISE EXCEPTION '\(message)'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """,
                """
                CREATE TRIGGER assessments_published_immutable BEFORE UPDATE ON assessments
                FOR EACH ROW EXECUTE FUNCTION refuse_published_assessment_change()
                """,
            ]
        } else {
            statements.append(
                """
                CREATE TRIGGER assessments_published_immutable BEFORE UPDATE ON assessments
                WHEN OLD.status = 'published' BEGIN SELECT RAISE(ABORT, '\(message)'); END
                """)
        }
        return statements
    }
}

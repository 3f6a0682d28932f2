import GovShareCore
import SQLKit

extension Migrator {
    /// Art. 28 (安全日志留存) with the Cybersecurity Law (第二十一条: network logs kept at least six months): the audit
    /// log and the read trace cannot lose a row younger than the retention, whatever writes to the database — our code,
    /// another server, the CLI or plain SQL. Defence in depth behind the application, which deletes none of them.
    ///
    /// - `retention_settings` holds the retention the server was configured with (written at start-up by
    ///   `SQLRetentionSettings`); it never goes below 183 days (CHECK) and never goes down while audit entries exist
    ///   (trigger): an entry written under a promise of N days keeps it.
    /// - DELETE of an `audit_events`, `data_reads` or `data_read_refs` row younger than the retention is refused (a
    ///   reference is as old as its read). Age is measured with the database's own clock, not the application's.
    /// - UPDATE is refused at any age: the chain is append-only, and nothing legitimate changes an entry or a
    ///   reference. The one exception is the read-reference indexer clearing `data_reads.refs` after copying them into
    ///   `data_read_refs` in the same transaction (nothing else of the row may change).
    /// - TRUNCATE (PostgreSQL) of these tables is refused outright.
    /// Only someone who can drop triggers (the schema owner) gets past this, and the hash chain still names the entry.
    static let retentionGuard = Migration(version: 27, name: "audit_retention_guard") { kind in
        let setup = [
            """
            CREATE TABLE retention_settings (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                audit_retention_days INTEGER NOT NULL CHECK (audit_retention_days >= \(minimumRetentionDays)),
                updated_at TEXT NOT NULL)
            """,
            "INSERT INTO retention_settings (id, audit_retention_days, updated_at) VALUES (1, \(minimumRetentionDays), '\(Timestamp.format(.now))')",
        ]
        return setup + (kind == .postgres ? postgresRetentionTriggers : sqliteRetentionTriggers)
    }

    /// Six months, rounded up (Cybersecurity Law 第二十一条); configuration validation has the same floor.
    static let minimumRetentionDays = 183

    static let retentionMessage = "audit_retention: audit and read-trace rows younger than the retention period cannot be deleted (Art. 28)"
    static let appendOnlyMessage = "audit_append_only: audit and read-trace rows cannot be changed"
    static let retentionLowerMessage = "audit_retention: the retention cannot be lowered while audit entries exist"

    /// Every column of `data_reads` but `refs`: they must stay as they were; `refs` may only be cleared. (Listed, not
    /// compared as whole rows, so the indexer's update does not copy each read's packed references to compare them.)
    private static let readColumns = [
        "audit_seq", "dataset_id", "entry_code", "actor_id", "actor_name", "department_id", "purpose_id",
        "items", "filter", "row_count", "read_at", "request_id",
    ]

    private static var sqliteCutoff: String {
        """
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || COALESCE((SELECT audit_retention_days FROM retention_settings WHERE id = 1), \(minimumRetentionDays)) || ' days')
        """
    }

    private static var sqliteRetentionTriggers: [String] {
        func refuse(_ name: String, _ event: String, _ table: String, _ condition: String?, _ message: String) -> String {
            """
            CREATE TRIGGER \(name) BEFORE \(event) ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(message)')\(condition.map { " WHERE \($0)" } ?? ""); END
            """
        }
        let readAge =
            "COALESCE((SELECT read_at FROM data_reads WHERE audit_seq = OLD.audit_seq), (SELECT occurred_at FROM audit_events WHERE seq = OLD.audit_seq), '')"
        let readChanged = "NEW.refs IS NOT NULL OR " + readColumns.map { "NEW.\($0) IS NOT OLD.\($0)" }.joined(separator: " OR ")
        return [
            refuse("audit_events_retain", "DELETE", "audit_events", "OLD.occurred_at >= \(sqliteCutoff)", retentionMessage),
            refuse("audit_events_append_only", "UPDATE", "audit_events", nil, appendOnlyMessage),
            refuse("data_reads_retain", "DELETE", "data_reads", "OLD.read_at >= \(sqliteCutoff)", retentionMessage),
            refuse("data_reads_append_only", "UPDATE", "data_reads", readChanged, appendOnlyMessage),
            refuse("data_read_refs_retain", "DELETE", "data_read_refs", "\(readAge) >= \(sqliteCutoff)", retentionMessage),
            refuse("data_read_refs_append_only", "UPDATE", "data_read_refs", nil, appendOnlyMessage),
            refuse("retention_settings_keep", "DELETE", "retention_settings", nil, retentionLowerMessage),
            refuse(
                "retention_settings_grow", "UPDATE", "retention_settings",
                "NEW.audit_retention_days < OLD.audit_retention_days AND EXISTS (SELECT 1 FROM audit_events)", retentionLowerMessage),
        ]
    }

    private static var postgresRetentionTriggers: [String] {
        // Text timestamps compare as bytes ("C"), which for the fixed-width UTC form is time order.
        let cutoff = "retention_cutoff() COLLATE \"C\""
        func function(_ name: String, _ body: String) -> String {
            "CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n\(body)\nEND $$"
        }
        func trigger(_ table: String, _ suffix: String, _ timing: String, _ level: String, _ fn: String) -> String {
            "CREATE TRIGGER \(table)_\(suffix) \(timing) ON \(table) FOR EACH \(level) EXECUTE FUNCTION \(fn)()"
        }
        var statements = [
            """
            CREATE FUNCTION retention_cutoff() RETURNS text LANGUAGE sql STABLE AS $$
            SELECT to_char((now() AT TIME ZONE 'UTC')
                           - make_interval(days => COALESCE((SELECT audit_retention_days FROM retention_settings WHERE id = 1), \(minimumRetentionDays))),
                           'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$
            """,
            function("refuse_audit_change", "RAISE EXCEPTION '\(appendOnlyMessage)' USING ERRCODE = 'integrity_constraint_violation';"),
            function(
                "retain_audit_event",
                """
                IF OLD.occurred_at COLLATE "C" >= \(cutoff) THEN
                    RAISE EXCEPTION '\(retentionMessage)' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN OLD;
                """),
            function(
                "retain_data_read",
                """
                IF OLD.read_at COLLATE "C" >= \(cutoff) THEN
                    RAISE EXCEPTION '\(retentionMessage)' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN OLD;
                """),
            function(
                "retain_data_read_ref",
                """
                IF COALESCE((SELECT read_at FROM data_reads WHERE audit_seq = OLD.audit_seq),
                            (SELECT occurred_at FROM audit_events WHERE seq = OLD.audit_seq), '') COLLATE "C" >= \(cutoff) THEN
                    RAISE EXCEPTION '\(retentionMessage)' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN OLD;
                """),
            function(
                "data_read_clear_refs_only",
                """
                IF NEW.refs IS NOT NULL
                   OR (\(readColumns.map { "NEW.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(readColumns.map { "OLD.\($0)" }.joined(separator: ", "))) THEN
                    RAISE EXCEPTION '\(appendOnlyMessage)' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
                """),
            function(
                "retention_settings_grow_only",
                """
                IF TG_OP = 'DELETE' OR (NEW.audit_retention_days < OLD.audit_retention_days AND EXISTS (SELECT 1 FROM audit_events)) THEN
                    RAISE EXCEPTION '\(retentionLowerMessage)' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
                """),
            trigger("audit_events", "retain", "BEFORE DELETE", "ROW", "retain_audit_event"),
            trigger("audit_events", "append_only", "BEFORE UPDATE", "ROW", "refuse_audit_change"),
            trigger("data_reads", "retain", "BEFORE DELETE", "ROW", "retain_data_read"),
            trigger("data_reads", "append_only", "BEFORE UPDATE", "ROW", "data_read_clear_refs_only"),
            trigger("data_read_refs", "retain", "BEFORE DELETE", "ROW", "retain_data_read_ref"),
            trigger("data_read_refs", "append_only", "BEFORE UPDATE", "ROW", "refuse_audit_change"),
            trigger("retention_settings", "grow_only", "BEFORE UPDATE OR DELETE", "ROW", "retention_settings_grow_only"),
        ]
        for table in ["audit_events", "data_reads", "data_read_refs", "retention_settings"] {
            statements.append(trigger(table, "no_truncate", "BEFORE TRUNCATE", "STATEMENT", "refuse_audit_change"))
        }
        return statements
    }
}

import SQLKit

extension Migrator {
    /// Art. 21 accountability and notification delivery: the data manager and application on each grant, the business
    /// and users of each subscription (Art. 16), misuse
    /// cases, department webhooks and mail recipients with one delivery queue, and application attachments.
    static let accountability = Migration(version: 12, name: "accountability_and_delivery") { _ in
        [
            "ALTER TABLE grants ADD COLUMN data_manager TEXT",
            "ALTER TABLE grants ADD COLUMN application_id TEXT",
            "ALTER TABLE subscriptions ADD COLUMN business TEXT",
            "ALTER TABLE subscriptions ADD COLUMN users TEXT",
            "CREATE INDEX grants_entry ON grants(entry_id)",
            """
            CREATE TABLE misuse_cases (
                id TEXT PRIMARY KEY, grant_id TEXT NOT NULL REFERENCES grants(id),
                reporter_department_id TEXT NOT NULL REFERENCES departments(id), holder_department_id TEXT NOT NULL,
                authority_id TEXT NOT NULL REFERENCES departments(id), description TEXT NOT NULL, status TEXT NOT NULL,
                resolution TEXT, reported_by TEXT NOT NULL, created_at TEXT NOT NULL, closed_at TEXT, closed_by TEXT,
                node_id TEXT NOT NULL)
            """,
            "CREATE INDEX misuse_cases_authority ON misuse_cases(authority_id, status)",
            """
            CREATE TABLE department_webhooks (
                department_id TEXT PRIMARY KEY REFERENCES departments(id), url TEXT NOT NULL, secret_sealed TEXT NOT NULL,
                created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE department_mail (
                department_id TEXT PRIMARY KEY REFERENCES departments(id), address TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE notification_deliveries (
                id TEXT PRIMARY KEY, notification_id TEXT NOT NULL, department_id TEXT NOT NULL, channel TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, last_error TEXT, delivered_at TEXT,
                created_at TEXT NOT NULL)
            """,
            "CREATE INDEX notification_deliveries_due ON notification_deliveries(status, next_attempt_at)",
            """
            CREATE TABLE application_attachments (
                id TEXT PRIMARY KEY, application_id TEXT NOT NULL REFERENCES share_applications(id), file_name TEXT NOT NULL,
                media_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, uploaded_by TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            "CREATE INDEX application_attachments_application ON application_attachments(application_id)",
        ]
    }
}

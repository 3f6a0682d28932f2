import SQLKit

extension Migrator {
    /// Issue 11's separation of duties and identity checks: grants made outside the application workflow wait for a
    /// second person and, for clear graded items, the provider's consent; identity checks have budgets per department and dataset.
    /// Version 25 leaves room for the versions other work in flight takes.
    static let grantApprovalsAndVerification = Migration(version: 25, name: "grant_approvals_and_verification_budget") { kind in
        [
            "ALTER TABLE grants ADD COLUMN approved_by TEXT",
            "ALTER TABLE grants ADD COLUMN approved_at TEXT",
            "ALTER TABLE grants ADD COLUMN provider_consent TEXT NOT NULL DEFAULT 'not_needed'",
            "ALTER TABLE grants ADD COLUMN provider_consent_by TEXT",
            """
            CREATE TABLE verification_budget (
                department_id TEXT NOT NULL, dataset_id TEXT NOT NULL, period TEXT NOT NULL, used INTEGER NOT NULL,
                PRIMARY KEY (department_id, dataset_id, period))
            """,
        ]
    }
}

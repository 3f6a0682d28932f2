import SQLKit

extension Migrator {
    /// Identity checks per record (review finding): a department's daily budget of checks on one dataset still let it
    /// try thousands of birth dates or names on one person. Each day and department holds a counter per checked record,
    /// named by its keyed reference (never the ID number in clear); rows of past days are dropped as checks come in.
    static let verificationRecordBudget = Migration(version: 45, name: "verification budget per record") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE verification_record_budget (
                day TEXT NOT NULL, department_id TEXT NOT NULL, dataset_id TEXT NOT NULL, record_ref \(blob) NOT NULL,
                used INTEGER NOT NULL, PRIMARY KEY (day, department_id, dataset_id, record_ref))
            """
        ]
    }

    /// A sampling plan records the authority that made it (review finding): without it, another authority could draw
    /// the plan first and freeze the sample to its own departments. Plans made before stay open to any authority.
    static let samplingPlanAuthority = Migration(version: 46, name: "sampling plan authority") { _ in
        ["ALTER TABLE sampling_plans ADD COLUMN authority_id TEXT"]
    }
}

import SQLKit

/// PostgreSQL advisory locks, scoped to the schema the connection works in (`current_schema()`, from the configured
/// `database_schema`): servers of one node, which share a schema, exclude each other; nodes in other schemas of the
/// same PostgreSQL server do not wait for them. (A lock keyed on the number alone was database-wide: every test
/// environment and every CLI run in its own schema queued behind whichever one was migrating, and a migration whose task
/// got no thread held all of them.)
enum AdvisoryLock {
    /// Taken in each migration's transaction: two servers starting together apply a migration once.
    static let migrations: Int32 = 4_400_001
    /// Taken when a legal instrument is proposed: two proposals of one instrument are taken one after the other.
    static let legalInstruments: Int32 = 4_400_026

    /// `pg_advisory_xact_lock(key, schema)`: held until the transaction ends.
    static func transactionLock(_ key: Int32) -> SQLQueryString {
        "pg_advisory_xact_lock(\(bind: key), hashtext(current_schema()))"
    }

    /// `pg_try_advisory_lock(key, schema)`: a session lock, true when taken, false at once when another session has it.
    static func tryLock(_ key: Int32) -> SQLQueryString {
        "pg_try_advisory_lock(\(bind: key), hashtext(current_schema()))"
    }

    static func unlock(_ key: Int32) -> SQLQueryString {
        "pg_advisory_unlock(\(bind: key), hashtext(current_schema()))"
    }
}

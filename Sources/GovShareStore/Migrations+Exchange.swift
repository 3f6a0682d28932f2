import Crypto
import Foundation
import GovShareCore
import SQLKit

extension Migrator {
    /// Mounted datasets (each with its own table, created when mounted), report batches, subscriptions, grants,
    /// and the read log with keyed per-row references for tracing (Art. 28).
    static let exchangeSchema = Migration(
        version: 7, name: "exchange",
        statements: { kind in
            let blob = kind == .postgres ? "BYTEA" : "BLOB"
            return [
                """
                CREATE TABLE datasets (
                    id TEXT PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE REFERENCES catalog_entries(id), entry_code TEXT NOT NULL,
                    entry_version INTEGER NOT NULL, provider_id TEXT NOT NULL REFERENCES departments(id), columns TEXT NOT NULL,
                    primary_key TEXT NOT NULL, update_cycle TEXT NOT NULL, row_count INTEGER NOT NULL, last_updated_at TEXT,
                    node_id TEXT NOT NULL, created_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE dataset_batches (
                    id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id), client_batch_id TEXT,
                    source TEXT NOT NULL, mode TEXT NOT NULL, received INTEGER NOT NULL, accepted INTEGER NOT NULL,
                    rejected INTEGER NOT NULL, deleted INTEGER NOT NULL, created_by TEXT NOT NULL, department_id TEXT NOT NULL,
                    created_at TEXT NOT NULL)
                """,
                "CREATE UNIQUE INDEX dataset_batches_client ON dataset_batches(dataset_id, client_batch_id)",
                "CREATE INDEX dataset_batches_time ON dataset_batches(dataset_id, created_at)",
                """
                CREATE TABLE subscriptions (
                    id TEXT PRIMARY KEY, department_id TEXT NOT NULL REFERENCES departments(id),
                    entry_id TEXT NOT NULL REFERENCES catalog_entries(id), items TEXT NOT NULL, purpose TEXT NOT NULL,
                    created_by TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT, node_id TEXT NOT NULL)
                """,
                "CREATE INDEX subscriptions_department ON subscriptions(department_id)",
                """
                CREATE TABLE grants (
                    id TEXT PRIMARY KEY, department_id TEXT NOT NULL REFERENCES departments(id),
                    entry_id TEXT NOT NULL REFERENCES catalog_entries(id), items TEXT NOT NULL, clear_items TEXT NOT NULL,
                    purpose TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, status TEXT NOT NULL,
                    created_by TEXT NOT NULL, created_at TEXT NOT NULL, revoked_reason TEXT, node_id TEXT NOT NULL)
                """,
                "CREATE INDEX grants_department ON grants(department_id)",
                """
                CREATE TABLE data_reads (
                    audit_seq BIGINT PRIMARY KEY, dataset_id TEXT NOT NULL, entry_code TEXT NOT NULL, actor_id TEXT NOT NULL,
                    actor_name TEXT NOT NULL, department_id TEXT NOT NULL, purpose_id TEXT NOT NULL, items TEXT NOT NULL,
                    filter TEXT NOT NULL, row_count INTEGER NOT NULL, read_at TEXT NOT NULL, request_id TEXT NOT NULL)
                """,
                "CREATE INDEX data_reads_department ON data_reads(department_id, read_at)",
                "CREATE INDEX data_reads_time ON data_reads(read_at)",
                // One row per returned record: an HMAC of dataset and primary key, so an auditor can find who read a
                // given ID number without the log holding ID numbers in clear.
                "CREATE TABLE data_read_refs (ref \(blob) NOT NULL, audit_seq BIGINT NOT NULL, PRIMARY KEY (ref, audit_seq))",
                "CREATE TABLE platform_keys (name TEXT PRIMARY KEY, key_value TEXT NOT NULL, created_at TEXT NOT NULL)",
            ]
        }, backfill: { db in try await createPlatformKey("read_ref", on: db) })
}

extension Migrator {
    /// Quality counters per dataset and rule; scheduled pulls from departments' own PostgreSQL tables.
    static let exchangeQualityAndPulls = Migration(
        version: 8, name: "exchange_quality_and_pulls",
        statements: { _ in
            [
                """
                CREATE TABLE dataset_quality (
                    dataset_id TEXT NOT NULL REFERENCES datasets(id), rule TEXT NOT NULL, failures BIGINT NOT NULL,
                    PRIMARY KEY (dataset_id, rule))
                """,
                // The connection URL is sealed with the node's source key; the watermark is where the next run starts.
                """
                CREATE TABLE pull_sources (
                    id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id), connection_sealed TEXT NOT NULL,
                    source_table TEXT NOT NULL, watermark_column TEXT NOT NULL, column_map TEXT NOT NULL,
                    interval_seconds INTEGER NOT NULL, last_watermark TEXT, last_run_at TEXT, last_error TEXT,
                    rows_pulled BIGINT NOT NULL, enabled BOOLEAN NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
                    node_id TEXT NOT NULL)
                """,
            ]
        }, backfill: { db in try await createPlatformKey("source_key", on: db) })
}

extension Migrator {
    /// Inherited mounts (Art. 15), file resources with checksums, and service-interface mounts.
    static let exchangeMounts = Migration(
        version: 9, name: "exchange_mounts",
        statements: { _ in
            [
                """
                CREATE TABLE inherited_mounts (
                    id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id),
                    department_id TEXT NOT NULL REFERENCES departments(id), note TEXT NOT NULL, created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL, node_id TEXT NOT NULL, UNIQUE (dataset_id, department_id))
                """,
                """
                CREATE TABLE resource_files (
                    id TEXT PRIMARY KEY, entry_id TEXT NOT NULL REFERENCES catalog_entries(id), file_name TEXT NOT NULL,
                    content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, uploaded_by TEXT NOT NULL,
                    uploaded_at TEXT NOT NULL, node_id TEXT NOT NULL)
                """,
                "CREATE INDEX resource_files_entry ON resource_files(entry_id)",
                """
                CREATE TABLE service_mounts (
                    id TEXT PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE REFERENCES catalog_entries(id), endpoint_sealed TEXT NOT NULL,
                    created_by TEXT NOT NULL, created_at TEXT NOT NULL, node_id TEXT NOT NULL)
                """,
            ]
        })
}

extension Migrator {
    /// Conditional-sharing applications (Art. 19) and the departments' notification inbox.
    static let sharingApplications = Migration(
        version: 10, name: "sharing_applications",
        statements: { _ in
            [
                """
                CREATE TABLE share_applications (
                    id TEXT PRIMARY KEY, applicant_department_id TEXT NOT NULL REFERENCES departments(id),
                    provider_id TEXT NOT NULL REFERENCES departments(id), authority_id TEXT NOT NULL REFERENCES departments(id),
                    entry_id TEXT NOT NULL REFERENCES catalog_entries(id), status TEXT NOT NULL, document TEXT NOT NULL,
                    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
                """,
                "CREATE INDEX share_applications_status ON share_applications(status)",
                "CREATE INDEX share_applications_provider ON share_applications(provider_id)",
                "CREATE INDEX share_applications_applicant ON share_applications(applicant_department_id)",
                """
                CREATE TABLE notifications (
                    id TEXT PRIMARY KEY, department_id TEXT NOT NULL, kind TEXT NOT NULL, subject_type TEXT NOT NULL,
                    subject_id TEXT NOT NULL, message_zh TEXT NOT NULL, message_en TEXT NOT NULL, created_at TEXT NOT NULL, read_at TEXT)
                """,
                "CREATE INDEX notifications_department ON notifications(department_id, created_at)",
                "CREATE INDEX data_reads_purpose ON data_reads(purpose_id)",
            ]
        })
}

extension Migrator {
    /// A new random 256-bit key of this node, kept in `platform_keys` (read references, cursors, sealed secrets).
    static func createPlatformKey(_ name: String, on db: any SQLDatabase) async throws {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        try await db.raw(
            """
            INSERT INTO platform_keys (name, key_value, created_at) VALUES (\(bind: name), \(bind: key), \(bind: Timestamp.format(.now)))
            """
        ).run()
    }

    /// A pull's position is the last row's watermark and source key, so a run of equal watermarks longer than a
    /// chunk is read in full (the watermark alone would skip the rest of the run).
    static let pullKeyCursor = Migration(version: 16, name: "pull_sources_last_key") { _ in
        ["ALTER TABLE pull_sources ADD COLUMN last_key TEXT"]
    }

    /// What a batch was (its digest) and what it rejected, so a replayed batch id is checked and answered in full.
    static let batchDigests = Migration(version: 17, name: "dataset_batches_digest_and_rejections") { _ in
        ["ALTER TABLE dataset_batches ADD COLUMN content_sha256 TEXT", "ALTER TABLE dataset_batches ADD COLUMN rejected_rows TEXT"]
    }
}

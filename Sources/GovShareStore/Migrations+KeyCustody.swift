import Foundation
import GovShareCore
import SQLKit

extension Migrator {
    /// Issue 15 (Art. 26, 28): the node's symmetric keys (`platform_keys`: read references, cursors, sealed secrets)
    /// are stored only wrapped by the key-encryption key, like the signing keys — the clear `key_value` is emptied, so
    /// a copied database holds no usable key — and the registry of backups (docs/backups.md).
    static let keyCustodyAndBackups = Migration(
        version: 34, name: "key_custody_and_backups",
        statements: { kind in
            let blob = kind == .postgres ? "BYTEA" : "BLOB"
            return [
                "ALTER TABLE platform_keys ADD COLUMN wrapped_key \(blob)",
                "ALTER TABLE platform_keys ADD COLUMN kek_id TEXT",
                """
                CREATE TABLE backups (
                    id TEXT PRIMARY KEY, node_id TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,
                    finished_at TEXT, size_bytes BIGINT, sm3 TEXT, location TEXT NOT NULL, created_by TEXT NOT NULL,
                    database_kind TEXT NOT NULL, schema_version INTEGER NOT NULL, audit_seq BIGINT, audit_hash TEXT,
                    kek_id TEXT, error TEXT, owner TEXT NOT NULL)
                """,
                "CREATE INDEX backups_started ON backups(started_at)",
            ]
        },
        custodyBackfill: { db, custody in try await wrapPlatformKeys(on: db, custody: custody) })

    /// The label binds a wrapped symmetric key to its name: moved onto another row it does not open.
    public static func platformKeyLabel(_ name: String) -> String { WrappedKeyKind.platformSymmetricKeyLabel(name) }

    /// Wraps every clear `platform_keys` value and empties it (SQLite's `secure_delete` overwrites the old bytes).
    static func wrapPlatformKeys(on db: any SQLDatabase, custody: any KeyCustody) async throws {
        if db.dialect.name == "sqlite" { try await db.raw("PRAGMA secure_delete = ON").run() }
        let rows = try await db.raw("SELECT name, key_value FROM platform_keys WHERE wrapped_key IS NULL").all()
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            guard let key = Data(base64Encoded: try row.decode(column: "key_value", as: String.self)) else { continue }
            let wrapped = try custody.wrap(key, label: platformKeyLabel(name))
            try await db.raw(
                """
                UPDATE platform_keys SET wrapped_key = \(bind: wrapped), kek_id = \(bind: custody.keyEncryptionKeyId), key_value = ''
                WHERE name = \(bind: name)
                """
            ).run()
        }
    }
}

import SQLKit

extension Migrator {
    /// Issue 18 parts 1 and 5 (Art. 15): the peers this node trusts with their link state, the outbox (numbered per
    /// peer, delivered in order) and the record of accepted inbound messages (one per sender and sequence number).
    static let federation = Migration(version: 43, name: "federation") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            """
            CREATE TABLE federation_peers (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, region_code TEXT NOT NULL, relation TEXT NOT NULL,
                base_url TEXT NOT NULL, certificate \(blob) NOT NULL, status TEXT NOT NULL, registered_by TEXT NOT NULL,
                registered_at TEXT NOT NULL, revoked_at TEXT, revoked_reason TEXT, last_sent_seq BIGINT NOT NULL DEFAULT 0,
                last_received_seq BIGINT NOT NULL DEFAULT 0, last_delivered_at TEXT, last_received_at TEXT, last_error TEXT,
                node_id TEXT NOT NULL)
            """,
            // One active sub-node per region, so resource codes stay unique province-wide (ResourceCodeScheme).
            "CREATE UNIQUE INDEX federation_peers_region ON federation_peers (region_code) WHERE status = 'active'",
            """
            CREATE TABLE federation_outbox (
                id TEXT PRIMARY KEY, peer_id TEXT NOT NULL REFERENCES federation_peers(id), seq BIGINT NOT NULL,
                kind TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL, delivered_at TEXT, last_error TEXT, node_id TEXT NOT NULL,
                UNIQUE (peer_id, seq))
            """,
            "CREATE INDEX federation_outbox_pending ON federation_outbox (peer_id, seq) WHERE delivered_at IS NULL",
            """
            CREATE TABLE federation_inbox (
                from_node TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, sm3 TEXT NOT NULL,
                received_at TEXT NOT NULL, node_id TEXT NOT NULL, PRIMARY KEY (from_node, seq))
            """,
        ]
    }
}

extension Migrator {
    /// Issue 18 parts 2 and 6: catalog entries held as read-only copies of another node's (`home_node`, NULL for this
    /// node's own); how far each peer has been sent each stream (the catalog change log, the audit checkpoints); and a
    /// sub-node's signed audit checkpoints with its root certificate, kept on the provincial node.
    static let federationCatalog = Migration(version: 44, name: "federation catalog and checkpoints") { kind in
        let blob = kind == .postgres ? "BYTEA" : "BLOB"
        return [
            "ALTER TABLE catalog_entries ADD COLUMN home_node TEXT",
            """
            CREATE TABLE federation_positions (
                peer_id TEXT NOT NULL REFERENCES federation_peers(id), stream TEXT NOT NULL, position BIGINT NOT NULL,
                PRIMARY KEY (peer_id, stream))
            """,
            """
            CREATE TABLE federation_audit_checkpoints (
                from_node TEXT NOT NULL, seq BIGINT NOT NULL, head_hash TEXT NOT NULL, signed_at TEXT NOT NULL,
                signature \(blob) NOT NULL, certificate \(blob) NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (from_node, seq))
            """,
            "ALTER TABLE federation_peers ADD COLUMN root_certificate \(blob)",
            "ALTER TABLE federation_peers ADD COLUMN last_checkpoint_seq BIGINT",
        ]
    }
}

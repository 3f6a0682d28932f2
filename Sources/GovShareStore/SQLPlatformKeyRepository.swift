import Foundation
import GovShareCore
import SQLKit

public struct SQLPlatformKeyRepository: PlatformKeyRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func current(kind: PlatformKeyKind, nodeId: String) async throws -> PlatformKeyRecord? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("platform_signing_keys")
                .where("kind", .equal, kind.rawValue).where("node_id", .equal, nodeId)
                .orderBy("created_at", .descending).limit(1).first().map(Self.record(from:))
        }
    }

    public func insertIfAbsent(_ record: PlatformKeyRecord, audit: AuditRecord) async throws -> PlatformKeyRecord {
        let context = self.context
        let inserted = try await context.database.transaction { db -> Bool in
            // The unique (node_id, kind) index decides between two processes starting together.
            let rows = try await db.raw(
                """
                INSERT INTO platform_signing_keys (id, kind, node_id, certificate, wrapped_private_key, kek_id, created_at)
                VALUES (\(bind: record.id), \(bind: record.kind.rawValue), \(bind: record.nodeId), \(bind: record.certificateDER),
                \(bind: record.wrappedPrivateKey), \(bind: record.keyEncryptionKeyId), \(bind: record.createdAt))
                ON CONFLICT (node_id, kind) DO NOTHING RETURNING id
                """
            ).all()
            guard !rows.isEmpty else { return false }
            _ = try await AuditChain.append(audit, context: context, on: db)
            return true
        }
        if inserted { return record }
        guard let existing = try await current(kind: record.kind, nodeId: record.nodeId) else {
            throw DomainError(
                .unavailable, code: "platform_key_missing", message: LocalizedText(zh: "平台密钥不可用", en: "The platform key is unavailable"))
        }
        return existing
    }

    static func record(from row: any SQLRow) throws -> PlatformKeyRecord {
        PlatformKeyRecord(
            id: try row.decode(column: "id", as: String.self),
            kind: PlatformKeyKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .node,
            nodeId: try row.decode(column: "node_id", as: String.self),
            certificateDER: try row.decode(column: "certificate", as: Data.self),
            wrappedPrivateKey: try row.decode(column: "wrapped_private_key", as: Data.self),
            keyEncryptionKeyId: try row.decode(column: "kek_id", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }
}

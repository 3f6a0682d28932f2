import Foundation
import GovShareCore
import SQLKit

/// The platform's signed official documents (`official_documents`, append-only: migration 32).
public struct SQLOfficialDocumentRepository: OfficialDocumentRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func latest(kind: OfficialDocument.Kind, objectId: String) async throws -> OfficialDocument? {
        try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM official_documents WHERE kind = \(bind: kind.rawValue) AND object_id = \(bind: objectId)
                ORDER BY signed_at DESC, id DESC LIMIT 1
                """
            ).first().map(Self.document(from:))
        }
    }

    /// Inside the caller's transaction: a letter is stored with the decision it records, or not at all, and so is the
    /// audit entry of its signing (`OfficialDocument.signingAudit`): one commit for decision, letter and signing.
    static func insert(_ documents: [OfficialDocument], origin: RequestOrigin, context: StoreContext, on db: any SQLDatabase)
        async throws
    {
        _ = try await AuditChain.appendAll(documents.map { $0.signingAudit(origin: origin) }, context: context, on: db)
        for d in documents {
            try await db.insert(into: "official_documents").columns(
                "id", "kind", "object_id", "document", "signature", "seal_id", "document_sm3", "signed_at", "node_id"
            ).values(
                SQLBind(d.id), SQLBind(d.kind.rawValue), SQLBind(d.objectId), SQLBind(d.document), SQLBind(d.signature),
                SQLBind(d.sealId), SQLBind(d.documentSM3Hex), SQLBind(d.signedAt), SQLBind(d.nodeId)
            ).run()
        }
    }

    static func document(from row: any SQLRow) throws -> OfficialDocument {
        OfficialDocument(
            id: try row.string("id"),
            kind: OfficialDocument.Kind(rawValue: try row.string("kind")) ?? .applicationDecision,
            objectId: try row.string("object_id"), document: try row.decode(column: "document", as: Data.self),
            signature: try row.decode(column: "signature", as: Data.self), sealId: try row.string("seal_id"),
            documentSM3Hex: try row.string("document_sm3"), signedAt: try row.string("signed_at"),
            nodeId: try row.string("node_id"))
    }
}

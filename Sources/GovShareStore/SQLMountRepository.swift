import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Inherited mounts, file records and service mounts (endpoint sealed under the node's source key).
public struct SQLMountRepository: MountRepository {
    let context: StoreContext
    let key: KeyCache
    public init(context: StoreContext) {
        self.context = context
        key = KeyCache(name: "source_key", custody: context.custody)
    }

    func write(_ audit: AuditRecord, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await context.write(audit, body)
    }

    public func insert(_ m: InheritedMount, audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "inherited_mounts").columns(
                "id", "dataset_id", "department_id", "note", "created_by", "created_at", "node_id"
            )
            .values(
                SQLBind(m.id), SQLBind(m.datasetId), SQLBind(m.departmentId), SQLBind(m.note), SQLBind(m.createdBy),
                SQLBind(m.createdAt), SQLBind(m.nodeId)
            ).run()
        }
    }

    public func inherited(datasetId: String) async throws -> [InheritedMount] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("inherited_mounts").where("dataset_id", .equal, datasetId).orderBy("created_at").all()
                .map {
                    InheritedMount(
                        id: try $0.string("id"), datasetId: try $0.string("dataset_id"), departmentId: try $0.string("department_id"),
                        note: try $0.string("note"), createdBy: try $0.string("created_by"), createdAt: try $0.string("created_at"),
                        nodeId: try $0.string("node_id"))
                }
        }
    }

    public func insert(_ f: ResourceFile, audit: AuditRecord) async throws {
        try await write(audit) { db in
            try await db.insert(into: "resource_files").columns(
                "id", "entry_id", "file_name", "content_type", "size", "sha256",
                "uploaded_by", "uploaded_at", "node_id"
            )
            .values(
                SQLBind(f.id), SQLBind(f.entryId), SQLBind(f.fileName), SQLBind(f.contentType), SQLBind(f.size),
                SQLBind(f.sha256), SQLBind(f.uploadedBy), SQLBind(f.uploadedAt), SQLBind(f.nodeId)
            ).run()
        }
    }

    static func file(_ row: any SQLRow) throws -> ResourceFile {
        ResourceFile(
            id: try row.string("id"), entryId: try row.string("entry_id"), fileName: try row.string("file_name"),
            contentType: try row.string("content_type"), size: try row.int("size"), sha256: try row.string("sha256"),
            uploadedBy: try row.string("uploaded_by"), uploadedAt: try row.string("uploaded_at"), nodeId: try row.string("node_id"))
    }

    public func files(entryId: String) async throws -> [ResourceFile] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("resource_files").where("entry_id", .equal, entryId).orderBy("uploaded_at").all().map(
                Self.file)
        }
    }

    public func file(id: String) async throws -> ResourceFile? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("resource_files").where("id", .equal, id).first().map(Self.file)
        }
    }

    public func insert(_ s: ServiceMount, audit: AuditRecord) async throws {
        let key = self.key
        try await write(audit) { db in
            let sealed = try ChaChaPoly.seal(Data(s.endpoint.utf8), using: try await key.load(on: db)).combined.base64EncodedString()
            try await db.insert(into: "service_mounts").columns("id", "entry_id", "endpoint_sealed", "created_by", "created_at", "node_id")
                .values(SQLBind(s.id), SQLBind(s.entryId), SQLBind(sealed), SQLBind(s.createdBy), SQLBind(s.createdAt), SQLBind(s.nodeId))
                .run()
        }
    }

    public func service(entryId: String) async throws -> ServiceMount? {
        let key = self.key
        return try await context.database.withConnection { db in
            guard let row = try await db.select().column("*").from("service_mounts").where("entry_id", .equal, entryId).first() else {
                return nil
            }
            guard let data = Data(base64Encoded: try row.string("endpoint_sealed")),
                let endpoint = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: try await key.load(on: db))
            else {
                throw DomainError(
                    .unavailable, code: "source_unreadable", message: LocalizedText(zh: "服务接口地址无法解密", en: "The endpoint cannot be unsealed")
                )
            }
            return ServiceMount(
                id: try row.string("id"), entryId: try row.string("entry_id"), endpoint: String(decoding: endpoint, as: UTF8.self),
                createdBy: try row.string("created_by"), createdAt: try row.string("created_at"), nodeId: try row.string("node_id"))
        }
    }

    public func audit(_ record: AuditRecord) async throws {
        let context = self.context
        _ = try await context.database.transaction { db in try await AuditChain.append(record, context: context, on: db) }
    }
}

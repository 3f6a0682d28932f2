import Crypto
import Foundation
import GovShareCore
import SQLKit

/// Objections (migration 39): the case as a JSON document, its records' keys and proposed values sealed under the
/// objections' own key set, and one keyed reference per record for the read path's flags.
public struct SQLObjectionRepository: ObjectionRepository {
    static let keyOwner = "objections"
    static let sealedColumn = "records"
    let context: StoreContext
    let keys: DatasetKeyring
    let refKey: KeyCache

    public init(context: StoreContext, keys: DatasetKeyring) {
        self.context = context; self.keys = keys; refKey = KeyCache(custody: context.custody)
    }

    struct SealedRecord: Codable {
        var key: String
        var proposedValue: String?
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The document as stored: the records without their keys and proposed values.
    static func document(_ o: Objection) throws -> String {
        var stripped = o
        stripped.records = o.records.map { r in
            var r = r
            r.key = ""
            r.proposedValue = nil
            return r
        }
        stripped.dueOn = nil
        stripped.dueProvisional = nil
        return String(decoding: try encoder.encode(stripped), as: UTF8.self)
    }

    public func insert(_ o: Objection, deadline: Deadline, notifications: [InboxMessage], audit: AuditRecord) async throws {
        let context = self.context
        try await context.write(audit) { db in
            try await SQLDeadlineRepository.insert(deadline, context: context, on: db)
            let sealed = try await seal(o, on: db)
            try await db.insert(into: "objections").columns(
                "id", "dataset_id", "provider_id", "objector_department_id", "authority_id", "status", "deadline_id", "document", "sealed",
                "created_at", "updated_at", "node_id"
            ).values(
                SQLBind(o.id), SQLBind(o.datasetId), SQLBind(o.providerId), SQLBind(o.objectorDepartmentId), SQLBind(o.authorityId),
                SQLBind(o.status.rawValue), SQLBind(o.deadlineId), SQLBind(try Self.document(o)), SQLBind(sealed), SQLBind(o.createdAt),
                SQLBind(o.updatedAt), SQLBind(o.nodeId)
            ).run()
            try await writeRecords(o, on: db)
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    public func find(id: String) async throws -> Objection? {
        try await context.database.withConnection { db in
            guard let row = try await db.raw("\(unsafeRaw: Self.select) WHERE o.id = \(bind: id)").first() else { return nil }
            return try await objection(row, on: db)
        }
    }

    public func list(departmentIds: Set<String>?, limit: Int) async throws -> [Objection] {
        try await context.database.withConnection { db in
            let rows: [any SQLRow]
            if let departmentIds {
                guard !departmentIds.isEmpty else { return [] }
                let ids = Array(departmentIds).sorted()
                rows = try await db.raw(
                    """
                    \(unsafeRaw: Self.select) WHERE o.provider_id IN (\(binds: ids)) OR o.objector_department_id IN (\(binds: ids))
                        OR o.authority_id IN (\(binds: ids)) ORDER BY o.created_at DESC LIMIT \(bind: limit)
                    """
                ).all()
            } else {
                rows = try await db.raw("\(unsafeRaw: Self.select) ORDER BY o.created_at DESC LIMIT \(bind: limit)").all()
            }
            var out: [Objection] = []
            for row in rows { out.append(try await objection(row, on: db)) }
            return out
        }
    }

    public func save(
        _ o: Objection, replacing previous: Objection, closing: String?, starting: Deadline?, notifications: [InboxMessage],
        audit: AuditRecord
    ) async throws {
        let context = self.context
        let before = try Self.document(previous)
        try await context.write(audit) { db in
            let sealed = try await seal(o, on: db)
            let updated = try await db.raw(
                """
                UPDATE objections SET status = \(bind: o.status.rawValue), deadline_id = \(bind: o.deadlineId),
                    document = \(bind: try Self.document(o)), sealed = \(bind: sealed), updated_at = \(bind: o.updatedAt)
                WHERE id = \(bind: o.id) AND document = \(bind: before) RETURNING id
                """
            ).all()
            guard !updated.isEmpty else {
                throw DomainError.conflict(
                    code: "objection_changed", zh: "该异议已被他人处理，请刷新后重试", en: "The objection was changed meanwhile; reload and try again")
            }
            if let closing {
                try await db.update("deadlines").set("status", to: Deadline.Status.met.rawValue).set("updated_at", to: context.now)
                    .where("id", .equal, closing).run()
            }
            if let starting { try await SQLDeadlineRepository.insert(starting, context: context, on: db) }
            try await db.delete(from: "objection_records").where("objection_id", .equal, o.id).run()
            try await writeRecords(o, on: db)
            try await SQLApplicationRepository.insert(notifications, on: db)
        }
    }

    static let select = """
        SELECT o.document, o.sealed, o.id, d.due_on, d.provisional FROM objections o LEFT JOIN deadlines d ON d.id = o.deadline_id
        """

    func objection(_ row: any SQLRow, on db: any SQLDatabase) async throws -> Objection {
        var o = try JSONDecoder().decode(Objection.self, from: Data(try row.string("document").utf8))
        let opened = try await open(try row.string("sealed"), objectionId: o.id, on: db)
        for i in o.records.indices where i < opened.count {
            o.records[i].key = opened[i].key
            o.records[i].proposedValue = opened[i].proposedValue
        }
        o.dueOn = try row.optionalString("due_on")
        o.dueProvisional = try row.decode(column: "provisional", as: Bool?.self)
        return o
    }

    func writeRecords(_ o: Objection, on db: any SQLDatabase) async throws {
        let named = o.records.filter { !$0.isWholeSubject }
        guard !named.isEmpty else { return }
        let referencer = RecordReferencer(key: try await refKey.load(on: db))
        try await db.insert(into: "objection_records").columns("objection_id", "record_ref", "dataset_id", "state").rows(
            named.map { r -> [any SQLExpression] in
                [
                    SQLBind(o.id), SQLBind(referencer.reference(datasetId: o.datasetId, key: r.key)), SQLBind(o.datasetId),
                    SQLBind(r.state.rawValue),
                ]
            }
        ).run()
    }

    // MARK: Sealing (docs/encryption-at-rest.md)

    func keySet(on db: any SQLDatabase, create: Bool) async throws -> DatasetKeySet? {
        try await keys.ownKeySet(owner: Self.keyOwner, columns: [Self.sealedColumn], context: context, on: db, create: create)
    }

    func seal(_ o: Objection, on db: any SQLDatabase) async throws -> String {
        guard let keySet = try await keySet(on: db, create: true) else { throw DatasetKeySet.unavailable(Self.keyOwner) }
        let part = o.records.map { SealedRecord(key: $0.key, proposedValue: $0.proposedValue) }
        return try keySet.seal(String(decoding: try Self.encoder.encode(part), as: UTF8.self), column: Self.sealedColumn, rowKey: o.id)
    }

    func open(_ sealed: String, objectionId: String, on db: any SQLDatabase) async throws -> [SealedRecord] {
        guard let keySet = try await keySet(on: db, create: false) else { throw DatasetKeySet.unavailable(Self.keyOwner) }
        let json = try keySet.open(sealed, column: Self.sealedColumn, rowKey: objectionId)
        return try JSONDecoder().decode([SealedRecord].self, from: Data(json.utf8))
    }
}

extension SQLDatasetRepository {
    static func tokenBinding(datasetId: String, departmentId: String) -> Data {
        Data(SHA256.hash(data: Data("govshare-record-v1|\(datasetId.utf8.count):\(datasetId)|\(departmentId)".utf8)))
    }

    public func recordTokens(datasetId: String, departmentId: String, keys: [String]) async throws -> [String] {
        let key = try await refKey.load(from: context.database)
        let binding = Self.tokenBinding(datasetId: datasetId, departmentId: departmentId)
        return try keys.map { record in
            let sealed = try ChaChaPoly.seal(Data(record.utf8), using: key, authenticating: binding).combined
            return sealed.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    public func openRecordToken(_ token: String, datasetId: String, departmentId: String) async throws -> String? {
        guard token.utf8.count <= 1_024 else { return nil }
        let key = try await refKey.load(from: context.database)
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(
                box, using: key, authenticating: Self.tokenBinding(datasetId: datasetId, departmentId: departmentId))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    public func objectionFlags(datasetId: String, keys: [String]) async throws -> [String: String] {
        try await context.database.withConnection { db in
            let referencer = RecordReferencer(key: try await refKey.load(on: db))
            var byRef: [Data: String] = [:]
            for key in keys { byRef[referencer.reference(datasetId: datasetId, key: key)] = key }
            var flags: [String: String] = [:]
            for chunk in Array(byRef.keys).chunked(500).map(Array.init) {
                let rows = try await db.raw(
                    """
                    SELECT record_ref, objection_id FROM objection_records WHERE dataset_id = \(bind: datasetId) AND state = 'confirmed'
                        AND record_ref IN (\(binds: chunk))
                    """
                ).all()
                for row in rows {
                    if let key = byRef[try row.decode(column: "record_ref", as: Data.self)] {
                        flags[key] = try row.string("objection_id")
                    }
                }
            }
            return flags
        }
    }
}

import Foundation
import GovShareCore
import SQLKit

/// Licence types and licences (Art. 23). Field lists are stored as JSON text, the signature as bytes exactly as signed;
/// a licence's holder, fields and signed document are sealed at rest (SQLLicenceRepository+Sealing.swift).
public struct SQLLicenceRepository: LicenceRepository {
    let context: StoreContext
    let keys: DatasetKeyring
    public init(context: StoreContext, keys: DatasetKeyring) { self.context = context; self.keys = keys }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    public func insert(_ t: LicenceType, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.insert(into: "licence_types").columns(
                "id", "code", "name_zh", "name_en", "issuer_department_id", "holder_kind", "holder_item", "holder_name_item",
                "number_item", "entry_id", "entry_code", "fields", "node_id", "created_by", "created_at"
            ).values(
                SQLBind(t.id), SQLBind(t.code), SQLBind(t.nameZh), SQLBind(t.nameEn), SQLBind(t.issuerDepartmentId),
                SQLBind(t.holderKind.rawValue), SQLBind(t.holderItem), SQLBind(t.holderNameItem), SQLBind(t.numberItem),
                SQLBind(t.entryId), SQLBind(t.entryCode), SQLBind(Self.json(t.fields)), SQLBind(t.nodeId), SQLBind(t.createdBy),
                SQLBind(t.createdAt)
            ).run()
        }
    }

    static func type(_ row: any SQLRow) throws -> LicenceType {
        LicenceType(
            id: try row.string("id"), code: try row.string("code"), nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"),
            issuerDepartmentId: try row.string("issuer_department_id"),
            holderKind: LicenceHolderKind(rawValue: try row.string("holder_kind")) ?? .enterprise,
            holderItem: try row.string("holder_item"), holderNameItem: try row.string("holder_name_item"),
            numberItem: try row.optionalString("number_item"), entryId: try row.string("entry_id"),
            entryCode: try row.string("entry_code"),
            fields: try JSONDecoder().decode([LicenceField].self, from: Data(try row.string("fields").utf8)),
            nodeId: try row.string("node_id"), createdBy: try row.string("created_by"), createdAt: try row.string("created_at"))
    }

    public func types() async throws -> [LicenceType] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("licence_types").orderBy("code").all().map(Self.type)
        }
    }

    public func type(code: String) async throws -> LicenceType? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("licence_types").where("code", .equal, code).first().map(Self.type)
        }
    }

    public func type(id: String) async throws -> LicenceType? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("licence_types").where("id", .equal, id).first().map(Self.type)
        }
    }

    public func insert(_ licence: Licence, audit: AuditRecord, signingAudits: [AuditRecord]) async throws {
        try await insert([licence], audit: audit, signingAudits: signingAudits)
    }

    public func insert(_ licences: [Licence], audit: AuditRecord, signingAudits: [AuditRecord]) async throws {
        let context = self.context
        try await context.write(audit) { db in
            _ = try await AuditChain.appendAll(signingAudits, context: context, on: db)
            guard let keySet = try await keySet(on: db, create: true) else { throw DatasetKeySet.unavailable(Self.keyOwner) }
            // A number already used in its type is refused by name (the unique index stays the guard against races).
            for chunk in stride(from: 0, to: licences.count, by: 400).map({ Array(licences[$0..<min($0 + 400, licences.count)]) }) {
                for typeId in Set(chunk.map(\.typeId)) {
                    let numbers = chunk.filter { $0.typeId == typeId }.map(\.number)
                    if let taken = try await db.select().column("number").from("licences").where("type_id", .equal, typeId)
                        .where("number", .in, numbers).first()
                    {
                        let number = try taken.string("number")
                        throw DomainError.conflict(
                            code: "licence_number_taken", zh: "该类型已有编号为 \(number) 的证照",
                            en: "A licence of this type already has number \(number)")
                    }
                }
                var insert = db.insert(into: "licences").columns(
                    "id", "node_id", "type_id", "number", "holder_id", "holder_name", "issuer_department_id", "issued_at", "issued_by",
                    "valid_from", "valid_to", "fields", "file_name", "file_content_type", "file_size", "file_sha256", "status",
                    "revoked_at", "revoked_by", "revocation_reason", "document", "signature", "seal_id", "sealed")
                for l in chunk {
                    let stored = try Self.stored(l, keys: keySet)
                    insert = insert.values(
                        SQLBind(l.id), SQLBind(l.nodeId), SQLBind(l.typeId), SQLBind(l.number), SQLBind(stored.holderId),
                        SQLBind(""), SQLBind(l.issuerDepartmentId), SQLBind(l.issuedAt), SQLBind(l.issuedBy),
                        SQLBind(l.validFrom), SQLBind(l.validTo), SQLBind("{}"), SQLBind(l.attachment?.fileName),
                        SQLBind(l.attachment?.contentType), SQLBind(l.attachment?.size), SQLBind(l.attachment?.sha256),
                        SQLBind(l.recordedStatus.rawValue), SQLBind(l.revokedAt), SQLBind(l.revokedBy), SQLBind(l.revocationReason),
                        SQLBind(Data()), SQLBind(l.signatureDER), SQLBind(l.sealId), SQLBind(stored.sealed))
                }
                try await insert.run()
            }
        }
    }

    static func licence(_ row: any SQLRow) throws -> Licence {
        let attachment = try row.optionalString("file_sha256").map { sha in
            LicenceAttachment(
                fileName: try row.optionalString("file_name") ?? "", contentType: try row.optionalString("file_content_type") ?? "",
                size: try row.decode(column: "file_size", as: Int?.self) ?? 0, sha256: sha)
        }
        return Licence(
            id: try row.string("id"), nodeId: try row.string("node_id"), typeId: try row.string("type_id"),
            number: try row.string("number"), holderId: try row.string("holder_id"), holderName: try row.string("holder_name"),
            issuerDepartmentId: try row.string("issuer_department_id"), issuedAt: try row.string("issued_at"),
            issuedBy: try row.string("issued_by"), validFrom: try row.string("valid_from"), validTo: try row.optionalString("valid_to"),
            fields: try JSONDecoder().decode([String: String].self, from: Data(try row.string("fields").utf8)),
            attachment: attachment,
            // An unknown stored status reads as revoked: a licence never shows as in force by mistake.
            recordedStatus: try row.string("status") == LicenceStatus.active.rawValue ? .active : .revoked,
            revokedAt: try row.optionalString("revoked_at"), revokedBy: try row.optionalString("revoked_by"),
            revocationReason: try row.optionalString("revocation_reason"), document: try row.decode(column: "document", as: Data.self),
            signatureDER: try row.decode(column: "signature", as: Data.self), sealId: try row.string("seal_id"))
    }

    public func find(id: String) async throws -> Licence? {
        try await context.database.withConnection { db in
            try await licences(try await db.select().column("*").from("licences").where("id", .equal, id).limit(1).all(), on: db).first
        }
    }

    public func list(_ q: LicenceListQuery) async throws -> [Licence] {
        try await context.database.withConnection { db in
            var query = db.select().column("*").from("licences")
            if let issuer = q.issuerDepartmentId { query = query.where("issuer_department_id", .equal, issuer) }
            if let typeId = q.typeId { query = query.where("type_id", .equal, typeId) }
            if let holderId = q.holderId {
                // The blind index of sealed licences; the identifier itself for any not sealed yet.
                let blind = try await keySet(on: db, create: false).map { $0.blindIndex(holderId, column: Self.holderColumn) }
                query = query.where("holder_id", .in, [holderId] + (blind.map { [$0] } ?? []))
            }
            return try await licences(
                try await query.orderBy("issued_at", .descending).orderBy("id", .descending).limit(q.limit).offset(q.offset).all(),
                on: db)
        }
    }

    public func count(typeId: String) async throws -> Int {
        try await context.database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("licences")
                .where("type_id", .equal, typeId).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func revoke(id: String, at: String, by: String, reason: String, audit: AuditRecord) async throws -> Bool {
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        try await context.write(audit) { db in
            // Read and changed in one transaction (row locked on PostgreSQL): a second revocation at once stops here,
            // and its audit entry is rolled back with it.
            guard let row = try await db.raw("SELECT status FROM licences WHERE id = \(bind: id)\(unsafeRaw: lock)").first(),
                try row.string("status") == LicenceStatus.active.rawValue
            else {
                throw DomainError.conflict(code: "licence_revoked", zh: "该证照已注销", en: "The licence is already revoked")
            }
            try await db.update("licences").set("status", to: LicenceStatus.revoked.rawValue).set("revoked_at", to: at)
                .set("revoked_by", to: by).set("revocation_reason", to: reason).where("id", .equal, id).run()
        }
        return true
    }
}

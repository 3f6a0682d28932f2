import Foundation
import GovShareCore
import SQLKit

/// The seal register (Art. 25): seals, their certificates and structures, their wrapped keys and their status.
public struct SQLSealRepository: SealRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func find(id: String) async throws -> Seal? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("seals").where("id", .equal, id).first().map(Self.seal(from:))
        }
    }

    public func find(certificateSerialHex: String) async throws -> Seal? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("seals").where("certificate_serial", .equal, certificateSerialHex).first()
                .map(Self.seal(from:))
        }
    }

    public func list(holderDepartmentId: String?) async throws -> [Seal] {
        try await context.database.withConnection { db in
            var query = db.select().column("*").from("seals")
            if let holderDepartmentId { query = query.where("holder_department_id", .equal, holderDepartmentId) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending).all().map(Self.seal(from:))
        }
    }

    public func activeSeal(kind: SealKind, holderDepartmentId: String) async throws -> Seal? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("seals")
                .where("holder_department_id", .equal, holderDepartmentId).where("kind", .equal, kind.rawValue)
                .where("status", .equal, SealStatus.active.rawValue)
                .orderBy("created_at", .descending).limit(1).first().map(Self.seal(from:))
        }
    }

    public func insert(_ s: Seal, audit: AuditRecord) async throws {
        try await context.write(audit) { db in
            try await db.raw(
                """
                INSERT INTO seals (id, node_id, name, kind, holder_department_id, holder_user_id, image, valid_from, valid_to,
                status, suspended_at, revoked_at, revocation_recorded_at, revocation_reason, certificate, certificate_serial,
                seal_structure, wrapped_private_key, kek_id, issued_by, created_at)
                VALUES (\(bind: s.id), \(bind: s.nodeId), \(bind: s.name), \(bind: s.kind.rawValue), \(bind: s.holderDepartmentId),
                \(bind: s.holderUserId), \(bind: s.image), \(bind: Timestamp.format(s.validFrom)), \(bind: Timestamp.format(s.validTo)),
                \(bind: s.status.rawValue), \(bind: s.suspendedAt.map(Timestamp.format)), \(bind: s.revokedAt.map(Timestamp.format)),
                \(bind: s.revocationRecordedAt.map(Timestamp.format)), \(bind: s.revocationReason), \(bind: s.certificateDER),
                \(bind: s.certificateSerialHex), \(bind: s.sealStructureDER), \(bind: s.wrappedPrivateKey),
                \(bind: s.keyEncryptionKeyId), \(bind: s.issuedBy), \(bind: Timestamp.format(s.createdAt)))
                """
            ).run()
        }
    }

    public func updateStatus(_ s: Seal, expected: SealStatus, audit: AuditRecord) async throws {
        let lock = context.database.kind == .postgres ? " FOR UPDATE" : ""
        try await context.write(audit) { db in
            // Two administrators acting at once: the row is locked, so the second reads the first's outcome and stops.
            guard let row = try await db.raw("SELECT status FROM seals WHERE id = \(bind: s.id)\(unsafeRaw: lock)").first(),
                try row.string("status") == expected.rawValue
            else {
                throw DomainError.conflict(
                    code: "seal_status_changed", zh: "电子印章的状态已被他人更改，请刷新后重试",
                    en: "The seal's status was changed meanwhile; reload and try again")
            }
            try await db.update("seals")
                .set("status", to: s.status.rawValue).set("suspended_at", to: s.suspendedAt.map(Timestamp.format))
                .set("revoked_at", to: s.revokedAt.map(Timestamp.format))
                .set("revocation_recorded_at", to: s.revocationRecordedAt.map(Timestamp.format))
                .set("revocation_reason", to: s.revocationReason)
                .where("id", .equal, s.id).run()
        }
    }

    static func seal(from row: any SQLRow) throws -> Seal {
        func date(_ column: String) throws -> Date {
            guard let date = Timestamp.parse(try row.string(column)) else {
                throw DomainError(
                    .unavailable, code: "seal_record_invalid",
                    message: LocalizedText(zh: "电子印章记录的时间无法读取（\(column)）", en: "A seal record's time cannot be read (\(column))"))
            }
            return date
        }
        func optionalDate(_ column: String) throws -> Date? { try row.optionalString(column).flatMap(Timestamp.parse) }
        guard let kind = SealKind(rawValue: try row.string("kind")) else {
            throw DomainError(
                .unavailable, code: "seal_record_invalid",
                message: LocalizedText(zh: "电子印章记录的种类无法识别", en: "A seal record's kind is not recognised"))
        }
        return Seal(
            id: try row.string("id"), nodeId: try row.string("node_id"), name: try row.string("name"),
            kind: kind,
            holderDepartmentId: try row.string("holder_department_id"), holderUserId: try row.optionalString("holder_user_id"),
            image: try row.decode(column: "image", as: Data?.self), validFrom: try date("valid_from"), validTo: try date("valid_to"),
            status: SealStatus(rawValue: try row.string("status")) ?? .suspended,  // an unknown status never signs
            suspendedAt: try optionalDate("suspended_at"),
            revokedAt: try optionalDate("revoked_at"), revocationRecordedAt: try optionalDate("revocation_recorded_at"),
            revocationReason: try row.optionalString("revocation_reason"),
            certificateDER: try row.decode(column: "certificate", as: Data.self),
            certificateSerialHex: try row.string("certificate_serial"),
            sealStructureDER: try row.decode(column: "seal_structure", as: Data.self),
            wrappedPrivateKey: try row.decode(column: "wrapped_private_key", as: Data.self),
            keyEncryptionKeyId: try row.string("kek_id"), issuedBy: try row.string("issued_by"), createdAt: try date("created_at"))
    }
}

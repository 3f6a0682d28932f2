import Foundation
import GovShareCore
import SQLKit

/// Encryption at rest for licences (migration 38, docs/encryption-at-rest.md). What identifies or describes the holder
/// — identifier, name, fields, the signed document — is sealed together in `sealed`, bound to the licence id; the
/// `holder_id` column keeps only the identifier's blind index. The key set lives in `dataset_keys` under the reserved
/// owner `licences` (not a UUID, so never a dataset's), is wrapped by the key-encryption key like the datasets' and
/// re-wrapped with them by `govshare keys rotate`.
extension SQLLicenceRepository {
    static let keyOwner = "licences"
    static let sealedColumn = "licence"
    static let holderColumn = "holder_id"

    /// What is sealed, as one JSON object.
    struct SealedPart: Codable {
        var holderId: String
        var holderName: String
        var fields: [String: String]
        var document: Data
    }

    /// The licences' key set, made (version 1) inside the caller's transaction when `create` and there is none yet.
    func keySet(on db: any SQLDatabase, create: Bool) async throws -> DatasetKeySet? {
        try await keys.ownKeySet(
            owner: Self.keyOwner, columns: [Self.sealedColumn, Self.holderColumn], context: context, on: db, create: create)
    }

    /// The stored form of a licence's holder columns: blind index, blanks, and the sealed part.
    static func stored(_ l: Licence, keys: DatasetKeySet) throws -> (holderId: String, sealed: String) {
        let part = SealedPart(holderId: l.holderId, holderName: l.holderName, fields: l.fields, document: l.document)
        let json = String(decoding: try JSONEncoder().encode(part), as: UTF8.self)
        return (keys.blindIndex(l.holderId, column: holderColumn), try keys.seal(json, column: sealedColumn, rowKey: l.id))
    }

    /// Opens a stored licence's sealed part into it; fails closed (the read fails) when it does not verify.
    static func open(_ licence: inout Licence, sealed: String, keys: DatasetKeySet?) throws {
        guard let keys else { throw DatasetKeySet.unavailable(keyOwner) }
        let json = try keys.open(sealed, column: sealedColumn, rowKey: licence.id)
        let part = try JSONDecoder().decode(SealedPart.self, from: Data(json.utf8))
        licence.holderId = part.holderId
        licence.holderName = part.holderName
        licence.fields = part.fields
        licence.document = part.document
    }

    /// Licences from rows, sealed ones opened (the key set is loaded once, only when a sealed row is present).
    func licences(_ rows: [any SQLRow], on db: any SQLDatabase) async throws -> [Licence] {
        var keySet: DatasetKeySet?
        var out: [Licence] = []
        for row in rows {
            var licence = try Self.licence(row)
            if let sealed = try row.optionalString("sealed") {
                if keySet == nil { keySet = try await self.keySet(on: db, create: false) }
                try Self.open(&licence, sealed: sealed, keys: keySet)
            }
            out.append(licence)
        }
        return out
    }

    /// Seals up to `limit` licences stored in clear (issued before migration 38); returns how many were sealed.
    public func sealClearLicences(limit: Int) async throws -> Int {
        try await context.database.transaction { db in
            let rows = try await db.select().column("*").from("licences").where(SQLColumn("sealed"), .is, SQLLiteral.null)
                .orderBy("id").limit(limit).all()
            guard !rows.isEmpty, let keys = try await keySet(on: db, create: true) else { return 0 }
            for row in rows {
                let licence = try Self.licence(row)
                let stored = try Self.stored(licence, keys: keys)
                try await db.update("licences").set("holder_id", to: stored.holderId).set("holder_name", to: "")
                    .set("fields", to: "{}").set("document", to: Data()).set("sealed", to: stored.sealed)
                    .where("id", .equal, licence.id).where(SQLColumn("sealed"), .is, SQLLiteral.null).run()
            }
            return rows.count
        }
    }
}

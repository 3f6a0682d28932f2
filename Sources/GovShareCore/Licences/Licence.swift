import Foundation

/// A licence's standing. Only revocation is recorded; a licence past its last valid day reads as expired.
public enum LicenceStatus: String, Sendable, Codable, CaseIterable {
    case active, revoked, expired

    public var name: LocalizedText {
        switch self {
        case .active: LocalizedText(zh: "有效", en: "Active")
        case .revoked: LocalizedText(zh: "已注销", en: "Revoked")
        case .expired: LocalizedText(zh: "已过期", en: "Expired")
        }
    }
}

/// A scanned or issued file attached to a licence, kept in the platform's file store by its SHA-256.
public struct LicenceAttachment: Sendable, Codable, Equatable {
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public init(fileName: String, contentType: String, size: Int, sha256: String) {
        self.fileName = fileName; self.contentType = contentType; self.size = size; self.sha256 = sha256
    }
    enum CodingKeys: String, CodingKey { case size, sha256; case fileName = "file_name", contentType = "content_type" }
}

/// An e-licence (电子证照, Art. 23) as issued: its face, its canonical document and the issuer's GB/T 38540 signature
/// over that document.
public struct Licence: Sendable, Equatable {
    public var id: String
    public var nodeId: String
    public var typeId: String
    public var number: String
    public var holderId: String
    public var holderName: String
    public var issuerDepartmentId: String
    public var issuedAt: String
    public var issuedBy: String
    /// Civil dates, both ends included; `validTo` nil: valid until revoked (户口簿).
    public var validFrom: String
    public var validTo: String?
    /// Field values by item code.
    public var fields: [String: String]
    public var attachment: LicenceAttachment?
    /// Only `active` or `revoked` are stored; `status(on:)` adds expiry.
    public var recordedStatus: LicenceStatus
    public var revokedAt: String?
    public var revokedBy: String?
    public var revocationReason: String?
    /// The canonical document (`LicenceDocument`) exactly as signed, and the SES_Signature (DER) over it.
    public var document: Data
    public var signatureDER: Data
    public var sealId: String

    public init(
        id: String, nodeId: String, typeId: String, number: String, holderId: String, holderName: String,
        issuerDepartmentId: String, issuedAt: String, issuedBy: String, validFrom: String, validTo: String?,
        fields: [String: String], attachment: LicenceAttachment?, recordedStatus: LicenceStatus, revokedAt: String? = nil,
        revokedBy: String? = nil, revocationReason: String? = nil, document: Data, signatureDER: Data, sealId: String
    ) {
        self.id = id; self.nodeId = nodeId; self.typeId = typeId; self.number = number; self.holderId = holderId
        self.holderName = holderName; self.issuerDepartmentId = issuerDepartmentId; self.issuedAt = issuedAt
        self.issuedBy = issuedBy; self.validFrom = validFrom; self.validTo = validTo; self.fields = fields
        self.attachment = attachment; self.recordedStatus = recordedStatus; self.revokedAt = revokedAt
        self.revokedBy = revokedBy; self.revocationReason = revocationReason; self.document = document
        self.signatureDER = signatureDER; self.sealId = sealId
    }

    /// Revoked when revoked; expired from the day after `validTo`; otherwise active.
    public func status(on today: String) -> LicenceStatus {
        if recordedStatus == .revoked { return .revoked }
        if let validTo, validTo < today { return .expired }
        return .active
    }

    /// Why it is not active, in words (nil while active).
    public func statusReason(on today: String) -> LocalizedText? {
        switch status(on: today) {
        case .active: nil
        case .revoked:
            LocalizedText(
                zh: "已于 \(revokedAt ?? "") 注销：\(revocationReason ?? "")", en: "Revoked at \(revokedAt ?? ""): \(revocationReason ?? "")")
        case .expired: LocalizedText(zh: "有效期至 \(validTo ?? "")，已过期", en: "Valid until \(validTo ?? ""); expired")
        }
    }

    /// What the audit log records: never the field values (they are data of the holder), only what was issued to whom —
    /// a resident by the masked ID number (the full one is sealed with the licence, which the entry names; the audit
    /// log is not where a copied database gives it away), an enterprise by its public credit code.
    public var auditSummary: [String: String] {
        let holder = ResidentID.problem(in: holderId) == nil ? MaskRule.residentId.apply(holderId) : holderId
        var s = [
            "type_id": typeId, "number": number, "holder_id": holder, "issuer_department_id": issuerDepartmentId,
            "valid_from": validFrom, "seal_id": sealId, "status": recordedStatus.rawValue,
        ]
        if let validTo { s["valid_to"] = validTo }
        if let attachment { s["file_sha256"] = attachment.sha256 }
        if let revocationReason { s["revocation_reason"] = revocationReason }
        return s
    }
}

/// What an issuer sends to issue a licence.
public struct NewLicence: Sendable, Equatable {
    public var typeCode: String
    public var number: String
    public var holderId: String
    public var holderName: String
    public var validFrom: String
    public var validTo: String?
    public var fields: [String: String]
    public var file: LicenceFileUpload?

    public init(
        typeCode: String, number: String, holderId: String, holderName: String, validFrom: String, validTo: String?,
        fields: [String: String], file: LicenceFileUpload? = nil
    ) {
        self.typeCode = typeCode; self.number = number; self.holderId = holderId; self.holderName = holderName
        self.validFrom = validFrom; self.validTo = validTo; self.fields = fields; self.file = file
    }
}

public struct LicenceFileUpload: Sendable, Equatable {
    public var fileName: String
    public var contentType: String
    public var bytes: [UInt8]
    public init(fileName: String, contentType: String, bytes: [UInt8]) {
        self.fileName = fileName; self.contentType = contentType; self.bytes = bytes
    }
}

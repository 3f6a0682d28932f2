import Foundation

/// What a seal is for (Art. 25): a department's official seal (公章), its data seal (数据专用章) for data and records it
/// issues, or a reviewer's personal signature key (个人签名), whose holder is one person.
public enum SealKind: String, Sendable, Codable, CaseIterable {
    case officialSeal = "official_seal"
    case dataSeal = "data_seal"
    case personalSignature = "personal_signature"

    public var name: LocalizedText {
        switch self {
        case .officialSeal: LocalizedText(zh: "公章", en: "Official seal")
        case .dataSeal: LocalizedText(zh: "数据专用章", en: "Data seal")
        case .personalSignature: LocalizedText(zh: "个人签名", en: "Personal signature")
        }
    }

    /// GB/T 38540's seal type: 1 an organisation's seal, 2 a person's.
    public var standardType: Int { self == .personalSignature ? 2 : 1 }

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")
}

public enum SealStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended, revoked

    public var name: LocalizedText {
        switch self {
        case .active: LocalizedText(zh: "有效", en: "Active")
        case .suspended: LocalizedText(zh: "已暂停", en: "Suspended")
        case .revoked: LocalizedText(zh: "已注销", en: "Revoked")
        }
    }
}

/// A seal issued by the data authority: its record, its certificate (chained to the platform's root), its GB/T 38540
/// seal structure (made and signed by the root) and its private key, wrapped by `KeyCustody` under the label
/// `seal:<id>` — the key is never stored or returned in clear.
public struct Seal: Sendable, Equatable {
    public var id: String
    public var nodeId: String
    public var name: String
    public var kind: SealKind
    public var holderDepartmentId: String
    /// The person a personal signature key belongs to; nil for a department's seals.
    public var holderUserId: String?
    /// The seal's picture as PNG, when the authority supplied one (none is drawn here).
    public var image: Data?
    public var validFrom: Date
    public var validTo: Date
    public var status: SealStatus
    public var suspendedAt: Date?
    /// From when the seal no longer signs: signatures made before stay valid, later ones are refused. May lie before
    /// the moment the revocation was recorded (`revocationRecordedAt`) when a key was misused before anyone noticed.
    public var revokedAt: Date?
    public var revocationRecordedAt: Date?
    public var revocationReason: String?
    public var certificateDER: Data
    /// The certificate's serial number (hex), by which anyone can ask for the status.
    public var certificateSerialHex: String
    /// The GB/T 38540 SESeal (DER), embedded in every signature the seal makes.
    public var sealStructureDER: Data
    public var wrappedPrivateKey: Data
    public var keyEncryptionKeyId: String
    public var issuedBy: String
    public var createdAt: Date

    public init(
        id: String, nodeId: String, name: String, kind: SealKind, holderDepartmentId: String, holderUserId: String?,
        image: Data?, validFrom: Date, validTo: Date, status: SealStatus, suspendedAt: Date? = nil, revokedAt: Date? = nil,
        revocationRecordedAt: Date? = nil, revocationReason: String? = nil, certificateDER: Data, certificateSerialHex: String,
        sealStructureDER: Data, wrappedPrivateKey: Data, keyEncryptionKeyId: String, issuedBy: String, createdAt: Date
    ) {
        self.id = id; self.nodeId = nodeId; self.name = name; self.kind = kind; self.holderDepartmentId = holderDepartmentId
        self.holderUserId = holderUserId; self.image = image; self.validFrom = validFrom; self.validTo = validTo
        self.status = status; self.suspendedAt = suspendedAt; self.revokedAt = revokedAt
        self.revocationRecordedAt = revocationRecordedAt; self.revocationReason = revocationReason
        self.certificateDER = certificateDER; self.certificateSerialHex = certificateSerialHex
        self.sealStructureDER = sealStructureDER; self.wrappedPrivateKey = wrappedPrivateKey
        self.keyEncryptionKeyId = keyEncryptionKeyId; self.issuedBy = issuedBy; self.createdAt = createdAt
    }

    /// The custody label that binds the wrapped key to this record.
    public var keyLabel: String { "seal:\(id)" }

    /// What the audit log records of a seal: never the key, wrapped or not, nor the picture's bytes.
    public var auditSummary: [String: String] {
        var s = [
            "name": name, "kind": kind.rawValue, "holder_department_id": holderDepartmentId, "status": status.rawValue,
            "valid_from": Timestamp.format(validFrom), "valid_to": Timestamp.format(validTo),
            "certificate_serial": certificateSerialHex, "kek_id": keyEncryptionKeyId,
        ]
        if let holderUserId { s["holder_user_id"] = holderUserId }
        if let revokedAt { s["revoked_at"] = Timestamp.format(revokedAt) }
        if let revocationReason { s["revocation_reason"] = revocationReason }
        if let suspendedAt { s["suspended_at"] = Timestamp.format(suspendedAt) }
        return s
    }
}

/// What anyone signed in may learn of a seal: whether it signs, and since when it does not.
public struct SealStatusReport: Sendable, Equatable, Codable {
    public let sealId: String
    public let name: String
    public let kind: SealKind
    public let holderDepartmentId: String
    public let certificateSerialHex: String
    public let status: SealStatus
    public let validFrom: Date
    public let validTo: Date
    public let suspendedAt: Date?
    public let revokedAt: Date?

    public init(_ seal: Seal) {
        sealId = seal.id; name = seal.name; kind = seal.kind; holderDepartmentId = seal.holderDepartmentId
        certificateSerialHex = seal.certificateSerialHex; status = seal.status; validFrom = seal.validFrom
        validTo = seal.validTo; suspendedAt = seal.suspendedAt; revokedAt = seal.revokedAt
    }
}

public protocol SealRepository: Sendable {
    func find(id: String) async throws -> Seal?
    func find(certificateSerialHex: String) async throws -> Seal?
    /// Seals of one department (every department's when nil), newest first.
    func list(holderDepartmentId: String?) async throws -> [Seal]
    /// The newest active data seal of a department (the authority's seal for official outputs).
    func activeSeal(kind: SealKind, holderDepartmentId: String) async throws -> Seal?
    func insert(_ seal: Seal, audit: AuditRecord) async throws
    /// Writes the status fields of a seal whose status is still `expected` (read in the same transaction); 409
    /// `seal_status_changed` otherwise, so two administrators acting at once cannot undo each other.
    func updateStatus(_ seal: Seal, expected: SealStatus, audit: AuditRecord) async throws
}

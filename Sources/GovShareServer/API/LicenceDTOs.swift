import Foundation
import GovShareCore

struct LicenceFieldDTO: Codable, Sendable {
    let item: String
    let nameZh: String
    let nameEn: String
    let required: Bool
    init(_ f: LicenceField) { item = f.item; nameZh = f.nameZh; nameEn = f.nameEn; required = f.required }
    enum CodingKeys: String, CodingKey { case item, required; case nameZh = "name_zh", nameEn = "name_en" }
}

/// A licence type to define (`POST /api/v1/licence-types`): on a published catalog entry of the caller's department.
struct LicenceTypeRequest: Codable, Sendable {
    var code: String?
    var nameZh: String?
    var nameEn: String?
    var holderKind: String?
    var holderItem: String?
    var holderNameItem: String?
    var numberItem: String?
    var entryCode: String?
    var fields: [LicenceField]?
    enum CodingKeys: String, CodingKey {
        case code, fields
        case nameZh = "name_zh", nameEn = "name_en", holderKind = "holder_kind", holderItem = "holder_item"
        case holderNameItem = "holder_name_item", numberItem = "number_item", entryCode = "entry_code"
    }
}

struct LicenceTypeDTO: Codable, Sendable {
    let id: String
    let code: String
    let nameZh: String
    let nameEn: String
    let issuerDepartmentId: String
    let holderKind: String
    let holderItem: String
    let entryId: String
    let entryCode: String
    let fields: [LicenceFieldDTO]
    init(_ t: LicenceType) {
        id = t.id; code = t.code; nameZh = t.nameZh; nameEn = t.nameEn; issuerDepartmentId = t.issuerDepartmentId
        holderKind = t.holderKind.rawValue; holderItem = t.holderItem; entryId = t.entryId; entryCode = t.entryCode
        fields = t.fields.map(LicenceFieldDTO.init)
    }
    enum CodingKeys: String, CodingKey {
        case id, code, fields
        case nameZh = "name_zh", nameEn = "name_en", issuerDepartmentId = "issuer_department_id", holderKind = "holder_kind"
        case holderItem = "holder_item", entryId = "entry_id", entryCode = "entry_code"
    }
}

struct LicenceFileDTO: Codable, Sendable {
    var fileName: String?
    var contentType: String?
    /// The file's bytes, base64.
    var content: String?
    enum CodingKeys: String, CodingKey { case content; case fileName = "file_name", contentType = "content_type" }
}

struct LicenceIssueRequest: Codable, Sendable {
    var type: String?
    var number: String?
    var holderId: String?
    var holderName: String?
    var validFrom: String?
    var validTo: String?
    var fields: [String: String]?
    var file: LicenceFileDTO?
    enum CodingKeys: String, CodingKey {
        case type, number, fields, file
        case holderId = "holder_id", holderName = "holder_name", validFrom = "valid_from", validTo = "valid_to"
    }
}

/// A licence as its issuer sees it (in clear).
struct LicenceDTO: Codable, Sendable {
    let id: String
    let typeId: String
    let number: String
    let holderId: String
    let holderName: String
    let issuerDepartmentId: String
    let issuedAt: String
    let validFrom: String
    let validTo: String?
    let fields: [String: String]
    let file: LicenceAttachment?
    let status: String
    let revokedAt: String?
    let revocationReason: String?
    let sealId: String
    init(_ l: Licence, today: String) {
        id = l.id; typeId = l.typeId; number = l.number; holderId = l.holderId; holderName = l.holderName
        issuerDepartmentId = l.issuerDepartmentId; issuedAt = l.issuedAt; validFrom = l.validFrom; validTo = l.validTo
        fields = l.fields; file = l.attachment; status = l.status(on: today).rawValue; revokedAt = l.revokedAt
        revocationReason = l.revocationReason; sealId = l.sealId
    }
    enum CodingKeys: String, CodingKey {
        case id, number, fields, file, status
        case typeId = "type_id", holderId = "holder_id", holderName = "holder_name", issuerDepartmentId = "issuer_department_id"
        case issuedAt = "issued_at", validFrom = "valid_from", validTo = "valid_to", revokedAt = "revoked_at"
        case revocationReason = "revocation_reason", sealId = "seal_id"
    }
}

struct LicenceRevokeRequest: Codable, Sendable { var reason: String? }

struct LicenceLookupRequest: Codable, Sendable {
    var holderId: String?
    var type: String?
    /// A subscription or grant id of the caller's department (as for data reads); omitted: the best one it holds.
    var purpose: String?
    /// The business matter (事项) the licence is needed for.
    var matter: String?
    enum CodingKeys: String, CodingKey { case type, purpose, matter; case holderId = "holder_id" }
}

struct LicenceViewDTO: Codable, Sendable {
    struct Field: Codable, Sendable {
        let item: String
        let name: String
        let value: String
        let masked: Bool
    }
    let id: String
    let type: String
    let typeName: String
    let number: String?
    let holderId: String
    let holderName: String?
    let issuerDepartmentId: String
    let issuedAt: String
    let validFrom: String
    let validTo: String?
    let status: String
    let statusReason: String?
    let fields: [Field]
    let hasFile: Bool
    let downloadable: Bool
    init(_ v: LicenceView, language: Language) {
        id = v.id; type = v.type.code; typeName = language == .en ? v.type.nameEn : v.type.nameZh; number = v.number
        holderId = v.holderId; holderName = v.holderName; issuerDepartmentId = v.issuerDepartmentId; issuedAt = v.issuedAt
        validFrom = v.validFrom; validTo = v.validTo; status = v.status.rawValue; statusReason = v.statusReason?.text(language)
        fields = v.fields.map {
            Field(item: $0.field.item, name: language == .en ? $0.field.nameEn : $0.field.nameZh, value: $0.value, masked: $0.masked)
        }
        hasFile = v.hasFile; downloadable = v.complete
    }
    enum CodingKeys: String, CodingKey {
        case id, type, number, status, fields
        case typeName = "type_name", holderId = "holder_id", holderName = "holder_name", issuerDepartmentId = "issuer_department_id"
        case issuedAt = "issued_at", validFrom = "valid_from", validTo = "valid_to", statusReason = "status_reason"
        case hasFile = "has_file", downloadable
    }
}

struct LicenceLookupDTO: Codable, Sendable {
    let holderId: String
    let matter: String
    let licences: [LicenceViewDTO]
    /// The subscription or grant each looked-in type was read under.
    let purposeIds: [String]
    enum CodingKeys: String, CodingKey { case matter, licences; case holderId = "holder_id", purposeIds = "purpose_ids" }
}

import Foundation

/// Whom a licence is issued to, and so which identifier names the holder: a person by 公民身份号码 (GB 11643), an
/// enterprise or other organisation by 统一社会信用代码 (GB 32100).
public enum LicenceHolderKind: String, Sendable, Codable, CaseIterable {
    case resident, enterprise

    public var name: LocalizedText {
        switch self {
        case .resident: LocalizedText(zh: "公民（公民身份号码）", en: "Resident (citizen ID number)")
        case .enterprise: LocalizedText(zh: "企业及其他组织（统一社会信用代码）", en: "Enterprise or organisation (credit code)")
        }
    }

    /// The identifier's own rule, the same one data reporting checks: nil when `id` is well formed.
    public func problem(in id: String) -> LocalizedText? {
        switch self {
        case .resident:
            ResidentID.problem(in: id) == nil
                ? nil : LocalizedText(zh: "持证人公民身份号码不符合 GB 11643 规则", en: "The holder's ID number does not follow GB 11643")
        case .enterprise:
            CreditCode.isValid(id)
                ? nil : LocalizedText(zh: "持证人统一社会信用代码不符合 GB 32100 规则", en: "The holder's credit code does not follow GB 32100")
        }
    }
}

/// One field of a licence (its face: 名称, 住所, 经营范围 …). `item` is the data item of the type's catalog entry the
/// field belongs to, so who may see it, and whether masked, is what the catalog and the reader's grant say.
public struct LicenceField: Sendable, Codable, Equatable {
    public var item: String
    public var nameZh: String
    public var nameEn: String
    public var required: Bool

    public init(item: String, nameZh: String, nameEn: String, required: Bool) {
        self.item = item; self.nameZh = nameZh; self.nameEn = nameEn; self.required = required
    }

    enum CodingKeys: String, CodingKey { case item, required; case nameZh = "name_zh", nameEn = "name_en" }
}

/// A kind of e-licence (营业执照, 居民户口簿, 结婚证, 食品经营许可证 …) with the department that issues it and the
/// catalog entry it belongs to: the entry's provider is the issuer, and reading a licence of this type is reading
/// that entry (Art. 23 with Art. 16–19).
public struct LicenceType: Sendable, Codable, Equatable {
    public var id: String
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var issuerDepartmentId: String
    public var holderKind: LicenceHolderKind
    /// The entry's items that hold the holder's identifier and name, and the licence number (when the entry has one).
    public var holderItem: String
    public var holderNameItem: String
    public var numberItem: String?
    public var entryId: String
    public var entryCode: String
    public var fields: [LicenceField]
    public var nodeId: String
    public var createdBy: String
    public var createdAt: String

    public init(
        id: String, code: String, nameZh: String, nameEn: String, issuerDepartmentId: String, holderKind: LicenceHolderKind,
        holderItem: String, holderNameItem: String, numberItem: String?, entryId: String, entryCode: String,
        fields: [LicenceField], nodeId: String, createdBy: String, createdAt: String
    ) {
        self.id = id; self.code = code; self.nameZh = nameZh; self.nameEn = nameEn
        self.issuerDepartmentId = issuerDepartmentId; self.holderKind = holderKind; self.holderItem = holderItem
        self.holderNameItem = holderNameItem; self.numberItem = numberItem; self.entryId = entryId
        self.entryCode = entryCode; self.fields = fields; self.nodeId = nodeId; self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public var name: LocalizedText { LocalizedText(zh: nameZh, en: nameEn) }
}

/// What a department defines a licence type with; the entry is named by its resource code.
public struct NewLicenceType: Sendable, Codable, Equatable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// Nil when the request named no known kind: refused by name after the policy check.
    public var holderKind: LicenceHolderKind?
    public var holderItem: String
    public var holderNameItem: String
    public var numberItem: String?
    public var entryCode: String
    public var fields: [LicenceField]

    public init(
        code: String, nameZh: String, nameEn: String, holderKind: LicenceHolderKind?, holderItem: String,
        holderNameItem: String, numberItem: String?, entryCode: String, fields: [LicenceField]
    ) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.holderKind = holderKind
        self.holderItem = holderItem; self.holderNameItem = holderNameItem; self.numberItem = numberItem
        self.entryCode = entryCode; self.fields = fields
    }
}

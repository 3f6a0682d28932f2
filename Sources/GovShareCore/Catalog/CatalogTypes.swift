/// The catalog's value domains, from the national catalog guide (see ../shared/spec/catalog-guide.md).
public enum CatalogKind: String, Sendable, Codable, CaseIterable {
    case base, thematic, department

    /// The first digit of the classification code (类).
    public var classDigit: Character {
        switch self {
        case .base: "1";
        case .thematic: "2";
        case .department: "3"
        }
    }

    public var name: LocalizedText {
        switch self {
        case .base: LocalizedText(zh: "基础信息资源", en: "Base resource")
        case .thematic: LocalizedText(zh: "主题信息资源", en: "Thematic resource")
        case .department: LocalizedText(zh: "部门信息资源", en: "Department resource")
        }
    }
}

/// Art. 18's three share types, ordered from least to most restrictive.
public enum ShareType: String, Sendable, Codable, CaseIterable, Comparable {
    case unconditional, conditional, notShared = "not_shared"

    var rank: Int {
        switch self {
        case .unconditional: 0;
        case .conditional: 1;
        case .notShared: 2
        }
    }
    public static func < (a: ShareType, b: ShareType) -> Bool { a.rank < b.rank }

    public var name: LocalizedText {
        switch self {
        case .unconditional: LocalizedText(zh: "无条件共享", en: "Unconditional")
        case .conditional: LocalizedText(zh: "有条件共享", en: "Conditional")
        case .notShared: LocalizedText(zh: "不予共享", en: "Not shared")
        }
    }
}

public enum ResourceFormat: String, Sendable, Codable, CaseIterable {
    case electronicFile = "electronic_file", spreadsheet, database, image, streaming
    case selfDescribing = "self_describing", serviceInterface = "service_interface"
}

public enum UpdateCycle: String, Sendable, Codable, CaseIterable {
    case realtime, daily, weekly, monthly, quarterly, halfYearly = "half_yearly", yearly, irregular

    /// Days data of this cycle may go without a report before it is stale (Art. 21), one day's grace included; nil for
    /// irregular updates, which never go stale. The one table for 数据更新提醒, supervision and assessment.
    public var maxAgeDays: Double? {
        switch self {
        case .realtime, .daily: 2
        case .weekly: 8
        case .monthly: 32
        case .quarterly: 93
        case .halfYearly: 184
        case .yearly: 367
        case .irregular: nil
        }
    }
}

/// Art. 12: how the data is obtained.
public enum CollectionBasis: String, Sendable, Codable, CaseIterable {
    case law, businessSystem = "business_system", consultation
}

public enum ShareMethod: String, Sendable, Codable, CaseIterable {
    case database, fileDownload = "file_download", serviceInterface = "service_interface"
}

/// The guide's item data types: 字符型 C, 数值型 N, 货币型 Y, 日期型 D, 日期时间型 T, 逻辑型 L, 备注型 M, 通用型 G,
/// 双精度型 B, 整型 I, 浮点型 F.
public enum ItemDataType: String, Sendable, Codable, CaseIterable {
    // The guide's own one-letter codes are the cases: they are what spreadsheets and the API carry.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case C, N, Y, D, T, L, M, G, B, I, F
    /// Types whose length must be declared.
    var needsLength: Bool { self == .C || self == .N }
}

/// A cited legal basis: "no legal basis, no restriction" (Art. 16, 18).
public struct LegalBasis: Sendable, Codable, Equatable {
    public var instrument: String?
    public var article: String?
    public init(instrument: String?, article: String?) { self.instrument = instrument; self.article = article }

    var isComplete: Bool {
        !(instrument ?? "").trimmingCharacters(in: .whitespaces).isEmpty && !(article ?? "").trimmingCharacters(in: .whitespaces).isEmpty
    }
}

public struct DataItem: Sendable, Codable, Equatable {
    public var name: String?
    public var code: String?
    public var dataType: String?
    public var length: Int?
    public var description: String?
    public var shareType: String?
    public var shareConditions: String?
    public var legalBasis: LegalBasis?
    /// 1 (public) to 4 (most sensitive); drives masking in the exchange API.
    public var sensitivity: Int?
    /// A basic item of a base resource (Art. 17): always unconditional.
    public var isBasic: Bool?
    /// An identifier rule reported values must pass (see ItemRule).
    public var rule: String?
    /// Reported rows must carry a value for it.
    public var required: Bool?

    public init(
        name: String?, code: String?, dataType: String?, length: Int?, description: String? = nil,
        shareType: String?, shareConditions: String? = nil, legalBasis: LegalBasis? = nil, sensitivity: Int? = 1,
        isBasic: Bool? = false, rule: String? = nil, required: Bool? = nil
    ) {
        self.name = name; self.code = code; self.dataType = dataType; self.length = length; self.description = description
        self.shareType = shareType; self.shareConditions = shareConditions; self.legalBasis = legalBasis
        self.sensitivity = sensitivity; self.isBasic = isBasic; self.rule = rule; self.required = required
    }

    enum CodingKeys: String, CodingKey {
        case name, code, length, description, sensitivity, rule, required
        case dataType = "data_type", shareType = "share_type", shareConditions = "share_conditions"
        case legalBasis = "legal_basis", isBasic = "is_basic"
    }
}

/// Identifier rules an item can declare; reported values are checked against them (Art. 22: data must be accurate).
public enum ItemRule: String, Sendable, Codable, CaseIterable {
    /// 公民身份号码, GB 11643 check character.
    case residentId = "resident_id"
    /// 统一社会信用代码, GB 32100 check character.
    case creditCode = "credit_code"
    /// 行政区划代码, GB/T 2260.
    case divisionCode = "division_code"
}

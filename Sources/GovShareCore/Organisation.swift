/// Which level of government a department sits at.
public enum AdministrativeLevel: String, Sendable, Codable, CaseIterable {
    case province, city, county
}

/// The department kinds of Art. 5–7 and 32.
public enum DepartmentKind: String, Sendable, Codable, CaseIterable {
    case dataAuthority = "data_authority"  // 政务数据主管部门
    case government = "government"  // 政务部门
    case operationsCentre = "operations_centre"  // 运营中心
    case thirdParty = "third_party"  // 第三方机构

    public var nameZh: String {
        switch self {
        case .dataAuthority: "政务数据主管部门"
        case .government: "政务部门"
        case .operationsCentre: "运营中心"
        case .thirdParty: "第三方机构"
        }
    }
}

public struct Department: Sendable, Equatable, Codable {
    public var id: String
    public var code: String
    public var nameZh: String
    public var nameEn: String?
    public var level: AdministrativeLevel
    public var regionCode: String
    public var kind: DepartmentKind
    /// The provincial department that guides this one's vertical system (Art. 6), e.g. a city public-security bureau
    /// under the provincial public-security department.
    public var systemParentId: String?
    public var nodeId: String
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String, code: String, nameZh: String, nameEn: String?, level: AdministrativeLevel, regionCode: String,
        kind: DepartmentKind, systemParentId: String?, nodeId: String, createdAt: String, updatedAt: String
    ) {
        self.id = id; self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.level = level
        self.regionCode = regionCode; self.kind = kind; self.systemParentId = systemParentId; self.nodeId = nodeId
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// What a caller supplies to register a department; validated as a whole so every problem is reported at once.
public struct NewDepartment: Sendable, Codable {
    public var code: String?
    public var nameZh: String?
    public var nameEn: String?
    public var level: String?
    public var regionCode: String?
    public var kind: String?
    /// The unified social credit code of the provincial department that guides this one's system.
    public var systemParentCode: String?

    public init(
        code: String?, nameZh: String?, nameEn: String? = nil, level: String?, regionCode: String?, kind: String?,
        systemParentCode: String? = nil
    ) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.level = level; self.regionCode = regionCode
        self.kind = kind; self.systemParentCode = systemParentCode
    }

    enum CodingKeys: String, CodingKey {
        case code, level, kind
        case nameZh = "name_zh", nameEn = "name_en", regionCode = "region_code", systemParentCode = "system_parent_code"
    }

    /// Checks what can be checked without the database; references (region, parent) are checked by the service.
    public func validated() throws -> (
        code: String, nameZh: String, nameEn: String?, level: AdministrativeLevel,
        regionCode: String, kind: DepartmentKind
    ) {
        var v = Validator()
        v.require(code, field: "code", maxLength: 18)
        if let code, !code.isEmpty { CreditCode.validate(code, field: "code", into: &v) }
        v.require(nameZh, field: "name_zh", maxLength: 100)
        if let nameEn, nameEn.count > 200 {
            v.fail("name_en", "max_length", zh: "name_en 不能超过 200 个字符", en: "name_en must be at most 200 characters")
        }
        let level = level.flatMap(AdministrativeLevel.init(rawValue:))
        if level == nil {
            v.fail("level", "enum", zh: "level 必须是 province、city 或 county 之一", en: "level must be one of province, city, county")
        }
        let kind = kind.flatMap(DepartmentKind.init(rawValue:))
        if kind == nil {
            v.fail(
                "kind", "enum", zh: "kind 必须是 data_authority、government、operations_centre 或 third_party 之一",
                en: "kind must be one of data_authority, government, operations_centre, third_party")
        }
        let regionLevel = regionCode.flatMap(Region.levelOf(code:))
        if regionLevel == nil {
            v.fail(
                "region_code", "division_code", zh: "region_code 应为 6 位行政区划代码（GB/T 2260）",
                en: "region_code must be a 6-digit administrative division code (GB/T 2260)")
        } else if let level, regionLevel!.rawValue != level.rawValue {
            v.fail(
                "region_code", "level_match", zh: "region_code 的行政级别与 level 不一致",
                en: "region_code is not a \(level.rawValue)-level division")
        }
        try v.check()
        return (code!, nameZh!.trimmingCharacters(in: .whitespaces), nameEn, level!, regionCode!, kind!)
    }
}

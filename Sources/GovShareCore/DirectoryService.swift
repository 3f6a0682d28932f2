import Foundation

/// The province's organisations: regions and departments.
public struct DirectoryService: Sendable {
    let regions: any RegionRepository
    let departments: any DepartmentRepository
    let clock: any WallClock
    let nodeId: String

    public init(regions: any RegionRepository, departments: any DepartmentRepository, clock: any WallClock, nodeId: String) {
        self.regions = regions; self.departments = departments; self.clock = clock; self.nodeId = nodeId
    }

    public func createDepartment(_ input: NewDepartment, by actor: Principal, origin: RequestOrigin) async throws -> Department {
        try Policy.manageOrganisations.check(actor)
        let valid = try input.validated()
        var v = Validator()
        v.limit(input.systemParentCode, field: "system_parent_code", maxLength: InputLimits.departmentCode)
        try v.check()
        if try await regions.find(code: valid.regionCode) == nil {
            v.fail("region_code", "exists", zh: "行政区划 \(valid.regionCode) 未登记", en: "Region \(valid.regionCode) is not registered")
        }
        var parentId: String?
        if let parentCode = input.systemParentCode, !parentCode.isEmpty {
            if let parent = try await departments.find(code: parentCode) {
                if parent.level != .province {
                    v.fail("system_parent_code", "provincial", zh: "系统上级应为省级部门", en: "The system parent must be a provincial department")
                } else if valid.level == .province {
                    v.fail(
                        "system_parent_code", "not_for_province", zh: "省级部门不设系统上级",
                        en: "A provincial department has no system parent")
                }
                parentId = parent.id
            } else {
                v.fail("system_parent_code", "exists", zh: "部门代码 \(parentCode) 不存在", en: "No department has code \(parentCode)")
            }
        }
        try v.check()
        let now = Timestamp.format(clock.now())
        let department = Department(
            id: Identifier.make(at: clock.now()), code: valid.code, nameZh: valid.nameZh, nameEn: valid.nameEn,
            level: valid.level, regionCode: valid.regionCode, kind: valid.kind, systemParentId: parentId,
            nodeId: nodeId, createdAt: now, updatedAt: now)
        try await departments.insert(
            department,
            audit: AuditRecord(
                actor: actor, action: "department.create", objectType: "department", objectId: department.id,
                after: AuditJSON.encode(department), origin: origin))
        return department
    }
}

/// Reading the directory. It is public where the CKAN API is (its organisations): `actor` nil is a caller who is not
/// signed in, allowed only there; anyone signed in reads it under `directory.read`.
extension DirectoryService {
    public func regions(by actor: Principal?) async throws -> [Region] {
        if let actor { try Policy.readDirectory.check(actor) }
        return try await regions.all()
    }

    public func departments(_ filter: DepartmentFilter = DepartmentFilter(), by actor: Principal?) async throws -> [Department] {
        if let actor { try Policy.readDirectory.check(actor) }
        return try await departments.list(filter)
    }

    /// The department with this credit code (or, where `orId`, this id), nil when there is none.
    public func department(code: String, orId: Bool = false, by actor: Principal?) async throws -> Department? {
        if let actor { try Policy.readDirectory.check(actor) }
        if let found = try await departments.find(code: code) { return found }
        return orId ? try await departments.find(id: code) : nil
    }

    /// The department with this credit code, or a validation error naming `field`.
    public func requireDepartment(code: String, field: String, by actor: Principal?) async throws -> Department {
        if let actor { try Policy.readDirectory.check(actor) }
        return try await departments.require(code: code, field: field)
    }
}

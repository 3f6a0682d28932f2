import GovShareCore
import SQLKit

public struct SQLRegionRepository: RegionRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func all() async throws -> [Region] {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("regions").orderBy("code").all().map(Self.region(from:))
        }
    }

    public func find(code: String) async throws -> Region? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("regions").where("code", .equal, code).first().map(Self.region(from:))
        }
    }

    static func region(from row: any SQLRow) throws -> Region {
        Region(
            code: try row.string("code"), nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"),
            level: Region.Level(rawValue: try row.string("level")) ?? .county,
            parentCode: try row.optionalString("parent_code"))
    }
}

public struct SQLDepartmentRepository: DepartmentRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func list(_ filter: DepartmentFilter) async throws -> [Department] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("departments")
            if let level = filter.level { select.where("level", .equal, level.rawValue) }
            if let region = filter.regionCode { select.where("region_code", .equal, region) }
            if let kind = filter.kind { select.where("kind", .equal, kind.rawValue) }
            return try await select.orderBy("level").orderBy("region_code").orderBy("code").all().map(Self.department(from:))
        }
    }

    public func find(id: String) async throws -> Department? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("departments").where("id", .equal, id).first().map(Self.department(from:))
        }
    }

    public func find(code: String) async throws -> Department? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("departments").where("code", .equal, code).first().map(Self.department(from:))
        }
    }

    public func insert(_ department: Department, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            if try await db.select().column("id").from("departments").where("code", .equal, department.code).first() != nil {
                throw DomainError.conflict(
                    code: "department_exists", zh: "统一社会信用代码 \(department.code) 已登记",
                    en: "A department with code \(department.code) already exists")
            }
            try await db.insert(into: "departments")
                .columns(
                    "id", "code", "name_zh", "name_en", "level", "region_code", "kind", "system_parent_id",
                    "node_id", "created_at", "updated_at"
                )
                .values(
                    SQLBind(department.id), SQLBind(department.code), SQLBind(department.nameZh),
                    SQLBind(department.nameEn), SQLBind(department.level.rawValue), SQLBind(department.regionCode),
                    SQLBind(department.kind.rawValue), SQLBind(department.systemParentId), SQLBind(department.nodeId),
                    SQLBind(department.createdAt), SQLBind(department.updatedAt)
                )
                .run()
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func department(from row: any SQLRow) throws -> Department {
        Department(
            id: try row.string("id"), code: try row.string("code"), nameZh: try row.string("name_zh"),
            nameEn: try row.optionalString("name_en"),
            level: AdministrativeLevel(rawValue: try row.string("level")) ?? .province,
            regionCode: try row.string("region_code"),
            kind: DepartmentKind(rawValue: try row.string("kind")) ?? .government,
            systemParentId: try row.optionalString("system_parent_id"), nodeId: try row.string("node_id"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"))
    }
}

import Foundation

/// Art. 11: a new business system plans its catalog entries as a condition of project approval, and has them in the
/// catalog (published) as a condition of acceptance.
public struct BusinessSystem: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case planned, approved, accepted }
    public var id: String
    public var name: String
    public var departmentId: String
    public var status: Status
    /// Ids of the catalog entries the system will provide.
    public var plannedEntryIds: [String]
    public var nodeId: String
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String, name: String, departmentId: String, status: Status, plannedEntryIds: [String], nodeId: String,
        createdAt: String, updatedAt: String
    ) {
        self.id = id; self.name = name; self.departmentId = departmentId; self.status = status
        self.plannedEntryIds = plannedEntryIds; self.nodeId = nodeId; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

public protocol BusinessSystemRepository: Sendable {
    func find(id: String) async throws -> BusinessSystem?
    func list(departmentId: String?) async throws -> [BusinessSystem]
    func save(_ system: BusinessSystem, isNew: Bool, audit: AuditRecord) async throws
}

public struct BusinessSystemService: Sendable {
    let systems: any BusinessSystemRepository
    let catalog: CatalogService
    let catalogRepository: any CatalogRepository
    let departments: any DepartmentRepository
    let clock: any WallClock
    let nodeId: String

    public init(
        systems: any BusinessSystemRepository, catalog: CatalogService, catalogRepository: any CatalogRepository,
        departments: any DepartmentRepository, clock: any WallClock, nodeId: String
    ) {
        self.systems = systems; self.catalog = catalog; self.catalogRepository = catalogRepository
        self.departments = departments; self.clock = clock; self.nodeId = nodeId
    }

    var now: String { Timestamp.format(clock.now()) }

    /// Resolves entry codes (or ids) to entries of the system's own department.
    func entryIds(_ codes: [String], departmentId: String) async throws -> [String] {
        var ids: [String] = []
        var v = Validator()
        for (index, code) in codes.enumerated() {
            var entry = try await catalogRepository.entry(code: code)
            if entry == nil { entry = try await catalogRepository.entry(id: code) }
            guard let entry else {
                v.fail("planned_entries[\(index)]", "exists", zh: "目录 \(code) 不存在", en: "No catalog entry \(code)")
                continue
            }
            if entry.providerId != departmentId {
                v.fail(
                    "planned_entries[\(index)]", "own_department", zh: "目录 \(code) 不属于本部门",
                    en: "Entry \(code) belongs to another department")
            } else if entry.homeNode != nil {
                v.fail(
                    "planned_entries[\(index)]", "remote_entry", zh: "目录 \(code) 是其他节点目录的只读副本",
                    en: "Entry \(code) is a read-only copy of another node's entry")
            }
            ids.append(entry.id)
        }
        try v.check()
        return ids
    }

    func requireOwner(_ actor: Principal, _ departmentId: String) throws {
        guard actor.kind == .system || (actor.departmentId == departmentId && Policy.manageBusinessSystems.allows(actor)) else {
            throw DomainError.forbidden(policy: Policy.manageBusinessSystems)
        }
    }

    public func register(name: String?, plannedEntryCodes: [String], by actor: Principal, origin: RequestOrigin) async throws
        -> BusinessSystem
    {
        try requireOwner(actor, actor.departmentId)
        var v = Validator()
        v.require(name, field: "name", maxLength: InputLimits.systemName)
        v.limit(plannedEntryCodes, field: "planned_entries", maxCount: InputLimits.plannedEntries, maxLength: InputLimits.entryCode)
        try v.check()
        let system = BusinessSystem(
            id: Identifier.make(at: clock.now()), name: name!, departmentId: actor.departmentId,
            status: .planned, plannedEntryIds: try await entryIds(plannedEntryCodes, departmentId: actor.departmentId),
            nodeId: nodeId, createdAt: now, updatedAt: now)
        try await systems.save(
            system, isNew: true,
            audit: AuditRecord(
                actor: actor, action: "business_system.register",
                objectType: "business_system", objectId: system.id, after: AuditJSON.encode(system), origin: origin))
        return system
    }

    public func plan(systemId: String, entryCodes: [String], by actor: Principal, origin: RequestOrigin) async throws -> BusinessSystem {
        guard var system = try await systems.find(id: systemId) else { throw DomainError.notFound("Business system", zh: "业务系统") }
        try requireOwner(actor, system.departmentId)
        guard system.status != .accepted else {
            throw DomainError.conflict(code: "already_accepted", zh: "系统已验收，不能修改", en: "The system was accepted already")
        }
        var v = Validator()
        v.limit(entryCodes, field: "planned_entries", maxCount: InputLimits.plannedEntries, maxLength: InputLimits.entryCode)
        try v.check()
        let before = AuditJSON.encode(system)
        system.plannedEntryIds = try await entryIds(entryCodes, departmentId: system.departmentId)
        system.updatedAt = now
        try await systems.save(
            system, isNew: false,
            audit: AuditRecord(
                actor: actor, action: "business_system.plan",
                objectType: "business_system", objectId: system.id, before: before, after: AuditJSON.encode(system), origin: origin))
        return system
    }

    /// A registered system, for anyone signed in.
    public func system(id: String, by actor: Principal) async throws -> BusinessSystem {
        try Policy.readDirectory.check(actor)
        guard let system = try await systems.find(id: id) else { throw DomainError.notFound("Business system", zh: "业务系统") }
        return system
    }

    /// The resource codes of the entries the system plans, in its order (an entry no longer found shows its id).
    public func plannedCodes(of system: BusinessSystem) async throws -> [String] {
        let entries = try await catalog.entries(ids: system.plannedEntryIds)
        return system.plannedEntryIds.map { entries[$0]?.code ?? $0 }
    }

    /// Other departments' published entries like the system, to share instead of collecting again (Art. 13).
    public func similarEntries(to system: BusinessSystem) async throws -> [(score: Double, document: CatalogDocument)] {
        try await catalog.similar(name: system.name, itemNames: []).filter { $0.document.providerId != system.departmentId }
    }

    /// Approval (立项) is refused while the system plans no catalog entry; acceptance (验收) until all are published.
    public func advance(systemId: String, to status: BusinessSystem.Status, by actor: Principal, origin: RequestOrigin) async throws
        -> BusinessSystem
    {
        guard var system = try await systems.find(id: systemId) else { throw DomainError.notFound("Business system", zh: "业务系统") }
        guard let department = try await departments.find(id: system.departmentId) else {
            throw DomainError.notFound("Department", zh: "部门")
        }
        try await catalog.requireReviewer(actor, provider: department)
        switch (system.status, status) {
        case (.planned, .approved):
            if system.plannedEntryIds.isEmpty {
                throw DomainError.invalid(
                    field: "planned_entries", rule: "art11_catalog_planned",
                    zh: "未编制资源目录的业务系统不予立项（第十一条）",
                    en: "A system that plans no catalog entry cannot be approved (Art. 11)")
            }
        case (.approved, .accepted):
            var v = Validator()
            for id in system.plannedEntryIds {
                let entry = try await catalogRepository.entry(id: id)
                if entry?.isPublished != true {
                    v.fail(
                        "planned_entries", "art11_catalog_published",
                        zh: "目录 \(entry?.code ?? id) 尚未发布，系统不予验收（第十一条）",
                        en: "Entry \(entry?.code ?? id) is not published; the system cannot be accepted (Art. 11)")
                }
            }
            try v.check()
        default:
            throw DomainError.conflict(
                code: "invalid_transition", zh: "不能从\(system.status.rawValue)变为\(status.rawValue)",
                en: "Cannot go from \(system.status.rawValue) to \(status.rawValue)")
        }
        let before = AuditJSON.encode(system)
        system.status = status
        system.updatedAt = now
        try await systems.save(
            system, isNew: false,
            audit: AuditRecord(
                actor: actor, action: "business_system.\(status.rawValue)",
                objectType: "business_system", objectId: system.id, before: before, after: AuditJSON.encode(system), origin: origin))
        return system
    }
}

import GovShareCore

/// The API's JSON shapes, spelled out so the wire format never follows a Swift rename by accident.
struct DepartmentDTO: Codable, Sendable {
    let id, code, nameZh: String
    let nameEn: String?
    let level, regionCode, kind: String
    let systemParentId: String?
    let nodeId, createdAt, updatedAt: String

    init(_ d: Department) {
        id = d.id; code = d.code; nameZh = d.nameZh; nameEn = d.nameEn; level = d.level.rawValue
        regionCode = d.regionCode; kind = d.kind.rawValue; systemParentId = d.systemParentId; nodeId = d.nodeId
        createdAt = d.createdAt; updatedAt = d.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, code, level, kind
        case nameZh = "name_zh", nameEn = "name_en", regionCode = "region_code", systemParentId = "system_parent_id"
        case nodeId = "node_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}

struct RegionDTO: Codable, Sendable {
    let code, nameZh, nameEn, level: String
    let parentCode: String?
    init(_ r: Region) { code = r.code; nameZh = r.nameZh; nameEn = r.nameEn; level = r.level.rawValue; parentCode = r.parentCode }
    enum CodingKeys: String, CodingKey {
        case code, level
        case nameZh = "name_zh", nameEn = "name_en", parentCode = "parent_code"
    }
}

struct RoleGrantDTO: Codable, Sendable {
    let departmentId, role: String
    enum CodingKeys: String, CodingKey { case role; case departmentId = "department_id" }
}

struct UserDTO: Codable, Sendable {
    let id, username, displayName, departmentId, status: String
    let locked: Bool
    let roles: [RoleGrantDTO]
    let nodeId, createdAt: String

    init(_ u: UserAccount, now: String) {
        id = u.id; username = u.username; displayName = u.displayName; departmentId = u.departmentId
        status = u.status.rawValue; locked = (u.lockedUntil ?? "") > now
        roles = u.roles.map { RoleGrantDTO(departmentId: $0.departmentId, role: $0.role.rawValue) }
        nodeId = u.nodeId; createdAt = u.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, status, locked, roles
        case displayName = "display_name", departmentId = "department_id", nodeId = "node_id", createdAt = "created_at"
    }
}

struct ClientDTO: Codable, Sendable {
    let clientId, name, departmentId, status: String
    let roles: [String]
    let createdAt: String
    let revokedAt: String?
    /// Present only in the answer to the request that created the client.
    let clientSecret: String?

    init(_ c: APIClient, secret: String? = nil) {
        clientId = c.clientId; name = c.name; departmentId = c.departmentId; status = c.status.rawValue
        roles = c.roles.map(\.rawValue); createdAt = c.createdAt; revokedAt = c.revokedAt; clientSecret = secret
    }

    enum CodingKeys: String, CodingKey {
        case name, status, roles
        case clientId = "client_id", departmentId = "department_id", createdAt = "created_at"
        case revokedAt = "revoked_at", clientSecret = "client_secret"
    }
}

struct AuditEventDTO: Codable, Sendable {
    let seq: Int64
    let id, occurredAt, actorKind, actorId, actorName, departmentId, action, objectType, objectId, outcome: String
    let before, after, detail: String?
    let requestId, clientAddress, nodeId, prevHash, hash: String

    init(_ e: AuditEvent) {
        seq = e.seq; id = e.id; occurredAt = e.occurredAt; actorKind = e.actorKind; actorId = e.actorId
        actorName = e.actorName; departmentId = e.departmentId; action = e.action; objectType = e.objectType
        objectId = e.objectId; outcome = e.outcome; before = e.before; after = e.after; detail = e.detail
        requestId = e.requestId; clientAddress = e.clientAddress; nodeId = e.nodeId; prevHash = e.prevHash; hash = e.hash
    }

    enum CodingKeys: String, CodingKey {
        case seq, id, action, outcome, before, after, detail, hash
        case occurredAt = "occurred_at", actorKind = "actor_kind", actorId = "actor_id", actorName = "actor_name"
        case departmentId = "department_id", objectType = "object_type", objectId = "object_id"
        case requestId = "request_id", clientAddress = "client_address", nodeId = "node_id", prevHash = "prev_hash"
    }
}

struct ListDTO<Item: Codable & Sendable>: Codable, Sendable {
    let items: [Item]
}

import Foundation
import GovShareCore
import SQLKit

public struct SQLBusinessSystemRepository: BusinessSystemRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func find(id: String) async throws -> BusinessSystem? {
        try await context.database.withConnection { db in
            try await db.select().column("*").from("business_systems").where("id", .equal, id).first().map(Self.system(from:))
        }
    }

    public func list(departmentId: String?) async throws -> [BusinessSystem] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("business_systems")
            if let departmentId { select.where("department_id", .equal, departmentId) }
            return try await select.orderBy("created_at").all().map(Self.system(from:))
        }
    }

    public func save(_ system: BusinessSystem, isNew: Bool, audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            let planned = AuditJSON.encode(system.plannedEntryIds)
            if isNew {
                try await db.insert(into: "business_systems")
                    .columns("id", "name", "department_id", "status", "planned_entry_ids", "node_id", "created_at", "updated_at")
                    .values(
                        SQLBind(system.id), SQLBind(system.name), SQLBind(system.departmentId), SQLBind(system.status.rawValue),
                        SQLBind(planned), SQLBind(system.nodeId), SQLBind(system.createdAt), SQLBind(system.updatedAt)
                    )
                    .run()
            } else {
                try await db.update("business_systems").set("status", to: system.status.rawValue)
                    .set("planned_entry_ids", to: planned).set("updated_at", to: system.updatedAt)
                    .where("id", .equal, system.id).run()
            }
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    static func system(from row: any SQLRow) throws -> BusinessSystem {
        let planned = (try? JSONDecoder().decode([String].self, from: Data(try row.string("planned_entry_ids").utf8))) ?? []
        return BusinessSystem(
            id: try row.string("id"), name: try row.string("name"), departmentId: try row.string("department_id"),
            status: BusinessSystem.Status(rawValue: try row.string("status")) ?? .planned,
            plannedEntryIds: planned, nodeId: try row.string("node_id"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"))
    }
}

import Foundation

/// What the demo plants so that every supervision rule (Art. 30) has something to find, where today's services refuse
/// to create it: a published catalog version without required elements or a legal basis (as 存量目录 carried over
/// from a predecessor platform, compiled before those rules, arrive), and a read stamped outside its grant's validity
/// (as a node with a wrong clock would write it). Only the seeder (the system) plants; each plant is audited as
/// `demo.plant` under the seed run's request id, so the audit log says what is not real.
extension DemoDataService {
    public func plantContent(entryId: String, version: Int, content: CatalogContent, by actor: Principal, origin: RequestOrigin)
        async throws
    {
        try Self.requireSeeder(actor)
        try await repository.replaceContent(
            entryId: entryId, version: version, content: content,
            audit: AuditRecord(
                actor: actor, action: "demo.plant", objectType: "catalog_entry", objectId: entryId,
                after: AuditJSON.encode(content), origin: origin))
    }

    public func plantRead(_ read: DataRead, by actor: Principal, origin: RequestOrigin) async throws {
        try Self.requireSeeder(actor)
        try await repository.insertRead(
            read,
            audit: AuditRecord(
                actor: actor, action: "demo.plant", objectType: "data_read", objectId: read.purposeId,
                detail: AuditJSON.encode(read), origin: origin))
    }

    static func requireSeeder(_ actor: Principal) throws {
        guard actor.kind == .system, actor.name == seedActor else {
            throw DomainError(
                .forbidden, code: "system_only",
                message: LocalizedText(zh: "只有演示数据生成程序可以写入演示样例", en: "Only the demo seeder plants demo records"))
        }
    }
}

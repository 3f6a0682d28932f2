import Foundation

extension DemoDataService {
    /// The demo account named `username` as the principal it signs in as, or nil when it does not exist yet: the
    /// seeder (the system, never a person or a client) acts as the demo people — applying, reviewing — through the
    /// same services they use.
    public func principal(username: String, by actor: Principal) async throws -> Principal? {
        guard actor.kind == .system else {
            throw DomainError(
                .forbidden, code: "system_only",
                message: LocalizedText(zh: "只有系统可以代演示账号操作", en: "Only the system acts as a demo account"))
        }
        guard let user = try await accounts.accounts.findUser(username: username) else { return nil }
        return accounts.principal(for: user)
    }
}

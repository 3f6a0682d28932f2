import Foundation

/// Reading the directory for display: names for ids, and the signed-in person's own department.
extension DirectoryService {
    /// Department id → name in the language asked for (the Chinese name where no English one is registered), for
    /// showing ids as names. Under `directory.read`, like every directory read.
    public func departmentNames(in language: Language = .zh, by actor: Principal) async throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try await departments(by: actor).map {
                ($0.id, language == .en ? ($0.nameEn ?? $0.nameZh) : $0.nameZh)
            })
    }

    /// The department the principal belongs to: everyone may read their own, whatever their roles.
    public func ownDepartment(of principal: Principal) async throws -> Department? {
        try await departments.find(id: principal.departmentId)
    }
}

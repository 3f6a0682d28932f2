/// Which departments a data authority answers for (Art. 4, 9, 15, 19): the province's authority for provincial
/// departments, a city's for its city's departments, a county's for its county's departments — the text names county
/// data authorities (第十五条 "市、县级政务数据主管部门") — and the city's for the counties that have none. An authority
/// reviewer acts on, and sees, the objects (catalog entries, applications, grants, report batches, obligations) of
/// those departments only; a city's reviewer has no view into the province's, another city's or a county that has its
/// own authority. Platform administrators, and security auditors (read-only), keep the province-wide view.
public enum Oversight {
    /// The authority over `provider` among `authorities` (listed in a stable order, as `DepartmentRepository.list` does).
    public static func reviewingAuthority(for provider: Department, among authorities: [Department]) -> Department? {
        switch provider.level {
        case .province: return authorities.first { $0.level == .province }
        case .city: return authorities.first { $0.level == .city && $0.regionCode == provider.regionCode }
        case .county:
            if let county = authorities.first(where: { $0.level == .county && $0.regionCode == provider.regionCode }) { return county }
            let city = Region.parentCode(of: provider.regionCode)
            return authorities.first { $0.level == .city && $0.regionCode == city }
        }
    }
}

/// The departments whose objects a principal may see beyond its own.
public enum OversightScope: Sendable, Equatable {
    case all
    case departments(Set<String>)

    public func contains(_ departmentId: String) -> Bool {
        switch self {
        case .all: true
        case .departments(let ids): ids.contains(departmentId)
        }
    }

    public static let none = OversightScope.departments([])
}

extension DepartmentRepository {
    /// The ids of the departments the data authority `authorityId` reviews (itself included: it reviews its own
    /// catalog as the province's or the city's authority). Two reads, whatever the number of departments.
    public func reviewed(by authorityId: String) async throws -> Set<String> {
        let all = try await list(DepartmentFilter())
        let authorities = all.filter { $0.kind == .dataAuthority }
        return Set(all.filter { Oversight.reviewingAuthority(for: $0, among: authorities)?.id == authorityId }.map(\.id))
    }

    /// Read-only oversight: the platform itself, its administrators and security auditors see every department's
    /// objects; an authority reviewer those of the departments its authority reviews; anyone else none beyond its own.
    public func oversight(of actor: Principal) async throws -> OversightScope {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) || actor.roles.contains(.securityAuditor) { return .all }
        if actor.roles.contains(.authorityReviewer) { return .departments(try await reviewed(by: actor.departmentId)) }
        return .none
    }
}

import Foundation

/// Roles one account may not hold together (separation of duties, 三员分立). Review counts only when a person decides:
/// a business system (API client) reads and reports, it never reviews, administers or audits. An administrator does
/// not also hold data or review roles (it could otherwise satisfy "a second person" with itself); an auditor is
/// independent of what it audits; the authority's and a provider's review are two parties, not one account.
public enum RoleSeparation {
    static let clientRoles: Set<Role> = [.dataUser, .cataloger]

    public static func check(_ roles: [Role], forClient: Bool, into v: inout Validator) {
        let set = Set(roles)
        if forClient, !set.isSubset(of: clientRoles) {
            v.fail(
                "roles", "client_role", zh: "业务系统（接口客户端）只能是数据使用人员或目录编制员，不能承担审核、管理或审计职责",
                en: "A business system (API client) may only be a data user or cataloger, never review, administer or audit")
            return
        }
        let exclusive: [(Role, LocalizedText)] = [
            (.platformAdmin, LocalizedText(zh: "平台管理员不能兼任其他角色", en: "A platform administrator holds no other role")),
            (.securityAuditor, LocalizedText(zh: "安全审计员不能兼任其他角色", en: "A security auditor holds no other role")),
        ]
        for (role, message) in exclusive where set.contains(role) && set.count > 1 {
            v.fail("roles", "separation_of_duties", zh: message.zh, en: message.en)
        }
        if set.contains(.authorityReviewer), set.contains(.departmentReviewer) {
            v.fail(
                "roles", "separation_of_duties", zh: "主管部门审核员与部门审核员不能由同一账号兼任",
                en: "One account cannot be both the authority's and a department's reviewer")
        }
    }
}

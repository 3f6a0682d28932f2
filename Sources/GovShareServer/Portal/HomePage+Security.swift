import Foundation
import GovShareCore

extension HomePage.Work {
    /// The security officer's work (Art. 27): open incidents by deadline (overdue first), drills due, current plans.
    static func security(_ home: WorkplaceService.Home, language: Language)
        -> (incidents: [HomePage.Item], drills: [HomePage.Item], plans: [HomePage.Item])
    {
        let t = { (key: String) in Strings.text(key, language) }
        let names = home.securityDepartments
        let now = home.security.now
        let time = { (d: Date) in PortalFormat.time(Timestamp.format(d)) }
        let incidents = home.security.openIncidents.prefix(WorkplaceService.limit).map { i in
            let overdue = i.isOverdue(at: now)
            return HomePage.Item(
                href: "/security/incidents/\(i.id)", name: i.title, code: i.level.name.text(language), itemNames: nil,
                detail: "\(names[i.departmentId] ?? i.departmentId) · \(i.status.name.text(language))"
                    + (i.reportedLate ? " · \(t("incident_late"))" : ""),
                when: "\(overdue ? t("overdue") + " · " : "")\(t("incident_close_due")) \(time(i.closeDueAt))", overdue: overdue)
        }
        let drills = home.security.drillsDue.prefix(WorkplaceService.limit).map { d in
            HomePage.Item(
                href: "/security/drills", name: names[d.departmentId] ?? d.departmentId, code: "", itemNames: nil,
                detail: d.lastHeldOn.map { "\(t("drill_last")) \($0)" },
                when: "\(t("drill_\(d.state.rawValue)"))\(d.dueOn.map { " · \(t("due_on")) \($0)" } ?? "")", overdue: d.state == .overdue)
        }
        let plans = home.security.plans.prefix(WorkplaceService.limit).map { p in
            HomePage.Item(
                href: "/security/plans/\(p.id)", name: p.title, code: "v\(p.currentVersion)", itemNames: nil,
                detail: names[p.departmentId], when: "\(t("plan_effective_on")) \(p.effectiveOn)", overdue: false)
        }
        return (Array(incidents), Array(drills), Array(plans))
    }
}

import Foundation
import GovShareCore

/// `login.mustache`.
struct LoginPage: PortalPage {
    static let template = PageTemplate.login
    var next: String
    var failed = false
    var username = ""
}

/// `home.mustache`: who is signed in, the way to each part of the portal, and the person's work (`WorkplaceService`).
struct HomePage: PortalPage {
    static let template = PageTemplate.home
    struct Card: Encodable {
        var href, title, text: String
        init(href: String, title: String, text: String) { self.href = href; self.title = title; self.text = text }
        init(key: String, href: String, language: Language) {
            self.init(href: href, title: Strings.text("nav_\(key)", language), text: Strings.text("card_\(key)", language))
        }
    }

    /// One line of a work list: what (by name, with its code), the items concerned, and when.
    struct Item: Encodable {
        var href: String
        var name: String
        var code: String
        var itemNames: String?
        var detail: String?
        var when: String
        var overdue: Bool
    }

    /// One list of work with its heading; lists with nothing in them are left out, so a role sees only its work.
    struct Section: Encodable {
        var id: String
        var title: String
        var items: [Item]
    }

    struct Work: Encodable {
        var sections: [Section]
        var empty: Bool

        init(_ home: WorkplaceService.Home, language: Language) {
            let t = { (key: String) in Strings.text(key, language) }
            let items = { (names: [String]) in names.isEmpty ? nil : names.joined(separator: "、") }
            var applicationsDue, catalogToReview, obligationsDue, grants, subscriptions, staleDatasets, rejectedBatches,
                unusualReads: [Item]
            applicationsDue = home.applicationsDue.map { d in
                Item(
                    href: "/applications/\(d.application.id)", name: d.resource.name, code: d.resource.code,
                    itemNames: items(d.resource.items), detail: d.applicant,
                    when: d.overdue
                        ? "\(t("overdue")) · \(t("due_on")) \(d.dueOn)"
                        : "\(t("due_on")) \(d.dueOn) · \(t("working_days_left")) \(PortalFormat.number(d.workingDaysLeft))",
                    overdue: d.overdue)
            }
            catalogToReview = home.catalogToReview.map { v in
                Item(
                    href: "/catalog/review", name: v.version.content.name ?? v.entry.code, code: v.entry.code,
                    itemNames: items((v.version.content.items ?? []).compactMap(\.name)), detail: nil,
                    when: v.version.submittedAt.map(PortalFormat.time) ?? "", overdue: false)
            }
            obligationsDue = home.obligationsDue.map { o in
                Item(
                    href: "/catalog/obligations", name: o.obligation.reference, code: "", itemNames: nil, detail: o.department,
                    when: "\(o.overdue ? t("overdue") + " · " : "")\(t("due_on")) \(o.obligation.dueOn)", overdue: o.overdue)
            }
            grants = home.grants.map { g in
                Item(
                    href: "/grants", name: g.resource.name, code: g.resource.code, itemNames: items(g.resource.items),
                    detail: g.grant.purpose, when: "\(t("valid_until")) \(g.grant.validUntil)", overdue: false)
            }
            subscriptions = home.subscriptions.map { s in
                Item(
                    href: "/data", name: s.resource.name, code: s.resource.code, itemNames: items(s.resource.items),
                    detail: s.subscription.purpose, when: t("no_expiry"), overdue: false)
            }
            staleDatasets = home.staleDatasets.map { d in
                Item(
                    href: "/data/\(d.dataset.entryCode.replacingOccurrences(of: "/", with: "-"))", name: d.resource.name,
                    code: d.resource.code, itemNames: nil,
                    detail: "\(t("rows")) \(PortalFormat.number(d.dataset.rowCount))",
                    when: "\(t("last_updated")) \(d.dataset.lastUpdatedAt.map(PortalFormat.time) ?? t("never"))", overdue: true)
            }
            rejectedBatches = home.rejectedBatches.map { r in
                Item(
                    href: "/data/\(r.resource.code.replacingOccurrences(of: "/", with: "-"))", name: r.resource.name,
                    code: r.resource.code, itemNames: nil,
                    detail: "\(t("failed_rows")) \(PortalFormat.number(r.batch.rejected)) / \(PortalFormat.number(r.batch.received))",
                    when: PortalFormat.time(r.batch.createdAt), overdue: false)
            }
            unusualReads = home.unusualReads.map { r in
                Item(
                    href: "/data/trace", name: r.resource.name, code: r.resource.code, itemNames: items(r.resource.items),
                    detail: "\(r.department) · \(r.read.actorName) · \(PortalFormat.number(r.read.rows)) \(t("rows"))",
                    when: PortalFormat.time(r.read.readAt), overdue: false)
            }
            let security = Self.security(home, language: language)
            sections = [
                Section(id: "work-incidents", title: t("work_incidents"), items: security.incidents),
                Section(id: "work-drills", title: t("work_drills_due"), items: security.drills),
                Section(id: "work-plans", title: t("work_plans"), items: security.plans),
                Section(id: "work-applications", title: t("work_applications_due"), items: applicationsDue),
                Section(id: "work-catalog-review", title: t("work_catalog_review"), items: catalogToReview),
                Section(id: "work-obligations", title: t("work_obligations_due"), items: obligationsDue),
                Section(id: "work-grants", title: t("work_grants"), items: grants),
                Section(id: "work-subscriptions", title: t("work_subscriptions"), items: subscriptions),
                Section(id: "work-stale", title: t("work_stale_datasets"), items: staleDatasets),
                Section(id: "work-rejected", title: t("work_rejected_batches"), items: rejectedBatches),
                Section(id: "work-unusual-reads", title: t("work_unusual_reads"), items: unusualReads),
            ].filter { !$0.items.isEmpty }
            empty = sections.isEmpty
        }
    }

    var name: String
    var department: String
    var roles: [String]
    var cards: [Card]
    var work: Work
    /// The department's line in the newest published assessment period (Art. 31), and drafts awaiting publication
    /// for the authority's reviewers.
    struct AssessmentLine: Encodable { var href, period, total, rank, departments: String }
    var assessment: AssessmentLine?
    var assessmentDrafts: [AssessmentLine] = [] { didSet { hasAssessmentDrafts = !assessmentDrafts.isEmpty } }
    var hasAssessmentDrafts = false
    /// Supervision (Art. 29–30): the department's open findings and the orders waiting for the viewer.
    struct OrderLine: Encodable { var href, what, due: String; var overdue: Bool }
    var supervisionOpen: String?
    var supervisionOrders: [OrderLine] = [] { didSet { hasSupervisionOrders = !supervisionOrders.isEmpty } }
    var hasSupervisionOrders = false
}

/// How the portal shows times and numbers: China Standard Time, thousands separators.
enum PortalFormat {
    private static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// A stored UTC timestamp as `yyyy-MM-dd HH:mm` in China Standard Time; text that is not a timestamp is shown as is.
    static func time(_ stored: String) -> String {
        guard let instant = Timestamp.parse(stored) else { return stored }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// 1234567 → "1,234,567" (both languages use the comma for thousands).
    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }
}

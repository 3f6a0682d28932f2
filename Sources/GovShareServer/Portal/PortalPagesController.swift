import Foundation
import GovShareCore
import Hummingbird

/// The directory, calendar, audit and accounts pages.
struct PortalPagesController {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("departments", use: departments)
        router.get("calendar", use: calendar)
        router.get("audit", use: audit)
        router.get("audit/checkpoints.jsonl", use: auditCheckpoints)
        router.get("accounts", use: accounts)
    }

    private func name(_ d: Department, _ language: Language) -> String {
        language == .en ? (d.nameEn ?? d.nameZh) : d.nameZh
    }

    @Sendable func departments(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.readDirectory)
        let language = context.language
        let query = request.uri.queryParameters
        let level = query["level"].flatMap { AdministrativeLevel(rawValue: String($0)) }
        let regionCode = query["region_code"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let regions = try await platform.directory.regions(by: actor)
        let regionNames = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, language == .en ? $0.nameEn : $0.nameZh) })
        let all = try await platform.directory.departments(by: actor)
        let byId = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        let shown = try await platform.directory.departments(DepartmentFilter(level: level, regionCode: regionCode), by: actor)
        let kindCounts = DepartmentKind.allCases.map { kind in (kind, shown.filter { $0.kind == kind }.count) }
        let maxCount = max(kindCounts.map(\.1).max() ?? 1, 1)
        let page = DepartmentsPage(
            levels: AdministrativeLevel.allCases.map {
                .init(value: $0.rawValue, label: Strings.text("level_\($0.rawValue)", language), selected: $0 == level)
            },
            regions: regions.map { .init(value: $0.code, label: regionNames[$0.code] ?? $0.code, selected: $0.code == regionCode) },
            kindBars: kindCounts.map { kind, count in
                .init(
                    label: language == .en ? kind.rawValue : kind.nameZh, count: count,
                    width: count == 0 ? 0 : max(1, count * 10 / maxCount))
            },
            total: shown.count,
            departments: shown.map { d in
                .init(
                    name: name(d, language), code: d.code, level: Strings.text("level_\(d.level.rawValue)", language),
                    region: regionNames[d.regionCode] ?? d.regionCode, kind: language == .en ? d.kind.rawValue : d.kind.nameZh,
                    parent: d.systemParentId.flatMap { byId[$0] }.map { name($0, language) })
            })
        return pages.render(page, title: Strings.text("nav_departments", language), context: context, path: "/departments")
    }

    @Sendable func calendar(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readDirectory)
        let query = request.uri.queryParameters
        let calendar = try await platform.calendar.calendar()
        var page = CalendarPage(
            firstYear: calendar.firstYear ?? 0, lastYear: calendar.lastYear ?? 0,
            from: query["from"].map(String.init) ?? CivilDate(instant: platform.clock.now()).description,
            workingDays: query["working_days"].map(String.init) ?? String(platform.config.rules.applicationReplyWorkingDays))
        if let fromText = query["from"].map(String.init) {
            do {
                guard let from = CivilDate(fromText), let days = query["working_days"].flatMap({ Int(String($0)) }) else {
                    throw DomainError.invalid(
                        field: "from", rule: "date", zh: "请输入有效的日期和工作日数",
                        en: "Enter a valid date and number of working days")
                }
                let due = try calendar.dueDate(receivedOn: from, workingDays: days)
                page.due = .init(due: due.date.description, provisional: due.provisional)
            } catch let error as DomainError {
                page.error = error.problems.first?.message.text(context.language) ?? error.message.text(context.language)
            }
        }
        return pages.render(page, title: Strings.text("nav_calendar", context.language), context: context, path: "/calendar")
    }

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        try platform.audit.authorizeRead(by: actor)  // 403 before 422
        let query = try AuditController.query(from: request.uri.queryParameters)
        // The page is GET /api/v1/audit/verify and GET /api/v1/audit/events in one: recorded the same way.
        let verification = try await platform.audit.verify(by: actor, origin: context.origin)
        let events = try await platform.audit.events(query, by: actor, origin: context.origin)
        let page = AuditPage(
            verified: verification.ok, checked: verification.checked, reason: verification.reason ?? "",
            events: events.map { e in
                .init(
                    seq: e.seq, occurredAt: e.occurredAt, actorName: e.actorName, action: e.action, objectType: e.objectType,
                    objectId: e.objectId, outcome: e.outcome, clientAddress: e.clientAddress,
                    detail: e.detail.flatMap { $0.isEmpty ? nil : $0 })
            })
        return pages.render(page, title: Strings.text("nav_audit", context.language), context: context, path: "/audit")
    }

    /// The signed checkpoints as a file: GET /api/v1/audit/checkpoints/export for the portal's session.
    @Sendable func auditCheckpoints(request: Request, context: AppRequestContext) async throws -> Response {
        let file = try await platform.auditCheckpoints.export(by: try context.requirePrincipal(), origin: context.origin)
        return AuditCheckpointsController.download(file)
    }

    @Sendable func accounts(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.manageAccounts)
        let language = context.language
        let departments = Dictionary(uniqueKeysWithValues: try await platform.directory.departments(by: actor).map { ($0.id, $0) })
        let now = Timestamp.format(platform.clock.now())
        let page = AccountsPage(
            users: try await platform.accounts.users(by: actor).map { u in
                .init(
                    username: u.username, displayName: u.displayName,
                    department: departments[u.departmentId].map { name($0, language) } ?? "",
                    roles: u.roles.map { $0.role.name.text(language) }.joined(separator: "、"),
                    status: (u.lockedUntil ?? "") > now ? "locked" : u.status.rawValue)
            },
            clients: try await platform.accounts.clients(by: actor).map { c in
                .init(
                    clientId: c.clientId, name: c.name, department: departments[c.departmentId].map { name($0, language) } ?? "",
                    status: c.status.rawValue)
            })
        return pages.render(page, title: Strings.text("nav_accounts", language), context: context, path: "/accounts")
    }
}

/// `departments.mustache`: the directory, filtered by level and region, with a bar per kind of department.
struct DepartmentsPage: PortalPage {
    static let template = PageTemplate.departments
    struct Option: Encodable { var value, label: String; var selected: Bool }
    struct KindBar: Encodable { var label: String; var count, width: Int }
    struct Row: Encodable { var name, code, level, region, kind: String; var parent: String? }
    var levels: [Option]
    var regions: [Option]
    var kindBars: [KindBar]
    var total: Int
    var departments: [Row]
}

/// `calendar.mustache`: the due date N working days after a day of receipt.
struct CalendarPage: PortalPage {
    static let template = PageTemplate.calendar
    struct Due: Encodable { var due: String; var provisional: Bool }
    var firstYear: Int
    var lastYear: Int
    var from: String
    var workingDays: String
    var due: Due?
    var error: String?
}

/// `audit.mustache`: the chain's verification and the entries asked for.
struct AuditPage: PortalPage {
    static let template = PageTemplate.audit
    struct Event: Encodable {
        var seq: Int64
        var occurredAt, actorName, action, objectType, objectId, outcome, clientAddress: String
        var detail: String?
    }
    var verified: Bool
    var checked: Int64
    var reason: String
    var events: [Event]
}

/// `accounts.mustache`: people and business systems.
struct AccountsPage: PortalPage {
    static let template = PageTemplate.accounts
    struct User: Encodable { var username, displayName, department, roles, status: String }
    struct Client: Encodable { var clientId, name, department, status: String }
    var users: [User]
    var clients: [Client]
}

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
        router.get("accounts", use: accounts)
    }

    private func words(_ context: AppRequestContext) -> [String: String] { Strings.dictionary(context.language) }

    private func name(_ d: Department, _ language: Language) -> String {
        language == .en ? (d.nameEn ?? d.nameZh) : d.nameZh
    }

    @Sendable func departments(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readDirectory)
        let language = context.language
        let w = words(context)
        let query = request.uri.queryParameters
        let level = query["level"].flatMap { AdministrativeLevel(rawValue: String($0)) }
        let regionCode = query["region_code"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let regions = try await platform.regions.all()
        let regionNames = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, language == .en ? $0.nameEn : $0.nameZh) })
        let all = try await platform.departments.list(DepartmentFilter())
        let byId = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        let shown = try await platform.departments.list(DepartmentFilter(level: level, regionCode: regionCode))
        let kindCounts = DepartmentKind.allCases.map { kind in (kind, shown.filter { $0.kind == kind }.count) }
        let maxCount = max(kindCounts.map(\.1).max() ?? 1, 1)
        let model: [String: Any] = [
            "levels": AdministrativeLevel.allCases.map {
                ["value": $0.rawValue, "label": w["level_\($0.rawValue)"]!, "selected": $0 == level] as [String: Any]
            },
            "regions": regions.map { ["value": $0.code, "label": regionNames[$0.code]!, "selected": $0.code == regionCode] as [String: Any] },
            "kind_bars": kindCounts.map { kind, count in
                ["label": language == .en ? kind.rawValue : kind.nameZh, "count": count,
                 "width": count == 0 ? 0 : max(1, count * 10 / maxCount)] as [String: Any]
            },
            "total": shown.count,
            "departments": shown.map { d -> [String: Any] in
                var row: [String: Any] = [
                    "name": name(d, language), "code": d.code, "level": w["level_\(d.level.rawValue)"]!,
                    "region": regionNames[d.regionCode] ?? d.regionCode, "kind": language == .en ? d.kind.rawValue : d.kind.nameZh,
                ]
                if let parent = d.systemParentId.flatMap({ byId[$0] }) { row["parent"] = name(parent, language) }
                return row
            },
        ]
        return pages.render("departments", title: w["nav_departments"]!, model: model, context: context, path: "/departments")
    }

    @Sendable func calendar(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readDirectory)
        let w = words(context)
        let query = request.uri.queryParameters
        let calendar = try await platform.calendar.calendar()
        var model: [String: Any] = [
            "first_year": calendar.firstYear ?? 0, "last_year": calendar.lastYear ?? 0,
            "from": query["from"].map(String.init) ?? CivilDate(instant: platform.clock.now()).description,
            "working_days": query["working_days"].map(String.init) ?? String(platform.config.rules.applicationReplyWorkingDays),
        ]
        if let fromText = query["from"].map(String.init) {
            do {
                guard let from = CivilDate(fromText), let days = query["working_days"].flatMap({ Int(String($0)) }) else {
                    throw DomainError.invalid(field: "from", rule: "date", zh: "请输入有效的日期和工作日数",
                                              en: "Enter a valid date and number of working days")
                }
                let due = try calendar.dueDate(receivedOn: from, workingDays: days)
                model["due"] = ["due": due.date.description, "provisional": due.provisional]
            } catch let error as DomainError {
                model["error"] = error.problems.first?.message.text(context.language) ?? error.message.text(context.language)
            }
        }
        return pages.render("calendar", title: w["nav_calendar"]!, model: model, context: context, path: "/calendar")
    }

    @Sendable func audit(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.readAudit)
        let w = words(context)
        let query = try AuditController.query(from: request.uri.queryParameters)
        let verification = try await platform.auditLog.verify()
        _ = try await platform.auditLog.append(AuditRecord(actor: actor, action: "audit.query", objectType: "audit_log",
                                                           objectId: "*", detail: "portal", origin: context.origin))
        let events = try await platform.auditLog.events(query)
        let model: [String: Any] = [
            "verified": verification.ok, "checked": verification.checked, "reason": verification.reason ?? "",
            "events": events.map { e -> [String: Any] in
                var row: [String: Any] = [
                    "seq": e.seq, "occurred_at": e.occurredAt, "actor_name": e.actorName, "action": e.action,
                    "object_type": e.objectType, "object_id": e.objectId, "outcome": e.outcome, "client_address": e.clientAddress,
                ]
                if let detail = e.detail, !detail.isEmpty { row["detail"] = detail }
                return row
            },
        ]
        return pages.render("audit", title: w["nav_audit"]!, model: model, context: context, path: "/audit")
    }

    @Sendable func accounts(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageAccounts)
        let language = context.language
        let w = words(context)
        let departments = Dictionary(uniqueKeysWithValues: try await platform.departments.list(DepartmentFilter()).map { ($0.id, $0) })
        let now = Timestamp.format(platform.clock.now())
        let users = try await platform.accountRepository.listUsers(departmentId: nil).map { u -> [String: Any] in
            [
                "username": u.username, "display_name": u.displayName,
                "department": departments[u.departmentId].map { name($0, language) } ?? "",
                "roles": u.roles.map { $0.role.name.text(language) }.joined(separator: "、"),
                "status": (u.lockedUntil ?? "") > now ? "locked" : u.status.rawValue,
            ]
        }
        let clients = try await platform.accountRepository.listClients(departmentId: nil).map { c -> [String: Any] in
            ["client_id": c.clientId, "name": c.name, "department": departments[c.departmentId].map { name($0, language) } ?? "",
             "status": c.status.rawValue]
        }
        return pages.render("accounts", title: w["nav_accounts"]!, model: ["users": users, "clients": clients],
                            context: context, path: "/accounts")
    }
}

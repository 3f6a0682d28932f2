import Foundation
import GovShareCore
import Hummingbird

/// Sign-in, sign-out, language and the home page.
struct PortalController {
    let platform: Platform
    let tokens: TokenService
    let pages: PageRenderer
    let secureCookies: Bool

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("login", use: loginPage)
        router.post("login", use: login)
        router.post("logout", use: logout)
        router.get("lang/{language}", use: switchLanguage)
        router.get("", use: home)
        router.get("static/app.css", use: stylesheet)
    }

    @Sendable func loginPage(request: Request, context: AppRequestContext) async throws -> Response {
        let next = PortalForm.safeNext(request.uri.queryParameters["next"].map(String.init))
        return pages.render(LoginPage(next: next), title: Strings.text("sign_in", context.language), context: context, path: "/login")
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await PortalForm.read(request, context: context)
        let next = PortalForm.safeNext(form["next"])
        do {
            let principal = try await platform.accounts.signIn(
                username: form["username"] ?? "", password: form["password"] ?? "",
                origin: context.origin)
            let seconds = platform.config.security.sessionSeconds
            let token = try await tokens.issue(for: principal, audience: .portal, seconds: seconds)
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(
                .init(
                    name: SessionAuthenticator.sessionCookie, value: token, maxAge: seconds, path: "/",
                    secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let error as DomainError where error.kind == .unauthenticated || error.kind == .invalid {
            // An over-long name or password (refused before any lookup) reads as a failed sign-in; the name shown back
            // is cut to the longest a username can be.
            let page = LoginPage(next: next, failed: true, username: String((form["username"] ?? "").prefix(InputLimits.username)))
            return pages.render(
                page, title: Strings.text("sign_in", context.language), context: context, path: "/login",
                status: error.kind == .invalid ? .unprocessableContent : .unauthorized)
        }
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await PortalForm.read(request, context: context)
        if let principal = context.principal {
            // The cookie is cleared below; ending the sessions makes a copy of it worthless too.
            try await platform.accounts.signOut(principal, origin: context.origin)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(
            .init(
                name: SessionAuthenticator.sessionCookie, value: "", maxAge: 0, path: "/",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func switchLanguage(request: Request, context: AppRequestContext) async throws -> Response {
        let language: Language = context.parameters.get("language") == "en" ? .en : .zh
        let next = PortalForm.safeNext(request.uri.queryParameters["next"].map(String.init))
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(
            .init(
                name: "gs_lang", value: language.rawValue, maxAge: 365 * 86400, path: "/",
                secure: secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func home(request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let language = context.language
        let department = try await platform.directory.department(code: principal.departmentId, orId: true, by: principal)
        var cards: [HomePage.Card] = [
            .init(key: "catalog", href: "/catalog", language: language),
            .init(key: "departments", href: "/departments", language: language),
            .init(key: "calendar", href: "/calendar", language: language),
        ]
        if Policy.readAudit.allows(principal) { cards.append(.init(key: "audit", href: "/audit", language: language)) }
        if Policy.readSecurityRecords.allows(principal) {
            cards.append(.init(key: "security", href: "/security/incidents", language: language))
        }
        if Policy.manageAccounts.allows(principal) { cards.append(.init(key: "accounts", href: "/accounts", language: language)) }
        let work = try await platform.workplace.home(for: principal, in: context.language)
        let latest = try await platform.assessments.latest(departmentId: principal.departmentId)
        var page = HomePage(
            name: principal.name,
            department: department.map { language == .en ? ($0.nameEn ?? $0.nameZh) : $0.nameZh } ?? "",
            roles: principal.roles.map { $0.name.text(language) }.sorted(),
            cards: cards, work: HomePage.Work(work, language: language),
            assessment: latest.map {
                .init(
                    href: "/assessments/\($0.assessment.id)?department=\($0.score.departmentId)", period: $0.assessment.period,
                    total: String(format: "%.2f", $0.score.total), rank: String($0.score.rank),
                    departments: String($0.assessment.departmentCount))
            })
        let supervision = try await platform.supervision.home(for: principal)
        let today = CivilDate(instant: platform.clock.now())
        if Policy.readSupervision.allows(principal) { page.supervisionOpen = String(supervision.openFindings) }
        page.supervisionOrders = supervision.orders.map {
            .init(href: "/supervision/orders/\($0.id)", what: $0.what, due: $0.dueOn.description, overdue: $0.isOverdue(on: today))
        }
        if try await platform.assessments.mayPublish(principal) {
            page.assessmentDrafts = try await platform.assessments.list(viewer: principal).filter {
                $0.status == .draft && $0.computedBy != principal.id
            }.map {
                .init(href: "/assessments/\($0.id)", period: $0.period, total: "", rank: "", departments: String($0.departmentCount))
            }
        }
        return pages.render(page, title: Strings.text("nav_home", language), context: context, path: "/")
    }

    @Sendable func stylesheet(request: Request, context: AppRequestContext) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "Resources/static"),
            let data = try? Data(contentsOf: url)
        else { throw HTTPError(.notFound) }
        return Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

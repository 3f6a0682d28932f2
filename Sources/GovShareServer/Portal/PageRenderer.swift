import Foundation
import GovShareCore
import Hummingbird
import Logging
import Mustache

/// Renders a page: the page's view model through its template, then the shared layout around it.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Where the templates are shipped (tests read it to compare the files with `PageTemplate`).
    static func templateDirectory() -> URL? {
        Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources")
    }

    /// Refuses to start without every template, so a missing file fails at start and in tests, never for a user.
    static func load() async throws -> PageRenderer {
        guard let directory = templateDirectory() else { throw missing([]) }
        let library = try await MustacheLibrary(directory: directory.path)
        let absent = PageTemplate.allCases.filter { library.getTemplate(named: $0.rawValue) == nil }
        guard absent.isEmpty else { throw missing(absent.map(\.rawValue)) }
        return PageRenderer(library: library)
    }

    private static func missing(_ names: [String]) -> DomainError {
        let list = names.joined(separator: ", ")
        return DomainError(
            .unavailable, code: "templates_missing",
            message: LocalizedText(zh: "页面模板缺失 \(list)", en: "Page templates are missing \(list)"))
    }

    /// Renders a typed page inside the layout.
    func render<Page: PortalPage>(
        _ page: Page, title: String, context: AppRequestContext, path: String,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        do {
            return try compose(
                Page.template.rawValue, title: title, model: try PageEncoding.object(page),
                context: context, path: path, status: status)
        } catch {
            return failed(error, template: Page.template.rawValue, context: context)
        }
    }

    func errorPage(_ error: DomainError, status: HTTPResponse.Status, context: AppRequestContext) -> Response {
        let page = ErrorPage(status: Int(status.code), message: error.message.text(context.language), requestId: context.id)
        do {
            return try compose(
                PageTemplate.error.rawValue, title: Strings.text("error_title", context.language),
                model: try PageEncoding.object(page), context: context, path: "/", status: status)
        } catch {
            return Self.bare(status: status, requestId: context.id)
        }
    }

    private func compose(
        _ template: String, title: String, model: [String: Any], context: AppRequestContext,
        path: String, status: HTTPResponse.Status
    ) throws -> Response {
        let words = Strings.dictionary(context.language)
        var page = model
        page["t"] = words
        page["csrf"] = context.csrfToken
        guard let content = library.render(page, withTemplate: template) else {
            throw PageRenderingError(reason: "no template named \(template)")
        }
        var layout = try PageEncoding.object(LayoutPage(context: context, title: title, content: content, path: path))
        layout["t"] = words
        layout["csrf"] = context.csrfToken
        guard let html = library.render(layout, withTemplate: PageTemplate.layout.rawValue) else {
            throw PageRenderingError(reason: "no template named layout")
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that cannot be rendered is a bug: logged, and answered with the 500 error page.
    private func failed(_ error: any Error, template: String, context: AppRequestContext) -> Response {
        context.logger.error("page rendering failed", metadata: ["template": "\(template)", "error": "\(error)"])
        let problem = DomainError(
            .unavailable, code: "page_failed",
            message: LocalizedText(zh: "页面无法显示，已记录", en: "The page cannot be shown; this has been logged"))
        let page = ErrorPage(status: 500, message: problem.message.text(context.language), requestId: context.id)
        do {
            return try compose(
                PageTemplate.error.rawValue, title: Strings.text("error_title", context.language),
                model: try PageEncoding.object(page), context: context, path: "/", status: .internalServerError)
        } catch {
            return Self.bare(status: .internalServerError, requestId: context.id)
        }
    }

    /// When even the error page cannot be rendered.
    private static func bare(status: HTTPResponse.Status, requestId: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "\(status.code) · request \(requestId)\n")))
    }
}

/// The layout around every page: language, navigation and the signed-in person.
struct LayoutPage: PortalPage {
    static let template = PageTemplate.layout
    var lang: String
    var title: String
    var content: String
    var next: String
    var signedIn: Bool
    var userName: String
    var roleNames: String
    var isEn: Bool
    var showReview: Bool
    var showLegalBasis: Bool
    var showNotifications: Bool
    var showTrace: Bool
    var showAudit: Bool
    var showAccounts: Bool
    /// The archive registry (Art. 26): auditors, operators, administrators.
    var showArchives = false
    /// The registry of backups (Art. 26): operators, administrators, auditors.
    var showBackups = false
    /// The registered peer nodes and their links (issue 18): administrators, operators, auditors.
    var showNodes = false
    /// Incidents, plans and drills (Art. 27): security officers, auditors, operators, administrators.
    var showSecurity = false
    /// Risk reports (Art. 28): auditors, security officers, administrators, the authority's reviewers.
    var showRiskReports = false
    /// Destruction requests and records (Art. 27): reviewers, auditors, security officers, administrators.
    var showDestructions = false
    /// Objections (Art. 21): those who read data, providers' staff, the authorities' reviewers, supervision.
    var showObjections = false
    /// Conflicts between providers (Art. 13): the providers' and authorities' reviewers, administrators, auditors.
    var showConflicts = false
    /// Supervision and orders to correct (Art. 29–30): the authorities, the departments' reviewers and catalogers,
    /// administrators, auditors.
    var showSupervision = false

    init(
        lang: String, title: String, content: String, next: String, signedIn: Bool, userName: String, roleNames: String,
        isEn: Bool, showReview: Bool, showLegalBasis: Bool, showNotifications: Bool, showTrace: Bool, showAudit: Bool,
        showAccounts: Bool
    ) {
        self.lang = lang; self.title = title; self.content = content; self.next = next; self.signedIn = signedIn
        self.userName = userName; self.roleNames = roleNames; self.isEn = isEn; self.showReview = showReview
        self.showLegalBasis = showLegalBasis; self.showNotifications = showNotifications; self.showTrace = showTrace
        self.showAudit = showAudit; self.showAccounts = showAccounts
    }

    init(context: AppRequestContext, title: String, content: String, path: String) {
        let language = context.language
        let principal = context.principal ?? .anonymous
        let allows = { (policy: Policy) in policy.allows(principal) }
        self.init(
            lang: language.rawValue, title: title, content: content,
            next: path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/",
            signedIn: context.principal != nil, userName: principal.name,
            roleNames: principal.roles.map { $0.name.text(language) }.sorted().joined(separator: "、"),
            isEn: language == .en,
            showReview: allows(.reviewCatalog),
            // Those who cite a legal basis (Art. 16, 18) or confirm one; the page is open to every signed-in person.
            showLegalBasis: allows(.proposeLegalInstruments) || allows(.confirmLegalInstruments),
            showNotifications: allows(.manageWebhooks), showTrace: allows(.traceReads), showAudit: allows(.readAudit),
            showAccounts: allows(.manageAccounts))
        showArchives = allows(.readArchives)
        showBackups = allows(.readBackups)
        showNodes = allows(.readNodes)
        showSecurity = allows(.readSecurityRecords)
        showRiskReports = allows(.readRiskReports)
        showDestructions = allows(.readDestructions)
        showObjections = [.raiseObjection, .answerObjection, .ruleObjection, .readAllObjections].contains { allows($0) }
        showConflicts = allows(.readConflicts)
        showSupervision = allows(.readSupervision)
    }
}

/// The error page (also the 500 page when a page cannot be rendered).
struct ErrorPage: PortalPage {
    static let template = PageTemplate.error
    var status: Int
    var message: String
    var requestId: String
}

extension Principal {
    /// Nobody: holds no role, so every policy denies it.
    static let anonymous = Principal(kind: .user, id: "", name: "", departmentId: "", roles: [])
}

import Foundation
import GovShareCore
import Hummingbird
import Mustache

/// Renders a page: the page's view model through its template, then the shared layout around it.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> PageRenderer {
        let missing = DomainError(.unavailable, code: "templates_missing",
                                  message: LocalizedText(zh: "页面模板缺失", en: "Page templates are missing"))
        guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil, subdirectory: "Resources") else {
            throw missing
        }
        let library = try await MustacheLibrary(directory: directory.path)
        guard library.getTemplate(named: "layout") != nil else { throw missing }
        return PageRenderer(library: library)
    }

    /// `model` is the page's own view model; the layout adds the language, the navigation and the signed-in person.
    func render(_ template: String, title: String, model: [String: Any], context: AppRequestContext,
                path: String, status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        var page = model
        page["t"] = Strings.dictionary(language)
        page["csrf"] = context.csrfToken
        let content = library.render(page, withTemplate: template) ?? ""
        let principal = context.principal
        let roles = principal?.roles ?? []
        let next = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
        let layout: [String: Any] = [
            "lang": language.rawValue,
            "title": title,
            "t": Strings.dictionary(language),
            "content": content,
            "csrf": context.csrfToken,
            "next": next,
            "signed_in": principal != nil,
            "user_name": principal?.name ?? "",
            "show_audit": Policy.readAudit.allows(principal ?? .anonymous),
            "show_accounts": Policy.manageAccounts.allows(principal ?? .anonymous),
            "show_trace": Policy.traceReads.allows(principal ?? .anonymous),
            "show_review": roles.contains(.authorityReviewer),
            "show_notifications": Policy.manageWebhooks.allows(principal ?? .anonymous),
            // Those who cite a legal basis (Art. 16, 18) or confirm one; the page is open to every signed-in person.
            "show_legal_basis": !roles.isDisjoint(with: [.cataloger, .departmentReviewer, .authorityReviewer]),
            "role_names": roles.map { $0.name.text(language) }.sorted().joined(separator: "、"),
            "is_en": language == .en,
        ]
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(_ error: DomainError, status: HTTPResponse.Status, context: AppRequestContext) -> Response {
        render("error", title: Strings.dictionary(context.language)["error_title"] ?? "",
               model: ["status": status.code, "message": error.message.text(context.language), "request_id": context.id],
               context: context, path: "/", status: status)
    }
}

extension Principal {
    /// Nobody: holds no role, so every policy denies it.
    static let anonymous = Principal(kind: .user, id: "", name: "", departmentId: "", roles: [])
}

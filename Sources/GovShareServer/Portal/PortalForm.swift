import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird

/// A submitted portal form. Reading one checks the CSRF token against the session's cookie first.
struct PortalForm {
    let fields: [String: String]

    subscript(_ name: String) -> String? { fields[name] }

    /// Portal forms are a few fields of text; the sign-in form is one of them, so this is what anyone can send.
    static let maxBytes = ParserLimits.anonymousBodyBytes

    static func read(_ request: Request, context: AppRequestContext) async throws -> PortalForm {
        let buffer = try await request.body.collect(upTo: maxBytes)
        let fields = try parse(buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) ?? "")
        try checkCSRF(fields["_csrf"], request: request)
        return PortalForm(fields: fields)
    }

    /// `application/x-www-form-urlencoded` fields; a NUL in a name or value is refused.
    static func parse(_ text: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let name = parts.first, !name.isEmpty { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        if let bad = fields.first(where: { $0.key.contains("\u{0}") || $0.value.contains("\u{0}") }) {
            throw InputSanity.nul(field: bad.key)
        }
        return fields
    }

    /// The double-submit check: the form's `_csrf` must equal the CSRF cookie. A sibling subdomain under a shared
    /// parent domain can set that cookie (review finding), so a browser's own word on where the form came from is
    /// taken too: a post its browser marks as from another site, even a same-site sibling, is refused whatever token
    /// it carries. Clients that do not send `Sec-Fetch-Site` rely on the token alone.
    static func checkCSRF(_ submitted: String?, request: Request) throws {
        let cookie = request.cookies[SessionAuthenticator.csrfCookie]?.value
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        guard let cookie, let submitted, !cookie.isEmpty, submitted == cookie, site == nil || site == "same-origin" || site == "none"
        else {
            throw DomainError(
                .forbidden, code: "csrf_failed",
                message: LocalizedText(
                    zh: "表单已过期或来源不明，请刷新页面后重试",
                    en: "The form expired or did not come from this site; reload the page and try again"))
        }
    }

    /// Only same-site relative paths are followed after sign-in. Browsers drop tabs and line breaks from a URL, so
    /// `/\t/evil.example` would become `//evil.example`: no control characters or spaces at all.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace })
        else {
            return "/"
        }
        return value
    }
}

extension DomainError {
    /// A refused form as one line for the page: the message, then each field's problem.
    func pageMessage(_ language: Language) -> String {
        ([message.text(language)] + problems.map { $0.message.text(language) }).joined(separator: "；")
    }
}

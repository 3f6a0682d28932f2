import GovShareCore
import Hummingbird

/// Refuses NUL characters anywhere in the URL: no field of this platform can hold one, and PostgreSQL text cannot
/// store one, so letting it through would turn bad input into a server error.
struct InputSanityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.removingPercentEncoding?.contains("\u{0}") ?? true {
            throw InputSanity.nul(field: "path")
        }
        for (key, value) in request.uri.queryParameters where key.contains("\u{0}") || value.contains("\u{0}") {
            throw InputSanity.nul(field: String(key))
        }
        return try await next(request, context)
    }
}

enum InputSanity {
    static func nul(field: String) -> DomainError {
        DomainError.invalid(
            field: field, rule: "control_character", zh: "\(field) 含有不允许的空字符（NUL）",
            en: "\(field) contains a NUL character, which is not allowed")
    }

    /// A JSON text holding a NUL, raw or escaped.
    static func check(json data: [UInt8]) throws {
        if data.contains(0) || containsEscapedNul(data) { throw nul(field: "body") }
    }

    static func containsEscapedNul(_ data: [UInt8]) -> Bool {
        let pattern = Array("\\u0000".utf8)
        guard data.count >= pattern.count else { return false }
        for i in 0...(data.count - pattern.count) where data[i] == UInt8(ascii: "\\") {
            if data[i..<(i + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}

import Foundation
import GovShareCore
import GovShareStore
import HTTPTypes
import Hummingbird
import Logging

/// Catches every error once: API paths get problem+json, portal paths get the HTML error page.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (domain, status) = ErrorMapping.domainError(from: error)
            if status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(LoggableError.describe(error))", "path": "\(request.uri.path)"])
            } else {
                context.logger.info("request refused", metadata: ["code": "\(domain.code)", "status": "\(status.code)"])
            }
            if Self.wantsJSON(request) {
                let problem = ErrorMapping.problem(domain, status: status, language: context.language, requestId: context.id)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
                if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"govshare\"" }
                return Response(status: status, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(bytes: (try? encoder.encode(problem)) ?? Data())))
            }
            if status == .unauthorized {
                let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"
                return Response(status: .seeOther, headers: [.location: "/login?next=\(next)"])
            }
            return pages.errorPage(domain, status: status, context: context)
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics"
    }
}

/// Headers every response carries; pages and API answers are never cached (they hold personal and official data).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
        response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Tags the request with an id (echoed as X-Request-Id) and picks the caller's language.
struct RequestMetadataMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = Language.parse(request.cookies["gs_lang"]?.value ?? request.headers[.acceptLanguage])
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-Id")!] = context.id
        let elapsed = ContinuousClock.now - started
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
            "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
        return response
    }
}

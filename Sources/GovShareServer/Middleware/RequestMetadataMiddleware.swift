import GovShareCore
import HTTPTypes
import Hummingbird
import Logging

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
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        return response
    }
}

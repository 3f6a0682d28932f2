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
                context.logger.error(
                    "request failed", metadata: ["error": "\(LoggableError.describe(error))", "path": "\(request.uri.path)"])
            } else {
                context.logger.info("request refused", metadata: ["code": "\(domain.code)", "status": "\(status.code)"])
            }
            if Self.wantsJSON(request) {
                let problem = ErrorMapping.problem(domain, status: status, language: context.language, requestId: context.id)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
                if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"govshare\"" }
                return Response(
                    status: status, headers: headers,
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

import Foundation
import GovShareCore
import GovShareStore
import Hummingbird

/// API callers present `Authorization: Bearer <token>`; cookies are never accepted here, so API writes cannot be
/// forged from another site. CKAN clients send the token with no scheme (`Authorization: <token>`, CKAN's own
/// convention: `ckanapi -a TOKEN`); the CKAN Action API accepts that too (`acceptsBareToken`), the native API does not.
struct BearerAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService
    let accounts: AccountService
    let database: GovShareDatabase
    var acceptsBareToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A signed-in request reads the lookup generation once; its account, dataset and purpose lookups may then
        // come from memory (LookupCache).
        guard request.headers[.authorization] != nil else { return try await next(request, context) }
        return try await database.withLookupScope { try await authenticate(request, context: context, next: next) }
    }

    private func authenticate(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization] {
            guard let token = token(in: header),
                let subject = await tokens.verify(token, audience: .api),
                let principal = try await resolve(subject)
            else {
                throw DomainError.unauthenticated
            }
            context.principal = principal
            context.logger[metadataKey: "principal"] = "\(principal.id)"
        }
        return try await next(request, context)
    }

    /// The token in an Authorization header: after `Bearer `, or the whole value where a bare token is accepted.
    func token(in header: String) -> String? {
        if header.lowercased().hasPrefix("bearer ") { return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        guard acceptsBareToken else { return nil }
        let bare = header.trimmingCharacters(in: .whitespaces)
        return bare.isEmpty || bare.contains(" ") ? nil : bare
    }

    func resolve(_ subject: (kind: Principal.Kind, id: String, issuedAt: Date)) async throws -> Principal? {
        switch subject.kind {
        case .user: try await accounts.currentPrincipal(kind: .user, id: subject.id, issuedAt: subject.issuedAt)
        case .client: try await accounts.currentClient(id: subject.id)
        case .system: nil
        }
    }
}

/// Portal visitors carry a session cookie; every unsafe method must echo the CSRF cookie in the form.
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    static let sessionCookie = "gs_session"
    static let csrfCookie = "gs_csrf"
    let tokens: TokenService
    let accounts: AccountService
    let database: GovShareDatabase
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.cookies[Self.sessionCookie] != nil else { return try await authenticate(request, context: context, next: next) }
        return try await database.withLookupScope { try await authenticate(request, context: context, next: next) }
    }

    private func authenticate(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let token = request.cookies[Self.sessionCookie]?.value,
            let subject = await tokens.verify(token, audience: .portal), subject.kind == .user
        {
            context.principal = try await accounts.currentPrincipal(kind: .user, id: subject.id, issuedAt: subject.issuedAt)
        }
        let existingCSRF = request.cookies[Self.csrfCookie]?.value
        context.csrfToken = existingCSRF ?? RandomToken.make(bytes: 24)
        var response = try await next(request, context)
        if existingCSRF == nil {
            response.setCookie(
                .init(
                    name: Self.csrfCookie, value: context.csrfToken, path: "/", secure: secureCookies,
                    httpOnly: true, sameSite: .strict))
        }
        return response
    }
}

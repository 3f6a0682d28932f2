import GovShareCore
import Hummingbird

struct TokenRequest: Codable, Sendable {
    var username: String?
    var password: String?
    var clientId: String?
    var clientSecret: String?
    enum CodingKeys: String, CodingKey {
        case username, password
        case clientId = "client_id", clientSecret = "client_secret"
    }
}

struct TokenResponse: Codable, Sendable {
    let accessToken: String
    let tokenType: String
    let expiresIn: Int
    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in"
    }
}

struct MeResponse: Codable, Sendable {
    let kind, id, name: String
    let department: DepartmentDTO?
    let roles: [String]
}

/// `POST /api/v1/auth/token` for people and systems; `GET /api/v1/me`.
struct AuthController {
    let platform: Platform
    let tokens: TokenService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("auth/token", use: token)
        group.get("me", use: me)
    }

    @Sendable func token(request: Request, context: AppRequestContext) async throws -> JSONResponse<TokenResponse> {
        // Anyone may call this: a few KiB hold every field at its cap, so nothing larger is even read.
        let body = try await JSONBody.decode(TokenRequest.self, from: request, context: context, limit: InputLimits.signInBodyBytes)
        let principal: Principal
        if let username = body.username {
            guard let password = body.password, !password.isEmpty else {
                throw DomainError.invalid(field: "password", rule: "required", zh: "password 为必填项", en: "password is required")
            }
            principal = try await platform.accounts.signIn(username: username, password: password, origin: context.origin)
        } else if let clientId = body.clientId {
            guard let secret = body.clientSecret, !secret.isEmpty else {
                throw DomainError.invalid(
                    field: "client_secret", rule: "required", zh: "client_secret 为必填项",
                    en: "client_secret is required")
            }
            principal = try await platform.accounts.signInClient(clientId: clientId, secret: secret, origin: context.origin)
        } else {
            throw DomainError.invalid(
                field: "username", rule: "required",
                zh: "请提供 username 和 password，或 client_id 和 client_secret",
                en: "Give username and password, or client_id and client_secret")
        }
        let seconds = platform.config.security.accessTokenSeconds
        let token = try await tokens.issue(for: principal, audience: .api, seconds: seconds)
        return JSONResponse(TokenResponse(accessToken: token, tokenType: "Bearer", expiresIn: seconds))
    }

    @Sendable func me(request: Request, context: AppRequestContext) async throws -> JSONResponse<MeResponse> {
        let principal = try context.requirePrincipal()
        let department = try await platform.directory.ownDepartment(of: principal)
        return JSONResponse(
            MeResponse(
                kind: principal.kind.rawValue, id: principal.id, name: principal.name,
                department: department.map(DepartmentDTO.init), roles: principal.roles.map(\.rawValue).sorted()))
    }
}

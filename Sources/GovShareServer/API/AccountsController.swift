import GovShareCore
import Hummingbird

struct PasswordReset: Codable, Sendable { var password: String? }

struct NewClientRequest: Codable, Sendable {
    var name: String?
    var departmentCode: String?
    var roles: [String]?
    enum CodingKeys: String, CodingKey { case name, roles; case departmentCode = "department_code" }
}

/// People and systems, for platform administrators.
struct AccountsController {
    let platform: Platform

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("users", use: listUsers)
        group.post("users", use: createUser)
        group.post("users/{username}/disable") { request, context in try await setStatus(request, context, .disabled) }
        group.post("users/{username}/enable") { request, context in try await setStatus(request, context, .active) }
        group.post("users/{username}/password", use: resetPassword)
        group.get("clients", use: listClients)
        group.post("clients", use: createClient)
        group.post("clients/{clientId}/revoke", use: revokeClient)
    }

    private var now: String { Timestamp.format(platform.clock.now()) }

    @Sendable func listUsers(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<UserDTO>> {
        let actor = try context.require(.manageAccounts)
        var departmentId: String?
        if let code = request.uri.queryParameters["department_code"].map(String.init) {
            let department = try await platform.directory.requireDepartment(code: code, field: "department_code", by: actor)
            departmentId = department.id
        }
        let now = self.now
        return JSONResponse(
            ListDTO(
                items: try await platform.accounts.users(departmentId: departmentId, by: actor)
                    .map { UserDTO($0, now: now) }))
    }

    @Sendable func createUser(request: Request, context: AppRequestContext) async throws -> JSONResponse<UserDTO> {
        let actor = try context.require(.manageAccounts)
        let input = try await JSONBody.decode(NewUser.self, from: request, context: context)
        let user = try await platform.accounts.createUser(input, by: actor, origin: context.origin)
        return JSONResponse(UserDTO(user, now: now), status: .created)
    }

    func setStatus(_ request: Request, _ context: AppRequestContext, _ status: AccountStatus) async throws -> JSONResponse<UserDTO> {
        let actor = try context.require(.manageAccounts)
        let user = try await platform.accounts.setStatus(
            username: try context.parameters.require("username"), to: status,
            by: actor, origin: context.origin)
        return JSONResponse(UserDTO(user, now: now))
    }

    @Sendable func resetPassword(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.require(.manageAccounts)
        let body = try await JSONBody.decode(PasswordReset.self, from: request, context: context)
        try await platform.accounts.resetPassword(
            username: try context.parameters.require("username"),
            newPassword: body.password ?? "", by: actor, origin: context.origin)
        return Response(status: .noContent)
    }

    @Sendable func listClients(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListDTO<ClientDTO>> {
        let actor = try context.require(.manageAccounts)
        return JSONResponse(ListDTO(items: try await platform.accounts.clients(by: actor).map { ClientDTO($0) }))
    }

    @Sendable func createClient(request: Request, context: AppRequestContext) async throws -> JSONResponse<ClientDTO> {
        let actor = try context.require(.manageAccounts)
        let body = try await JSONBody.decode(NewClientRequest.self, from: request, context: context)
        let (client, secret) = try await platform.accounts.createClient(
            name: body.name, departmentCode: body.departmentCode, roles: body.roles, by: actor, origin: context.origin)
        return JSONResponse(ClientDTO(client, secret: secret), status: .created)
    }

    @Sendable func revokeClient(request: Request, context: AppRequestContext) async throws -> JSONResponse<ClientDTO> {
        let actor = try context.require(.manageAccounts)
        let client = try await platform.accounts.revokeClient(
            clientId: try context.parameters.require("clientId"),
            by: actor, origin: context.origin)
        return JSONResponse(ClientDTO(client))
    }
}

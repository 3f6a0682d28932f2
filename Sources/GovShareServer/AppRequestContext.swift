import GovShareCore
import Hummingbird
import NIOCore

/// Per-request state: who is calling (set by the authenticators), in which language, from where.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var language: Language = .zh
    /// The session's CSRF token for portal forms (double-submit cookie).
    public var csrfToken: String = ""
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var origin: RequestOrigin {
        RequestOrigin(requestId: id, clientAddress: remoteAddress?.ipAddress ?? "unknown")
    }

    /// Deny by default: a route that needs a caller asks for one, and a policy check follows.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw DomainError.unauthenticated }
        return principal
    }

    public func require(_ policy: Policy) throws -> Principal {
        let principal = try requirePrincipal()
        try policy.check(principal)
        return principal
    }
}

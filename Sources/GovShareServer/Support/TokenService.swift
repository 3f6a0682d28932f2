import Foundation
import GovShareCore
import JWTKit

/// Claims of an access token or a portal session (HS256 with the configured secret).
struct SessionClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var aud: AudienceClaim
    /// "user" or "client".
    var kind: String

    /// Expiry is checked in `TokenService.verify` against the platform's clock, the one every other rule uses.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Issues and checks short-lived bearer tokens (audience "api") and portal sessions (audience "portal").
struct TokenService: Sendable {
    enum Audience: String { case api, portal }

    let keys: JWTKeyCollection
    let clock: any WallClock

    init(secret: String, clock: any WallClock) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.clock = clock
    }

    func issue(for principal: Principal, audience: Audience, seconds: Int) async throws -> String {
        let now = clock.now()
        let subject = principal.kind == .client ? "client:\(principal.id)" : "user:\(principal.id)"
        let claims = SessionClaims(
            sub: .init(value: subject), exp: .init(value: now.addingTimeInterval(Double(seconds))),
            iat: .init(value: now), jti: .init(value: Identifier.make(at: now)),
            aud: .init(value: [audience.rawValue]), kind: principal.kind.rawValue)
        return try await keys.sign(claims)
    }

    /// The subject of a valid, unexpired token for that audience, and when it was issued; nil for anything else.
    func verify(_ token: String, audience: Audience) async -> (kind: Principal.Kind, id: String, issuedAt: Date)? {
        guard let claims = try? await keys.verify(token, as: SessionClaims.self),
            (try? claims.aud.verifyIntendedAudience(includes: audience.rawValue)) != nil,
            claims.exp.value > clock.now()
        else { return nil }
        let parts = claims.sub.value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Principal.Kind(rawValue: parts[0]), kind != .system else { return nil }
        return (kind, parts[1], claims.iat.value)
    }
}

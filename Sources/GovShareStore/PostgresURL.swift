import Foundation
import GovShareCore
import NIOSSL
import PostgresNIO

/// Reads a `postgres://user:password@host:port/database?sslmode=…` URL (or `postgres+uds://user@/socket/path#database`)
/// into `PostgresClient`'s configuration, with libpq's TLS modes: `require`/`verify-*` demand TLS, `prefer`/`allow`
/// (the TCP default) use it when the server offers it, `disable` never does.
enum PostgresURL {
    static func clientConfiguration(_ text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), let user = url.user?.removingPercentEncoding, !user.isEmpty else {
            throw invalid("user")
        }
        let password = url.password?.removingPercentEncoding
        let mode = url.queryItems?.last { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }?.value
        switch url.scheme {
        case "postgres", "postgresql", "postgres+tcp", "postgresql+tcp":
            guard let host = url.host, !host.isEmpty else { throw invalid("host") }
            let database = url.path.split(separator: "/").first.map { String($0).removingPercentEncoding ?? String($0) }
            return .init(host: host, port: url.port ?? 5432, username: user, password: password, database: database,
                         tls: try tls(mode ?? "prefer"))
        case "postgres+uds", "postgresql+uds":
            guard !url.path.isEmpty, url.path != "/" else { throw invalid("path") }
            guard ["disable", "false"].contains((mode ?? "disable").lowercased()) else { throw invalid("sslmode") }
            return .init(unixSocketPath: url.path, username: user, password: password, database: url.fragment)
        default:
            throw invalid("scheme")
        }
    }

    private static func tls(_ mode: String) throws -> PostgresClient.Configuration.TLS {
        switch mode.lowercased() {
        case "verify-full", "verify-ca", "require": .require(.makeClientConfiguration())
        case "prefer", "allow", "true": .prefer(.makeClientConfiguration())
        case "disable", "false": .disable
        default: throw invalid("sslmode")
        }
    }

    private static func invalid(_ part: String) -> DomainError {
        .invalid(field: "database", rule: "postgres_url",
                 zh: "数据库地址格式应为 postgres://用户:密码@主机:端口/数据库（\(part) 有误）",
                 en: "The database URL must look like postgres://user:password@host:port/database (\(part) is wrong)")
    }
}

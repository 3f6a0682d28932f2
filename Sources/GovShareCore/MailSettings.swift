import Foundation

/// Where and how mail leaves the platform: `smtp://` (a relay on the government network, upgraded with STARTTLS when
/// the relay offers it) or `smtps://` (TLS from the first byte, certificate verified), optionally with AUTH PLAIN.
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var username: String?
    public var password: String?
    public var from: String

    public init(host: String, port: Int, implicitTLS: Bool, username: String?, password: String?, from: String) {
        self.host = host; self.port = port; self.implicitTLS = implicitTLS; self.username = username; self.password = password
        self.from = from
    }

    /// Parses `smtp_url`; nil with the reason when it is not usable.
    public static func parse(url: String, from: String) -> Result<SMTPSettings, SMTPError> {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
            let host = c.host, !host.isEmpty
        else {
            return .failure(SMTPError("smtp_url must look like smtp://[user:password@]host[:port] or smtps://…"))
        }
        guard from.range(of: #"^[^@\s<>]+@[^@\s<>]+$"#, options: .regularExpression) != nil else {
            return .failure(SMTPError("smtp_from must be a mail address"))
        }
        return .success(
            SMTPSettings(
                host: host, port: c.port ?? (scheme == "smtps" ? 465 : 25), implicitTLS: scheme == "smtps",
                username: c.user?.removingPercentEncoding, password: c.password?.removingPercentEncoding, from: from))
    }
}

public struct SMTPError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

import Foundation

/// Where the platform may connect on a department's behalf (webhooks, service-interface endpoints, pull sources).
///
/// Government networks (政务外网) use private address ranges, which stay allowed, and so do IPv6 unique-local
/// addresses (fc00::/7), their IPv6 counterpart. Loopback, link-local (cloud metadata lives at 169.254.169.254),
/// unspecified, multicast and reserved addresses never belong to a department and are refused, whatever their spelling:
/// addresses are parsed by the system's parsers and judged by their bytes, and IPv6 forms that carry an IPv4 address
/// (`::ffff:7f00:1`, NAT64, 6to4) by that IPv4 address. Zone ids (`fe80::1%eth0`) are refused. Loopback can be
/// allowed (`outbound_allow_loopback`) for development and tests, never in production.
///
/// Two checks: `refusal(for:)`/`refusal(host:)` judge what a department enters, without looking names up (at
/// registration, and again before use in case the policy tightened); `checkedAddress(host:)` runs right before each
/// connection: it resolves a name and refuses if ANY address it resolves to is refused, and returns the address the
/// caller must connect to, so the connection goes where the check looked.
public struct OutboundPolicy: Sendable, Equatable {
    public var allowLoopback: Bool

    public init(allowLoopback: Bool = false) { self.allowLoopback = allowLoopback }

    /// Names that mean this machine or a cloud metadata service on every system, whatever DNS says.
    static let loopbackNames: Set<String> = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "localhost6"]
    static let metadataNames: Set<String> = ["metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal"]

    /// Why the URL's host may not be called, or nil when it may. The host is read as the HTTP client reads it.
    public func refusal(for url: String) -> LocalizedText? {
        guard let host = URL(string: url)?.host ?? URLComponents(string: url)?.host, !host.isEmpty else {
            return LocalizedText(zh: "地址缺少主机名", en: "The address has no host")
        }
        return refusal(host: host)
    }

    /// Why this host (an address in any spelling, bracketed or not, or a name) may not be called, or nil when it may.
    public func refusal(host text: String) -> LocalizedText? {
        var host = text.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return LocalizedText(zh: "地址缺少主机名", en: "The address has no host") }
        if host.contains("%") {
            return LocalizedText(zh: "主机不能带网卡区域标识或转义字符（\(host)）", en: "The host cannot carry a zone id or escaped characters (\(host))")
        }
        if let address = IPAddress(numeric: host) { return refusal(address: address, shown: host) }
        if host.contains(":") || !Self.isHostName(host) {
            return LocalizedText(zh: "主机名无效（\(host)）", en: "The host is not a valid name or address (\(host))")
        }
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        if Self.loopbackNames.contains(name) || name.hasSuffix(".localhost") {
            return allowLoopback ? nil : Self.loopback(name)
        }
        if Self.metadataNames.contains(name) { return Self.notDepartment(name) }
        // A name ending in a number is an address to some resolvers (WHATWG URL reads `1.2.3.4.5` as one); no real
        // name ends so, and one the parsers above refused is no address the policy could judge.
        if let last = name.split(separator: ".").last, last.allSatisfy({ $0.isHexDigit || $0 == "x" }), last.first?.isNumber == true {
            return LocalizedText(zh: "主机名无效（\(host)）", en: "The host is not a valid name or address (\(host))")
        }
        return nil
    }

    /// Why an address may not be called, or nil when it may.
    public func refusal(address: IPAddress, shown: String? = nil) -> LocalizedText? {
        let text = shown ?? address.description
        switch address.scope {
        case .global, .privateNetwork: return nil
        case .loopback: return allowLoopback ? nil : Self.loopback(text)
        case .linkLocal, .unspecified, .multicast, .reserved: return Self.notDepartment(text)
        }
    }

    /// Why a connection was not made. Its description names the host and the reason, for the server log only: what a
    /// department or reader is told must not say what a name resolves to nor whether it exists.
    public struct Refused: Error, CustomStringConvertible {
        public let host: String
        public let reason: String
        public init(host: String, reason: String) { self.host = host; self.reason = reason }
        public var description: String { "outbound connection to \(host) refused: \(reason)" }
    }

    /// The address to connect to for `host`, checked right before connecting. A name is resolved and every address it
    /// resolves to must be allowed (one refused address refuses the name: a resolver may hand out any of them).
    /// Connect to the returned address only; resolving again would let DNS answer differently (rebinding).
    public func checkedAddress(host text: String, resolver: any HostResolver = SystemResolver()) async throws -> IPAddress {
        if let refusal = refusal(host: text) { throw Refused(host: text, reason: refusal.en) }
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let address = IPAddress(numeric: host) { return address }
        let addresses: [IPAddress]
        do { addresses = try await resolver.addresses(of: host) } catch { throw Refused(host: text, reason: "not resolved: \(error)") }
        guard let first = addresses.first else { throw Refused(host: text, reason: "resolves to no usable address") }
        for address in addresses {
            if let refusal = refusal(address: address) { throw Refused(host: text, reason: "resolves to \(address): \(refusal.en)") }
        }
        return first
    }

    /// Letters (any script, for internationalised names), digits, `-`, `_` and `.`: nothing a resolver or URL parser
    /// could read as something else (spaces, escapes, `@`, `\`).
    static func isHostName(_ host: String) -> Bool {
        host.count <= 253
            && host.unicodeScalars.allSatisfy { s in
                s == "-" || s == "." || s == "_" || CharacterSet.alphanumerics.contains(s)
            }
    }

    static func loopback(_ host: String) -> LocalizedText {
        LocalizedText(zh: "不能指向本机地址（\(host)）", en: "The address cannot point at this machine (\(host))")
    }

    static func notDepartment(_ host: String) -> LocalizedText {
        LocalizedText(
            zh: "不能指向链路本地、未指定、组播或保留地址（\(host)）",
            en: "The address cannot be link-local, unspecified, multicast or reserved (\(host))")
    }
}

import Foundation

/// Where the platform may send requests on a department's behalf (webhooks, service-interface endpoints). Government
/// networks (政务外网) use private address ranges, which stay allowed; loopback, link-local (cloud metadata lives at
/// 169.254.169.254), unspecified and multicast addresses never belong to a department and are refused, so a URL a
/// department enters cannot make the platform probe itself. Loopback can be allowed (`outbound_allow_loopback`) for
/// development and tests. Names are not resolved here: an egress firewall covers names that resolve inward.
public struct OutboundPolicy: Sendable, Equatable {
    public var allowLoopback: Bool

    public init(allowLoopback: Bool = false) { self.allowLoopback = allowLoopback }

    /// Why the URL's host may not be called, or nil when it may.
    public func refusal(for url: String) -> LocalizedText? {
        guard let host = URLComponents(string: url)?.host?.lowercased(), !host.isEmpty else {
            return LocalizedText(zh: "地址缺少主机名", en: "The address has no host")
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let loopbackNames = bare == "localhost" || bare.hasSuffix(".localhost") || bare == "ip6-localhost" || bare == "localhost.localdomain"
        if loopbackNames || Self.isLoopback(bare) {
            return allowLoopback ? nil : LocalizedText(zh: "不能指向本机地址（\(bare)）", en: "The address cannot point at this machine (\(bare))")
        }
        if bare == "metadata.google.internal" || Self.isLinkLocalUnspecifiedOrMulticast(bare) {
            return LocalizedText(zh: "不能指向链路本地、未指定或组播地址（\(bare)）",
                                 en: "The address cannot be link-local, unspecified or multicast (\(bare))")
        }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool {
        if let v4 = ipv4(host) { return v4 >> 24 == 127 }
        let v6 = host.replacingOccurrences(of: "0000", with: "0")
        if v6 == "::1" || v6 == "0:0:0:0:0:0:0:1" { return true }
        if let mapped = mappedIPv4(v6) { return mapped >> 24 == 127 }
        return false
    }

    static func isLinkLocalUnspecifiedOrMulticast(_ host: String) -> Bool {
        if let v4 = ipv4(host) {
            return v4 >> 16 == 0xA9FE || v4 >> 24 == 0 || (224...239).contains(v4 >> 24) || v4 == 0xFFFF_FFFF
        }
        guard host.contains(":") else { return false }
        if host == "::" || host.hasPrefix("ff") { return true }
        if ["fe8", "fe9", "fea", "feb"].contains(where: host.hasPrefix) { return true }
        if let mapped = mappedIPv4(host) { return isLinkLocalUnspecifiedOrMulticast(Self.dotted(mapped)) }
        return false
    }

    /// IPv4 in every form resolvers accept (inet_aton): `127.0.0.1`, `127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`.
    static func ipv4(_ host: String) -> UInt32? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            let text = part.lowercased()
            let value: UInt64?
            if text.hasPrefix("0x") { value = UInt64(text.dropFirst(2), radix: 16) }
            else if text.count > 1, text.hasPrefix("0") { value = UInt64(text.dropFirst(), radix: 8) }
            else { value = UInt64(text, radix: 10) }
            guard let value else { return nil }
            values.append(value)
        }
        // The last part fills the remaining bytes: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
        let head = values.dropLast()
        guard head.allSatisfy({ $0 <= 255 }), let last = values.last, last < (UInt64(1) << (8 * (5 - values.count))) else { return nil }
        let combined = head.enumerated().reduce(UInt64(0)) { $0 | ($1.element << (8 * (3 - UInt64($1.offset)))) } | last
        return UInt32(truncatingIfNeeded: combined)
    }

    static func mappedIPv4(_ host: String) -> UInt32? {
        guard host.hasPrefix("::ffff:") else { return nil }
        return ipv4(String(host.dropFirst("::ffff:".count)))
    }

    static func dotted(_ v4: UInt32) -> String {
        [24, 16, 8, 0].map { String((v4 >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}

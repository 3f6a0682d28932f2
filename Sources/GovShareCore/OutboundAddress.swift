import Foundation

/// An IP address as the network sees it: four or sixteen bytes, whatever spelling it was written in. The outbound
/// policy classifies these bytes, never the text, so `[0::1]`, `[::ffff:7f00:1]`, `2130706433` and `0x7f.1` are all the
/// address they stand for.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// Sixteen bytes, network order.
    case v6([UInt8])

    /// Parses a numeric host with the system's parsers: `inet_pton` for IPv6 (brackets allowed, zone ids are not: a
    /// zone is not part of an address the policy can judge) and for dotted-quad IPv4, then `inet_aton` and our own
    /// reading of its legacy spellings (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`), which resolvers accept as
    /// IPv4 and which a platform's `inet_aton` may not. Nil for anything else (a name, or text that is no address).
    public init?(numeric text: String) {
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("%"), host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        if host.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, host, &address) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: &address) { Array($0) })
            return
        }
        var address = in_addr()
        if inet_pton(AF_INET, host, &address) == 1 || inet_aton(host, &address) != 0 {
            self = .v4(UInt32(bigEndian: address.s_addr))
        } else if let legacy = Self.legacyIPv4(host) {
            self = .v4(legacy)
        } else {
            return nil
        }
    }

    /// From a socket address the resolver returned; nil for other families and for scoped (zone) IPv6 addresses.
    init?(socketAddress pointer: UnsafePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let v4 = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            self = .v4(UInt32(bigEndian: v4))
        case AF_INET6:
            let (bytes, scope) = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p -> ([UInt8], UInt32) in
                var address = p.pointee.sin6_addr
                return (withUnsafeBytes(of: &address) { Array($0) }, p.pointee.sin6_scope_id)
            }
            guard scope == 0 else { return nil }
            self = .v6(bytes)
        default:
            return nil
        }
    }

    /// The text to connect to (`inet_ntop`), without brackets.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch self {
        case .v4(let value):
            var address = in_addr(s_addr: value.bigEndian)
            _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            _ = inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// inet_aton's spellings: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits); each part decimal, 0x hex or 0 octal.
    static func legacyIPv4(_ host: String) -> UInt32? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            let text = part.lowercased()
            guard !text.isEmpty, text.count <= 34 else { return nil }
            let value: UInt64?
            if text.hasPrefix("0x") {
                value = text.count == 2 ? 0 : UInt64(text.dropFirst(2), radix: 16)
            } else if text.count > 1, text.hasPrefix("0") {
                value = UInt64(text.dropFirst(), radix: 8)
            } else {
                value = UInt64(text, radix: 10)
            }
            guard let value else { return nil }
            values.append(value)
        }
        let head = values.dropLast()
        guard head.allSatisfy({ $0 <= 255 }), let last = values.last, last < (UInt64(1) << (8 * (5 - values.count))) else { return nil }
        let combined = head.enumerated().reduce(UInt64(0)) { $0 | ($1.element << (8 * (3 - UInt64($1.offset)))) } | last
        return UInt32(truncatingIfNeeded: combined)
    }
}

/// What kind of network an address belongs to, as far as the outbound policy cares.
public enum AddressScope: String, Sendable {
    /// Reachable on the internet.
    case global
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (shared), fc00::/7 (unique-local), fec0::/10 (old site-local): the
    /// government networks (政务外网) departments' systems live on.
    case privateNetwork = "private"
    case loopback
    /// 169.254/16 and fe80::/10: cloud metadata services and neighbours on the platform's own link.
    case linkLocal = "link_local"
    case unspecified
    case multicast
    /// Reserved (240/4, broadcast) or a tunnel/translation form whose IPv4 cannot be read off the address (Teredo,
    /// local-use NAT64): nothing a department needs, and nothing the policy could judge.
    case reserved
}

extension IPAddress {
    public var scope: AddressScope {
        switch self {
        case .v4(let a): return Self.scope(ofIPv4: a)
        case .v6(let b): return Self.scope(ofIPv6: b)
        }
    }

    static func scope(ofIPv4 a: UInt32) -> AddressScope {
        switch a >> 24 {
        case 0: return .unspecified
        case 127: return .loopback
        case 10: return .privateNetwork
        case 224...239: return .multicast
        case 240...255: return .reserved
        default: break
        }
        if a >> 16 == 0xA9FE { return .linkLocal }
        // 172.16/12, 192.168/16, 100.64/10
        if a >> 20 == 0xAC1 || a >> 16 == 0xC0A8 || a >> 22 == (100 << 2 | 1) { return .privateNetwork }
        return .global
    }

    /// IPv6 forms that carry an IPv4 address (mapped, compatible, translated, NAT64, 6to4) are judged by that IPv4
    /// address: the kernel or a gateway delivers them to it.
    static func scope(ofIPv6 b: [UInt8]) -> AddressScope {
        func v4(_ at: Int) -> UInt32 { b[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let zeros = { (range: Range<Int>) in b[range].allSatisfy { $0 == 0 } }
        if zeros(0..<16) { return .unspecified }
        if zeros(0..<15), b[15] == 1 { return .loopback }
        if zeros(0..<10), b[10] == 0xFF, b[11] == 0xFF { return scope(ofIPv4: v4(12)) }  // ::ffff:a.b.c.d mapped
        if zeros(0..<8), b[8] == 0xFF, b[9] == 0xFF, zeros(10..<12) { return scope(ofIPv4: v4(12)) }  // ::ffff:0:a.b.c.d translated
        if zeros(0..<12) { return scope(ofIPv4: v4(12)) }  // ::a.b.c.d compatible
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B {
            if zeros(4..<12) { return scope(ofIPv4: v4(12)) }  // 64:ff9b::/96 NAT64
            if b[4] == 0, b[5] == 1 { return .reserved }  // 64:ff9b:1::/48 local-use NAT64
        }
        if b[0] == 0x20, b[1] == 0x02 { return scope(ofIPv4: v4(2)) }  // 2002::/16 6to4
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0, b[3] == 0 { return .reserved }  // 2001::/32 Teredo
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        if b[0] == 0xFE, b[1] & 0xC0 == 0xC0 { return .privateNetwork }  // fec0::/10
        if b[0] & 0xFE == 0xFC { return .privateNetwork }  // fc00::/7
        return .global
    }
}

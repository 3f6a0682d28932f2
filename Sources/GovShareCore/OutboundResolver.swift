import Foundation

/// Turns a host name into the addresses a connection could reach.
public protocol HostResolver: Sendable {
    func addresses(of host: String) async throws -> [IPAddress]
}

/// The system resolver (`getaddrinfo`: /etc/hosts, then DNS), run off the cooperative pool because it blocks.
public struct SystemResolver: HostResolver {
    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public init(code: Int32) { self.code = code }
        public var description: String { "getaddrinfo failed (\(code))" }
    }

    public func addresses(of host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.lookup(host) })
            }
        }
    }

    static func lookup(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else { throw Failure(code: code) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var next = list
        while let entry = next {
            if let socketAddress = entry.pointee.ai_addr {
                // A scoped or unknown-family answer cannot be judged: it counts as a forbidden address.
                guard let address = IPAddress(socketAddress: UnsafePointer(socketAddress)) else { return [] }
                if !addresses.contains(address) { addresses.append(address) }
            }
            next = entry.pointee.ai_next
        }
        return addresses
    }
}

import AsyncHTTPClient
import Foundation
import GovShareCore
import Logging
import NIOCore

/// One HTTP request to a department's system (webhook receiver, service-interface endpoint), made only where the
/// outbound policy allows: the host is resolved and every address checked right before connecting, the connection is
/// pinned to the checked address (DNS asked again could answer differently), and redirects are never followed (a
/// redirect could point anywhere; a department configures the final address instead).
enum OutboundHTTP {
    enum Failure: Error, CustomStringConvertible {
        /// The policy refused the host or what it resolves to; the detail is for the server log only.
        case notAllowed(String)
        /// The system answered with a redirect, which is not followed.
        case redirected(status: Int)
        /// No connection, TLS failure, timeout, or an answer too large; the detail is for the server log only.
        case unreachable(String)

        var description: String {
            switch self {
            case .notAllowed(let detail): "not allowed: \(detail)"
            case .redirected(let status): "redirect (HTTP \(status)) not followed"
            case .unreachable(let detail): "unreachable: \(detail)"
            }
        }
    }

    /// The answer's status and its body (at most `maxBody` bytes, else `unreachable`; with `discardBody` the body is
    /// read up to that size and dropped, whatever its length).
    static func send(
        _ request: HTTPClientRequest, policy: OutboundPolicy, timeout: TimeAmount, maxBody: Int, discardBody: Bool = false,
        resolver: any HostResolver = SystemResolver()
    ) async throws(Failure) -> (status: Int, body: [UInt8]) {
        // The host as the HTTP client reads it (Foundation's URL, brackets removed), so the pin below is the one it uses.
        guard let url = URL(string: request.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            let rawHost = url.host, !rawHost.isEmpty
        else {
            throw .notAllowed("not an http(s) URL with a host")
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let address: IPAddress
        do {
            address = try await policy.checkedAddress(host: host, resolver: resolver)
        } catch {
            throw .notAllowed("\(error)")
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: timeout))
        configuration.dnsOverride = [host: address.description]
        configuration.proxy = nil
        // A client per request: the pin is part of the client's configuration, and a pooled connection to a name
        // must not outlive the check that allowed it.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Result<(status: Int, body: [UInt8]), Failure>
        do {
            let response = try await client.execute(request, timeout: timeout)
            let status = Int(response.status.code)
            if (300..<400).contains(status) {
                outcome = .failure(.redirected(status: status))
            } else if discardBody {
                _ = try? await response.body.collect(upTo: maxBody)
                outcome = .success((status, []))
            } else {
                let body = try await response.body.collect(upTo: maxBody)
                outcome = .success((status, Array(body.readableBytesView)))
            }
        } catch {
            outcome = .failure(.unreachable(Self.describe(error)))
        }
        try? await client.shutdown()
        return try outcome.get()
    }

    /// The error's kind, never the URL (its query may carry a reader's parameters or a token).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "HTTPClientError \(error.description)" }
        if let error = error as? IOError { return "IOError errno \(error.errnoCode)" }
        return String(describing: type(of: error))
    }
}

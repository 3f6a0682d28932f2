import AsyncHTTPClient
import Foundation
import GovShareCore
import Logging
import NIOCore

/// Calls department endpoints for service-interface resources: GET with the reader's parameters, 10 s timeout,
/// at most 8 MiB of answer, only to an address the outbound policy allows and without following redirects
/// (OutboundHTTP). What the reader is told says nothing about the target (whether it exists, listens, or what its
/// name resolves to); the cause goes to the server log at debug level.
struct HTTPServiceCaller: ServiceCaller {
    let outbound: OutboundPolicy
    let logger: Logger
    let resolver: any HostResolver

    init(outbound: OutboundPolicy, logger: Logger, resolver: any HostResolver = SystemResolver()) {
        self.outbound = outbound; self.logger = logger; self.resolver = resolver
    }

    func get(_ endpoint: String, parameters: [String: String]) async throws -> (status: Int, body: [UInt8]) {
        guard var components = URLComponents(string: endpoint) else {
            throw DomainError.invalid(field: "endpoint", rule: "url", zh: "接口地址无效", en: "The endpoint is not a valid URL")
        }
        // The endpoint's own query items are the provider's: a reader's parameter cannot replace one.
        let fixed = Set((components.queryItems ?? []).map(\.name))
        if let taken = parameters.keys.sorted().first(where: fixed.contains) {
            throw DomainError.invalid(
                field: "parameters.\(taken)", rule: "reserved",
                zh: "参数「\(taken)」由提供部门的接口地址固定，不能指定", en: "Parameter '\(taken)' is fixed by the provider's endpoint")
        }
        let extra = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        if !extra.isEmpty { components.queryItems = (components.queryItems ?? []) + extra }
        guard let url = components.string else {
            throw DomainError.invalid(field: "parameters", rule: "url", zh: "参数无法组成有效地址", en: "The parameters do not form a valid URL")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        do throws(OutboundHTTP.Failure) {
            return try await OutboundHTTP.send(
                request, policy: outbound, timeout: .seconds(10), maxBody: 8 * 1024 * 1024,
                resolver: resolver)
        } catch {
            logger.debug("service endpoint call failed", metadata: ["host": "\(components.host ?? "?")", "cause": "\(error)"])
            if case .redirected = error {
                throw DomainError(
                    .unavailable, code: "upstream_redirect",
                    message: LocalizedText(
                        zh: "提供部门接口返回了重定向，平台不跟随重定向，请提供部门配置最终地址",
                        en:
                            "The provider's endpoint answered with a redirect, which the platform does not follow; the provider must configure the final address"
                    ))
            }
            throw DomainError(
                .unavailable, code: "upstream_failed",
                message: LocalizedText(zh: "无法连接提供部门接口", en: "The provider's endpoint could not be reached"))
        }
    }
}

import AsyncHTTPClient
import Foundation
import GovShareCore
import NIOCore

/// Calls department endpoints for service-interface resources: GET with the reader's parameters, 10 s timeout,
/// at most 8 MiB of answer.
struct HTTPServiceCaller: ServiceCaller {
    func get(_ endpoint: String, parameters: [String: String]) async throws -> (status: Int, body: [UInt8]) {
        guard var components = URLComponents(string: endpoint) else {
            throw DomainError.invalid(field: "endpoint", rule: "url", zh: "接口地址无效", en: "The endpoint is not a valid URL")
        }
        // The endpoint's own query items are the provider's: a reader's parameter cannot replace one.
        let fixed = Set((components.queryItems ?? []).map(\.name))
        if let taken = parameters.keys.sorted().first(where: fixed.contains) {
            throw DomainError.invalid(field: "parameters.\(taken)", rule: "reserved",
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
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 8 * 1024 * 1024)
            return (Int(response.status.code), Array(body.readableBytesView))
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError(.unavailable, code: "upstream_failed",
                              message: LocalizedText(zh: "无法连接提供部门接口", en: "The provider's endpoint could not be reached"))
        }
    }
}

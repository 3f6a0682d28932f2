import AsyncHTTPClient
import Foundation
import GovShareCore
import NIOCore

/// Posts signed envelopes to a peer's `POST /api/v1/federation/messages` (issue 18), through the outbound policy like
/// every call this server makes (no redirects; loopback only where configured), with the sender in `X-GovShare-Node`
/// and the signed request header in `X-GovShare-Signature`, so the peer can refuse an unknown sender or an unsigned
/// request before reading the body.
struct HTTPNodeTransport: NodeTransport {
    let outbound: OutboundPolicy

    func deliver(_ wire: NodeWireRequest, to baseURL: String) async throws -> (status: Int, code: String?) {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/federation/messages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-GovShare-Node", value: wire.from)
        request.headers.add(name: NodeRequestSignature.headerName, value: wire.signature.header)
        request.body = .bytes(ByteBuffer(bytes: wire.body))
        let answer = try await OutboundHTTP.send(request, policy: outbound, timeout: .seconds(30), maxBody: 64 * 1024)
        let code = (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["code"] as? String
        return (answer.status, code)
    }
}

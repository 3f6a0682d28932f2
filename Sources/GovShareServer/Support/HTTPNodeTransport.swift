import AsyncHTTPClient
import Foundation
import GovShareCore
import NIOCore

/// Posts signed envelopes to a peer's `POST /api/v1/federation/messages` (issue 18), through the outbound policy like
/// every call this server makes (no redirects; loopback only where configured), with the sender in `X-GovShare-Node`
/// so the peer can refuse an unknown sender before reading the body.
struct HTTPNodeTransport: NodeTransport {
    let outbound: OutboundPolicy

    func deliver(_ envelope: NodeEnvelope, to baseURL: String) async throws -> (status: Int, code: String?) {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/federation/messages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-GovShare-Node", value: envelope.from)
        let body = try JSONEncoder().encode(envelope)
        request.body = .bytes(ByteBuffer(bytes: body))
        let answer = try await OutboundHTTP.send(request, policy: outbound, timeout: .seconds(30), maxBody: 64 * 1024)
        let code = (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["code"] as? String
        return (answer.status, code)
    }
}

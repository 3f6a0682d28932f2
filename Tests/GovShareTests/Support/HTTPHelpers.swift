import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

let demoPassword = "GovShare#2026"

extension TestClientProtocol {
    func json(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any], response: TestResponse) {
        var headers = extra
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let data = Data(response.body.readableBytesView)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (response.status, object, response)
    }

    func token(_ username: String, _ password: String = demoPassword) async throws -> String {
        let result = try await json(.post, "/api/v1/auth/token", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        #expect(result.status == .ok, "sign-in of \(username) failed: \(result.json)")
        return try #require(result.json["access_token"] as? String)
    }
}

func fieldErrors(_ json: [String: Any]) -> [(field: String, rule: String)] {
    ((json["errors"] as? [[String: Any]]) ?? []).map { ($0["field"] as? String ?? "", $0["rule"] as? String ?? "") }
}

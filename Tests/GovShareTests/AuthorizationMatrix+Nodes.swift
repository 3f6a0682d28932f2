/// Nodes (Art. 15; issue 18): this node's description is public; administrators, operators and auditors see the
/// registry; administrators register and revoke; administrators and operators check links. The message endpoint is
/// for peer nodes: a caller that is no registered peer (every person here) gets 401 whatever token it holds.
extension AuthorizationMatrixTests {
    static let nodes: [Probe] = [
        P("GET /api/v1/nodes/self", expect: .anyone(.ok)),
        P("GET /api/v1/nodes", expect: .only(.admin, .ops, .auditor, get: .ok)),
        P("POST /api/v1/nodes", body: "{}", expect: .only(.admin, get: .invalid)),
        P("GET /api/v1/nodes/{id}", on: "matrix-none", expect: .only(.admin, .ops, .auditor, get: .hidden)),
        P("POST /api/v1/nodes/{id}/revoke", on: "matrix-none", body: #"{"reason":"x"}"#, expect: .only(.admin, get: .hidden)),
        P("POST /api/v1/nodes/{id}/check", on: "matrix-none", expect: .only(.admin, .ops, get: .hidden)),
        P("GET /api/v1/nodes/{id}/checkpoints/export", on: "matrix-none", expect: .only(.admin, .auditor, get: .hidden)),
        P("POST /api/v1/federation/messages", body: "{}", expect: .anyone(.status(401))),
    ]
}

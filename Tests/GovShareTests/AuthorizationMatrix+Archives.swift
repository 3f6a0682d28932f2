/// Archives (Art. 26): auditors, operators and administrators see the registry, the audit segments and check a
/// package; packages are made at the console and by the scheduler (no route creates one).
extension AuthorizationMatrixTests {
    static let archives: [Probe] = [
        P("GET /api/v1/archives", expect: .only(.admin, .ops, .auditor, get: .ok)),
        P("GET /api/v1/archives", query: "kind=nonsense", expect: .only(.admin, .ops, .auditor, get: .invalid)),
        P("GET /api/v1/archives/{id}", on: "matrix-no-archive", expect: .only(.admin, .ops, .auditor, get: .hidden)),
        P("POST /api/v1/archives/{id}/verify", on: "matrix-no-archive", expect: .only(.admin, .ops, .auditor, get: .hidden)),
        P("GET /api/v1/audit/segments", expect: .only(.admin, .ops, .auditor, get: .ok)),
    ]
}

/// Conflicts between providers (Art. 13): department and authority reviewers, administrators and auditors read;
/// authority reviewers declare pairs and arbitrate; authority reviewers, administrators and operators run the check;
/// the providers' reviewers (department and, for the authority's own data, authority reviewers) negotiate. Bodies that
/// fail validation are refused after the policy check; unknown cases are hidden.
extension AuthorizationMatrixTests {
    static let readConflicts: [Caller] = [.admin, .gd, .gz, .psbR, .auditor]
    static let conflicts: [Probe] = [
        P("GET /api/v1/conflicts/pairs", expect: .only(readConflicts, get: .ok)),
        P("POST /api/v1/conflicts/pairs", body: "{}", expect: .only(.gd, .gz, get: .invalid)),
        P("POST /api/v1/conflicts/pairs/{id}/retire", on: "matrix-none", expect: .only(.gd, .gz, get: .hidden)),
        // Runs the check over the caller's pairs (gz has none): changes nothing the other rows read.
        P("POST /api/v1/conflicts/check", expect: .only(.admin, .ops, .gd, .gz, get: .ok)),
        P("GET /api/v1/conflicts/runs", expect: .only(readConflicts, get: .ok)),
        P("GET /api/v1/conflicts/statistics", expect: .only(readConflicts, get: .ok)),
        P("GET /api/v1/conflicts", expect: .only(readConflicts, get: .ok)),
        P("GET /api/v1/conflicts", query: "status=nonsense", expect: .only(readConflicts, get: .invalid)),
        P("GET /api/v1/conflicts/{id}", on: "matrix-none", expect: .only(readConflicts, get: .hidden)),
        P("POST /api/v1/conflicts/{id}/messages", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .psbR, get: .invalid)),
        P("POST /api/v1/conflicts/{id}/propose", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .psbR, get: .invalid)),
        P("POST /api/v1/conflicts/{id}/agree", on: "matrix-none", expect: .only(.gd, .gz, .psbR, get: .hidden)),
        P("POST /api/v1/conflicts/{id}/escalate", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .psbR, get: .invalid)),
        // Administrators arbitrate cases of the authority's own department (Impartiality): they pass the role check.
        P("POST /api/v1/conflicts/{id}/arbitrate", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .admin, get: .invalid)),
    ]
}

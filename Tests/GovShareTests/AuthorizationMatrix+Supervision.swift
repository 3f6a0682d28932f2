/// Supervision (Art. 29–30): findings and orders read within each viewer's scope; checks run by the authorities,
/// administrators and operators; orders issued and decided by the authority overseeing the department, answered by the
/// department's reviewers.
extension AuthorizationMatrixTests {
    static let supervision: [Probe] = [
        P("GET /api/v1/supervision", expect: .only(.gd, .gz, .psbR, .psbC, .admin, .auditor, get: .ok)),
        P("POST /api/v1/supervision/checks", expect: .only(.gd, .gz, .admin, .ops, get: .ok)),
        P(
            "GET /api/v1/supervision/findings/{id}", on: "matrix-none",
            expect: .only(.gd, .gz, .psbR, .psbC, .admin, .auditor, get: .hidden)),
        // An empty body: refused as invalid after the policy check.
        // Administrators order and review the authority's own department (Impartiality): they pass the role check.
        P("POST /api/v1/supervision/orders", body: "{}", expect: .only(.gd, .gz, .admin, get: .invalid)),
        P("GET /api/v1/supervision/orders/{id}", on: "matrix-none", expect: .only(.gd, .gz, .psbR, .psbC, .admin, .auditor, get: .hidden)),
        P(
            "POST /api/v1/supervision/orders/{id}/respond", on: "matrix-none", body: #"{"response":"r"}"#,
            expect: .only(.psbR, get: .hidden)),
        P("POST /api/v1/supervision/orders/{id}/accept", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .admin, get: .hidden)),
        P(
            "POST /api/v1/supervision/orders/{id}/return", on: "matrix-none", body: #"{"note":"n"}"#,
            expect: .only(.gd, .gz, .admin, get: .hidden)),
        // Plans list other departments' objects: the authorities, administrators and auditors only.
        P("GET /api/v1/supervision/samples", expect: .only(.gd, .gz, .admin, .auditor, get: .ok)),
        P("POST /api/v1/supervision/samples", body: "{}", expect: .only(.gd, .gz, get: .invalid)),
        P("GET /api/v1/supervision/samples/{id}", on: "matrix-none", expect: .only(.gd, .gz, .admin, .auditor, get: .hidden)),
        P("POST /api/v1/supervision/samples/{id}/draw", on: "matrix-none", expect: .only(.gd, .gz, get: .hidden)),
        P(
            "POST /api/v1/supervision/samples/{id}/inspections", on: "matrix-none", body: #"{"object_id":"x","ok":true}"#,
            expect: .only(.gd, .gz, get: .hidden)),
        P(
            "GET /api/v1/supervision/samples/{id}/verify", on: "matrix-none",
            expect: .only(.gd, .gz, .admin, .auditor, get: .hidden)),
    ]
}

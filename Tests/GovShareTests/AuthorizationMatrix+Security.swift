/// Security operations (Art. 27): security officers (psbS), administrators, auditors and operators read; officers,
/// administrators and operators report incidents; officers and administrators keep plans and drills. An object outside
/// one's scope (here: one that does not exist) is hidden.
extension AuthorizationMatrixTests {
    static let security: [Probe] = [
        P("GET /api/v1/security/incidents", expect: .only(.psbS, .admin, .auditor, .ops, get: .ok)),
        P("POST /api/v1/security/incidents", body: "{}", expect: .only(.psbS, .admin, .ops, get: .invalid)),
        P("GET /api/v1/security/incidents/{id}", on: "matrix-no-incident", expect: .only(.psbS, .admin, .auditor, .ops, get: .hidden)),
        P(
            "POST /api/v1/security/incidents/{id}/log", on: "matrix-no-incident", body: #"{"note":"x"}"#,
            expect: .only(.psbS, .admin, .ops, get: .hidden)),
        P(
            "POST /api/v1/security/incidents/{id}/close", on: "matrix-no-incident", body: "{}",
            expect: .only(.psbS, .admin, .ops, get: .hidden)),
        P("GET /api/v1/security/plans", expect: .only(.psbS, .admin, .auditor, .ops, get: .ok)),
        P("POST /api/v1/security/plans", body: "{}", expect: .only(.psbS, .admin, get: .invalid)),
        P("GET /api/v1/security/plans/{id}", on: "matrix-no-plan", expect: .only(.psbS, .admin, .auditor, .ops, get: .hidden)),
        P("POST /api/v1/security/plans/{id}/versions", on: "matrix-no-plan", body: "{}", expect: .only(.psbS, .admin, get: .hidden)),
        P("GET /api/v1/security/drills", expect: .only(.psbS, .admin, .auditor, .ops, get: .ok)),
        P("POST /api/v1/security/drills", body: "{}", expect: .only(.psbS, .admin, get: .invalid)),
        P("GET /api/v1/security/drills/due", expect: .only(.psbS, .admin, .auditor, .ops, get: .ok)),
        P("GET /api/v1/security/drills/{id}", on: "matrix-no-drill", expect: .only(.psbS, .admin, .auditor, .ops, get: .hidden)),
        P("POST /api/v1/security/drills/{id}/follow-ups", on: "matrix-no-drill", body: "{}", expect: .only(.psbS, .admin, get: .hidden)),
        P(
            "POST /api/v1/security/drills/{id}/follow-ups/{followUpId}/done", on: "matrix-no-drill", "matrix-no-follow-up",
            body: "{}", expect: .only(.psbS, .admin, get: .hidden)),
    ]
}

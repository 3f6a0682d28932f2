/// Seals (Art. 24, 25): the provincial data authority's administrators (admin) issue, suspend, resume and revoke;
/// reviewers of the holder department sign; anyone signed in lists their own department's, asks a status and verifies.
extension AuthorizationMatrixTests {
    static let seals: [Probe] = [
        P("GET /api/v1/seals", expect: .signedIn(.ok)),
        P("POST /api/v1/seals", body: "{}", expect: .only(.admin, get: .invalid)),
        // Not multipart: refused as invalid after the sign-in check.
        P("POST /api/v1/seals/verify", body: "{}", expect: .signedIn(.invalid)),
        P("GET /api/v1/seals/root-certificate", expect: .signedIn(.ok)),
        P("GET /api/v1/seals/status/{key}", on: "matrix-no-seal", expect: .signedIn(.hidden)),
        P("GET /api/v1/seals/{id}", on: "matrix-no-seal", expect: .signedIn(.hidden)),
        P("POST /api/v1/seals/{id}/suspend", on: "matrix-no-seal", body: #"{"reason":"x"}"#, expect: .only(.admin, get: .hidden)),
        P("POST /api/v1/seals/{id}/resume", on: "matrix-no-seal", expect: .only(.admin, get: .hidden)),
        P("POST /api/v1/seals/{id}/revoke", on: "matrix-no-seal", body: #"{"reason":"x"}"#, expect: .only(.admin, get: .hidden)),
        P(
            "POST /api/v1/seals/{id}/sign", on: "matrix-no-seal", body: "document", type: "application/octet-stream",
            expect: .only(.gd, .gz, .psbR, get: .hidden)),
    ]
}

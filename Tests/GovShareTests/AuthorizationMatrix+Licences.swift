/// E-licences (Art. 23): licences.issue (cataloger, department_reviewer), licences.revoke (department_reviewer), lookups
/// and packages under data.read (data_user, cataloger, department_reviewer), the root certificate public.
extension AuthorizationMatrixTests {
    static let licences: [Probe] = [
        P("GET /api/v1/licence-types", expect: .signedIn(.ok)),
        // Empty body: 422 after the policy check (holder_kind names the rule).
        P("POST /api/v1/licence-types", body: "{}", expect: .only(.psbC, get: .invalid)),
        P("GET /api/v1/licences", expect: .only(.psbC, .psbR, get: .ok)),
        // No such type: 404 after the policy check.
        P("POST /api/v1/licences", body: "{}", expect: .only(.psbC, .psbR, get: .hidden)),
        P("POST /api/v1/licences/{id}/revoke", on: "matrix-no-licence", body: #"{"reason":"x"}"#, expect: .only(.psbR, get: .hidden)),
        // No business matter stated: 422 after the policy check.
        P("POST /api/v1/licences/lookup", body: "{}", expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P(
            "GET /api/v1/licences/{id}/package", on: "matrix-no-licence", query: "matter=x",
            expect: .only(.psbC, .psbR, .hrss, get: .hidden)),
        P("GET /api/v1/licences/root-certificate", expect: .anyone(.ok)),
    ]
}

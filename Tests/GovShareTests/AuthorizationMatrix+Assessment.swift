/// Assessment (Art. 31): published periods are public (anyone, signed in or not); drafts are computed by the
/// provincial authority's reviewers (a city authority's reviewer is refused) and published by another of them.
extension AuthorizationMatrixTests {
    static let assessments: [Probe] = [
        P("GET /api/v1/public/assessments", expect: .anyone(.ok)),
        P("GET /api/v1/assessments", expect: .anyone(.ok)),
        // No period: refused as invalid after the policy and authority checks.
        P("POST /api/v1/assessments", body: "{}", expect: .only(.gd, get: .invalid)),
        P("GET /api/v1/assessments/{id}", on: "matrix-none", expect: .anyone(.hidden)),
        P("GET /api/v1/assessments/{id}/document", on: "matrix-none", expect: .anyone(.hidden)),
        P("GET /api/v1/assessments/{id}/scores.csv", on: "matrix-none", expect: .anyone(.hidden)),
        P("GET /api/v1/assessments/{id}/verify", on: "matrix-none", expect: .anyone(.hidden)),
        P("POST /api/v1/assessments/{id}/publish", on: "matrix-none", expect: .only(.gd, get: .hidden)),
    ]
}

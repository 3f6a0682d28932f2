/// Objections (Art. 21): raised by those who read data (data users, catalogers, department reviewers), answered by the
/// provider's catalogers and reviewers, ruled on by the authorities' reviewers, read in full by administrators and
/// auditors. An objection nobody may see answers 404 to everyone.
extension AuthorizationMatrixTests {
    static let objectionActors: [Caller] = [.psbC, .psbR, .hrss, .gd, .gz, .admin, .auditor]

    static let objections: [Probe] = [
        P("GET /api/v1/objections", expect: .only(objectionActors, get: .ok)),
        P("GET /api/v1/objections/queue", expect: .only(objectionActors, get: .ok)),
        P("GET /api/v1/objections/statistics", expect: .only(.admin, .auditor, .gd, .gz, get: .ok)),
        P("POST /api/v1/objections", body: "{}", expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P("GET /api/v1/objections/{id}", on: "matrix-none", expect: .signedIn(.hidden)),
        P("POST /api/v1/objections/{id}/answer", on: "matrix-none", body: "{}", expect: .only(.psbC, .psbR, get: .hidden)),
        P("POST /api/v1/objections/{id}/correction", on: "matrix-none", body: "{}", expect: .only(.psbC, .psbR, get: .hidden)),
        P("POST /api/v1/objections/{id}/accept", on: "matrix-none", expect: .only(.psbC, .psbR, .hrss, get: .hidden)),
        // A dispute without its reason is refused before the objection is looked up.
        P("POST /api/v1/objections/{id}/dispute", on: "matrix-none", body: "{}", expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P("POST /api/v1/objections/{id}/withdraw", on: "matrix-none", expect: .only(.psbC, .psbR, .hrss, get: .hidden)),
        // Administrators rule on objections where the authority's own department is a party (Impartiality).
        P("POST /api/v1/objections/{id}/ruling", on: "matrix-none", body: "{}", expect: .only(.gd, .gz, .admin, get: .invalid)),
        P(
            "POST /api/v1/objections/{id}/attachments", on: "matrix-none", query: "file_name=a.txt", body: "x", type: "text/plain",
            expect: .signedIn(.hidden)),
        P("GET /api/v1/objections/{id}/attachments/{attachment}", on: "matrix-none", "matrix-none", expect: .signedIn(.hidden)),
    ]
}

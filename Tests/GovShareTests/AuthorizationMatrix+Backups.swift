/// Backups (Art. 26): operators, administrators and auditors see the registry; operators and administrators start one
/// (each allowed caller's row makes a real backup of the fixture's database). Encryption at rest (Art. 27-28): only
/// operators and administrators see a dataset's keys and jobs or open a re-encryption (already encrypted: 409, nothing
/// changes).
extension AuthorizationMatrixTests {
    static let backups: [Probe] = [
        P("GET /api/v1/backups", expect: .only(.admin, .ops, .auditor, get: .ok)),
        P("POST /api/v1/backups", body: "{}", expect: .only(.admin, .ops, get: .ok)),
        P("GET /api/v1/datasets/{code}/encryption", on: "$POP", expect: .only(.admin, .ops, get: .ok)),
        P(
            "POST /api/v1/datasets/{code}/encryption/reencrypt", on: "$POP", body: #"{"new_key":false}"#,
            expect: .only(.admin, .ops, get: .conflict)),
    ]
}

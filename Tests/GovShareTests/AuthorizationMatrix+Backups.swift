/// Backups (Art. 26): operators, administrators and auditors see the registry; operators and administrators start one
/// (each allowed caller's row makes a real backup of the fixture's database).
extension AuthorizationMatrixTests {
    static let backups: [Probe] = [
        P("GET /api/v1/backups", expect: .only(.admin, .ops, .auditor, get: .ok)),
        P("POST /api/v1/backups", body: "{}", expect: .only(.admin, .ops, get: .ok)),
    ]
}

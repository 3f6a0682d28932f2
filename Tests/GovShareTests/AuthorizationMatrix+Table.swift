/// The authorisation matrix, written from the rules: README's roles, docs/api.md's policy column, `Policy` in
/// GovShareCore/Accounts.swift and the services' checks. Callers (README): admin = platform_admin of GD (广东省政务服务数据
/// 管理局), gd = authority_reviewer of GD (reviews provincial departments), gz = authority_reviewer of 广州 (reviews 广州's
/// departments only), psbC / psbR = cataloger / department_reviewer of 公安厅 (PSB), hrss = data_user of 人社厅,
/// auditor = security_auditor, ops = operator, psbS = security_officer of 公安厅. Objects are the fixture's placeholders (`MatrixFixture`).
/// A new route needs a row here, or the suite fails.
extension AuthorizationMatrixTests {
    typealias P = Probe

    /// The grant managers over 公安厅's resources: the provincial authority's reviewer and administrators.
    static let overPSB: [Caller] = [.admin, .gd]
    /// Who sees an application of 人社厅 to 公安厅: the applicant's department, both reviewers, admin and auditors.
    static let seeHrssApplication: [Caller] = [.hrss, .gd, .psbR, .admin, .auditor]
    /// Who sees GD's application to 公安厅: GD (admin, gd, which is also its authority), 公安厅's reviewer, auditors.
    static let seeGdApplication: [Caller] = [.admin, .gd, .psbR, .auditor]
    /// webhooks.manage
    static let webhookManagers: [Caller] = [.admin, .gd, .gz, .psbR]

    static var table: [Probe] {
        system + directoryAndAccounts + catalog + datasets + access + mounts + applications + accountability + ckan + seals + licences
            + security
            + backups + riskReports + archives + objections + conflicts + assessments + supervision + nodes
    }

    static let system: [Probe] = [
        P("GET /healthz", expect: .anyone(.ok)),
        P("GET /metrics", expect: .anyone(.ok)),
        P("GET /api/v1/openapi.json", expect: .anyone(.ok)),
        P("POST /api/v1/auth/token", body: "{}", expect: .anyone(.invalid)),
        P("GET /api/v1/me", expect: .signedIn(.ok)),
    ]

    static let directoryAndAccounts: [Probe] = [
        P("GET /api/v1/regions", expect: .signedIn(.ok)),
        P("GET /api/v1/departments", expect: .signedIn(.ok)),
        P("POST /api/v1/departments", body: "{}", expect: .only(.admin, get: .invalid)),
        P("GET /api/v1/departments/{code}", on: "$D_PSB", expect: .signedIn(.ok)),
        P("GET /api/v1/users", expect: .only(.admin, get: .ok)),
        P("POST /api/v1/users", body: "{}", expect: .only(.admin, get: .invalid)),
        // Disabling oneself is refused (409): the probe changes nothing.
        P("POST /api/v1/users/{username}/disable", on: "admin", expect: .only(.admin, get: .conflict)),
        P("POST /api/v1/users/{username}/enable", on: "$NO_USER", expect: .only(.admin, get: .hidden)),
        P("POST /api/v1/users/{username}/password", on: "gz_psb_user", body: "{}", expect: .only(.admin, get: .invalid)),
        P("GET /api/v1/clients", expect: .only(.admin, get: .ok)),
        P("POST /api/v1/clients", body: "{}", expect: .only(.admin, get: .invalid)),
        P("POST /api/v1/clients/{clientId}/revoke", on: "$NO_CLIENT", expect: .only(.admin, get: .hidden)),
        P("GET /api/v1/audit/events", expect: .only(.admin, .auditor, get: .ok)),
        P("GET /api/v1/audit/verify", expect: .only(.admin, .auditor, get: .ok)),
        P("GET /api/v1/audit/checkpoints/export", expect: .only(.admin, .auditor, get: .ok)),
        P("POST /api/v1/audit/checkpoints/verify", body: "{}", expect: .only(.admin, .auditor, get: .invalid)),
        P("GET /api/v1/calendar", expect: .signedIn(.ok)),
        P("GET /api/v1/calendar/due", query: "from=2026-01-05&working_days=10", expect: .signedIn(.ok)),
        P("POST /api/v1/calendar/import", body: "not,a,calendar", type: "text/csv", expect: .only(.admin, .ops, get: .invalid)),
    ]

    /// A draft that passes the draft rules but names a co-builder on a department entry: refused (422) only after the
    /// provider check, so the answer shows whether the caller may file for that provider.
    static func draft(provider: String) -> String {
        #"{"provider_code":"\#(provider)","content":{"kind":"department","classification_code":"301999","name":"x","co_builder_codes":["$D_GD"]}}"#
    }

    static let catalog: [Probe] = [
        P("POST /api/v1/catalog/entries", body: "{}", expect: .only(.psbC, get: .invalid)),
        P("POST /api/v1/catalog/entries", body: draft(provider: "$D_PSB"), expect: .only(.psbC, get: .invalid)),
        P("POST /api/v1/catalog/entries", body: draft(provider: "$D_GD"), expect: .signedIn(.denied)),
        P("GET /api/v1/catalog/entries/{id}", on: "$E_HUJI", expect: .signedIn(.ok)),
        // Drafts: the provider, its reviewing authority and administrators.
        P(
            "GET /api/v1/catalog/entries/{id}", on: "$E_DRAFT",
            expect: .only(.psbC, .psbR, .psbS, .gd, .admin, get: .ok, otherwise: .hidden)),
        P("PUT /api/v1/catalog/entries/{id}", on: "$E_HUJI", body: "{}", expect: .only(.psbC, get: .invalid)),
        P("PUT /api/v1/catalog/entries/{id}", on: "$E_HUJI", body: #"{"content":{}}"#, expect: .only(.psbC, get: .invalid)),
        P("PUT /api/v1/catalog/entries/{id}", on: "$E_POP", body: #"{"content":{}}"#, expect: .signedIn(.denied)),
        // 城乡社区基本信息 (民政厅) names 公安厅 and GD as co-builders: their catalogers edit the content, only the lead submits.
        P("PUT /api/v1/catalog/entries/{id}", on: "$E_THEME", body: #"{"content":{}}"#, expect: .only(.psbC, get: .invalid)),
        P("POST /api/v1/catalog/entries/{id}/submit", on: "$E_HUJI", expect: .only(.psbC, get: .conflict)),
        P("POST /api/v1/catalog/entries/{id}/submit", on: "$E_THEME", expect: .signedIn(.denied)),
        P("POST /api/v1/catalog/entries/{id}/submit", on: "$E_POP", expect: .signedIn(.denied)),
        P("POST /api/v1/catalog/entries/{id}/review", on: "$E_HUJI", body: "{}", expect: .only(.gd, get: .invalid)),
        P("POST /api/v1/catalog/entries/{id}/review", on: "$E_HUJI", body: #"{"decision":"return"}"#, expect: .only(.gd, get: .conflict)),
        P("POST /api/v1/catalog/entries/{id}/review", on: "$E_GZ", body: #"{"decision":"return"}"#, expect: .only(.gz, get: .conflict)),
        P("POST /api/v1/catalog/entries/{id}/withdraw", on: "$E_HUJI", body: "{}", expect: .only(.gd, get: .invalid)),
        P("POST /api/v1/catalog/entries/{id}/withdraw", on: "$E_GZ", body: "{}", expect: .only(.gz, get: .invalid)),
        P("GET /api/v1/catalog/entries/{id}/versions", on: "$E_HUJI", expect: .signedIn(.ok)),
        P(
            "GET /api/v1/catalog/entries/{id}/versions", on: "$E_DRAFT",
            expect: .only(.psbC, .psbR, .psbS, .gd, .admin, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/catalog/entries/{id}/diff", on: "$E_HUJI", query: "from=1&to=1", expect: .signedIn(.ok)),
        P(
            "GET /api/v1/catalog/entries/{id}/diff", on: "$E_DRAFT", query: "from=1&to=1",
            expect: .only(.psbC, .psbR, .psbS, .gd, .admin, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/catalog/review-queue", expect: .only(.gd, .gz, get: .ok)),
        P("GET /api/v1/catalog/search", expect: .signedIn(.ok)),
        P("POST /api/v1/catalog/duplicates", body: "{}", expect: .signedIn(.invalid)),
        P("GET /api/v1/catalog/obligations", expect: .signedIn(.ok)),
        P("POST /api/v1/catalog/obligations", body: "{}", expect: .only(.admin, .gd, .gz, .psbC, get: .invalid)),
        // These two record an obligation for each authorised caller (nothing else reads them here): a department's own
        // catalogers and the authority that reviews it, never another authority (issue 11: a city set them on the province).
        P("POST /api/v1/catalog/obligations", body: obligation("$D_PSB"), expect: .only(.admin, .gd, .psbC, get: .ok)),
        P("POST /api/v1/catalog/obligations", body: obligation("$D_GZ_PSB"), expect: .only(.admin, .gz, get: .ok)),
        // $OBL is 公安厅's: its catalogers, its reviewing authority (GD) and administrators name the entry it concerns,
        // only one of 公安厅's own (Art. 9: 广州市公安局's entry is refused).
        P("POST /api/v1/catalog/obligations/{id}/link", on: "$OBL", body: "{}", expect: .only(.admin, .gd, .psbC, get: .invalid)),
        P(
            "POST /api/v1/catalog/obligations/{id}/link", on: "$OBL", body: #"{"entry_code":"$GZ"}"#,
            expect: .only(.admin, .gd, .psbC, get: .invalid)),
        P(
            "POST /api/v1/catalog/obligations/{id}/link", on: "$OBL", body: #"{"entry_code":"$HUJI"}"#,
            expect: .only(.admin, .gd, .psbC, get: .ok)),
        P("POST /api/v1/catalog/obligations/sweep", expect: .only(.admin, .ops, get: .ok)),
        P("POST /api/v1/business-systems", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("GET /api/v1/business-systems/{id}", on: "$BS", expect: .signedIn(.ok)),
        P(
            "PUT /api/v1/business-systems/{id}/planned-entries", on: "$BS", body: #"{"planned_entries":["NOSUCH"]}"#,
            expect: .only(.psbC, .psbR, get: .invalid)),
        // Planned without entries: approval is refused (Art. 11), acceptance is not the next step.
        P("POST /api/v1/business-systems/{id}/approve", on: "$BS", expect: .only(.gd, get: .invalid)),
        P("POST /api/v1/business-systems/{id}/accept", on: "$BS", expect: .only(.gd, get: .conflict)),
        P("POST /api/v1/catalog/import", body: "x", type: "text/csv", expect: .only(.psbC, get: .invalid)),
        P("GET /api/v1/catalog/export", expect: .signedIn(.ok)),
        // Legal bases (Art. 16, 18): anyone reads; catalogers and department reviewers propose; only the provincial
        // authority's reviewer decides (gz is an authority reviewer of a city: 403).
        P("GET /api/v1/legal-instruments", expect: .signedIn(.ok)),
        P("POST /api/v1/legal-instruments", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("POST /api/v1/legal-instruments/{id}/confirm", on: "matrix-no-proposal", expect: .only(.gd, get: .hidden)),
        P("POST /api/v1/legal-instruments/{id}/reject", on: "matrix-no-proposal", body: "{}", expect: .only(.gd, get: .hidden)),
    ]

    static func obligation(_ department: String) -> String {
        #"{"trigger":"law_revised","date":"2026-01-05","reference":"授权矩阵测试","department_code":"\#(department)"}"#
    }
}

/// The matrix's rows for data exchange, grants, sharing applications and accountability (docs/api.md, docs/exchange.md,
/// docs/sharing.md). Readers: data.read is held by data users, catalogers and department reviewers (psbC, psbR, hrss);
/// data.report by catalogers, department reviewers and administrators of the provider (psbC, psbR for 公安厅's data, admin
/// for GD's 人口基础信息).
extension AuthorizationMatrixTests {
    static let datasets: [Probe] = [
        P("GET /api/v1/datasets", expect: .signedIn(.ok)),
        P("POST /api/v1/datasets", body: "{}", expect: .only(.psbC, .psbR, .admin, get: .invalid)),
        P("POST /api/v1/datasets", body: #"{"entry_code":"$HUJI"}"#, expect: .only(.psbC, .psbR, get: .conflict)),
        P("POST /api/v1/datasets", body: #"{"entry_code":"$POP"}"#, expect: .only(.admin, get: .conflict)),
        P("GET /api/v1/datasets/{code}", on: "$POP", expect: .signedIn(.ok)),
        P("POST /api/v1/datasets/{code}/rows", on: "$HUJI", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("POST /api/v1/datasets/{code}/rows", on: "$POP", body: "{}", expect: .only(.admin, get: .invalid)),
        P("POST /api/v1/datasets/{code}/import", on: "$HUJI", body: "x", type: "text/csv", expect: .only(.psbC, .psbR, get: .invalid)),
        // Batch details: the provider, the authority over it, auditors, administrators and operators.
        P("GET /api/v1/datasets/{code}/batches", on: "$HUJI", expect: .only(.psbC, .psbR, .psbS, .gd, .admin, .auditor, .ops, get: .ok)),
        P("GET /api/v1/datasets/{code}/batches", on: "$POP", expect: .only(.gd, .admin, .auditor, .ops, get: .ok)),
        // Reading: under 人社厅's subscription only 人社厅; without a purpose only the provider's readers; under the grant
        // to 人社厅 only 人社厅. Callers without data.read are refused whatever they name.
        P("POST /api/v1/datasets/{code}/query", on: "$POP", body: #"{"purpose":"$SUB","limit":1}"#, expect: .only(.hrss, get: .ok)),
        P(
            "POST /api/v1/datasets/{code}/query", on: "$HUJI", body: #"{"limit":1}"#,
            expect: .only(.psbC, .psbR, get: .ok).and(.hrss, get: .invalid)),
        P("POST /api/v1/datasets/{code}/query", on: "$HUJI", body: #"{"purpose":"$G_PSB","limit":1}"#, expect: .only(.hrss, get: .ok)),
        P("POST /api/v1/datasets/{code}/query", on: "$HUJI", body: #"{"purpose":"$SUB","limit":1}"#, expect: .signedIn(.denied)),
        // Verification answers 422 (no identifying item) to the purpose's holder only.
        P(
            "POST /api/v1/datasets/{code}/verify", on: "$POP", body: #"{"purpose":"$SUB","values":{"XM":"张三"}}"#,
            expect: .only(.hrss, get: .invalid)),
        P("POST /api/v1/datasets/{code}/verify", on: "$POP", body: "{}", expect: .only(.hrss, .psbC, .psbR, get: .invalid)),
        P("POST /api/v1/datasets/{code}/pull-sources", on: "$HUJI", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("POST /api/v1/datasets/{code}/pull-sources", on: "$POP", body: "{}", expect: .only(.admin, get: .invalid)),
        P("GET /api/v1/datasets/{code}/pull-sources", on: "$HUJI", expect: .only(.psbC, .psbR, .admin, get: .ok)),
        P("GET /api/v1/datasets/{code}/pull-sources", on: "$POP", expect: .only(.admin, get: .ok)),
        // Runs 公安厅's fixture source (its database does not answer: 200 with last_error).
        P("POST /api/v1/pull-sources/{id}/run", on: "$PULL", expect: .only(.psbC, .psbR, get: .ok)),
    ]

    static let access: [Probe] = [
        P("POST /api/v1/subscriptions", body: "{}", expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P("POST /api/v1/subscriptions", body: #"{"entry_code":"$POP"}"#, expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P("GET /api/v1/subscriptions", expect: .signedIn(.ok)),
        // Already revoked: revoking again answers the subscription unchanged, to its department and administrators.
        P("POST /api/v1/subscriptions/{id}/revoke", on: "$SUB_REVOKED", expect: .only(.hrss, .admin, get: .ok, otherwise: .hidden)),
        P("POST /api/v1/grants", body: "{}", expect: .only(.admin, .gd, .gz, get: .invalid)),
        // An unknown item: 422 once the caller is found to manage grants on the provider (the province's authority for
        // 公安厅, 广州's for 广州市公安局); a grant to the granting department itself is refused outright (issue 11).
        P("POST /api/v1/grants", body: grant(to: "$D_HRSS", on: "$HUJI"), expect: .only(.admin, .gd, get: .invalid)),
        P("POST /api/v1/grants", body: grant(to: "$D_HRSS", on: "$GZ"), expect: .only(.admin, .gz, get: .invalid)),
        P("POST /api/v1/grants", body: grant(to: "$D_GD", on: "$HUJI"), expect: .signedIn(.denied)),
        P("GET /api/v1/grants", expect: .signedIn(.ok)),
        P("POST /api/v1/grants/{id}/revoke", on: "$G_PSB", body: "{}", expect: .only(.admin, .gd, get: .invalid)),
        P("POST /api/v1/grants/{id}/revoke", on: "$G_AMR", body: "{}", expect: .only(.admin, .gd, get: .invalid)),
        // gd_reviewer proposed it: the second person is someone else (four eyes).
        P("POST /api/v1/grants/{id}/confirm", on: "$G_PROPOSED", body: "{}", expect: .only(.admin, get: .invalid)),
        P("POST /api/v1/grants/{id}/confirm", on: "$G_PROPOSED", body: #"{"confirm":false}"#, expect: .only(.admin, get: .invalid)),
        P("POST /api/v1/grants/{id}/consent", on: "$G_PROPOSED", body: #"{"consent":false}"#, expect: .only(.psbR, get: .invalid)),
        P("GET /api/v1/data-reads", expect: .only(.auditor, get: .ok)),
        P("GET /api/v1/data-reads/unusual", expect: .only(.auditor, get: .ok)),
        P("POST /api/v1/grants/{id}/suspend", on: "$G_PSB", body: "{}", expect: .only(.admin, .gd, get: .invalid)),
        P("POST /api/v1/grants/{id}/resume", on: "$G_PSB", body: "{}", expect: .only(.admin, .gd, get: .invalid)),
        P("POST /api/v1/grants/{id}/renew", on: "$G_PSB", body: "{}", expect: .only(.admin, .gd, get: .invalid)),
        P(
            "POST /api/v1/grants/{id}/renew", on: "$G_PSB", body: #"{"valid_until":"2000-01-01"}"#,
            expect: .only(.admin, .gd, get: .invalid)),
        // The holder, the provider and the grant's managers; nobody else learns it exists.
        P(
            "GET /api/v1/grants/{id}/usage", on: "$G_PSB",
            expect: .only(.hrss, .psbC, .psbR, .psbS, .gd, .admin, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/grants/{id}/usage", on: "$G_AMR", expect: .only(.hrss, .gd, .admin, get: .ok, otherwise: .hidden)),
        // Confirmed by a second person in the fixture: sealed when it came into force.
        P(
            "GET /api/v1/grants/{id}/letter", on: "$G_PSB",
            expect: .only(.hrss, .psbC, .psbR, .psbS, .gd, .admin, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/grants/overview", expect: .signedIn(.ok)),
        P("POST /api/v1/grants/{id}/misuse-reports", on: "$G_PSB", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("POST /api/v1/grants/{id}/misuse-reports", on: "$G_AMR", body: "{}", expect: .only(.psbC, .psbR, get: .hidden)),
        P("GET /api/v1/misuse-cases", expect: .signedIn(.ok)),
        // The case's authority reviewer closes it; to everyone else it does not exist.
        P("POST /api/v1/misuse-cases/{id}/close", on: "$CASE", body: "{}", expect: .only(.gd, get: .invalid, otherwise: .hidden)),
    ]

    static func grant(to department: String, on entry: String) -> String {
        #"{"department_code":"\#(department)","entry_code":"\#(entry)","items":["NOSUCH"],"purpose":"x","valid_until":"$FUTURE"}"#
    }

    static let mounts: [Probe] = [
        P("POST /api/v1/datasets/{code}/inherit", on: "$HUJI", body: "{}", expect: .only(.psbC, .psbR, .admin, get: .invalid)),
        P("GET /api/v1/datasets/{code}/inherited", on: "$HUJI", expect: .signedIn(.ok)),
        P(
            "POST /api/v1/resources/{code}/files", on: "$HUJI", query: "file_name=a.txt", body: "x", type: "text/plain",
            expect: .only(.psbC, .psbR, get: .invalid)),
        P(
            "POST /api/v1/resources/{code}/files", on: "$FILERES", query: "file_name=a.txt", body: "", type: "text/plain",
            expect: .only(.psbC, .psbR, get: .invalid)),
        P("GET /api/v1/resources/{code}/files", on: "$FILERES", expect: .signedIn(.ok)),
        // The provider's readers without a purpose; 人社厅 must name one; nobody else reads data.
        P("GET /api/v1/files/{id}", on: "$FILE", expect: .only(.psbC, .psbR, get: .ok).and(.hrss, get: .invalid)),
        P("POST /api/v1/resources/{code}/service", on: "$HUJI", body: "{}", expect: .only(.psbC, .psbR, get: .invalid)),
        P("POST /api/v1/resources/{code}/service", on: "$POP", body: "{}", expect: .only(.admin, get: .invalid)),
        // 人社厅's grant allows the call; the endpoint does not answer (503).
        P("POST /api/v1/resources/{code}/call", on: "$HUJI", body: #"{"purpose":"$G_PSB"}"#, expect: .only(.hrss, get: .status(503))),
    ]

    static let applications: [Probe] = [
        P("POST /api/v1/applications", body: "{}", expect: .only(.psbC, .psbR, .hrss, get: .invalid)),
        P("GET /api/v1/applications", expect: .signedIn(.ok)),
        P("GET /api/v1/applications/statistics", expect: .signedIn(.ok)),
        // Reminders and escalations were sent when the demo was seeded: a second sweep changes nothing.
        P("POST /api/v1/applications/sweep", expect: .only(.admin, .ops, get: .ok)),
        P("GET /api/v1/applications/{id}", on: "$A_HRSS", expect: .only(seeHrssApplication, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/applications/{id}", on: "$A_GD", expect: .only(seeGdApplication, get: .ok, otherwise: .hidden)),
        // Undecided: no letter yet, for those who see it and those who do not.
        P("GET /api/v1/applications/{id}/decision-letter", on: "$A_HRSS", expect: .signedIn(.hidden)),
        P(
            "POST /api/v1/applications/{id}/review", on: "$A_HRSS", body: "{}",
            expect: .only(seeHrssApplication, get: .denied, otherwise: .hidden).and(.gd, .psbR, get: .invalid)),
        P(
            "POST /api/v1/applications/{id}/review", on: "$A_GD", body: "{}",
            expect: .only(seeGdApplication, get: .denied, otherwise: .hidden).and(.gd, .psbR, get: .conflict)),
        P(
            "POST /api/v1/applications/{id}/request-info", on: "$A_HRSS", body: "{}",
            expect: .only(seeHrssApplication, get: .denied, otherwise: .hidden).and(.gd, .psbR, get: .invalid)),
        P(
            "POST /api/v1/applications/{id}/respond", on: "$A_GD", body: "{}",
            expect: .only(seeGdApplication, get: .denied, otherwise: .hidden).and(.admin, .gd, get: .invalid)),
        P(
            "POST /api/v1/applications/{id}/respond", on: "$A_HRSS", body: "{}",
            expect: .only(seeHrssApplication, get: .denied, otherwise: .hidden).and(.hrss, get: .conflict)),
        P(
            "POST /api/v1/applications/{id}/withdraw", on: "$A_HRSS", body: "{}",
            expect: .only(seeHrssApplication, get: .denied, otherwise: .hidden).and(.hrss, get: .invalid)),
        P("GET /api/v1/applications/{id}/attachments", on: "$A_HRSS", expect: .only(seeHrssApplication, get: .ok, otherwise: .hidden)),
        P(
            "POST /api/v1/applications/{id}/attachments", on: "$A_HRSS", query: "file_name=a.txt", body: "", type: "text/plain",
            expect: .only(.hrss, get: .invalid, otherwise: .hidden)),
        P(
            "POST /api/v1/applications/{id}/attachments", on: "$A_GD", query: "file_name=a.txt", body: "", type: "text/plain",
            expect: .only(.admin, .gd, get: .invalid, otherwise: .hidden)),
        P(
            "GET /api/v1/applications/{id}/attachments/{attachment}", on: "$A_HRSS", "$ATT",
            expect: .only(seeHrssApplication, get: .ok, otherwise: .hidden)),
    ]

    static let accountability: [Probe] = [
        P("GET /api/v1/notifications", expect: .signedIn(.ok)),
        // Marking read is idempotent; another department's notification is not there for the caller.
        P("POST /api/v1/notifications/{id}/read", on: "$NOTE_PSB", expect: .only(.psbC, .psbR, .psbS, get: .ok, otherwise: .hidden)),
        P("GET /api/v1/webhook", expect: .only(webhookManagers, get: .ok)),
        P("PUT /api/v1/webhook", body: "{}", expect: .only(webhookManagers, get: .invalid)),
        // No department has a webhook or mailbox in the demo: removing one changes nothing.
        P("DELETE /api/v1/webhook", expect: .only(webhookManagers, get: .ok)),
        P("GET /api/v1/mail-recipient", expect: .only(webhookManagers, get: .ok)),
        P("PUT /api/v1/mail-recipient", body: "{}", expect: .only(webhookManagers, get: .conflict)),  // no SMTP relay in tests
        P("DELETE /api/v1/mail-recipient", expect: .only(webhookManagers, get: .ok)),
    ]

    /// CKAN's actions, GET and POST, under both prefixes: the catalog actions are public (anonymous callers see only
    /// entries open to the public), datastore_search reads data under the same rules as the query API.
    static var ckan: [Probe] {
        var probes: [Probe] = []
        for prefix in ["/api/3/action", "/api/action"] {
            for method in ["GET", "POST"] {
                func p(_ action: String, query: String = "", _ expect: Expect) -> Probe {
                    P("\(method) \(prefix)/\(action)", query: query, body: method == "POST" ? "{}" : nil, expect: expect)
                }
                probes += [
                    p("package_search", .anyone(.ok)),
                    p("package_show", query: "id=$PUBLIC", .anyone(.ok)),
                    p("package_show", query: "id=$POP", .signedIn(.ok).and(.anonymous, get: .hidden)),
                    p("package_list", .anyone(.ok)),
                    p("organization_list", .anyone(.ok)),
                    p("organization_show", query: "id=$D_PSB", .anyone(.ok)),
                    p("group_list", .anyone(.ok)),
                    p("datastore_search", query: "resource_id=$POP&purpose=$SUB&limit=1", .only(.hrss, get: .ok)),
                    P(
                        "\(method) \(prefix)/datastore_search", query: "resource_id=$HUJI&limit=1", body: method == "POST" ? "{}" : nil,
                        expect: .only(.psbC, .psbR, get: .ok).and(.hrss, get: .invalid)),
                ]
            }
        }
        return probes
    }
}

import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 15 item 3 (Art. 28): risk reports computed from the platform, signed by the data authority, verifiable,
/// scheduled once per period; third parties' reports uploaded by auditors.
@Suite("Risk reports (Art. 28)")
struct RiskReportTests {
    static func today(_ clock: any WallClock) -> String { CivilDate(instant: clock.now()).description }

    static func failSignIn(_ client: any TestClientProtocol, _ username: String, times: Int) async throws {
        for _ in 0..<times {
            let r = try await client.json(.post, "/api/v1/auth/token", body: #"{"username":"\#(username)","password":"wrong-password"}"#)
            #expect(r.status == .unauthorized)
        }
    }

    static func section(_ report: [String: Any], _ name: String) -> [String: Any] {
        ((report["content"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
    }

    static func findings(_ report: [String: Any]) -> [[String: Any]] {
        ((report["content"] as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
    }

    @Test(arguments: TestDatabase.available)
    func reportReflectsSeededFactsIsSignedAndTamperingShows(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        // Encryption at rest off for new datasets: the demo's graded items are then stored in clear, a finding.
        try await TestEnvironment.with(database, demoApplications: false, settings: ["encrypt_from_grade": "5"], clock: clock) { env in
            try await env.test { client in
                try await Self.failSignIn(client, "hrss_user", times: 3)
                try await Self.failSignIn(client, "psb_cataloger", times: 5)  // the fifth locks the account
                try await Self.failSignIn(client, "nobody_here", times: 2)
                let officer = try await client.token("gd_security")
                let today = Self.today(clock)
                let made = try await client.json(
                    .post, "/api/v1/risk-reports", token: officer, body: #"{"from":"\#(today)","to":"\#(today)"}"#)
                #expect(made.status == .created, "\(made.json)")
                let signIns = Self.section(made.json, "sign_ins")
                #expect(signIns["failures"] as? Int == 10, "\(signIns)")
                #expect(signIns["lockouts"] as? Int == 1, "\(signIns)")
                let reasons = (signIns["by_reason"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
                    $0[$1["name"] as? String ?? ""] = $1["count"] as? Int
                }
                #expect(reasons["unknown_user"] == 2 && reasons["lockout"] == 1 && reasons["bad_password"] == 7, "\(reasons)")

                let graded = Self.section(made.json, "graded_items")
                let unencrypted = graded["unencrypted"] as? [[String: Any]] ?? []
                #expect(unencrypted.contains { ($0["grade"] as? Int ?? 0) >= 3 }, "\(graded)")
                let sections = Self.findings(made.json).map { $0["section"] as? String ?? "" }
                #expect(sections.contains("graded_items") && sections.contains("sign_ins"), "\(sections)")
                // No backup registered on a fresh node: a finding, not an error.
                let backups = Self.section(made.json, "backups")
                #expect(backups["latest_finished_at"] == nil)
                #expect(Self.findings(made.json).contains { $0["section"] as? String == "backups" && $0["severity"] as? String == "high" })
                #expect(Self.section(made.json, "audit")["chain_valid"] as? Bool == true)

                let id = try #require(made.json["id"] as? String)
                let verified = try await client.json(.get, "/api/v1/risk-reports/\(id)/verify", token: officer)
                #expect(verified.status == .ok && verified.json["valid"] as? Bool == true, "\(verified.json)")
                let auditor = try await client.token("auditor")
                let listed = try await client.json(.get, "/api/v1/risk-reports", token: auditor)
                #expect((listed.json["reports"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)

                // One changed byte in the stored content: the signature no longer verifies.
                let stored = try await env.platform.database.withConnection { db in
                    try await db.raw("SELECT document FROM risk_reports WHERE id = \(bind: id)").first()!.decode(
                        column: "document", as: Data.self)
                }
                var text = String(decoding: stored, as: UTF8.self)
                text = text.replacingOccurrences(of: #""failures":10"#, with: #""failures":0"#)
                let tampered = Data(text.utf8)
                #expect(tampered != stored)
                try await env.platform.database.transaction { db in
                    try await db.raw("UPDATE risk_reports SET document = \(bind: tampered) WHERE id = \(bind: id)").run()
                }
                let broken = try await client.json(.get, "/api/v1/risk-reports/\(id)/verify", token: officer)
                #expect(broken.json["valid"] as? Bool == false, "\(broken.json)")
                let page = try await client.execute(
                    uri: "/risk-reports/\(id)", method: .get,
                    headers: [.cookie: PortalTests.cookieHeader(try await PortalCatalogTests.signIn(client, "auditor"))])
                #expect(page.status == .ok && String(buffer: page.body).contains("risk-signature"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func scheduledGenerationIsOncePerPeriodAndInputsAreNamed(database: TestDatabase) async throws {
        let clock = ManualClock(Date())
        try await TestEnvironment.with(database, demoApplications: false, clock: clock) { env in
            let system = Principal.system("test-scheduler")
            let origin = RequestOrigin(requestId: Identifier.make(), clientAddress: "test")
            let first = try await env.platform.riskReports.generateIfDue(by: system, origin: origin)
            let report = try #require(first)
            let expected = RiskReportService.lastCompletePeriod(today: CivilDate(instant: clock.now()), intervalDays: 30)
            #expect(report.periodFrom == expected.from.description && report.periodTo == expected.to.description)
            #expect(report.trigger == "scheduled")
            #expect(try await env.platform.riskReports.generateIfDue(by: system, origin: origin) == nil)
            clock.advance(by: 3600)
            #expect(try await env.platform.riskReports.generateIfDue(by: system, origin: origin) == nil)
            let (reports, _) = try await env.platform.riskReports.list(by: system)
            #expect(reports.filter { $0.trigger == "scheduled" }.count == 1)

            try await env.test { client in
                let officer = try await client.token("gd_security")
                let bad = try await client.json(
                    .post, "/api/v1/risk-reports", token: officer, body: #"{"from":"2026-13-01","to":"tomorrow"}"#)
                #expect(bad.status == .unprocessableContent)
                #expect(Set(fieldErrors(bad.json).map(\.field)) == ["from", "to"], "\(bad.json)")
                let reversed = try await client.json(
                    .post, "/api/v1/risk-reports", token: officer, body: #"{"from":"2026-03-02","to":"2026-03-01"}"#)
                #expect(fieldErrors(reversed.json).contains { $0.field == "to" && $0.rule == "after_from" })
                let user = try await client.token("hrss_user")
                #expect(
                    try await client.json(.post, "/api/v1/risk-reports", token: user, body: #"{"from":"2026-03-01","to":"2026-03-01"}"#)
                        .status == .forbidden)
                #expect(try await client.json(.get, "/api/v1/risk-reports", token: user).status == .forbidden)
            }
        }
    }

    static func upload(_ client: any TestClientProtocol, _ token: String, pdf: Data, from: String, to: String) async throws
        -> (status: HTTPResponse.Status, json: [String: Any])
    {
        let boundary = "risk\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in [("title", "2026年第一季度数据安全风险评估"), ("assessor", "广东某测评中心"), ("from", from), ("to", to)] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n\r\n".utf8))
        body.append(pdf)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let response = try await client.execute(
            uri: "/api/v1/risk-reports/uploads", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:])
    }

    @Test(arguments: TestDatabase.available)
    func auditorsUploadThirdPartyReportsOthersCannot(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let pdf = Data("%PDF-1.4\n% third-party risk report\n%%EOF\n".utf8)
                let auditor = try await client.token("auditor")
                let made = try await Self.upload(client, auditor, pdf: pdf, from: "2026-01-01", to: "2026-03-31")
                #expect(made.status == .created, "\(made.json)")
                #expect(made.json["size"] as? Int == pdf.count && (made.json["sm3"] as? String)?.count == 64)
                let id = try #require(made.json["id"] as? String)
                let file = try await client.execute(
                    uri: "/api/v1/risk-reports/uploads/\(id)/file", method: .get, headers: [.authorization: "Bearer \(auditor)"])
                #expect(file.status == .ok && Data(file.body.readableBytesView) == pdf)
                let listed = try await client.json(.get, "/api/v1/risk-reports", token: try await client.token("gd_security"))
                #expect((listed.json["third_party"] as? [[String: Any]])?.first?["assessor"] as? String == "广东某测评中心")

                for user in ["gd_security", "admin", "psb_reviewer"] {
                    let refused = try await Self.upload(
                        client, try await client.token(user), pdf: pdf, from: "2026-01-01", to: "2026-03-31")
                    #expect(refused.status == .forbidden, "\(user)")
                }
                let notPDF = try await Self.upload(client, auditor, pdf: Data("hello".utf8), from: "2026-01-01", to: "2026-03-31")
                #expect(
                    notPDF.status == .unprocessableContent && fieldErrors(notPDF.json).contains { $0.field == "file" && $0.rule == "pdf" })
            }
        }
    }
}

import Foundation
import GovShareCore
import GovShareCrypto
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 15 item 4 (Art. 27, 销毁): destruction needs a request by the provider and approval by the data authority
/// (someone else), deletes exactly the rows in scope in one transaction with its record (SM3 of the rows) and audit
/// entry, and refuses to destroy a dataset still published.
@Suite("Destruction (Art. 27)")
struct DestructionTests {
    /// The rows in scope as the destruction reads them, digested the documented way (DestructionDigest).
    static func digest(_ env: TestEnvironment, dataset: Dataset, before cutoff: String?) async throws -> (count: Int, sm3: String) {
        let names = (["_pk", "_updated_at"] + dataset.columns.map(\.column)).joined(separator: ", ")
        let rows = try await env.platform.database.withConnection { db in
            let scope: SQLQueryString = cutoff.map { " WHERE _updated_at < \(bind: $0)" } ?? ""
            return try await db.raw("SELECT \(unsafeRaw: names) FROM \(unsafeRaw: dataset.tableName)" + scope + " ORDER BY _pk").all()
        }
        var digest = DestructionDigest(crypto: OpenSSLNationalCrypto())
        for row in rows {
            var fields: [String?] = [
                try row.decode(column: "_pk", as: String.self), try row.decode(column: "_updated_at", as: String.self),
            ]
            for c in dataset.columns {
                if c.isNumeric, let n = try? row.decode(column: c.column, as: Double?.self) {
                    fields.append(DestructionDigest.number(n))
                } else {
                    fields.append(try row.decode(column: c.column, as: String?.self))
                }
            }
            digest.add(fields)
        }
        return (digest.count, digest.hex)
    }

    static func count(_ env: TestEnvironment, _ dataset: Dataset) async throws -> Int {
        try await env.platform.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: dataset.tableName)").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func household(_ env: TestEnvironment, _ client: any TestClientProtocol) async throws -> (Dataset, String) {
        let code = try await ApplicationTests.householdCode(client, try await client.token("psb_reviewer"))
        let dataset = try await env.platform.exchange.dataset(code: code)
        return (dataset, dataset.entryCode)
    }

    @Test(arguments: TestDatabase.available)
    func rowsPastRetentionAreDestroyedAfterApprovalWithReproducibleDigest(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let (dataset, entryCode) = try await Self.household(env, client)
                let total = try await Self.count(env, dataset)
                #expect(total > 10)
                // Seven rows last updated long ago.
                try await env.platform.database.transaction { db in
                    try await db.raw(
                        """
                        UPDATE \(unsafeRaw: dataset.tableName) SET _updated_at = '2020-01-01T00:00:00.000Z'
                        WHERE _pk IN (SELECT _pk FROM \(unsafeRaw: dataset.tableName) ORDER BY _pk LIMIT 7)
                        """
                    ).run()
                }
                let provider = try await client.token("psb_reviewer")
                let authority = try await client.token("gd_reviewer")
                let asked = try await client.json(
                    .post, "/api/v1/destructions", token: provider,
                    body: #"{"entry_code":"\#(entryCode)","scope":"updated_before","before":"2021-01-01","basis":"户籍变更记录保存期限届满（演示）"}"#)
                #expect(asked.status == .created, "\(asked.json)")
                let id = try #require(asked.json["id"] as? String)

                // Not before approval, and not approved by the provider itself.
                #expect(try await client.json(.post, "/api/v1/destructions/\(id)/execute", token: provider).status == .conflict)
                #expect(
                    try await client.json(.post, "/api/v1/destructions/\(id)/approve", token: provider, body: "{}").status == .forbidden)
                #expect(try await Self.count(env, dataset) == total)
                let expected = try await Self.digest(env, dataset: dataset, before: "2020-12-31T16:00:00.000Z")
                #expect(expected.count == 7)

                let approved = try await client.json(.post, "/api/v1/destructions/\(id)/approve", token: authority, body: #"{"note":"同意"}"#)
                #expect(approved.status == .ok && approved.json["status"] as? String == "approved", "\(approved.json)")
                #expect(try await client.json(.post, "/api/v1/destructions/\(id)/execute", token: authority).status == .forbidden)
                let executed = try await client.json(.post, "/api/v1/destructions/\(id)/execute", token: provider)
                #expect(executed.status == .created, "\(executed.json)")
                #expect(executed.json["row_count"] as? Int == 7)
                #expect(executed.json["sm3"] as? String == expected.sm3)
                #expect(executed.json["approved_by"] as? String != executed.json["requested_by"] as? String)
                #expect(try await Self.count(env, dataset) == total - 7)
                // Executed once only.
                #expect(try await client.json(.post, "/api/v1/destructions/\(id)/execute", token: provider).status == .conflict)

                let audit = try await client.json(
                    .get, "/api/v1/audit/events?action=destruction.execute", token: try await client.token("auditor"))
                let entries = audit.json["items"] as? [[String: Any]] ?? []
                #expect(entries.contains { ($0["after"] as? String)?.contains(expected.sm3) == true }, "\(audit.json)")
                let listed = try await client.json(.get, "/api/v1/destructions", token: authority)
                #expect((listed.json["records"] as? [[String: Any]])?.first?["sm3"] as? String == expected.sm3)
                #expect(
                    try await client.json(.get, "/api/v1/destructions", token: try await client.token("hrss_user")).status == .forbidden)
            }
        }
    }

    /// The demo's population data is the provincial authority's own: its reviewers would approve destroying their own
    /// department's data, so its platform administrator decides — and decides no other department's request.
    @Test(arguments: TestDatabase.available)
    func theAuthorityDoesNotApproveDestroyingItsOwnData(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let code = try await ExchangeTests.populationCode(client, try await client.token("gd_cataloger"))
                let dataset = try await env.platform.exchange.dataset(code: code)
                let ownReviewer = Principal(
                    kind: .user, id: Identifier.make(), name: "省数据局部门审核（测试）", departmentId: dataset.providerId,
                    roles: [.departmentReviewer])
                let asked = try await env.platform.destructions.request(
                    .init(entryCode: dataset.entryCode, scope: "updated_before", before: "2021-01-01", basis: "保存期限届满（测试）"),
                    by: ownReviewer, origin: .commandLine())
                let reviewer = try await client.json(
                    .post, "/api/v1/destructions/\(asked.id)/approve", token: try await client.token("gd_reviewer"), body: "{}")
                #expect(reviewer.status == .forbidden && reviewer.json["code"] as? String == "authority_is_party", "\(reviewer.json)")
                let admin = try await client.token("admin")
                let approved = try await client.json(.post, "/api/v1/destructions/\(asked.id)/approve", token: admin, body: "{}")
                #expect(approved.status == .ok && approved.json["status"] as? String == "approved", "\(approved.json)")

                let (_, household) = try await Self.household(env, client)
                let other = try await client.json(
                    .post, "/api/v1/destructions", token: try await client.token("psb_reviewer"),
                    body: #"{"entry_code":"\#(household)","scope":"updated_before","before":"2021-01-01","basis":"保存期限届满（测试）"}"#)
                let otherId = try #require(other.json["id"] as? String, "\(other.json)")
                #expect(
                    try await client.json(.post, "/api/v1/destructions/\(otherId)/approve", token: admin, body: "{}").status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPublishedDatasetIsRefusedUntilWithdrawnThenDestroyedWhole(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let (dataset, entryCode) = try await Self.household(env, client)
                let provider = try await client.token("psb_reviewer")
                let authority = try await client.token("gd_reviewer")
                let body = #"{"entry_code":"\#(entryCode)","scope":"dataset","basis":"资源停止共享，数据到期销毁（演示）"}"#
                let refused = try await client.json(.post, "/api/v1/destructions", token: provider, body: body)
                #expect(refused.status == .conflict && refused.json["code"] as? String == "dataset_not_retired", "\(refused.json)")

                let bad = try await client.json(
                    .post, "/api/v1/destructions", token: provider, body: #"{"entry_code":"\#(entryCode)","scope":"all","before":"x"}"#)
                #expect(bad.status == .unprocessableContent)
                #expect(Set(fieldErrors(bad.json).map(\.field)).isSuperset(of: ["scope", "basis"]), "\(bad.json)")
                let future = try await client.json(
                    .post, "/api/v1/destructions", token: provider,
                    body: #"{"entry_code":"\#(entryCode)","scope":"updated_before","before":"2999-01-01","basis":"x"}"#)
                #expect(fieldErrors(future.json).contains { $0.field == "before" && $0.rule == "not_future" })
                #expect(
                    try await client.json(.post, "/api/v1/destructions", token: try await client.token("amr_reviewer"), body: body).status
                        == .forbidden)

                let withdrawn = try await client.json(
                    .post, "/api/v1/catalog/entries/\(dataset.entryId)/withdraw", token: authority, body: #"{"reason":"停止共享（演示）"}"#)
                #expect(withdrawn.status == .ok, "\(withdrawn.json)")
                let total = try await Self.count(env, dataset)
                let expected = try await Self.digest(env, dataset: dataset, before: nil)
                let asked = try await client.json(.post, "/api/v1/destructions", token: provider, body: body)
                #expect(asked.status == .created, "\(asked.json)")
                let id = try #require(asked.json["id"] as? String)
                let rejectWithoutNote = try await client.json(.post, "/api/v1/destructions/\(id)/reject", token: authority, body: "{}")
                #expect(fieldErrors(rejectWithoutNote.json).contains { $0.field == "note" })
                #expect(try await client.json(.post, "/api/v1/destructions/\(id)/approve", token: authority, body: "{}").status == .ok)
                let executed = try await client.json(.post, "/api/v1/destructions/\(id)/execute", token: provider)
                #expect(executed.status == .created && executed.json["row_count"] as? Int == total, "\(executed.json)")
                #expect(executed.json["sm3"] as? String == expected.sm3)
                #expect(try await Self.count(env, dataset) == 0)
                // The read trace and the audit log are untouched, and the chain still verifies.
                let verify = try await client.json(.get, "/api/v1/audit/verify", token: try await client.token("auditor"))
                #expect(verify.json["ok"] as? Bool == true, "\(verify.json)")
            }
        }
    }
}

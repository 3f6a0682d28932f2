import Foundation
import GovShareCore
import GovShareServer
import GovShareStore
import Testing

/// Issue 14 point 3 (Art. 24): the platform signs its own official outputs — an application's reply letter carries
/// the data authority's seal, verifiable by anyone with the platform's root.
@Suite("Signed decision letters (Art. 24)")
struct DecisionLetterTests {
    @Test(arguments: TestDatabase.available)
    func anApprovedApplicationsLetterVerifiesWithTheAuthoritysSeal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            // The demo's approved and refused applications were decided through the review, which signed their letters.
            let all = try await env.platform.storage.applicationRepository.list(departmentIds: nil, openOnly: false)
            let approved = try #require(all.first { $0.status == .approved })
            let refused = try #require(all.first { $0.status == .refused })
            let open = try #require(all.first { $0.status == .underReview })

            let (document, signature, text) = try await env.test { client in
                let auditor = try await client.token("auditor")
                let answer = try await client.json(.get, "/api/v1/applications/\(approved.id)/decision-letter", token: auditor)
                #expect(answer.status == .ok, "\(answer.json)")
                let undecided = try await client.json(.get, "/api/v1/applications/\(open.id)/decision-letter", token: auditor)
                #expect(undecided.status == .notFound)
                let refusedLetter = try await client.json(.get, "/api/v1/applications/\(refused.id)/decision-letter", token: auditor)
                #expect(refusedLetter.status == .ok)
                #expect((refusedLetter.json["document_text"] as? String)?.contains(#""decision":"refused""#) == true)
                return (
                    try #require((answer.json["document"] as? String).flatMap { Data(base64Encoded: $0) }),
                    try #require((answer.json["signature"] as? String).flatMap { Data(base64Encoded: $0) }),
                    answer.json["document_text"] as? String ?? ""
                )
            }
            // The letter says what was decided, by whom, on what.
            let letter = try JSONDecoder.snake.decode(DecisionLetter.self, from: document)
            #expect(letter.applicationId == approved.id && letter.decision == "approved")
            #expect(letter.grant?.id == approved.grantId && !letter.approvedItems.isEmpty)
            #expect(letter.deciders.contains { $0.role == .authority } && letter.decidedAt == approved.decidedAt)
            #expect(text.contains(approved.entryCode))

            let verified = try await env.platform.seals.verify(document: document, signature: signature)
            #expect(verified.valid, "\(verified.reasons.map(\.message.en))")
            #expect(verified.sealKind == .dataSeal)
            // One changed byte of the letter and it no longer verifies.
            var changed = document
            changed[changed.startIndex + 10] ^= 0x01
            #expect(try await !env.platform.seals.verify(document: changed, signature: signature).valid)
        }
    }
}

extension DecisionLetterTests {
    /// A grant made outside the workflow is sealed when a second person confirms it into force.
    @Test(arguments: TestDatabase.available)
    func aConfirmedGrantsLetterVerifiesWithTheAuthoritysSeal(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let (document, signature) = try await env.test { client in
                let (gd, admin, hrss) = (
                    try await client.token("gd_reviewer"), try await client.token("admin"), try await client.token("hrss_user")
                )
                let found = try await client.json(.get, "/api/v1/catalog/search?classification=301001&rows=1", token: admin)
                let code = try #require(((found.json["items"] as? [[String: Any]])?.first?["code"] as? String))
                let until = CivilDate(instant: Date()).adding(days: 30).description
                let proposed = try await client.json(
                    .post, "/api/v1/grants", token: gd,
                    body:
                        #"{"department_code":"11440000MB9525066D","entry_code":"\#(code)","items":["XB"],"purpose":"测试授权书","valid_until":"\#(until)"}"#
                )
                #expect(proposed.status == .created, "\(proposed.json)")
                let id = try #require(proposed.json["id"] as? String)
                let before = try await client.json(.get, "/api/v1/grants/\(id)/letter", token: hrss)
                #expect(before.status == .notFound, "not in force yet: nothing sealed")
                let confirmed = try await client.json(.post, "/api/v1/grants/\(id)/confirm", token: admin, body: #"{"confirm":true}"#)
                #expect(confirmed.status == .ok)
                let letter = try await client.json(.get, "/api/v1/grants/\(id)/letter", token: hrss)
                #expect(letter.status == .ok, "\(letter.json)")
                #expect((letter.json["document_text"] as? String)?.contains(#""grant_id":"\#(id)""#) == true)
                return (
                    try #require((letter.json["document"] as? String).flatMap { Data(base64Encoded: $0) }),
                    try #require((letter.json["signature"] as? String).flatMap { Data(base64Encoded: $0) })
                )
            }
            let verified = try await env.platform.seals.verify(document: document, signature: signature)
            #expect(verified.valid, "\(verified.reasons.map(\.message.en))")
        }
    }
}

extension JSONDecoder {
    static var snake: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

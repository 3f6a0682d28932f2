import Foundation
import GovShareCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// Issue 17 part 4 (Art. 31): assessment periods computed from the records, reviewed, published signed and public.
@Suite("Assessment (Art. 31)")
struct AssessmentTests {
    static let psb = "114400000060952367"

    static func departments(_ json: [String: Any]) -> [[String: Any]] {
        ((json["content"] as? [String: Any])?["departments"] as? [[String: Any]]) ?? []
    }

    static func line(_ json: [String: Any], code: String) -> [String: Any]? {
        departments(json).first { $0["department_code"] as? String == code }
    }

    static func indicator(_ line: [String: Any]?, _ name: String) -> [String: Any]? {
        (line?["indicators"] as? [[String: Any]])?.first { $0["indicator"] as? String == name }
    }

    @Test(arguments: TestDatabase.available)
    func computeReviewPublishVerifyAndInputsChangeOnlyTheNextComputation(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let reviewer = try await client.token("gd_reviewer")
                let supervisor = try await client.token("gd_supervisor")
                let (year, month, _) = CivilDate(instant: Date()).components
                let thisMonth = String(format: "%04d-%02d", year, month)

                // Bad input names the field and changes nothing; others may not compute.
                let bad = try await client.json(.post, "/api/v1/assessments", token: reviewer, body: #"{"period":"2026-13"}"#)
                #expect(bad.status == .unprocessableContent && "\(bad.json)".contains("period"), "\(bad.json)")
                let future = try await client.json(
                    .post, "/api/v1/assessments", token: reviewer, body: #"{"period":"\#(year + 1)"}"#)
                #expect(future.status == .unprocessableContent, "\(future.json)")
                let user = try await client.json(
                    .post, "/api/v1/assessments", token: try await client.token("hrss_user"), body: #"{"period":"\#(thisMonth)"}"#)
                #expect(user.status == .forbidden)
                let city = try await client.json(
                    .post, "/api/v1/assessments", token: try await client.token("gz_reviewer"), body: #"{"period":"\#(thisMonth)"}"#)
                #expect(city.status == .forbidden && city.json["code"] as? String == "not_provincial_authority", "\(city.json)")
                let none = try await client.json(.get, "/api/v1/public/assessments")
                #expect((none.json["assessments"] as? [Any])?.isEmpty == true, "\(none.json)")

                // A draft: every department with a published entry, each indicator with its inputs; the total is the
                // weighted mean of the indicators that apply.
                let draft = try await client.json(.post, "/api/v1/assessments", token: reviewer, body: #"{"period":"\#(thisMonth)"}"#)
                #expect(draft.status == .created && draft.json["status"] as? String == "draft", "\(draft.json)")
                let id = try #require(draft.json["id"] as? String)
                let psb = try #require(Self.line(draft.json, code: Self.psb), "公安厅 is assessed")
                let indicators = try #require(psb["indicators"] as? [[String: Any]])
                #expect(indicators.count == AssessmentIndicator.allCases.count)
                let applicable = indicators.filter { $0["score"] is Double || $0["score"] is Int }
                let weights = applicable.reduce(0) { $0 + ($1["weight"] as? Int ?? 0) }
                let points = applicable.reduce(0.0) {
                    $0 + Double($1["weight"] as? Int ?? 0) * (($1["score"] as? Double) ?? Double($1["score"] as? Int ?? 0))
                }
                let total = (psb["total"] as? Double) ?? Double(psb["total"] as? Int ?? -1)
                #expect(weights > 0 && abs(total - (points / Double(weights) * 100).rounded() / 100) < 0.011, "\(psb)")
                let completeness = try #require(Self.indicator(psb, "catalog_completeness")?["inputs"] as? [String: Any])
                #expect((completeness["published"] as? Int ?? 0) >= 1, "\(completeness)")

                // Drafts are not public; auditors see them.
                let hidden = try await client.json(.get, "/api/v1/assessments/\(id)")
                #expect(hidden.status == .notFound)
                #expect((try await client.json(.get, "/api/v1/public/assessments").json["assessments"] as? [Any])?.isEmpty == true)
                let auditorView = try await client.json(.get, "/api/v1/assessments/\(id)", token: try await client.token("auditor"))
                #expect(auditorView.status == .ok)
                // A city authority's reviewer holds the reviewer's role but does not organise the province's assessment.
                let cityReviewer = try await client.token("gz_reviewer")
                #expect(try await client.json(.get, "/api/v1/assessments/\(id)", token: cityReviewer).status == .notFound)
                let cityList = try await client.json(.get, "/api/v1/assessments", token: cityReviewer)
                #expect(cityList.status == .ok && !"\(cityList.json)".contains(id), "\(cityList.json)")
                let ownList = try await client.json(.get, "/api/v1/assessments", token: reviewer)
                #expect("\(ownList.json)".contains(id), "\(ownList.json)")

                // Whoever computed it does not publish it; another of the authority's reviewers does.
                let own = try await client.json(.post, "/api/v1/assessments/\(id)/publish", token: reviewer)
                #expect(own.status == .forbidden && own.json["code"] as? String == "own_computation", "\(own.json)")
                let published = try await client.json(.post, "/api/v1/assessments/\(id)/publish", token: supervisor)
                #expect(published.status == .ok && published.json["status"] as? String == "published", "\(published.json)")
                let again = try await client.json(.post, "/api/v1/assessments/\(id)/publish", token: supervisor)
                #expect(again.status == .conflict)
                let recompute = try await client.json(
                    .post, "/api/v1/assessments", token: reviewer, body: #"{"period":"\#(thisMonth)"}"#)
                #expect(recompute.status == .conflict && recompute.json["code"] as? String == "assessment_published")

                // Public: the list, the period, its document, CSV and verification, without signing in.
                let list = try await client.json(.get, "/api/v1/public/assessments")
                #expect((list.json["assessments"] as? [[String: Any]])?.first?["id"] as? String == id, "\(list.json)")
                let verified = try await client.json(.get, "/api/v1/assessments/\(id)/verify")
                #expect(verified.json["valid"] as? Bool == true, "\(verified.json)")
                let csv = try await client.execute(uri: "/api/v1/assessments/\(id)/scores.csv", method: .get)
                let csvText = String(buffer: csv.body)
                #expect(csv.status == .ok && csvText.contains("quality_pass_rate") && csvText.contains(Self.psb))
                let documentBefore = Data(
                    try await client.execute(uri: "/api/v1/assessments/\(id)/document", method: .get).body.readableBytesView)

                // A year-to-date draft before and after an input changes: 公安厅 reports a batch whose every record is
                // rejected. The next computation shows it; the published period does not change.
                let yearBefore = try await client.json(.post, "/api/v1/assessments", token: reviewer, body: #"{"period":"\#(year)"}"#)
                let qualityBefore = Self.indicator(Self.line(yearBefore.json, code: Self.psb), "quality_pass_rate")
                try await env.platform.database.transaction { db in
                    let dataset = try #require(
                        try await db.raw(
                            "SELECT id FROM datasets WHERE provider_id = (SELECT id FROM departments WHERE code = \(bind: Self.psb)) LIMIT 1"
                        )
                        .first()?.decode(column: "id", as: String.self))
                    try await db.raw(
                        """
                        INSERT INTO dataset_batches (id, dataset_id, source, mode, received, accepted, rejected, deleted, created_by,
                            department_id, created_at)
                        VALUES (\(bind: Identifier.make()), \(bind: dataset), 'api', 'upsert', 1000, 0, 1000, 0, 'test', 'test',
                            \(bind: Timestamp.format(Date())))
                        """
                    ).run()
                }
                let yearAfter = try await client.json(.post, "/api/v1/assessments", token: reviewer, body: #"{"period":"\#(year)"}"#)
                let qualityAfter = Self.indicator(Self.line(yearAfter.json, code: Self.psb), "quality_pass_rate")
                let reportedBefore = (qualityBefore?["inputs"] as? [String: Any])?["reported"] as? Int ?? 0
                let reportedAfter = (qualityAfter?["inputs"] as? [String: Any])?["reported"] as? Int ?? 0
                #expect(
                    reportedAfter == reportedBefore + 1000, "\(String(describing: qualityBefore)) → \(String(describing: qualityAfter))")
                let scoreAfter = (qualityAfter?["score"] as? Double) ?? Double(qualityAfter?["score"] as? Int ?? 100)
                #expect(scoreAfter < 100, "\(String(describing: qualityAfter))")
                // The year's second computation replaced its first draft.
                let drafts = try await client.json(.get, "/api/v1/assessments", token: reviewer)
                let yearRows = (drafts.json["assessments"] as? [[String: Any]] ?? []).filter { $0["period"] as? String == String(year) }
                #expect(yearRows.count == 1 && yearRows.first?["id"] as? String == yearAfter.json["id"] as? String, "\(yearRows)")

                let documentAfter = Data(
                    try await client.execute(uri: "/api/v1/assessments/\(id)/document", method: .get).body.readableBytesView)
                #expect(documentAfter == documentBefore && !documentBefore.isEmpty)
                #expect(try await client.json(.get, "/api/v1/assessments/\(id)/verify").json["valid"] as? Bool == true)

                // The database itself refuses to change a published period.
                await #expect(throws: (any Error).self) {
                    try await env.platform.database.transaction { db in
                        try await db.raw("UPDATE assessments SET document_sm3 = 'x' WHERE id = \(bind: id)").run()
                    }
                }
                let audit = try await client.json(
                    .get, "/api/v1/audit/events?object_id=\(id)", token: try await client.token("auditor"))
                let actions = (audit.json["items"] as? [[String: Any]] ?? []).map {
                    $0["action"] as? String ?? ""
                }
                #expect(actions.contains("assessment.compute") && actions.contains("assessment.publish"), "\(audit.json)")
            }
        }
    }

    @Test func scoringIsTheWeightedMeanOfWhatAppliesAndRanksShareTies() {
        var a = AssessmentInputs()
        a.published = 4; a.complete = 4; a.mounted = 1; a.unconditionalItems = 2; a.conditionalItems = 2
        let scores = AssessmentScoring.indicators(a, scheme: .standard)
        let byName = Dictionary(uniqueKeysWithValues: scores.map { ($0.indicator, $0) })
        #expect(byName["catalog_completeness"]?.score == 100)
        #expect(byName["mounting_rate"]?.score == 25)
        #expect(byName["sharing_degree"]?.score == 75)
        #expect(byName["reply_timeliness"]?.score == nil, "nothing due: not applicable")
        // (10×100 + 15×25 + 10×75) ÷ (10 + 15 + 10)
        #expect(AssessmentScoring.total(scores) == ((2125.0 / 35) * 100).rounded() / 100)
        let rows = AssessmentScoring.ranked([
            .init(departmentId: "a", departmentCode: "A", departmentName: "a", total: 80, rank: 0, indicators: []),
            .init(departmentId: "b", departmentCode: "B", departmentName: "b", total: 90, rank: 0, indicators: []),
            .init(departmentId: "c", departmentCode: "C", departmentName: "c", total: 80, rank: 0, indicators: []),
            .init(departmentId: "d", departmentCode: "D", departmentName: "d", total: 70, rank: 0, indicators: []),
        ])
        #expect(rows.map(\.departmentId) == ["b", "a", "c", "d"])
        #expect(rows.map(\.rank) == [1, 2, 2, 4])
    }

    @Test func periodsAndWeightsAreParsedStrictly() {
        #expect(AssessmentPeriod("2026-Q4").map { "\($0.from)…\($0.to)" } == "2026-10-01…2026-12-31")
        #expect(AssessmentPeriod("2024-02").map { "\($0.from)…\($0.to)" } == "2024-02-01…2024-02-29")
        #expect(AssessmentPeriod("2026").map { "\($0.from)…\($0.to)" } == "2026-01-01…2026-12-31")
        for bad in ["2026-13", "2026-Q5", "26", "2026-1", "2026-Q", "x2026", "2026-12-01"] {
            #expect(AssessmentPeriod(bad) == nil, "\(bad)")
        }
        #expect(AssessmentScheme.parseWeights("freshness=50,usage_by_others=50").problems.isEmpty)
        #expect(!AssessmentScheme.parseWeights("freshness=101").problems.isEmpty)
        #expect(!AssessmentScheme.parseWeights("speed=10").problems.isEmpty)
        #expect(!AssessmentScheme.parseWeights("freshness=0").problems.isEmpty)
        #expect(throws: (any Error).self) {
            try GovShareConfig.load(flags: [:], environment: [:], file: ["assessment_weights": "freshness=50"])
        }
        let config = try? GovShareConfig.load(
            flags: [:], environment: [:], file: ["assessment_weights": "freshness=50", "assessment_scheme_version": "test-1"])
        #expect(config?.assessmentScheme.weight(.freshness) == 50 && config?.assessmentScheme.weight(.mountingRate) == 0)
    }
}

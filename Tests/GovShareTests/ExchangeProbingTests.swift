import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// What a reader under a subscription cannot learn beyond what it is shown: masked values cannot be searched, listed
/// or walked; items it may not read cannot be filtered or sorted on; who reported what is not everyone's business.
@Suite("Data exchange: reads cannot probe what they may not see")
struct ExchangeProbingTests {
    @Test(arguments: TestDatabase.available)
    func maskedAndUnreadableItemsCannotBeProbed(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let user = try await client.token("hrss_user")
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, user)
                let subscription = try #require(
                    ExchangeTests.array(try await client.json(.get, "/api/v1/subscriptions", token: user).response)
                        .first?["id"] as? String)
                let own = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"fields":["GMSFHM","XM"],"limit":2}"#)
                let first = try #require(ExchangeTests.records(own.json).first)
                let clearId = try #require(first["GMSFHM"] as? String)
                let clearName = try #require(first["XM"] as? String)
                let query = { (body: String) in
                    try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: user, body: #"{"purpose":"\#(subscription)",\#(body)}"#)
                }

                // q searches only what the reader sees in clear: the masked name and ID are not searched.
                let onlyMasked = try await query(#""fields":["GMSFHM","XM"],"q":"\#(clearId.dropFirst(6).prefix(8))""#)
                #expect(onlyMasked.status == .unprocessableContent)
                #expect(fieldErrors(onlyMasked.json).map(\.rule) == ["no_searchable_items"])
                let byName = try await query(#""fields":["XM","XB"],"q":"\#(clearName)","limit":1000"#)
                #expect(byName.status == .ok, "\(byName.json)")
                #expect(ExchangeTests.records(byName.json).isEmpty, "a clear name behind a mask must not be searchable")
                let bySex = try await query(#""fields":["XM","XB"],"q":"1","limit":1000"#)
                #expect(!ExchangeTests.records(bySex.json).isEmpty)

                // A masked item is not filtered on at all: neither by a list nor by one value (checking a value one holds
                // is `verify`, rate-limited).
                let list = try await query(#""filters":{"GMSFHM":["\#(clearId)","110105194912310021"]}"#)
                #expect(list.status == .unprocessableContent)
                #expect(fieldErrors(list.json).map(\.rule) == ["masked_item"])
                let one = try await query(#""filters":{"GMSFHM":"\#(clearId)"}"#)
                #expect(one.status == .unprocessableContent)
                #expect(fieldErrors(one.json).map(\.rule) == ["masked_item"])

                // Filtering or sorting on an item outside the subscription is reading it: 403 naming it.
                for body in [#""fields":["XM"],"filters":{"HJDZ":{"prefix":"广东"}}"#, #""fields":["XM"],"sort":"HJDZ""#] {
                    let refused = try await query(body)
                    #expect(refused.status == .forbidden, "\(body): \(refused.json)")
                    #expect(fieldErrors(refused.json).map(\.field) == ["fields.HJDZ"])
                }

                // Paging by an item that is not selected still walks every row once.
                var seen: [String] = []
                var after: String?
                repeat {
                    let cursor = after.map { #","after":"\#($0)""# } ?? ""
                    let page = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: provider,
                        body: #"{"fields":["GMSFHM"],"sort":"CSD","limit":70\#(cursor)}"#)
                    #expect(page.status == .ok, "\(page.json)")
                    #expect((page.json["fields"] as? [[String: Any]])?.count == 1)
                    seen += ExchangeTests.records(page.json).compactMap { $0["GMSFHM"] as? String }
                    after = page.json["next"] as? String
                } while after != nil && seen.count < 1000
                #expect(seen.count == 300 && Set(seen).count == 300)

                // CKAN's paging link repeats the search: purpose, fields and filters included.
                let ckan = try await client.json(
                    .get,
                    "/api/3/action/datastore_search?resource_id=\(code)&purpose=\(subscription)&limit=5"
                        + "&fields=XM,XB&filters=%7B%22XB%22%3A%222%22%7D", token: user)
                let links = try #require((ckan.json["result"] as? [String: Any])?["_links"] as? [String: String])
                let next = try #require(links["next"])
                #expect(next.contains("purpose=\(subscription)") && next.contains("fields=XM,XB") && next.contains("offset=5"), "\(next)")
                let followed = try await client.json(.get, next, token: user)
                #expect(followed.status == .ok, "\(followed.json)")
                let records = (followed.json["result"] as? [String: Any])?["records"] as? [[String: Any]] ?? []
                #expect(records.count == 5 && records.allSatisfy { $0["XB"] as? String == "2" })

                // Who reported what: the provider and the authority's overseers, not every signed-in department.
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: user).status == .forbidden)
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: provider).status == .ok)
                #expect(
                    try await client.json(.get, "/api/v1/datasets/\(code)/batches", token: try await client.token("auditor")).status == .ok)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBatchNamesEachKeyOnceAndEveryRowByItsLine(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let provider = try await client.token("gd_cataloger")
                let code = try await ExchangeTests.populationCode(client, provider)
                let push = { (body: String) in try await client.json(.post, "/api/v1/datasets/\(code)/rows", token: provider, body: body) }

                // Two rows with one key: which would land is an accident of order, so the batch is refused.
                let twice = try await push(
                    """
                    {"upsert":[{"GMSFHM":"11010519491231002X","XM":"甲","CSRQ":"1949-12-31"},{"GMSFHM":"11010519491231002X","XM":"乙","CSRQ":"1949-12-31"}]}
                    """)
                #expect(twice.status == .unprocessableContent)
                #expect(fieldErrors(twice.json).map(\.rule) == ["duplicate_key"])
                let both = try await push(
                    """
                    {"upsert":[{"GMSFHM":"11010519491231002X","XM":"甲","CSRQ":"1949-12-31"}],"delete":["11010519491231002X"]}
                    """)
                #expect(fieldErrors(both.json).map(\.rule) == ["duplicate_key"])
                let rowMode = try await push(
                    """
                    {"mode":"row","upsert":[{"GMSFHM":"11010519491231002X","XM":"甲","CSRQ":"1949-12-31"},{"GMSFHM":"11010519491231002X","XM":"乙","CSRQ":"1949-12-31"}]}
                    """)
                #expect(rowMode.status == .created, "\(rowMode.json)")
                #expect(rowMode.json["accepted"] as? Int == 1 && rowMode.json["rejected"] as? Int == 1)
                // The batch id answers for exactly that batch: replayed with its rejected rows, refused with other content,
                // and sent twice at once applied once.
                let batch =
                    #"{"batch_id":"dup-1","mode":"row","upsert":[{"GMSFHM":"440106199001011235","XM":"己","CSRQ":"1949-12-31"},{"GMSFHM":"1","XM":"庚"}]}"#
                let firstSend = try await push(batch)
                #expect(firstSend.status == .created && firstSend.json["rejected"] as? Int == 1, "\(firstSend.json)")
                let again = try await push(batch)
                #expect(again.status == .ok && again.json["replayed"] as? Bool == true)
                #expect((again.json["rejected_rows"] as? [[String: Any]])?.compactMap { $0["row"] as? Int } == [2], "\(again.json)")
                let reused = try await push(
                    #"{"batch_id":"dup-1","upsert":[{"GMSFHM":"440106199001011235","XM":"辛","CSRQ":"1949-12-31"}]}"#)
                #expect(reused.status == .conflict && reused.json["code"] as? String == "batch_id_reused", "\(reused.json)")
                let racing = #"{"batch_id":"race-1","upsert":[{"GMSFHM":"11010519491231002X","XM":"壬","CSRQ":"1949-12-31"}]}"#
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            try await client.json(.post, "/api/v1/datasets/\(code)/rows", token: provider, body: racing).status
                        }
                    }
                    return try await group.reduce(into: Set<HTTPResponse.Status>()) { $0.insert($1) }
                }
                #expect(statuses.isSubset(of: [.created, .ok]) && statuses.contains(.created), "\(statuses)")

                let kept = try await client.json(
                    .post, "/api/v1/datasets/\(code)/query", token: provider,
                    body: #"{"filters":{"GMSFHM":"11010519491231002X"},"fields":["XM"]}"#)
                #expect(ExchangeTests.records(kept.json).first?["XM"] as? String == "壬")

                // Rows are numbered as the file's lines, blank lines included; an unreadable _delete is reported, not
                // taken as "keep"; a birth date in the future is no valid ID number.
                let csv =
                    "公民身份号码,姓名,出生日期,_delete\n11010519491231002X,丙,1949-12-31,0\n\n110105194912310021,丁,1949-12-31,yes please\n110101209901010017,戊,2099-01-01,\n"
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(provider)"
                headers[.contentType] = "text/csv"
                let imported = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import", method: .post, headers: headers,
                    body: ByteBuffer(string: csv))
                #expect(imported.status == .unprocessableContent)
                let problem = (try? JSONSerialization.jsonObject(with: Data(imported.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(fieldErrors(problem).map(\.field) == ["row 4._delete", "row 5.GMSFHM"], "\(problem)")
                #expect(fieldErrors(problem).map(\.rule) == ["boolean", "resident_id"])
                #expect(try await client.json(.get, "/api/v1/datasets/\(code)", token: provider).json["row_count"] as? Int == 302)
                // A quote that never closes swallows the rest of the file: refused whole, even row by row.
                let unclosed = "公民身份号码,姓名,出生日期\n440106199001011243,\"癸,1949-12-31\n11010519491231002X,子,1949-12-31\n"
                let swallowed = try await client.execute(
                    uri: "/api/v1/datasets/\(code)/import?mode=row", method: .post, headers: headers,
                    body: ByteBuffer(string: unclosed))
                #expect(swallowed.status == .unprocessableContent)
                let swallowedProblem =
                    (try? JSONSerialization.jsonObject(with: Data(swallowed.body.readableBytesView))) as? [String: Any] ?? [:]
                #expect(fieldErrors(swallowedProblem).map(\.rule) == ["csv_quote"], "\(swallowedProblem)")
            }
        }
    }
}

import Foundation
import GovShareCore
import HummingbirdTesting
import Testing

/// Resource codes come from one atomic increment per classification: drafts filed at the same moment — by two
/// requests, or two servers on one PostgreSQL — each get their own sequence number, and none fails.
@Suite("Catalog resource codes")
struct CatalogCodeTests {
    @Test(arguments: TestDatabase.available)
    func draftsFiledAtOnceGetDistinctCodes(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            let other = try await env.sibling()
            do {
                let token = try await env.test { client in try await client.token("psb_cataloger") }
                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for n in 0..<12 {
                        let server = n % 2 == 0 ? env.server : other
                        group.addTask {
                            try await server.app.test(.router) { client in
                                let created = try await client.json(
                                    .post, "/api/v1/catalog/entries", token: token,
                                    body: CatalogTests.draft(itemBasis: true).replacingOccurrences(of: "灵活就业人员参保信息", with: "并发编目测试\(n)"))
                                #expect(created.status == .created, "\(created.json)")
                                return created.json["code"] as? String ?? ""
                            }
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(codes.count == 12 && Set(codes).count == 12 && codes.allSatisfy { $0.hasPrefix("301002/") }, "\(codes.sorted())")
            } catch {
                await other.platform.shutdown()
                throw error
            }
            await other.platform.shutdown()
        }
    }
}

/// Codes are unique province-wide: a city sub-node's carry its division code (ResourceCodeScheme, issue 18).
@Suite("Resource codes across nodes")
struct ResourceCodeSchemeTests {
    @Test func theProvinceAndEachCityNumberApart() throws {
        let province = ResourceCodeScheme()
        let guangzhou = ResourceCodeScheme(regionCode: "440100"), shenzhen = ResourceCodeScheme(regionCode: "440300")
        #expect(province.code(classification: "302001", sequence: 1) == "302001/000001")
        #expect(guangzhou.code(classification: "302001", sequence: 1) == "302001/440100000001")
        let issued = [province, guangzhou, shenzhen].flatMap { scheme in
            (1...50).map { scheme.code(classification: "302001", sequence: $0) }
        }
        #expect(Set(issued).count == issued.count, "no two nodes issue the same code")
        #expect(ResourceCodeScheme.issuingRegion(of: "302001/440300000007") == "440300")
        #expect(ResourceCodeScheme.issuingRegion(of: "302001-000007") == "440000")
        #expect(ResourceCodeScheme.issuingRegion(of: "302001/12345") == nil)
        for bad in ["110000", "4401", "44010a", "4401000"] {
            #expect(!ResourceCodeScheme.isValidRegion(bad), "\(bad)")
            #expect(throws: (any Error).self) { try GovShareConfig.load(flags: [:], environment: [:], file: ["node_region_code": bad]) }
        }
        #expect(try GovShareConfig.load(flags: [:], environment: [:], file: ["node_region_code": "440100"]).nodeRegionCode == "440100")
    }

    /// A city node files its drafts under its own numbers, through the real router.
    @Test(arguments: TestDatabase.available)
    func aCityNodeFilesUnderItsDivisionCode(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false, settings: ["node_region_code": "440100"]) { env in
            try await env.test { client in
                let created = try await client.json(
                    .post, "/api/v1/catalog/entries", token: try await client.token("psb_cataloger"),
                    body: CatalogTests.draft(itemBasis: true))
                // (The demo's own 301002 entry, filed on this node too, took 440100000001.)
                #expect(created.status == .created && created.json["code"] as? String == "301002/440100000002", "\(created.json)")
                let code = try #require(created.json["code"] as? String)
                #expect(ResourceCodeScheme.issuingRegion(of: code) == "440100")
            }
        }
    }
}

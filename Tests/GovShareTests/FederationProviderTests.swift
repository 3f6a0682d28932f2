import Foundation
import GovShareCore
import GovShareServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// A city's catalog copies bring their providers: the province adds one it does not know, but a city cannot add a
/// provincial department, another city's, or a second data authority — the directory decides who reviews whom.
@Suite struct FederationProviderTests {
    @Test(arguments: TestDatabase.available)
    func aCityCannotAddAProvincialOrAnotherCitysOrASecondAuthority(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { province in
            try await TestEnvironment.with(.sqlite, demo: false, settings: FederationTests.citySettings) { city in
                try await FederationCatalogTests.registerChild(city, on: province)
                struct Draft: Decodable { let content: CatalogContent }
                let content = try JSONDecoder().decode(Draft.self, from: Data(CatalogTests.draft(itemBasis: true).utf8)).content
                var seq: Int64 = 0
                func send(_ provider: Department, number: Int) async throws -> (HTTPResponse.Status, [String: Any]) {
                    let copy = CatalogEntryCopy(
                        entryId: Identifier.make(), code: "301002/440100\(String(format: "%06d", number))", kind: .department,
                        homeNode: "gz-city", published: true, version: 1, content: content, provider: provider,
                        createdAt: Timestamp.format(Date()), publishedAt: Timestamp.format(Date()))
                    seq += 1
                    var e = NodeEnvelope(
                        id: Identifier.make(), from: "gz-city", to: "gd-province", seq: seq, kind: NodeMessageKind.catalogEntry.rawValue,
                        sentAt: Timestamp.format(Date()),
                        body: String(decoding: try JSONEncoder().encode(CatalogCopyBatch(entries: [copy])), as: UTF8.self),
                        signature: "")
                    e.signature = try await city.platform.keyring.signAsNode(e.signedBytes).signature.base64EncodedString()
                    let wire = try await city.platform.federation.wire(e)
                    let r = try await province.test { client in
                        try await client.json(
                            .post, "/api/v1/federation/messages", body: String(decoding: wire.body, as: UTF8.self),
                            headers: [
                                .init("X-GovShare-Node")!: "gz-city", .init(NodeRequestSignature.headerName)!: wire.signature.header,
                            ])
                    }
                    if r.status != .ok { seq -= 1 }  // a refused number is sent again by the next message
                    return (r.status, r.json)
                }
                func department(_ suffix: String, level: AdministrativeLevel, region: String, kind: DepartmentKind) -> Department {
                    Department(
                        id: Identifier.make(), code: Self.creditCode(region: region, serial: suffix), nameZh: "测试部门\(suffix)", nameEn: nil,
                        level: level, regionCode: region, kind: kind, systemParentId: nil, nodeId: "gd-province",
                        createdAt: Timestamp.format(Date()), updatedAt: Timestamp.format(Date()))
                }
                func rules(_ json: [String: Any]) -> [String] {
                    (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
                }

                // A provincial data authority (it would review every provincial entry) and another city's department.
                let fakeAuthority = try await send(department("0001", level: .province, region: "440000", kind: .dataAuthority), number: 1)
                #expect(fakeAuthority.0 == .unprocessableContent && rules(fakeAuthority.1) == ["provider_region"], "\(fakeAuthority.1)")
                let shenzhen = try await send(department("0002", level: .city, region: "440300", kind: .government), number: 2)
                #expect(rules(shenzhen.1) == ["provider_region"], "\(shenzhen.1)")
                // A second authority for 广州 (the demo directory has 广州市政务服务和数据管理局).
                let second = try await send(department("0003", level: .city, region: "440100", kind: .dataAuthority), number: 3)
                #expect(rules(second.1) == ["provider_authority"], "\(second.1)")
                // Not a credit code at all.
                var malformed = department("0004", level: .city, region: "440100", kind: .government)
                malformed.code = "0000"
                #expect(rules(try await send(malformed, number: 4).1) == ["catalog_entry"])
                let before = try await province.platform.storage.departments.list(DepartmentFilter()).count

                // A 广州 department the province does not know is added, belonging to the city's node.
                let newcomer = department("0005", level: .city, region: "440100", kind: .government)
                let accepted = try await send(newcomer, number: 5)
                #expect(accepted.0 == .ok && accepted.1["outcome"] as? String == "accepted", "\(accepted.1)")
                let added = try await province.platform.storage.departments.list(DepartmentFilter())
                #expect(added.count == before + 1)
                #expect(added.first { $0.code == newcomer.code }?.nodeId == "gz-city")
                #expect(!added.contains { $0.kind == .dataAuthority && $0.nameZh.hasPrefix("测试部门") })
            }
        }
    }

    /// A valid unified social credit code for a test department: 11 (a government organ), the region, an
    /// organisation code ending in `serial`, and the check character.
    static func creditCode(region: String, serial: String) -> String {
        let prefix = "11" + region + "MB" + String(repeating: "0", count: 7 - serial.count) + serial
        return prefix + String(CreditCode.checkCharacter(for: prefix)!)
    }
}

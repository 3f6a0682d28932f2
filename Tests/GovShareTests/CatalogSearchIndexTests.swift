import Foundation
import GovShareCore
import Testing

/// The in-memory catalog index against a brute-force reading of the same rules: every term a substring of name,
/// summary or item names; score 20 exact name / 10 in name, 3 in summary, 2 in items; ties by newest, then code.
@Suite("Catalog search index")
struct CatalogSearchIndexTests {
    static let subjects = ["营业执照", "户籍", "不动产登记", "社会保险", "纳税信用", "驾驶证", "学籍", "Road Traffic"]
    static let items = ["统一社会信用代码", "企业名称", "姓名", "公民身份号码", "登记日期", "地址", "户号"]

    static func documents(_ count: Int, seed: UInt64) -> [CatalogDocument] {
        var random = SeededRandom(seed)
        return (0..<count).map { i in
            let subject = subjects[random.next(subjects.count)]
            let name = ["企业", "居民", ""][random.next(3)] + subject + ["信息", "数据", ""][random.next(3)]
            let itemNames = (0..<3).map { _ in items[random.next(items.count)] }.joined(separator: " ")
            return CatalogDocument(
                entryId: "e\(i)", code: String(format: "301%03d/%06d", random.next(50), i), version: 1,
                name: name, summary: "\(name)，含\(items[random.next(items.count)])等。", itemNames: itemNames,
                providerId: "p\(random.next(5))", regionCode: ["440000", "440100", "440300"][random.next(3)],
                kind: [.base, .thematic, .department][random.next(3)],
                shareType: [.unconditional, .conditional, .notShared][random.next(3)],
                classificationCode: "30\(random.next(3))", openToPublic: random.next(4) == 0,
                publishedAt: "2026-\(String(format: "%02d", 1 + random.next(11)))-01T08:00:00.000Z")
        }
    }

    static func reference(_ documents: [CatalogDocument], _ query: CatalogQuery) -> (
        total: Int, page: [String], facets: [String: [FacetCount]]
    ) {
        let terms = query.terms
        let hits = documents.filter { d in
            let text = [d.name, d.summary, d.itemNames].joined(separator: " ").lowercased()
            return terms.allSatisfy { text.contains($0) }
                && query.kind.map { d.kind == $0 } ?? true && query.shareType.map { d.shareType == $0 } ?? true
                && query.providerId.map { d.providerId == $0 } ?? true && query.regionCode.map { d.regionCode == $0 } ?? true
                && query.classificationPrefix.map { d.classificationCode.hasPrefix($0) } ?? true
                && (!query.publicOnly || (d.openToPublic && d.shareType != .notShared))
        }
        func score(_ d: CatalogDocument) -> Int {
            terms.reduce(0) { sum, t in
                let name = d.name.lowercased()
                return sum + (name == t ? 20 : name.contains(t) ? 10 : 0) + (d.summary.lowercased().contains(t) ? 3 : 0)
                    + (d.itemNames.lowercased().contains(t) ? 2 : 0)
            }
        }
        let newest: (CatalogDocument, CatalogDocument) -> Bool = {
            $0.publishedAt != $1.publishedAt ? $0.publishedAt > $1.publishedAt : $0.code < $1.code
        }
        let ordered: [CatalogDocument]
        switch query.sort {
        case .relevance where !terms.isEmpty: ordered = hits.sorted { score($0) != score($1) ? score($0) > score($1) : newest($0, $1) }
        case .name: ordered = hits.sorted { $0.name != $1.name ? $0.name < $1.name : $0.code < $1.code }
        default: ordered = hits.sorted(by: newest)
        }
        var facets: [String: [String: Int]] = [:]
        for d in hits {
            facets["kind", default: [:]][d.kind.rawValue, default: 0] += 1
            facets["share_type", default: [:]][d.shareType.rawValue, default: 0] += 1
            facets["provider_id", default: [:]][d.providerId, default: 0] += 1
            facets["region_code", default: [:]][d.regionCode, default: 0] += 1
        }
        let facetCounts = ["kind", "share_type", "provider_id", "region_code"].reduce(into: [String: [FacetCount]]()) { result, key in
            result[key] = (facets[key] ?? [:]).map { FacetCount(value: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.value) > ($1.count, $0.value) }
        }
        let page = ordered.dropFirst(query.start).prefix(query.rows).map(\.entryId)
        return (hits.count, Array(page), facetCounts)
    }

    @Test func everyQueryAgreesWithTheBruteForceReading() {
        var documents = Self.documents(3000, seed: 7)
        var index = CatalogSearchIndex(documents: documents)
        // Republish some (changed text) and withdraw others, so replaced and dead slots are exercised.
        for i in stride(from: 0, to: 3000, by: 7) {
            documents[i].name = "重点" + documents[i].name
            index.upsert(documents[i])
        }
        let withdrawn = Set(stride(from: 3, to: 3000, by: 11).map { "e\($0)" })
        for id in withdrawn { index.remove(entryId: id) }
        documents.removeAll { withdrawn.contains($0.entryId) }
        index.prepare()
        #expect(index.count == documents.count)

        let texts = ["营业执照", "户籍", "企业 信用", "户", "重点不动产", "road traffic", "ROAD", "身份号码 地址", "不存在的词", "", "执照信息，含"]
        var checked = 0
        for text in texts {
            for sort in CatalogQuery.Sort.allCases {
                for (start, rows) in [(0, 20), (15, 10), (0, 0), (300, 30)] {
                    for filter in 0..<4 {
                        var query = CatalogQuery()
                        query.text = text; query.sort = sort; query.start = start; query.rows = rows
                        if filter == 1 { query.shareType = .conditional; query.regionCode = "440100" }
                        if filter == 2 { query.publicOnly = true; query.classificationPrefix = "301" }
                        if filter == 3 { query.kind = .base; query.providerId = "p2" }
                        let got = index.search(query), want = Self.reference(documents, query)
                        #expect(got.total == want.total, "total for \(text) \(sort) \(filter)")
                        #expect(got.documents.map(\.entryId) == want.page, "page for \(text) \(sort) \(start)/\(rows) \(filter)")
                        #expect(got.facets == want.facets, "facets for \(text) \(filter)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == texts.count * 3 * 4 * 4)
        var query = CatalogQuery()
        query.text = "营业执照"
        #expect(index.search(query).total > 0, "the generated catalog must contain the probe")
    }

    @Test func aNameHitOutranksAnItemHitAndWithdrawnEntriesVanish() {
        let licence = CatalogDocument(
            entryId: "a", code: "302001/000001", version: 1, name: "企业营业执照信息", summary: "登记信息",
            itemNames: "统一社会信用代码", providerId: "p", regionCode: "440000", kind: .department,
            shareType: .unconditional, classificationCode: "302", openToPublic: true,
            publishedAt: "2026-01-01T00:00:00.000Z")
        var other = licence
        other.entryId = "b"; other.code = "302001/000002"; other.name = "食品经营许可信息"; other.itemNames = "营业执照号"
        other.publishedAt = "2026-06-01T00:00:00.000Z"
        var index = CatalogSearchIndex(documents: [other, licence])
        index.prepare()
        var query = CatalogQuery()
        query.text = "营业执照"
        #expect(index.search(query).documents.map(\.entryId) == ["a", "b"])
        index.remove(entryId: "a")
        index.prepare()
        #expect(index.search(query).documents.map(\.entryId) == ["b"])
        #expect(index.search(query).facets["provider_id"] == [FacetCount(value: "p", count: 1)])
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct SeededRandom {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

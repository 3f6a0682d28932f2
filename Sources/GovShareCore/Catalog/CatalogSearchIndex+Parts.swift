/// The small types CatalogSearchIndex works with.

/// Distinct strings numbered in order of first appearance.
struct Interner: Sendable {
    private(set) var values: [String] = []
    private var numbers: [String: Int32] = [:]
    mutating func intern(_ value: String) -> Int32 {
        if let number = numbers[value] { return number }
        values.append(value)
        numbers[value] = Int32(values.count - 1)
        return Int32(values.count - 1)
    }
    func number(of value: String) -> Int32? { numbers[value] }
}

/// A query's filters in the index's codes; nil when a value names nothing indexed (then nothing matches).
struct CatalogSearchFilter {
    var kind: UInt8?, share: UInt8?, provider: Int32?, region: Int32?
    var publicOnly: Bool
    var classificationPrefix: String?

    init?(_ query: CatalogQuery, providers: Interner, regions: Interner) {
        kind = query.kind.map(CatalogSearchIndex.code)
        share = query.shareType.map(CatalogSearchIndex.code)
        if let id = query.providerId { guard let n = providers.number(of: id) else { return nil }; provider = n }
        if let code = query.regionCode { guard let n = regions.number(of: code) else { return nil }; region = n }
        publicOnly = query.publicOnly
        classificationPrefix = query.classificationPrefix
    }

    func admits(_ c: CatalogSearchIndex.Codes) -> Bool {
        (kind == nil || kind == c.kind) && (share == nil || share == c.share) && (provider == nil || provider == c.provider)
            && (region == nil || region == c.region) && (!publicOnly || (c.open && c.share != Self.notShared))
    }

    /// Art. 18: a not-shared resource is never public, even one published as open before that was refused.
    static let notShared = CatalogSearchIndex.code(ShareType.notShared)
}

/// Facet counts over a whole match: kind, share type, provider, region.
struct FacetCounter {
    private var kinds = [Int](repeating: 0, count: CatalogKind.allCases.count)
    private var shares = [Int](repeating: 0, count: ShareType.allCases.count)
    private var providers: [Int], regions: [Int]
    private let providerValues: [String], regionValues: [String]

    init(_ index: CatalogSearchIndex) {
        providerValues = index.providerValues
        regionValues = index.regionValues
        providers = Array(repeating: 0, count: providerValues.count)
        regions = Array(repeating: 0, count: regionValues.count)
    }

    mutating func add(_ c: CatalogSearchIndex.Codes) {
        kinds[Int(c.kind)] += 1
        shares[Int(c.share)] += 1
        providers[Int(c.provider)] += 1
        regions[Int(c.region)] += 1
    }

    func result() -> [String: [FacetCount]] {
        func counts(_ values: [String], _ counts: [Int]) -> [FacetCount] {
            zip(values, counts).filter { $0.1 > 0 }.map { FacetCount(value: $0.0, count: $0.1) }
                .sorted { ($0.count, $1.value) > ($1.count, $0.value) }.prefix(50).map { $0 }
        }
        return [
            "kind": counts(CatalogKind.allCases.map(\.rawValue), kinds),
            "share_type": counts(ShareType.allCases.map(\.rawValue), shares),
            "provider_id": counts(providerValues, providers), "region_code": counts(regionValues, regions),
        ]
    }
}

/// The k smallest keys seen, without sorting every match; deep pages (large k) collect all and sort once.
struct TopK {
    let k: Int
    private var items: [(key: UInt64, slot: Int32)] = []
    init(k: Int) { self.k = k }

    mutating func offer(key: UInt64, slot: Int32) {
        guard k > 0 else { return }
        if k > 256 { items.append((key, slot)); return }
        if items.count == k, let worst = items.last, key >= worst.key { return }
        let at = items.firstIndex { $0.key > key } ?? items.count
        items.insert((key, slot), at: at)
        if items.count > k { items.removeLast() }
    }

    func sorted() -> [Int32] {
        k > 256 ? items.sorted { $0.key < $1.key }.prefix(k).map(\.slot) : items.map(\.slot)
    }
}

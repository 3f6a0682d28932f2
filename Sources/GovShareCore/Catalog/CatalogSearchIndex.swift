/// The searchable catalog held in memory: published entries with a character-bigram inverted index, so a Chinese
/// query finds its candidates by intersecting posting lists and confirms them by a byte substring test. A catalog of
/// 100,000 entries is a few tens of megabytes; searching it in process costs about a millisecond, which no portable SQL
/// formulation reached on both databases (docs/benchmarks.md). The store keeps it exactly current (SQLCatalogRepository).
public struct CatalogSearchIndex: Sendable {
    struct Slot: Sendable {
        var document: CatalogDocument
        var name: [UInt8], summary: [UInt8], items: [UInt8], text: [UInt8]
        var alive = true
    }

    private var slots: [Slot] = []
    private var slotOf: [String: Int32] = [:]
    private var postings: [UInt64: [Int32]] = [:]
    private var dead = 0
    /// Alive slots in browse order, and each slot's position in the by-date order (the relevance tie-break).
    private var byPublished: [Int32] = []
    private var byName: [Int32] = []
    private var publishedRank: [Int32] = []
    private var ordersCurrent = true

    public init(documents: [CatalogDocument] = []) {
        for document in documents { upsert(document) }
    }

    public var count: Int { slots.count - dead }

    public mutating func upsert(_ document: CatalogDocument) {
        remove(entryId: document.entryId)
        let slot = Int32(slots.count)
        let name = Array(document.name.lowercased().utf8), summary = Array(document.summary.lowercased().utf8)
        let items = Array(document.itemNames.lowercased().utf8)
        slots.append(Slot(document: document, name: name, summary: summary, items: items, text: name + [32] + summary + [32] + items))
        slotOf[document.entryId] = slot
        for gram in Self.grams(of: [document.name, document.summary, document.itemNames].joined(separator: " ")) {
            postings[gram, default: []].append(slot)
        }
        ordersCurrent = false
    }

    public mutating func remove(entryId: String) {
        guard let slot = slotOf.removeValue(forKey: entryId) else { return }
        slots[Int(slot)].alive = false
        dead += 1
        ordersCurrent = false
        if dead > 1000 && dead > slots.count / 4 { self = CatalogSearchIndex(documents: slots.filter(\.alive).map(\.document)) }
    }

    /// Sorting is done once per change, not per query.
    public mutating func prepare() {
        guard !ordersCurrent else { return }
        let alive = (0..<Int32(slots.count)).filter { slots[Int($0)].alive }
        byPublished = alive.sorted { a, b in
            let x = slots[Int(a)].document, y = slots[Int(b)].document
            return x.publishedAt != y.publishedAt ? x.publishedAt > y.publishedAt : x.code < y.code
        }
        byName = alive.sorted { a, b in
            let x = slots[Int(a)].document, y = slots[Int(b)].document
            return x.name != y.name ? x.name < y.name : x.code < y.code
        }
        publishedRank = Array(repeating: Int32.max, count: slots.count)
        for (position, slot) in byPublished.enumerated() { publishedRank[Int(slot)] = Int32(position) }
        ordersCurrent = true
    }

    /// Every term must occur in the name, summary or item names; a hit in the name weighs most. Call `prepare()` first.
    public func search(_ query: CatalogQuery) -> CatalogSearchResult {
        precondition(ordersCurrent, "prepare() the index after changing it")
        let terms = query.terms.map { Array($0.utf8) }
        let limit = max(0, min(query.rows, 1000)), offset = max(0, query.start)
        var facets = FacetCounter()
        if terms.isEmpty || query.sort != .relevance {
            // Walk the prepared order: the page is the n-th matches, facets count them all.
            var page: [CatalogDocument] = []
            let candidates = terms.isEmpty ? nil : candidateMask(terms)
            var total = 0
            for slot in query.sort == .name ? byName : byPublished {
                if let candidates, !candidates[Int(slot)] { continue }
                guard matches(slot, query, terms) else { continue }
                let document = slots[Int(slot)].document
                if total >= offset && page.count < limit { page.append(document) }
                total += 1
                facets.add(document)
            }
            return CatalogSearchResult(total: total, documents: page, facets: facets.result())
        }
        var ranked = TopK(k: offset + limit)
        var total = 0
        for slot in candidateList(terms) where matches(slot, query, terms) {
            total += 1
            facets.add(slots[Int(slot)].document)
            ranked.offer(key: UInt64(UInt32(Int32.max - score(slot, terms))) << 32 | UInt64(UInt32(publishedRank[Int(slot)])), slot: slot)
        }
        let page = ranked.sorted().dropFirst(offset).map { slots[Int($0)].document }
        return CatalogSearchResult(total: total, documents: Array(page), facets: facets.result())
    }

    private func matches(_ slot: Int32, _ query: CatalogQuery, _ terms: [[UInt8]]) -> Bool {
        let s = slots[Int(slot)]
        guard s.alive else { return false }
        let d = s.document
        if let kind = query.kind, d.kind != kind { return false }
        if let share = query.shareType, d.shareType != share { return false }
        if let provider = query.providerId, d.providerId != provider { return false }
        if let region = query.regionCode, d.regionCode != region { return false }
        if let prefix = query.classificationPrefix, !d.classificationCode.hasPrefix(prefix) { return false }
        if query.publicOnly && !d.openToPublic { return false }
        return terms.allSatisfy { Self.contains(s.text, $0) }
    }

    private func score(_ slot: Int32, _ terms: [[UInt8]]) -> Int32 {
        let s = slots[Int(slot)]
        var total: Int32 = 0
        for term in terms {
            total += s.name == term ? 20 : Self.contains(s.name, term) ? 10 : 0
            if Self.contains(s.summary, term) { total += 3 }
            if Self.contains(s.items, term) { total += 2 }
        }
        return total
    }

    /// Slots holding every bigram of every term, ascending; all alive slots when a term has no bigram (one character).
    private func candidateList(_ terms: [[UInt8]]) -> [Int32] {
        let grams = Set(terms.flatMap { Self.grams(of: String(decoding: $0, as: UTF8.self)) })
        guard !grams.isEmpty else { return Array(0..<Int32(slots.count)) }
        var lists = grams.map { postings[$0] ?? [] }.sorted { $0.count < $1.count }
        var result = lists.removeFirst()
        for list in lists where !result.isEmpty { result = Self.intersect(result, list) }
        return result
    }

    private func candidateMask(_ terms: [[UInt8]]) -> [Bool] {
        var mask = Array(repeating: false, count: slots.count)
        for slot in candidateList(terms) { mask[Int(slot)] = true }
        return mask
    }

    static func intersect(_ small: [Int32], _ large: [Int32]) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(small.count)
        var j = 0
        for value in small {
            // Galloping would help very skewed lists; posting lists here differ by at most a few hundred times.
            while j < large.count && large[j] < value { j += 1 }
            if j == large.count { break }
            if large[j] == value { result.append(value) }
        }
        return result
    }

    /// The same bigrams as SearchGrams, as packed Unicode scalar pairs.
    static func grams(of text: String) -> Set<UInt64> {
        var result = Set<UInt64>()
        for run in text.lowercased().split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }) {
            let scalars = run.unicodeScalars.map(\.value)
            guard scalars.count >= 2 else { continue }
            for i in 0..<(scalars.count - 1) { result.insert(UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1])) }
        }
        return result
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        let first = needle[0], last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

/// Facet counts over a whole match: kind, share type, provider, region.
private struct FacetCounter {
    private var counts: [String: [String: Int]] = ["kind": [:], "share_type": [:], "provider_id": [:], "region_code": [:]]

    mutating func add(_ d: CatalogDocument) {
        counts["kind"]![d.kind.rawValue, default: 0] += 1
        counts["share_type"]![d.shareType.rawValue, default: 0] += 1
        counts["provider_id"]![d.providerId, default: 0] += 1
        counts["region_code"]![d.regionCode, default: 0] += 1
    }

    func result() -> [String: [FacetCount]] {
        counts.mapValues { values in
            values.map { FacetCount(value: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.value) > ($1.count, $0.value) }.prefix(50).map { $0 }
        }
    }
}

/// The k smallest keys seen, without sorting every match; deep pages (large k) collect all and sort once.
private struct TopK {
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

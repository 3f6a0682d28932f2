/// The searchable catalog held in memory: published entries with a character-bigram inverted index, so a Chinese
/// query finds its candidates by intersecting posting lists and confirms them by a byte substring test. A catalog of
/// 100,000 entries is a few tens of megabytes; searching it in process costs about a millisecond, which no portable SQL
/// formulation reached on both databases (docs/benchmarks.md). The store keeps it exactly current (SQLCatalogRepository).
public struct CatalogSearchIndex: Sendable {
    /// Where a slot's lower-cased text lies in `text`: name, a space, summary, a space, item names.
    struct Span: Sendable { var start: Int32, nameEnd: Int32, summaryEnd: Int32, end: Int32 }
    /// Facet values as small integers, so filtering and counting a match costs no hashing.
    struct Codes: Sendable { var kind: UInt8, share: UInt8, open: Bool, provider: Int32, region: Int32 }

    private var documents: [CatalogDocument] = []
    private var alive: [Bool] = []
    private var spans: [Span] = []
    private var codes: [Codes] = []
    private var text: [UInt8] = []
    private var providers = Interner(), regions = Interner()
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

    public var count: Int { documents.count - dead }

    public mutating func upsert(_ document: CatalogDocument) {
        remove(entryId: document.entryId)
        let slot = Int32(documents.count)
        let start = Int32(text.count)
        text.append(contentsOf: document.name.lowercased().utf8)
        let nameEnd = Int32(text.count)
        text.append(32)
        text.append(contentsOf: document.summary.lowercased().utf8)
        let summaryEnd = Int32(text.count)
        text.append(32)
        text.append(contentsOf: document.itemNames.lowercased().utf8)
        spans.append(Span(start: start, nameEnd: nameEnd, summaryEnd: summaryEnd, end: Int32(text.count)))
        codes.append(
            Codes(
                kind: Self.code(document.kind), share: Self.code(document.shareType), open: document.openToPublic,
                provider: providers.intern(document.providerId), region: regions.intern(document.regionCode)))
        documents.append(document)
        alive.append(true)
        slotOf[document.entryId] = slot
        for gram in Self.grams(of: [document.name, document.summary, document.itemNames].joined(separator: " ")) {
            postings[gram, default: []].append(slot)
        }
        ordersCurrent = false
    }

    public mutating func remove(entryId: String) {
        guard let slot = slotOf.removeValue(forKey: entryId) else { return }
        alive[Int(slot)] = false
        dead += 1
        ordersCurrent = false
        if dead > 1000 && dead > documents.count / 4 {
            self = CatalogSearchIndex(documents: documents.indices.filter { alive[$0] }.map { documents[$0] })
        }
    }

    /// Sorting is done once per change, not per query.
    public mutating func prepare() {
        guard !ordersCurrent else { return }
        let live = (0..<Int32(documents.count)).filter { alive[Int($0)] }
        byPublished = live.sorted { a, b in
            let x = documents[Int(a)], y = documents[Int(b)]
            return x.publishedAt != y.publishedAt ? x.publishedAt > y.publishedAt : x.code < y.code
        }
        byName = live.sorted { a, b in
            let x = documents[Int(a)], y = documents[Int(b)]
            return x.name != y.name ? x.name < y.name : x.code < y.code
        }
        publishedRank = Array(repeating: Int32.max, count: documents.count)
        for (position, slot) in byPublished.enumerated() { publishedRank[Int(slot)] = Int32(position) }
        ordersCurrent = true
    }

    /// Every term must occur in the name, summary or item names; a hit in the name weighs most. Call `prepare()` first.
    public func search(_ query: CatalogQuery) -> CatalogSearchResult {
        precondition(ordersCurrent, "prepare() the index after changing it")
        // `start` comes from the caller: past the last document the page is empty anyway, and clamping it there keeps
        // `offset + limit` below (the top-k size) from overflowing on start=Int.max.
        let limit = max(0, min(query.rows, 1000)), offset = min(max(0, query.start), documents.count)
        guard let filter = CatalogSearchFilter(query, providers: providers, regions: regions) else {
            return CatalogSearchResult(total: 0, documents: [], facets: FacetCounter(self).result())
        }
        let terms = query.terms.map { Array($0.utf8) }
        var facets = FacetCounter(self)
        var total = 0
        return text.withUnsafeBufferPointer { text in
            func matches(_ slot: Int32) -> Bool {
                let i = Int(slot)
                guard alive[i], filter.admits(codes[i]) else { return false }
                if let prefix = filter.classificationPrefix, !documents[i].classificationCode.hasPrefix(prefix) { return false }
                let span = spans[i]
                return terms.allSatisfy { Self.contains(text, from: span.start, to: span.end, $0) }
            }
            if terms.isEmpty || query.sort != .relevance {
                // Walk the prepared order: the page is the n-th matches, facets count them all.
                var page: [CatalogDocument] = []
                let candidates = terms.isEmpty ? nil : candidateMask(terms)
                for slot in query.sort == .name ? byName : byPublished {
                    if let candidates, !candidates[Int(slot)] { continue }
                    guard matches(slot) else { continue }
                    if total >= offset && page.count < limit { page.append(documents[Int(slot)]) }
                    total += 1
                    facets.add(codes[Int(slot)])
                }
                return CatalogSearchResult(total: total, documents: page, facets: facets.result())
            }
            var ranked = TopK(k: offset + limit)
            for slot in candidateList(terms) {
                let i = Int(slot)
                guard alive[i], filter.admits(codes[i]) else { continue }
                if let prefix = filter.classificationPrefix, !documents[i].classificationCode.hasPrefix(prefix) { continue }
                // A term has no whitespace, so it cannot span the spaces between name, summary and items: it matches
                // the text exactly when it occurs in one of the three, which is also what the score needs.
                guard let score = Self.score(text, spans[i], terms) else { continue }
                total += 1
                facets.add(codes[i])
                ranked.offer(key: UInt64(UInt32(Int32.max - score)) << 32 | UInt64(UInt32(publishedRank[i])), slot: slot)
            }
            let page = ranked.sorted().dropFirst(offset).map { documents[Int($0)] }
            return CatalogSearchResult(total: total, documents: Array(page), facets: facets.result())
        }
    }

    /// 20 for the exact name, 10 for a term in the name, 3 in the summary, 2 in the item names; nil if a term is absent.
    private static func score(_ text: UnsafeBufferPointer<UInt8>, _ span: Span, _ terms: [[UInt8]]) -> Int32? {
        var total: Int32 = 0
        for term in terms {
            var termScore: Int32 = 0
            if contains(text, from: span.start, to: span.nameEnd, term) {
                termScore += Int(span.nameEnd - span.start) == term.count ? 20 : 10
            }
            if contains(text, from: span.nameEnd + 1, to: span.summaryEnd, term) { termScore += 3 }
            if contains(text, from: span.summaryEnd + 1, to: span.end, term) { termScore += 2 }
            if termScore == 0 { return nil }
            total += termScore
        }
        return total
    }

    var providerValues: [String] { providers.values }
    var regionValues: [String] { regions.values }

    static func code(_ kind: CatalogKind) -> UInt8 { UInt8(CatalogKind.allCases.firstIndex(of: kind)!) }
    static func code(_ share: ShareType) -> UInt8 { UInt8(ShareType.allCases.firstIndex(of: share)!) }

    /// Slots holding every bigram of every term, ascending; all alive slots when a term has no bigram (one character).
    private func candidateList(_ terms: [[UInt8]]) -> [Int32] {
        let grams = Set(terms.flatMap { Self.grams(of: String(decoding: $0, as: UTF8.self)) })
        guard !grams.isEmpty else { return Array(0..<Int32(documents.count)) }
        var lists = grams.map { postings[$0] ?? [] }.sorted { $0.count < $1.count }
        var result = lists.removeFirst()
        for list in lists where !result.isEmpty { result = Self.intersect(result, list) }
        return result
    }

    private func candidateMask(_ terms: [[UInt8]]) -> [Bool] {
        var mask = Array(repeating: false, count: documents.count)
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

    /// Whether `needle` occurs in text[from..<to]. UTF-8 is self-synchronising, so a byte match is a character match.
    static func contains(_ text: UnsafeBufferPointer<UInt8>, from: Int32, to: Int32, _ needle: [UInt8]) -> Bool {
        let start = Int(from), n = needle.count
        guard n > 0 else { return true }
        let last = Int(to) - n
        guard last >= start else { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            var i = start
            while i <= last {
                if text[i] == first {
                    var k = 1
                    while k < n && text[i + k] == needle[k] { k += 1 }
                    if k == n { return true }
                }
                i += 1
            }
            return false
        }
    }
}

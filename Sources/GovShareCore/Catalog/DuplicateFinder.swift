import Foundation

/// Art. 13: "do not re-collect what can be shared". Finds published entries whose name or items resemble a
/// planned resource, by character-bigram overlap (works for Chinese without a tokenizer).
public struct DuplicateFinder: Sendable {
    let repository: any CatalogRepository
    public init(repository: any CatalogRepository) { self.repository = repository }

    public func similar(name: String, itemNames: [String], limit: Int = 10) async throws -> [(score: Double, document: CatalogDocument)] {
        var probes = Set(itemNames.prefix(8).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 2 })
        let core = Self.core(of: name)
        if core.count >= 2 { probes.insert(core) }
        for gram in Self.bigrams(core).prefix(6) { probes.insert(gram) }
        var candidates: [String: CatalogDocument] = [:]
        for probe in probes {
            var query = CatalogQuery()
            query.text = probe
            query.rows = 50
            for document in try await repository.search(query).documents { candidates[document.entryId] = document }
        }
        let nameGrams = Self.bigrams(core)
        let wantedItems = Set(itemNames)
        let scored = candidates.values.map { document -> (Double, CatalogDocument) in
            let theirGrams = Self.bigrams(Self.core(of: document.name))
            let union = nameGrams.union(theirGrams).count
            let nameScore = union == 0 ? 0 : Double(nameGrams.intersection(theirGrams).count) / Double(union)
            let theirItems = Set(document.itemNames.split(separator: " ").map(String.init))
            let itemScore = wantedItems.isEmpty ? 0 : Double(wantedItems.intersection(theirItems).count) / Double(wantedItems.count)
            return (max(nameScore, itemScore, (nameScore + itemScore) / 2), document)
        }
        return scored.filter { $0.0 >= 0.25 }.sorted { $0.0 > $1.0 }.prefix(limit).map {
            (score: ($0.0 * 100).rounded() / 100, document: $0.1)
        }
    }

    /// The name without the generic suffixes every entry has.
    static func core(of name: String) -> String {
        var text = name.trimmingCharacters(in: .whitespaces)
        for suffix in ["信息资源", "数据资源", "信息", "数据", "目录"] where text.hasSuffix(suffix) && text.count > suffix.count + 1 {
            text = String(text.dropLast(suffix.count))
            break
        }
        return text
    }

    static func bigrams(_ text: String) -> Set<String> {
        let chars = Array(text.lowercased().filter { !$0.isWhitespace })
        guard chars.count >= 2 else { return chars.isEmpty ? [] : [String(chars)] }
        return Set((0..<(chars.count - 1)).map { String(chars[$0...($0 + 1)]) })
    }
}

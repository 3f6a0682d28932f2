/// Character bigrams: the search index for text without word boundaries (Chinese). A term of two or more characters can
/// only occur in a text that holds all of its bigrams, so the index narrows the candidates and a substring test confirms.
public enum SearchGrams {
    public static func grams(of text: String) -> Set<String> {
        var result = Set<String>()
        for run in text.lowercased().split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }) {
            let chars = Array(run)
            guard chars.count >= 2 else { continue }
            for i in 0..<(chars.count - 1) { result.insert(String(chars[i...(i + 1)])) }
        }
        return result
    }
}

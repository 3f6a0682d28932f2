import Foundation

/// A field-by-field difference between two versions of an entry.
public struct FieldChange: Sendable, Codable, Equatable {
    public let field: String
    public let from: String?
    public let to: String?
    public init(field: String, from: String?, to: String?) { self.field = field; self.from = from; self.to = to }
}

public enum CatalogDiff {
    /// Flattens both contents to `path → value` (items by their code) and lists every path whose value differs.
    public static func changes(from old: CatalogContent, to new: CatalogContent) -> [FieldChange] {
        let a = flatten(old), b = flatten(new)
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            a[key] == b[key] ? nil : FieldChange(field: key, from: a[key], to: b[key])
        }
    }

    static func flatten(_ content: CatalogContent) -> [String: String] {
        var copy = content
        let items = copy.items ?? []
        copy.items = nil
        var result = flattenJSON(encode(copy), prefix: "")
        for (index, item) in items.enumerated() {
            let key = "items[\(item.code ?? String(index))]"
            result.merge(flattenJSON(encode(item), prefix: key)) { $1 }
        }
        return result
    }

    static func encode<T: Encodable>(_ value: T) -> Any {
        guard let data = try? JSONEncoder().encode(value), let object = try? JSONSerialization.jsonObject(with: data) else { return [:] }
        return object
    }

    static func flattenJSON(_ value: Any, prefix: String) -> [String: String] {
        switch value {
        case let dict as [String: Any]:
            return dict.reduce(into: [:]) { result, pair in
                result.merge(flattenJSON(pair.value, prefix: prefix.isEmpty ? pair.key : "\(prefix).\(pair.key)")) { $1 }
            }
        case let array as [Any]:
            return [prefix: array.map { "\($0)" }.joined(separator: ", ")]
        case is NSNull:
            return [:]
        default:
            return [prefix: "\(value)"]
        }
    }
}

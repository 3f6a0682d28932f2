import Foundation

/// PEM armour (RFC 7468): base64 of DER between labelled lines. Text only; no cryptography.
public enum PEM {
    public static func encode(_ der: Data, label: String) -> String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    /// The DER inside the first block with `label` (any label when nil); nil when the text holds none.
    public static func decode(_ text: String, label: String? = nil) -> Data? {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }[...]
        while let first = lines.first {
            lines = lines.dropFirst()
            guard first.hasPrefix("-----BEGIN "), first.hasSuffix("-----") else { continue }
            let found = String(first.dropFirst(11).dropLast(5))
            if let label, found != label { continue }
            var body = ""
            for line in lines {
                if line == "-----END \(found)-----" { return Data(base64Encoded: body) }
                body += line
            }
            return nil
        }
        return nil
    }

    /// Whether the bytes look like PEM text rather than DER.
    public static func isPEM(_ data: Data) -> Bool { data.prefix(64).range(of: Data("-----BEGIN".utf8)) != nil }
}

import Foundation

/// How a node numbers the resources it catalogs, so that codes are unique province-wide (Art. 8: one catalog compiled
/// by every level; issue 18). A resource code is 分类码/顺序码 (the national guide): the classification, then a
/// sequence within it. The provincial node (region 440000) writes the sequence as six digits, `302001/000001`; a city
/// sub-node writes its six-digit administrative division code before them, `302001/440100000001` (广州). Two nodes
/// therefore never issue the same code as long as no two nodes share a region — the province's node registry
/// guarantees that — and a code says which node issued it.
public struct ResourceCodeScheme: Sendable, Equatable {
    /// The node's administrative division code (行政区划代码), e.g. 440000 for the province, 440100 for 广州.
    public let regionCode: String

    public static let province = "440000"

    public init(regionCode: String = ResourceCodeScheme.province) { self.regionCode = regionCode }

    public var isProvince: Bool { regionCode == Self.province }

    /// The code of sequence number `sequence` under `classification`.
    public func code(classification: String, sequence: Int) -> String {
        let number = String(sequence)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return "\(classification)/\(isProvince ? "" : regionCode)\(padded)"
    }

    /// Whether `text` is a node region this platform accepts: a Guangdong division, six digits starting with 44.
    public static func isValidRegion(_ text: String) -> Bool {
        text.count == 6 && text.hasPrefix("44") && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The region of the node that issued `code`: the province for a six-digit sequence, else the six digits before it.
    public static func issuingRegion(of code: String) -> String? {
        guard let slash = code.firstIndex(where: { $0 == "/" || $0 == "-" }) else { return nil }
        let sequence = code[code.index(after: slash)...]
        guard sequence.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if sequence.count == 6 { return province }
        guard sequence.count == 12 else { return nil }
        let region = String(sequence.prefix(6))
        return isValidRegion(region) ? region : nil
    }
}

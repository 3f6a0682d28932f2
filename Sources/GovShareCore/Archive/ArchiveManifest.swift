import Foundation

/// What an archival package holds (Art. 26 电子归档).
public enum ArchiveKind: String, Sendable, Codable, CaseIterable {
    /// Audit entries, with their read trace, moved out of the live tables past the retention (docs/archiving.md).
    case auditSegment = "audit_segment"
    /// Decided applications with their attachments and signed decision letters.
    case applications
    /// Seals issued by the authority: certificates and GB/T 38540 seal structures.
    case seals

    public var name: LocalizedText {
        switch self {
        case .auditSegment: LocalizedText(zh: "审计日志段", en: "Audit segment")
        case .applications: LocalizedText(zh: "共享申请及复函", en: "Applications and decisions")
        case .seals: LocalizedText(zh: "已签发电子印章", en: "Seals issued")
        }
    }

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")
}

/// One file of a package, as the manifest lists it: its path inside the package, size and SM3.
public struct ArchiveFileEntry: Sendable, Codable, Equatable {
    public var path: String
    public var size: Int64
    /// Lower-case hex SM3 (GB/T 32905) of the file's bytes.
    public var sm3: String
    public init(path: String, size: Int64, sm3: String) { self.path = path; self.size = size; self.sm3 = sm3 }
}

/// The range of the audit chain an audit-segment package holds: entries `firstSeq`…`lastSeq`, the first linking to
/// `firstPrevHash` (the previous segment's `lastHash`, or 64 zeros) and the last hashing to `lastHash`, which the next
/// live entry's `prev_hash` must equal.
public struct AuditSegmentBoundary: Sendable, Codable, Equatable {
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var firstPrevHash: String
    public var lastHash: String
    /// Entries older than this were archived (the retention's cut).
    public var before: String
    public init(firstSeq: Int64, lastSeq: Int64, firstPrevHash: String, lastHash: String, before: String) {
        self.firstSeq = firstSeq; self.lastSeq = lastSeq; self.firstPrevHash = firstPrevHash; self.lastHash = lastHash
        self.before = before
    }
    enum CodingKeys: String, CodingKey {
        case firstSeq = "first_seq", lastSeq = "last_seq", firstPrevHash = "first_prev_hash", lastHash = "last_hash", before
    }
}

/// `manifest.json`: canonical JSON (sorted keys, no insignificant whitespace, UTF-8). Its exact bytes are what the
/// authority's data seal signs (`manifest.sig`, a GB/T 38540 SES_Signature).
public struct ArchiveManifest: Sendable, Codable, Equatable {
    public static let format = "govshare-archive/1"
    public static let merkleConstruction = "govshare-merkle-sm3/1"
    public var format: String
    public var id: String
    public var kind: ArchiveKind
    public var nodeId: String
    public var createdAt: String
    public var createdBy: String
    /// The period the package covers (`from` inclusive, `to` exclusive; Timestamp form), when the kind has one.
    public var periodFrom: String?
    public var periodTo: String?
    public var boundary: AuditSegmentBoundary?
    /// Every file of the package but `manifest.json`, `manifest.sig` and `certificates/`, sorted by path (bytewise).
    public var files: [ArchiveFileEntry]
    public var merkleConstruction: String
    /// Hex SM3 Merkle root over `files` (`ArchiveMerkle`).
    public var merkleRoot: String

    public init(
        id: String, kind: ArchiveKind, nodeId: String, createdAt: String, createdBy: String, periodFrom: String?, periodTo: String?,
        boundary: AuditSegmentBoundary?, files: [ArchiveFileEntry], merkleRoot: String
    ) {
        format = Self.format; self.id = id; self.kind = kind; self.nodeId = nodeId; self.createdAt = createdAt
        self.createdBy = createdBy; self.periodFrom = periodFrom; self.periodTo = periodTo; self.boundary = boundary
        self.files = files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        merkleConstruction = Self.merkleConstruction; self.merkleRoot = merkleRoot
    }

    enum CodingKeys: String, CodingKey {
        case format, id, kind, boundary, files
        case nodeId = "node_id", createdAt = "created_at", createdBy = "created_by", periodFrom = "period_from"
        case periodTo = "period_to", merkleConstruction = "merkle_construction", merkleRoot = "merkle_root"
    }

    /// The bytes written to `manifest.json` and signed.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func decode(_ data: Data) -> ArchiveManifest? {
        guard let manifest = try? JSONDecoder().decode(ArchiveManifest.self, from: data), manifest.format == format else { return nil }
        return manifest
    }
}

/// The package's Merkle tree (`govshare-merkle-sm3/1`), over the files sorted bytewise by path:
///
///     leaf(f)    = SM3(0x00 ‖ UTF-8 path ‖ 0x00 ‖ SM3(file) as 32 bytes)
///     node(l, r) = SM3(0x01 ‖ l ‖ r)
///     root(D[n]) = SM3("") for n = 0; leaf for n = 1; else node(root(D[0..<k]), root(D[k..<n])), k the largest power
///                  of two below n (RFC 6962's split, so no leaf is duplicated and no two trees share a root)
///
/// The prefixes keep a leaf from passing for a node; the path in the leaf keeps two files from swapping names.
public enum ArchiveMerkle {
    public static func root(of files: [ArchiveFileEntry], crypto: any NationalCrypto) -> String {
        let sorted = files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        let leaves = sorted.map { leaf($0, crypto: crypto) }
        return Hex.encode(root(leaves[...], crypto: crypto))
    }

    static func leaf(_ file: ArchiveFileEntry, crypto: any NationalCrypto) -> Data {
        var bytes = Data([0x00])
        bytes.append(Data(file.path.utf8))
        bytes.append(0x00)
        bytes.append(contentsOf: Hex.decode(file.sm3) ?? [])
        return crypto.sm3(bytes)
    }

    static func root(_ nodes: ArraySlice<Data>, crypto: any NationalCrypto) -> Data {
        switch nodes.count {
        case 0: return crypto.sm3(Data())
        case 1: return nodes[nodes.startIndex]
        default:
            var k = 1
            while k * 2 < nodes.count { k *= 2 }
            let split = nodes.startIndex + k
            var bytes = Data([0x01])
            bytes.append(root(nodes[nodes.startIndex..<split], crypto: crypto))
            bytes.append(root(nodes[split...], crypto: crypto))
            return crypto.sm3(bytes)
        }
    }
}

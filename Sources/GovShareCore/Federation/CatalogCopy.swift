import Foundation

/// One catalog entry as its home node's peers hold it (issue 18, part 2): published with its version, content and
/// provider, or withdrawn. The home node sends its own entries; the provincial node forwards them to the other cities.
public struct CatalogEntryCopy: Sendable, Codable, Equatable {
    public var entryId: String
    public var code: String
    public var kind: CatalogKind
    public var homeNode: String
    public var published: Bool
    public var version: Int
    /// The published version's content and provider; nil when withdrawn.
    public var content: CatalogContent?
    public var provider: Department?
    public var createdAt: String
    public var publishedAt: String?

    public init(
        entryId: String, code: String, kind: CatalogKind, homeNode: String, published: Bool, version: Int, content: CatalogContent?,
        provider: Department?, createdAt: String, publishedAt: String?
    ) {
        self.entryId = entryId; self.code = code; self.kind = kind; self.homeNode = homeNode; self.published = published
        self.version = version; self.content = content; self.provider = provider; self.createdAt = createdAt
        self.publishedAt = publishedAt
    }

    enum CodingKeys: String, CodingKey {
        case code, kind, published, version, content, provider
        case entryId = "entry_id", homeNode = "home_node", createdAt = "created_at", publishedAt = "published_at"
    }

    /// Whether the provincial node passes it on to the city sub-node `peer`: never back to its home, and another
    /// city's entry only when it may be shared at all (Art. 18: a not-shared entry stays in its own region's catalog
    /// and the province's).
    func isForwarded(to peer: String) -> Bool {
        if homeNode == peer { return false }
        return content.map { $0.derivedShareType != .notShared } ?? true
    }
}

/// The body of a `catalog.entry` message: a batch of copies applied together, in order.
public struct CatalogCopyBatch: Sendable, Codable, Equatable {
    public var entries: [CatalogEntryCopy]
    public init(entries: [CatalogEntryCopy]) { self.entries = entries }

    /// How many entries, and how many bytes of body, one message carries at most.
    static let maximumEntries = 100
    static let targetBytes = 512 * 1024
}

/// What the receiver writes for one copy, in the transaction that accepts the message: the entry (its `homeNode` set),
/// the version, and for a published copy the search document and the provider as the home node knows it (matched
/// here by its unified social credit code, added to the directory when this node does not know it).
public struct CatalogCopyWrite: Sendable, Equatable {
    public let entry: CatalogEntry
    public let version: CatalogVersion
    public let document: CatalogDocument?
    public let provider: Department?
    /// From a city sub-node: its region. A provider this node does not know is added only inside that region, below
    /// the provincial level (a city cannot add a provincial department, or another city's, to the province's
    /// directory). From the parent: nil.
    public var senderRegion: String? = nil

    /// Whether the sender may add `provider` to this node's directory: within a sub-node's region and not provincial.
    /// (A second data authority for one level and region is refused by the store, which sees the directory.)
    public static func mayAdd(_ provider: Department, senderRegion: String?) -> Bool {
        guard let region = senderRegion else { return true }
        return provider.level != .province && (provider.regionCode == region || Region.parentCode(of: provider.regionCode) == region)
    }
}

/// The catalog changes a node has to send: the copies changed after a position of its catalog's change log, and the
/// position to continue from.
public struct CatalogChanges: Sendable, Equatable {
    public let copies: [CatalogEntryCopy]
    public let position: Int64
    public init(copies: [CatalogEntryCopy], position: Int64) { self.copies = copies; self.position = position }
}

/// Everything a cataloger writes about a resource; one immutable copy per published version.
public struct CatalogContent: Sendable, Codable, Equatable {
    public var kind: String?
    /// 分类码: 类 (1 digit, matching the kind) + 项 (2) + 目 (3) [+ 细目].
    public var classificationCode: String?
    /// Names along the classification, e.g. "基础信息资源/法人单位/登记注册".
    public var classificationPath: String?
    public var name: String?
    public var summary: String?
    public var format: String?
    public var items: [DataItem]?
    public var shareConditions: String?
    public var legalBasis: LegalBasis?
    public var shareMethod: String?
    public var openToPublic: Bool?
    public var openConditions: String?
    public var updateCycle: String?
    public var relatedCodes: [String]?
    public var responsibleParty: String?
    public var updateDeadline: String?
    public var usageRequirements: String?
    public var collectionBasis: String?
    public var collectionSource: String?
    /// Thematic entries: departments (credit codes) who co-build and may edit.
    public var coBuilderCodes: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kind, name, summary, format, items
        case classificationCode = "classification_code", classificationPath = "classification_path"
        case shareConditions = "share_conditions", legalBasis = "legal_basis", shareMethod = "share_method"
        case openToPublic = "open_to_public", openConditions = "open_conditions", updateCycle = "update_cycle"
        case relatedCodes = "related_codes", responsibleParty = "responsible_party", updateDeadline = "update_deadline"
        case usageRequirements = "usage_requirements", collectionBasis = "collection_basis"
        case collectionSource = "collection_source", coBuilderCodes = "co_builder_codes"
    }

    /// Art. 18: the resource is as restrictive as its most restrictive item.
    public var derivedShareType: ShareType {
        (items ?? []).compactMap { $0.shareType.flatMap(ShareType.init(rawValue:)) }.max() ?? .unconditional
    }

    public var catalogKind: CatalogKind? { kind.flatMap(CatalogKind.init(rawValue:)) }

    /// Open to the public and shared at all (Art. 18, judged on the derived share type, so an entry published as open
    /// before that rule still stays hidden): what a caller who is not signed in may see. The search index decides
    /// `CatalogQuery.publicOnly` by the same rule.
    public var isPublic: Bool { openToPublic == true && derivedShareType != .notShared }

    /// Text the search indexes: name, summary and every item name.
    public var itemNames: String { (items ?? []).compactMap(\.name).joined(separator: " ") }
}

public enum EntryStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, returned, published, withdrawn

    public var name: LocalizedText {
        switch self {
        case .draft: LocalizedText(zh: "草稿", en: "Draft")
        case .submitted: LocalizedText(zh: "待审核", en: "Submitted")
        case .returned: LocalizedText(zh: "已退回", en: "Returned")
        case .published: LocalizedText(zh: "已发布", en: "Published")
        case .withdrawn: LocalizedText(zh: "已下架", en: "Withdrawn")
        }
    }
}

/// One version of an entry. Published versions never change; editing a published entry starts the next version.
public struct CatalogVersion: Sendable, Codable, Equatable {
    public var entryId: String
    public var version: Int
    public var status: EntryStatus
    public var content: CatalogContent
    public var createdBy: String
    public var createdAt: String
    public var submittedAt: String?
    public var reviewedBy: String?
    public var reviewReason: String?
    public var publishedAt: String?

    public init(
        entryId: String, version: Int, status: EntryStatus, content: CatalogContent, createdBy: String,
        createdAt: String, submittedAt: String? = nil, reviewedBy: String? = nil, reviewReason: String? = nil,
        publishedAt: String? = nil
    ) {
        self.entryId = entryId; self.version = version; self.status = status; self.content = content
        self.createdBy = createdBy; self.createdAt = createdAt; self.submittedAt = submittedAt
        self.reviewedBy = reviewedBy; self.reviewReason = reviewReason; self.publishedAt = publishedAt
    }
}

/// The entry: its permanent code, its owner, and which versions are current.
public struct CatalogEntry: Sendable, Codable, Equatable {
    public var id: String
    /// 分类码/顺序码, unique province-wide and never reused.
    public var code: String
    public var kind: CatalogKind
    public var providerId: String
    public var latestVersion: Int
    public var publishedVersion: Int?
    /// The status of the latest version, or `withdrawn`.
    public var status: EntryStatus
    public var nodeId: String
    public var createdAt: String
    public var updatedAt: String
    /// The node that manages the entry when this one holds a read-only copy of it (issue 18: a city's entries in the
    /// provincial catalog, the province's on every city node); nil for the node's own entries.
    public var homeNode: String?

    public init(
        id: String, code: String, kind: CatalogKind, providerId: String, latestVersion: Int,
        publishedVersion: Int?, status: EntryStatus, nodeId: String, createdAt: String, updatedAt: String, homeNode: String? = nil
    ) {
        self.id = id; self.code = code; self.kind = kind; self.providerId = providerId; self.latestVersion = latestVersion
        self.publishedVersion = publishedVersion; self.status = status; self.nodeId = nodeId; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.homeNode = homeNode
    }

    /// Refuses changing a read-only copy: its home node's staff edit, review and share it there.
    public func requireLocal() throws {
        guard let homeNode else { return }
        throw DomainError.conflict(
            code: "remote_entry", zh: "该目录由节点 \(homeNode) 管理，此处为只读副本，请在其所在节点办理",
            en: "This entry is managed by node \(homeNode); this is a read-only copy, act on its home node")
    }

    /// A version of it is published, even while a newer draft is being prepared.
    public var isPublished: Bool { publishedVersion != nil && status != .withdrawn }
}

import GovShareCore

struct CatalogEntryDTO: Codable, Sendable {
    let id, code, kind, providerId, status: String
    let latestVersion: Int
    let publishedVersion: Int?
    let shareType: String
    let nodeId, createdAt, updatedAt: String
    /// The node managing the entry when this is a read-only copy of it (issue 18); absent for this node's own.
    let homeNode: String?
    /// The version shown: the published one for readers, the latest for those who may see drafts.
    let version: CatalogVersionDTO
    /// Items for which a conflict between providers named the authoritative source (Art. 13).
    let authoritativeSources: [AuthoritativeSourceDTO]

    init(_ e: CatalogEntry, version: CatalogVersion, sources: [EntryAuthoritativeSource] = []) {
        authoritativeSources = sources.map(AuthoritativeSourceDTO.init)
        id = e.id; code = e.code; kind = e.kind.rawValue; providerId = e.providerId; status = e.status.rawValue
        latestVersion = e.latestVersion; publishedVersion = e.publishedVersion
        shareType = version.content.derivedShareType.rawValue; nodeId = e.nodeId; createdAt = e.createdAt
        updatedAt = e.updatedAt; self.version = CatalogVersionDTO(version); homeNode = e.homeNode
    }

    enum CodingKeys: String, CodingKey {
        case id, code, kind, status, version
        case providerId = "provider_id", latestVersion = "latest_version", publishedVersion = "published_version"
        case shareType = "share_type", nodeId = "node_id", createdAt = "created_at", updatedAt = "updated_at"
        case authoritativeSources = "authoritative_sources", homeNode = "home_node"
    }
}

struct CatalogVersionDTO: Codable, Sendable {
    let version: Int
    let status: String
    let content: CatalogContent
    let createdBy, createdAt: String
    let submittedAt, reviewedBy, reviewReason, publishedAt: String?

    init(_ v: CatalogVersion) {
        version = v.version; status = v.status.rawValue; content = v.content; createdBy = v.createdBy; createdAt = v.createdAt
        submittedAt = v.submittedAt; reviewedBy = v.reviewedBy; reviewReason = v.reviewReason; publishedAt = v.publishedAt
    }

    enum CodingKeys: String, CodingKey {
        case version, status, content
        case createdBy = "created_by", createdAt = "created_at", submittedAt = "submitted_at", reviewedBy = "reviewed_by"
        case reviewReason = "review_reason", publishedAt = "published_at"
    }
}

struct CatalogDocumentDTO: Codable, Sendable {
    let entryId, code: String
    let version: Int
    let name, summary, itemNames, providerId, regionCode, kind, shareType, classificationCode: String
    let openToPublic: Bool
    let publishedAt: String

    init(_ d: CatalogDocument) {
        entryId = d.entryId; code = d.code; version = d.version; name = d.name; summary = d.summary; itemNames = d.itemNames
        providerId = d.providerId; regionCode = d.regionCode; kind = d.kind.rawValue; shareType = d.shareType.rawValue
        classificationCode = d.classificationCode; openToPublic = d.openToPublic; publishedAt = d.publishedAt
    }

    enum CodingKeys: String, CodingKey {
        case code, version, name, summary, kind
        case entryId = "entry_id", itemNames = "item_names", providerId = "provider_id", regionCode = "region_code"
        case shareType = "share_type", classificationCode = "classification_code", openToPublic = "open_to_public"
        case publishedAt = "published_at"
    }
}

struct CatalogSearchDTO: Codable, Sendable {
    let total: Int
    let items: [CatalogDocumentDTO]
    let facets: [String: [FacetCount]]
}

struct NewEntryRequest: Codable, Sendable {
    var providerCode: String?
    var content: CatalogContent?
    enum CodingKeys: String, CodingKey { case content; case providerCode = "provider_code" }
}

struct ReviewRequest: Codable, Sendable {
    var decision: String?
    var reason: String?
}

struct DiffDTO: Codable, Sendable {
    let from: Int
    let to: Int
    let changes: [FieldChange]
}

struct ObligationRequest: Codable, Sendable {
    var trigger, date, reference: String?
    var departmentCode, entryCode: String?
    enum CodingKeys: String, CodingKey {
        case trigger, date, reference
        case departmentCode = "department_code", entryCode = "entry_code"
    }
}

struct ObligationLinkRequest: Codable, Sendable {
    var entryCode: String?
    enum CodingKeys: String, CodingKey { case entryCode = "entry_code" }
}

struct ObligationDTO: Codable, Sendable {
    let id, trigger, triggerDate, reference, departmentId, dueOn, status: String
    let provisional, overdue: Bool
    let metByEntryId, entryId, remindedAt, escalatedAt: String?

    init(_ o: CatalogObligation, today: CivilDate) {
        id = o.id; trigger = o.trigger.rawValue; triggerDate = o.triggerDate.description; reference = o.reference
        departmentId = o.departmentId; dueOn = o.dueOn.description; status = o.status.rawValue; provisional = o.provisional
        overdue = o.isOverdue(on: today); metByEntryId = o.metByEntryId
        entryId = o.entryId; remindedAt = o.remindedAt; escalatedAt = o.escalatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, trigger, reference, status, provisional, overdue
        case triggerDate = "trigger_date", departmentId = "department_id", dueOn = "due_on", metByEntryId = "met_by_entry_id"
        case entryId = "entry_id", remindedAt = "reminded_at", escalatedAt = "escalated_at"
    }
}

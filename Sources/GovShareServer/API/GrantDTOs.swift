import Foundation
import GovShareCore

// What the grant routes (GrantsController) take and return.

struct GrantDTO: Codable, Sendable {
    let id, departmentId, entryId, purpose, validFrom, validUntil, status, createdBy, createdAt: String
    let items, clearItems: [String]
    let revokedReason, dataManager, applicationId: String?
    /// Active and within its dates today: what reads are allowed under (an active grant past valid_until is expired).
    let inForce: Bool
    /// Grants made outside the workflow: who confirmed them, and the provider's consent to clear graded items.
    let approvedBy, approvedAt, providerConsentBy: String?
    let providerConsent: String
    init(_ g: Grant, today: CivilDate) {
        inForce = g.isInForce(on: today)
        approvedBy = g.approvedBy; approvedAt = g.approvedAt; providerConsentBy = g.providerConsentBy
        providerConsent = g.providerConsent.rawValue
        id = g.id; departmentId = g.departmentId; entryId = g.entryId; purpose = g.purpose; validFrom = g.validFrom
        validUntil = g.validUntil; status = g.status.rawValue; createdBy = g.createdBy; createdAt = g.createdAt
        items = g.items; clearItems = g.clearItems; revokedReason = g.revokedReason; dataManager = g.dataManager
        applicationId = g.applicationId
    }
    enum CodingKeys: String, CodingKey {
        case id, purpose, status, items
        case departmentId = "department_id", entryId = "entry_id", validFrom = "valid_from", validUntil = "valid_until"
        case createdBy = "created_by", createdAt = "created_at", clearItems = "clear_items", revokedReason = "revoked_reason"
        case dataManager = "data_manager", applicationId = "application_id", inForce = "in_force"
        case approvedBy = "approved_by", approvedAt = "approved_at", providerConsent = "provider_consent"
        case providerConsentBy = "provider_consent_by"
    }
}

struct GrantRequest: Codable, Sendable {
    var departmentCode: String?
    var entryCode: String?
    var items: [String]?
    var clearItems: [String]?
    var purpose: String?
    var validUntil: String?
    enum CodingKeys: String, CodingKey {
        case departmentCode = "department_code", entryCode = "entry_code", items, clearItems = "clear_items", purpose
        case validUntil = "valid_until"
    }
}

struct RenewRequest: Codable, Sendable {
    var validUntil: String?
    var reason: String?
    enum CodingKeys: String, CodingKey { case reason, validUntil = "valid_until" }
}

struct UsageDTO: Codable, Sendable {
    let grantId: String
    let reads, rows: Int
    let lastReadAt: String?
    enum CodingKeys: String, CodingKey { case reads, rows; case grantId = "grant_id", lastReadAt = "last_read_at" }
}

struct GrantUsageDTO: Codable, Sendable {
    let grant: GrantDTO
    let entryCode: String
    let reads, rows: Int
    let lastReadAt: String?
    init(_ v: GrantService.GrantView, today: CivilDate) {
        grant = GrantDTO(v.grant, today: today); entryCode = v.entryCode; reads = v.usage.reads; rows = v.usage.rows;
        lastReadAt = v.usage.lastReadAt
    }
    enum CodingKeys: String, CodingKey { case grant, reads, rows; case entryCode = "entry_code", lastReadAt = "last_read_at" }
}

struct GrantOverviewDTO: Codable, Sendable {
    let held, provided, supervised: [GrantUsageDTO]
}

import Foundation

public struct LicenceListQuery: Sendable, Equatable {
    public var issuerDepartmentId: String?
    public var typeId: String?
    public var holderId: String?
    public var limit: Int
    public var offset: Int
    public init(issuerDepartmentId: String? = nil, typeId: String? = nil, holderId: String? = nil, limit: Int = 100, offset: Int = 0) {
        self.issuerDepartmentId = issuerDepartmentId; self.typeId = typeId; self.holderId = holderId; self.limit = limit
        self.offset = offset
    }
}

public protocol LicenceRepository: Sendable {
    func insert(_ type: LicenceType, audit: AuditRecord) async throws
    func types() async throws -> [LicenceType]
    func type(code: String) async throws -> LicenceType?
    func type(id: String) async throws -> LicenceType?
    /// 409 `licence_number_taken` when the type already has a licence with this number.
    func insert(_ licence: Licence, audit: AuditRecord, signingAudits: [AuditRecord]) async throws
    /// Many licences in one transaction with one audit entry (bulk issuance, the demo).
    /// `signingAudits`: the `seal.sign` entries of the licences' signatures, written in the same transaction.
    func insert(_ licences: [Licence], audit: AuditRecord, signingAudits: [AuditRecord]) async throws
    func find(id: String) async throws -> Licence?
    /// Newest first.
    func list(_ query: LicenceListQuery) async throws -> [Licence]
    func count(typeId: String) async throws -> Int
    /// Records a revocation if the licence is still stored as active (read in the same transaction); 409
    /// `licence_revoked` otherwise, and nothing is written.
    func revoke(id: String, at: String, by: String, reason: String, audit: AuditRecord) async throws -> Bool
    /// Seals up to `limit` licences still stored in clear (issued before encryption at rest); returns how many.
    func sealClearLicences(limit: Int) async throws -> Int
}

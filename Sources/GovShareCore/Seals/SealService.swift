import Foundation

/// A seal as its holder and the authority see it: no key material, wrapped or not.
public struct SealSummary: Sendable, Equatable {
    public let id: String
    public let name: String
    public let kind: SealKind
    public let holderDepartmentId: String
    public let holderUserId: String?
    public let hasImage: Bool
    public let validFrom: Date
    public let validTo: Date
    public let status: SealStatus
    public let suspendedAt: Date?
    public let revokedAt: Date?
    public let revocationReason: String?
    public let certificateSerialHex: String
    public let certificateDER: Data
    public let issuedBy: String
    public let createdAt: Date

    public init(_ seal: Seal) {
        id = seal.id; name = seal.name; kind = seal.kind; holderDepartmentId = seal.holderDepartmentId
        holderUserId = seal.holderUserId; hasImage = seal.image != nil; validFrom = seal.validFrom; validTo = seal.validTo
        status = seal.status; suspendedAt = seal.suspendedAt; revokedAt = seal.revokedAt
        revocationReason = seal.revocationReason; certificateSerialHex = seal.certificateSerialHex
        certificateDER = seal.certificateDER; issuedBy = seal.issuedBy; createdAt = seal.createdAt
    }
}

/// Seals and signing keys issued centrally by the provincial data authority (Art. 25), and signing and verification
/// with them (Art. 24). Issuance: an SM2 key from the national-crypto provider, certified by the platform's root,
/// a GB/T 38540 seal structure made and signed by the root, the key wrapped by `KeyCustody` (`seal:<id>`). No method
/// returns a private key.
public struct SealService: Sendable {
    let seals: any SealRepository
    let departments: any DepartmentRepository
    let accounts: any AccountRepository
    let keyring: PlatformKeyring
    let codec: any ElectronicSealCodec
    let auditLog: any AuditLog
    let clock: any WallClock
    let nodeId: String
    let authoritySeal = AuthoritySealGate()

    public enum Limits {
        /// A certificate's common name holds at most 64 characters (RFC 5280 ub-common-name); the seal's name is its CN.
        public static let name = 64
        /// A seal picture (PNG) is small; larger files are refused rather than stored in every signature.
        public static let imageBytes = 256 * 1024
        public static let longestValidityYears = 10
        public static let defaultValidityYears = 3
        /// Printed size of a seal picture (GB/T 38540 gives it in millimetres).
        public static let pictureMillimetres = 10...100
        public static let defaultPictureMillimetres = 40
        /// The largest document signed or verified in one request.
        public static let documentBytes = 64 * 1024 * 1024
        public static let purpose = 200
    }

    public init(
        seals: any SealRepository, departments: any DepartmentRepository, accounts: any AccountRepository,
        keyring: PlatformKeyring, codec: any ElectronicSealCodec, auditLog: any AuditLog, clock: any WallClock,
        nodeId: String
    ) {
        self.seals = seals; self.departments = departments; self.accounts = accounts; self.keyring = keyring
        self.codec = codec; self.auditLog = auditLog; self.clock = clock; self.nodeId = nodeId
    }

    // MARK: - Reading

    /// The seals the actor may see: every department's for the authority's administrators (or one department's when
    /// `departmentId` is given), otherwise the actor's own department's.
    public func list(departmentId: String? = nil, by actor: Principal) async throws -> [SealSummary] {
        try Policy.readSeals.check(actor)
        let scope: String?
        if try await mayManage(actor) {
            scope = departmentId
        } else {
            if let departmentId, departmentId != actor.departmentId { throw DomainError.forbidden(policy: .manageSeals) }
            scope = actor.departmentId
        }
        return try await seals.list(holderDepartmentId: scope).map(SealSummary.init)
    }

    /// One seal, for its department or the authority.
    public func seal(id: String, by actor: Principal) async throws -> SealSummary {
        try Policy.readSeals.check(actor)
        let seal = try await find(id)
        if seal.holderDepartmentId != actor.departmentId, !(try await mayManage(actor)) {
            throw DomainError.forbidden(policy: .manageSeals)
        }
        return SealSummary(seal)
    }

    /// Whether a seal signs, open to anyone signed in: by seal id or by its certificate's serial number (hex).
    public func status(of idOrSerial: String, by actor: Principal) async throws -> SealStatusReport {
        try Policy.readSeals.check(actor)
        let key = idOrSerial.trimmingCharacters(in: .whitespaces)
        if Identifier.isValid(key), let seal = try await seals.find(id: key) { return SealStatusReport(seal) }
        if let seal = try await seals.find(certificateSerialHex: key.lowercased()) { return SealStatusReport(seal) }
        throw DomainError.notFound("Seal", zh: "电子印章")
    }

    /// Issuing, suspending, resuming and revoking seals: the provincial data authority's administrators (Art. 25
    /// "由数据主管部门统一制发"), and the operator at the server's console.
    public func mayManage(_ actor: Principal) async throws -> Bool {
        guard Policy.manageSeals.allows(actor) else { return false }
        if actor.kind == .system { return true }
        guard let department = try await departments.find(id: actor.departmentId) else { return false }
        return department.kind == .dataAuthority && department.level == .province
    }

    /// Refuses a caller who may not issue seals, before the server reads an issuing request's body.
    public func authorizeIssue(by actor: Principal) async throws { try await requireManager(actor) }

    func requireManager(_ actor: Principal) async throws {
        try Policy.manageSeals.check(actor)
        guard try await mayManage(actor) else {
            throw DomainError(
                .forbidden, code: "provincial_authority_only",
                message: LocalizedText(
                    zh: "电子印章由省政务数据主管部门统一制发，只有其平台管理员可以办理",
                    en: "Seals are issued centrally by the provincial data authority; only its administrators manage them"))
        }
    }

    func find(_ id: String) async throws -> Seal {
        guard Identifier.isValid(id), let seal = try await seals.find(id: id) else {
            throw DomainError.notFound("Seal", zh: "电子印章")
        }
        return seal
    }

    // MARK: - Suspension and revocation

    /// Stops a seal from signing until it is resumed; signatures made before stay valid.
    public func suspend(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> SealSummary {
        try await requireManager(actor)
        var v = Validator()
        v.require(reason, field: "reason", maxLength: InputLimits.reason)
        try v.check()
        var seal = try await find(id)
        guard seal.status == .active else { throw Self.wrongStatus(seal, wanted: .active) }
        let before = AuditJSON.encode(seal.auditSummary)
        seal.status = .suspended
        seal.suspendedAt = clock.now()
        try await seals.updateStatus(
            seal, expected: .active,
            audit: AuditRecord(
                actor: actor, action: "seal.suspend", objectType: "seal", objectId: seal.id, before: before,
                after: AuditJSON.encode(seal.auditSummary), detail: reason, origin: origin))
        return SealSummary(seal)
    }

    public func resume(id: String, by actor: Principal, origin: RequestOrigin) async throws -> SealSummary {
        try await requireManager(actor)
        var seal = try await find(id)
        guard seal.status == .suspended else { throw Self.wrongStatus(seal, wanted: .suspended) }
        let before = AuditJSON.encode(seal.auditSummary)
        seal.status = .active
        seal.suspendedAt = nil
        try await seals.updateStatus(
            seal, expected: .suspended,
            audit: AuditRecord(
                actor: actor, action: "seal.resume", objectType: "seal", objectId: seal.id, before: before,
                after: AuditJSON.encode(seal.auditSummary), origin: origin))
        return SealSummary(seal)
    }

    /// Revokes a seal for good. `effectiveAt` (default now) is when it stopped being trustworthy: a key misused before
    /// anyone noticed is revoked from then, so signatures made since are refused while earlier ones still verify.
    /// It may not lie in the future nor before the seal was issued.
    public func revoke(
        id: String, reason: String?, effectiveAt: Date? = nil, by actor: Principal, origin: RequestOrigin
    ) async throws -> SealSummary {
        try await requireManager(actor)
        var v = Validator()
        v.require(reason, field: "reason", maxLength: InputLimits.reason)
        try v.check()
        var seal = try await find(id)
        guard seal.status != .revoked else { throw Self.wrongStatus(seal, wanted: .active) }
        let now = clock.now()
        let effective = effectiveAt ?? now
        if effective > now || effective < seal.createdAt {
            throw DomainError.invalid(
                field: "effective_at", rule: "range",
                zh: "effective_at 应在印章制发之后、不晚于当前时间",
                en: "effective_at must lie between the seal's issuance and now")
        }
        let before = AuditJSON.encode(seal.auditSummary)
        let expected = seal.status
        seal.status = .revoked
        seal.revokedAt = effective
        seal.revocationRecordedAt = now
        seal.revocationReason = reason!.trimmingCharacters(in: .whitespacesAndNewlines)
        try await seals.updateStatus(
            seal, expected: expected,
            audit: AuditRecord(
                actor: actor, action: "seal.revoke", objectType: "seal", objectId: seal.id, before: before,
                after: AuditJSON.encode(seal.auditSummary), origin: origin))
        return SealSummary(seal)
    }

    static func wrongStatus(_ seal: Seal, wanted: SealStatus) -> DomainError {
        DomainError.conflict(
            code: "seal_status", zh: "电子印章当前状态为「\(seal.status.name.zh)」，不能办理此操作",
            en: "The seal is \(seal.status.rawValue); this action needs it \(wanted.rawValue)")
    }
}

/// Lets one caller at a time issue the authority's data seal on its first use, so two decisions signed together do
/// not each issue one.
/// (An actor alone does not serialise across the body's suspension points; each call waits for the one before.)
actor AuthoritySealGate {
    private var last: Task<Void, Never>?

    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = last
        let task = Task<T, any Error> {
            await previous?.value
            return try await body()
        }
        last = Task { _ = try? await task.value }
        return try await task.value
    }
}

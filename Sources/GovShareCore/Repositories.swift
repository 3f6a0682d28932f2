/// Storage the domain needs, implemented over SQL in GovShareStore. Every write takes the audit record describing it,
/// so the change and its audit entry commit together or not at all.
public protocol RegionRepository: Sendable {
    func all() async throws -> [Region]
    func find(code: String) async throws -> Region?
}

public struct DepartmentFilter: Sendable {
    public var level: AdministrativeLevel?
    public var regionCode: String?
    public var kind: DepartmentKind?
    public init(level: AdministrativeLevel? = nil, regionCode: String? = nil, kind: DepartmentKind? = nil) {
        self.level = level; self.regionCode = regionCode; self.kind = kind
    }
}

public protocol DepartmentRepository: Sendable {
    func list(_ filter: DepartmentFilter) async throws -> [Department]
    func find(id: String) async throws -> Department?
    func find(code: String) async throws -> Department?
    func insert(_ department: Department, audit: AuditRecord) async throws
}

public protocol AccountRepository: Sendable {
    func findUser(username: String) async throws -> UserAccount?
    func findUser(id: String) async throws -> UserAccount?
    func listUsers(departmentId: String?) async throws -> [UserAccount]
    func insertUser(_ user: UserAccount, audit: AuditRecord) async throws
    // Every write below touches only the columns it means to change, never a whole user read earlier: two
    // administrators acting at once, or a sign-in racing a disable, cannot write back what the other just changed.

    /// Sets the status of a user and moves the session cut-off to `endingSessionsBefore` (only ever later), with the
    /// audit entry made from the user as it was right before and right after, read in the same transaction.
    /// Nil when there is no such user.
    func changeStatus(
        userId: String, to status: AccountStatus, endingSessionsBefore cutoff: Int64,
        audit: @escaping @Sendable (_ before: UserAccount, _ after: UserAccount) -> AuditRecord
    ) async throws -> UserAccount?
    /// Sets the password hash, clears the failure counter and lock and moves the session cut-off (only ever later);
    /// status and roles stay as they are. False when there is no such user.
    func changePassword(userId: String, passwordHash: String, endingSessionsBefore cutoff: Int64, audit: AuditRecord) async throws -> Bool
    /// Counts one failed password in the stored counter (so failures arriving together all count) and, when it reaches
    /// `threshold`, locks the account until `lockUntil` and restarts the count; `audit` gets the outcome
    /// (attempts after, the lock set) and is written in the same transaction.
    func recordFailedPassword(
        userId: String, threshold: Int, lockUntil: String,
        audit: @escaping @Sendable (_ attempts: Int, _ lockedUntil: String?) -> AuditRecord) async throws
    /// Clears the failure counter of a user who gave the right password for `verifiedHash`, unless in the meantime the
    /// account was disabled, locked (at `now`) or given another password: then nothing changes and the answer is why
    /// (`disabled`, `locked`, `password_changed`); nil when the sign-in was recorded.
    func recordSignIn(userId: String, verifiedHash: String, now: String, audit: AuditRecord) async throws -> String?
    /// Moves the user's session cut-off (`tokens_valid_after_ms`) to `before` unless it is already later, touching no
    /// other column, with the audit entry: sign-out must not write back a user it read before a concurrent change.
    func endSessions(userId: String, before: Int64, audit: AuditRecord) async throws

    func findClient(clientId: String) async throws -> APIClient?
    func listClients(departmentId: String?) async throws -> [APIClient]
    func insertClient(_ client: APIClient, audit: AuditRecord) async throws
    /// Marks a client revoked at `revokedAt` (its first revocation time is kept), touching nothing else.
    func revokeClient(id: String, revokedAt: String, audit: AuditRecord) async throws
}

public struct AuditQuery: Sendable {
    public var beforeSeq: Int64?
    public var limit: Int
    public var action: String?
    public var actorId: String?
    public var objectId: String?
    public var departmentId: String?
    public init(
        beforeSeq: Int64? = nil, limit: Int = 100, action: String? = nil, actorId: String? = nil,
        objectId: String? = nil, departmentId: String? = nil
    ) {
        self.beforeSeq = beforeSeq; self.limit = limit; self.action = action; self.actorId = actorId
        self.objectId = objectId; self.departmentId = departmentId
    }
}

public protocol AuditLog: Sendable {
    /// Appends in its own transaction; throws when it cannot, so the caller fails closed.
    func append(_ record: AuditRecord) async throws -> AuditEvent
    func events(_ query: AuditQuery) async throws -> [AuditEvent]
    func verify() async throws -> AuditVerification
}

public protocol CalendarRepository: Sendable {
    /// The official days of every loaded year; empty before the first import.
    func load() async throws -> CalendarCSV.Parsed?
    /// Replaces the given years' days, then recomputes every open provisional deadline with the new calendar,
    /// in one transaction; returns the deadlines that changed.
    func importYears(
        _ parsed: CalendarCSV.Parsed, recompute: @Sendable (WorkingDayCalendar) -> @Sendable (Deadline) -> Deadline,
        audit: AuditRecord
    ) async throws -> [Deadline]
}

public protocol DeadlineRepository: Sendable {
    func insert(_ deadline: Deadline, audit: AuditRecord) async throws
    func find(id: String) async throws -> Deadline?
    func open() async throws -> [Deadline]
}

extension DepartmentRepository {
    /// The department with this credit code, or a validation error naming the field that gave it.
    public func require(code: String, field: String) async throws -> Department {
        guard let department = try await find(code: code) else {
            throw DomainError.invalid(field: field, rule: "exists", zh: "部门代码 \(code) 不存在", en: "No department has code \(code)")
        }
        return department
    }
}

extension DepartmentRepository {
    /// The data authority over a provider (Art. 4): the province's for provincial departments, the city's for city
    /// departments, the county's for county departments (the city's where the county has none); see `Oversight`.
    public func reviewingAuthority(for provider: Department) async throws -> Department? {
        Oversight.reviewingAuthority(for: provider, among: try await list(DepartmentFilter(kind: .dataAuthority)))
    }
}

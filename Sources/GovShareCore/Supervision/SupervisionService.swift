import Foundation

/// Supervision (Art. 29–30): rule checks over the platform's records (电子督查) with their findings, and orders to
/// correct (责令整改) issued from a finding, answered by the department, accepted or returned by the authority,
/// escalated when overdue. Checks run on demand and every `supervision_check_hours`.
public struct SupervisionService: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Working days a published entry may go without data, a file or a service mounted (Art. 11).
        public var mountWorkingDays = 10
        /// How far back late replies and reads outside a grant's validity are looked for.
        public var windowDays = 90
        /// Reads above this many times the department's median on the same dataset, over the last 30 days.
        public var unusualReadFactor = 3.0
        /// The deadline an order gets when the authority names none.
        public var orderWorkingDays = 10
        public var checkHours = 24
        public init() {}
    }

    public enum Limits {
        public static let what = 2000
        public static let basis = 1000
        public static let response = 4000
        public static let note = 1000
        public static let listed = 500
        public static let orderWorkingDays = 1...60
    }

    let repository: any SupervisionRepository
    let facts: any AssessmentRepository
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let exchange: ExchangeService
    let access: any AccessRepository
    let checkpoints: any AuditCheckpointRepository
    let calendar: CalendarService
    let seals: SealService
    let keyring: PlatformKeyring
    let clock: any WallClock
    let nodeId: String
    let requiredFields: [String]
    public let settings: Settings

    public init(
        repository: any SupervisionRepository, facts: any AssessmentRepository, catalog: any CatalogRepository,
        departments: any DepartmentRepository, exchange: ExchangeService, access: any AccessRepository,
        checkpoints: any AuditCheckpointRepository, calendar: CalendarService, seals: SealService, keyring: PlatformKeyring,
        clock: any WallClock, nodeId: String, requiredFields: [String], settings: Settings
    ) {
        self.repository = repository; self.facts = facts; self.catalog = catalog; self.departments = departments
        self.exchange = exchange; self.access = access; self.checkpoints = checkpoints; self.calendar = calendar; self.seals = seals;
        self.keyring = keyring; self.clock = clock
        self.nodeId = nodeId; self.requiredFields = requiredFields; self.settings = settings
    }

    /// The same service on another clock (the demo seeder dates its steps in the past).
    public func on(clock: any WallClock) -> SupervisionService {
        SupervisionService(
            repository: repository, facts: facts, catalog: catalog, departments: departments, exchange: exchange, access: access,
            checkpoints: checkpoints, calendar: calendar, seals: seals, keyring: keyring, clock: clock, nodeId: nodeId,
            requiredFields: requiredFields,
            settings: settings)
    }

    // MARK: Scope

    /// Whose findings and orders the viewer sees: everything for the system, administrators and auditors; an
    /// authority's reviewers the departments it oversees and their own; anyone else their own department's.
    public func scope(of viewer: Principal) async throws -> OversightScope {
        if viewer.kind == .system || Policy.readAllSupervision.allows(viewer) { return .all }
        var ids: Set<String> = [viewer.departmentId]
        if Policy.orderRectification.allows(viewer) { ids.formUnion(try await departments.reviewed(by: viewer.departmentId)) }
        return .departments(ids)
    }

    static func ids(_ scope: OversightScope) -> Set<String>? {
        if case .departments(let ids) = scope { return ids }
        return nil
    }

    public func mayRunChecks(_ actor: Principal) -> Bool { Policy.runSupervisionChecks.allows(actor) }

    // MARK: Checks

    /// Runs every check now and records the run and its findings.
    public func runChecks(trigger: String = "on_demand", by actor: Principal, origin: RequestOrigin) async throws -> SupervisionRun {
        try Policy.runSupervisionChecks.check(actor)
        let started = clock.now()
        let runId = Identifier.make(at: started)
        let found = try await findings(runId: runId, now: started)
        let finished = clock.now()
        var run = SupervisionRun(
            id: runId, trigger: trigger, startedBy: actor.name, startedAt: Timestamp.format(started),
            finishedAt: Timestamp.format(finished), found: found.count, opened: 0, resolved: 0,
            milliseconds: max(0, Int(finished.timeIntervalSince(started) * 1000)),
            byRule: Dictionary(grouping: found, by: \.rule.rawValue).mapValues(\.count), nodeId: nodeId)
        let counts = try await repository.record(
            run, findings: found,
            audit: AuditRecord(
                actor: actor, action: "supervision.check", objectType: "supervision_run", objectId: runId,
                after: AuditJSON.encode(run.byRule.mapValues(String.init).merging(["trigger": trigger]) { a, _ in a }),
                origin: origin))
        run.opened = counts.opened
        run.resolved = counts.resolved
        return run
    }

    /// The scheduler's round: the checks when the last run is `checkHours` old.
    @discardableResult
    public func checkIfDue(by actor: Principal, origin: RequestOrigin) async throws -> SupervisionRun? {
        try Policy.runSupervisionChecks.check(actor)
        if let last = try await repository.lastRun(), let at = Timestamp.parse(last.startedAt),
            clock.now().timeIntervalSince(at) < Double(settings.checkHours) * 3600
        {
            return nil
        }
        return try await runChecks(trigger: "scheduled", by: actor, origin: origin)
    }

    // MARK: Reads

    public struct Overview: Sendable {
        public var lastRun: SupervisionRun?
        public var openCounts: [SupervisionRule: Int]
        public var findings: [SupervisionFinding]
        public var orders: [RectificationOrder]
        public var departmentNames: [String: String]
        public var mayRunChecks: Bool
        /// The departments the viewer may order to correct (the authority overseeing them).
        public var orderable: OversightScope
    }

    /// The supervision page: the last run, open findings by rule, the findings and the orders the viewer sees.
    public func overview(rule: SupervisionRule?, status: SupervisionFinding.Status?, by viewer: Principal) async throws -> Overview {
        try Policy.readSupervision.check(viewer)
        let ids = Self.ids(try await scope(of: viewer))
        let names = Dictionary(
            try await departments.list(DepartmentFilter()).map { ($0.id, $0.nameZh) }, uniquingKeysWith: { a, _ in a })
        return Overview(
            lastRun: try await repository.lastRun(), openCounts: try await repository.openCounts(departmentIds: ids),
            findings: try await repository.findings(
                SupervisionFindingFilter(departmentIds: ids, status: status, rule: rule, limit: Limits.listed)),
            orders: try await repository.orders(departmentIds: ids, limit: Limits.listed), departmentNames: names,
            mayRunChecks: mayRunChecks(viewer),
            orderable: try await orderable(by: viewer))
    }

    /// The departments the viewer may order to correct: those its authority oversees — but its own department only
    /// for its platform administrators, and for them only that one (`Impartiality`).
    func orderable(by viewer: Principal) async throws -> OversightScope {
        if viewer.kind == .system { return Policy.orderRectification.allows(viewer) ? .all : .none }
        let reviewed = try await departments.reviewed(by: viewer.departmentId)
        var ids = Set<String>()
        if Policy.orderRectification.allows(viewer) { ids = reviewed.subtracting([viewer.departmentId]) }
        if Policy.decideAuthorityOwnCases.allows(viewer) && reviewed.contains(viewer.departmentId) { ids.insert(viewer.departmentId) }
        return .departments(ids)
    }

    /// The home page's lines: the open findings of the viewer's department, and the orders waiting for the viewer —
    /// a department's reviewers those to respond to, an authority's reviewers the responses to review.
    public func home(for viewer: Principal) async throws -> (openFindings: Int, orders: [RectificationOrder]) {
        guard Policy.readSupervision.allows(viewer) else { return (0, []) }
        let own = try await repository.openCounts(departmentIds: [viewer.departmentId]).values.reduce(0, +)
        let orders = try await repository.orders(departmentIds: [viewer.departmentId], limit: Limits.listed).filter {
            ($0.departmentId == viewer.departmentId && $0.status.awaitsDepartment && Policy.respondRectification.allows(viewer))
                || ($0.authorityId == viewer.departmentId && $0.status == .responded
                    && Impartiality.mayDecide(viewer, parties: [$0.departmentId], policy: .orderRectification))
        }
        return (own, orders)
    }

    public func finding(id: String, by viewer: Principal) async throws -> SupervisionFinding {
        try Policy.readSupervision.check(viewer)
        guard Identifier.isValid(id), let f = try await repository.finding(id: id),
            try await scope(of: viewer).contains(f.departmentId)
        else { throw DomainError.notFound("Finding", zh: "督查发现") }
        return f
    }

    public func order(id: String, by viewer: Principal) async throws -> RectificationOrder {
        try Policy.readSupervision.check(viewer)
        guard Identifier.isValid(id), let o = try await repository.order(id: id),
            try await scope(of: viewer).contains(o.departmentId) || o.authorityId == viewer.departmentId
        else { throw DomainError.notFound("Rectification order", zh: "整改通知") }
        return o
    }

    /// An order's signature checked against its stored document (SM3, the authority's seal, its chain).
    public func verify(order o: RectificationOrder) async throws -> (valid: Bool, reasons: [LocalizedText]) {
        let check = try await seals.verify(document: o.document, signature: o.signature)
        var reasons = check.reasons.map(\.message)
        if Hex.encode(keyring.crypto.sm3(o.document)) != o.documentSM3Hex {
            reasons.append(LocalizedText(zh: "通知内容与登记的 SM3 杂凑值不符", en: "The order does not match its recorded SM3 digest"))
        }
        return (check.valid && reasons.isEmpty, reasons)
    }
}

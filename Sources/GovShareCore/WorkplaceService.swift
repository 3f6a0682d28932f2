import Foundation

/// A person's work, for the home page: what waits on each role the person holds, composed from the services that own
/// each rule (every list is read with the person as actor, so each service's own permission and scope apply).
public struct WorkplaceService: Sendable {
    let applications: ApplicationService
    let catalog: CatalogService
    let obligations: CatalogObligationService
    let grants: GrantService
    let exchange: ExchangeService
    let calendar: CalendarService
    let departments: any DepartmentRepository
    let clock: any WallClock
    let security: SecurityOperationsService?

    public init(
        applications: ApplicationService, catalog: CatalogService, obligations: CatalogObligationService,
        grants: GrantService, exchange: ExchangeService, calendar: CalendarService,
        departments: any DepartmentRepository, clock: any WallClock, security: SecurityOperationsService? = nil
    ) {
        self.applications = applications; self.catalog = catalog; self.obligations = obligations; self.grants = grants
        self.exchange = exchange; self.calendar = calendar; self.departments = departments; self.clock = clock
        self.security = security
    }

    /// A published resource by name, with the names of the items concerned (codes where an item has no name).
    public struct Resource: Sendable, Equatable {
        public var code: String
        public var name: String
        public var items: [String]
    }

    public struct ApplicationDue: Sendable {
        public var application: ShareApplication
        public var resource: Resource
        public var applicant: String
        public var dueOn: CivilDate
        public var overdue: Bool
        /// Working days from today through the due date (0 when due today or overdue).
        public var workingDaysLeft: Int
    }

    public struct ObligationDue: Sendable {
        public var obligation: CatalogObligation
        public var department: String
        public var overdue: Bool
    }

    public struct GrantHeld: Sendable {
        public var grant: Grant
        public var resource: Resource
    }

    public struct SubscriptionHeld: Sendable {
        public var subscription: Subscription
        public var resource: Resource
    }

    public struct RejectedBatch: Sendable {
        public var batch: ReportBatch
        public var resource: Resource
    }

    public struct UnusualRead: Sendable {
        public var read: DataRead
        public var department: String
        public var resource: Resource
    }

    public struct Home: Sendable {
        public var applicationsDue: [ApplicationDue] = []
        public var catalogToReview: [CatalogEntryVersion] = []
        public var obligationsDue: [ObligationDue] = []
        public var grants: [GrantHeld] = []
        public var subscriptions: [SubscriptionHeld] = []
        public var staleDatasets: [(dataset: Dataset, resource: Resource)] = []
        public var rejectedBatches: [RejectedBatch] = []
        public var unusualReads: [UnusualRead] = []
        /// Security operations (Art. 27): open incidents, drills due, current plans (SecurityOperationsService.work).
        public var security = SecurityOperationsService.Work()
        /// Names of the departments the security lists mention.
        public var securityDepartments: [String: String] = [:]
    }

    /// How many rows each list of the home page shows at most (the full lists are one click away).
    public static let limit = 20

    /// Department names come in `language` (the Chinese name where no English one is registered).
    public func home(for actor: Principal, in language: Language = .zh) async throws -> Home {
        try Policy.readDirectory.check(actor)
        var home = Home()
        let today = CivilDate(instant: clock.now())
        let names = try await departmentNames(in: language)

        if Policy.reviewApplications.allows(actor) {
            let queue = try await applications.queue(for: actor)
            let resources = try await resources(ids: queue.map(\.0.entryId))
            let days = try await calendar.calendar()
            home.applicationsDue = queue.prefix(Self.limit).map { a, d in
                let overdue = a.isOverdue(d, on: today)
                return ApplicationDue(
                    application: a, resource: resource(resources, a.entryId, code: a.entryCode, items: a.items),
                    applicant: names[a.applicantDepartmentId] ?? "", dueOn: d.dueOn, overdue: overdue,
                    workingDaysLeft: overdue ? 0 : days.workingDays(after: today, through: d.dueOn))
            }
        }
        if Policy.reviewCatalog.allows(actor) {
            home.catalogToReview = Array(try await catalog.reviewQueue(for: actor).prefix(Self.limit))
        }
        // Obligations (Art. 9) of one's own department (catalogers) and of those one's authority reviews (reviewers).
        if Policy.editCatalog.allows(actor) || Policy.reviewCatalog.allows(actor) {
            var scope: Set<String> = Policy.editCatalog.allows(actor) ? [actor.departmentId] : []
            if Policy.reviewCatalog.allows(actor) { scope.formUnion(try await departments.reviewed(by: actor.departmentId)) }
            home.obligationsDue = try await obligations.list(departmentIds: scope.sorted(), openOnly: true)
                .sorted { $0.dueOn < $1.dueOn }.prefix(Self.limit)
                .map { ObligationDue(obligation: $0, department: names[$0.departmentId] ?? "", overdue: $0.isOverdue(on: today)) }
        }
        if Policy.readData.allows(actor) {
            let held = try await grants.visibleGrants(for: actor)
                .filter { $0.departmentId == actor.departmentId && $0.status == .active }
                .sorted { $0.validUntil < $1.validUntil }.prefix(Self.limit)
            let subscriptions = try await exchange.subscriptions(of: actor).filter(\.isActive).prefix(Self.limit)
            let resources = try await resources(ids: held.map(\.entryId) + subscriptions.map(\.entryId))
            home.grants = held.map { GrantHeld(grant: $0, resource: resource(resources, $0.entryId, code: "", items: $0.items)) }
            home.subscriptions = subscriptions.map {
                SubscriptionHeld(subscription: $0, resource: resource(resources, $0.entryId, code: "", items: $0.items))
            }
        }
        if Policy.reportData.allows(actor), actor.kind != .system {
            let own = try await exchange.list(staleOnly: false).filter { $0.providerId == actor.departmentId }
            let resources = try await resources(ids: own.map(\.entryId))
            home.staleDatasets = own.filter(exchange.isStale).prefix(Self.limit).map {
                ($0, resource(resources, $0.entryId, code: $0.entryCode, items: []))
            }
            for dataset in own {
                for batch in try await exchange.batchHistory(code: dataset.entryCode, limit: 10, by: actor) where batch.rejected > 0 {
                    home.rejectedBatches.append(
                        RejectedBatch(
                            batch: batch,
                            resource: resource(
                                resources, dataset.entryId,
                                code: dataset.entryCode, items: [])))
                }
            }
            home.rejectedBatches = Array(home.rejectedBatches.sorted { $0.batch.createdAt > $1.batch.createdAt }.prefix(Self.limit))
        }
        if Policy.traceReads.allows(actor) {
            // The last 30 days: what an auditor looks at first.
            let from = Timestamp.format(clock.now().addingTimeInterval(-30 * 86_400))
            let reads = try await exchange.unusualReads(from: from, to: nil, by: actor).prefix(Self.limit)
            let datasets = Dictionary(try await exchange.list(staleOnly: false).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let resources = try await resources(ids: reads.compactMap { datasets[$0.datasetId]?.entryId })
            home.unusualReads = reads.map { r in
                UnusualRead(
                    read: r, department: names[r.departmentId] ?? "",
                    resource: resource(resources, datasets[r.datasetId]?.entryId ?? "", code: r.entryCode, items: r.items))
            }
        }
        if let security, Policy.readSecurityRecords.allows(actor) {
            home.security = try await security.work(for: actor)
            let ids = Set(
                home.security.openIncidents.map(\.departmentId) + home.security.drillsDue.map(\.departmentId)
                    + home.security.plans.map(\.departmentId))
            home.securityDepartments = names.filter { ids.contains($0.key) }
        }
        return home
    }

    private func departmentNames(in language: Language) async throws -> [String: String] {
        Dictionary(
            try await departments.list(DepartmentFilter()).map { ($0.id, language == .en ? ($0.nameEn ?? $0.nameZh) : $0.nameZh) },
            uniquingKeysWith: { a, _ in a })
    }

    /// The published versions of these entries, by id (one read).
    private func resources(ids: [String]) async throws -> [String: CatalogVersion] {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return [:] }
        return Dictionary(try await catalog.published(ids: unique).map { ($0.entry.id, $0.version) }, uniquingKeysWith: { a, _ in a })
    }

    private func resource(_ versions: [String: CatalogVersion], _ entryId: String, code: String, items: [String]) -> Resource {
        let content = versions[entryId]?.content
        let itemNames = Dictionary(
            (content?.items ?? []).compactMap { i in i.code.map { ($0, i.name ?? $0) } },
            uniquingKeysWith: { a, _ in a })
        return Resource(
            code: content.map { _ in code } ?? code, name: content?.name ?? code,
            items: items.map { itemNames[$0] ?? $0 })
    }
}

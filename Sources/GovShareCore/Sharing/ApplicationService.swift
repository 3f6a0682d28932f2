import Foundation

/// Conditional sharing (Art. 16, 19): applications, joint review by the data authority and the provider, the
/// working-day reply clock, and the grant an approval creates.
public struct ApplicationService: Sendable {
    let applications: any ApplicationRepository
    let exchange: ExchangeService
    let catalog: CatalogService
    let departments: any DepartmentRepository
    let deadlines: any DeadlineRepository
    let calendar: CalendarService
    let clock: any WallClock
    let nodeId: String
    /// The regulation's numbers in force (reply days, review order, silence point, reminder lead, longest validity).
    public let rules: RegulationRules
    public var workingDays: Int { rules.applicationReplyWorkingDays }
    public var order: ReviewOrder { rules.applicationReviewOrder }
    /// What a refusal may cite as its legal basis (Art. 16).
    let legalBasis: LegalBasisService
    /// Signs each decision letter with the data authority's seal (Art. 24; ApplicationService+Letter).
    let seals: SealService
    let letters: any OfficialDocumentRepository

    public init(
        applications: any ApplicationRepository, exchange: ExchangeService, catalog: CatalogService,
        departments: any DepartmentRepository, deadlines: any DeadlineRepository, calendar: CalendarService,
        clock: any WallClock, nodeId: String, rules: RegulationRules, legalBasis: LegalBasisService, seals: SealService,
        letters: any OfficialDocumentRepository
    ) {
        self.applications = applications; self.exchange = exchange; self.catalog = catalog; self.departments = departments
        self.deadlines = deadlines; self.calendar = calendar; self.clock = clock; self.nodeId = nodeId
        self.rules = rules; self.legalBasis = legalBasis; self.seals = seals; self.letters = letters
    }

    var now: String { Timestamp.format(clock.now()) }
    var today: CivilDate { CivilDate(instant: clock.now()) }

    public struct Request: Sendable {
        public var entryCode: String?, items: [String], purpose: String?, business: String?, basis: String?
        public var users: [String], contact: String?, dataManager: String?, shareMethod: String?, validUntil: String?
        /// Items needed in clear, each with its reason (the rest are delivered masked where the item is graded).
        public var clearNeeds: [ClearNeed]
        public init(
            entryCode: String?, items: [String], purpose: String?, business: String?, basis: String?, users: [String],
            contact: String?, dataManager: String?, shareMethod: String?, validUntil: String?, clearNeeds: [ClearNeed] = []
        ) {
            self.entryCode = entryCode; self.items = items; self.purpose = purpose; self.business = business; self.basis = basis
            self.users = users; self.contact = contact; self.dataManager = dataManager; self.shareMethod = shareMethod
            self.validUntil = validUntil; self.clearNeeds = clearNeeds
        }
    }

    public func apply(_ r: Request, by actor: Principal, origin: RequestOrigin) async throws -> (ShareApplication, Deadline) {
        try Policy.readData.check(actor)
        var v = Validator()
        v.require(r.entryCode, field: "entry_code", maxLength: InputLimits.entryCode)
        v.require(r.purpose, field: "purpose", maxLength: InputLimits.purpose)
        v.require(r.business, field: "business", maxLength: InputLimits.business)
        v.require(r.basis, field: "basis", maxLength: InputLimits.basis)
        v.require(r.contact, field: "contact", maxLength: InputLimits.contact)
        v.require(r.dataManager, field: "data_manager", maxLength: InputLimits.dataManager)
        if let method = r.shareMethod, ShareMethod(rawValue: method) == nil {
            let allowed = ShareMethod.allCases.map(\.rawValue).joined(separator: ", ")
            v.fail("share_method", "enum", zh: "share_method 只能是：\(allowed)", en: "share_method must be one of: \(allowed)")
        }
        v.limit(r.users, field: "users", maxCount: InputLimits.users, maxLength: InputLimits.userName)
        v.limit(r.items, field: "items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        if r.clearNeeds.count > InputLimits.items {
            v.fail(
                "clear_items", "max_count", zh: "clear_items 最多 \(InputLimits.items) 项",
                en: "clear_items has at most \(InputLimits.items) entries")
        }
        for (i, need) in r.clearNeeds.prefix(InputLimits.items).enumerated() {
            v.limit(need.item, field: "clear_items[\(i)].item", maxLength: InputLimits.itemCode)
            v.limit(need.reason, field: "clear_items[\(i)].reason", maxLength: InputLimits.reason)
        }
        if r.items.isEmpty { v.fail("items", "required", zh: "请选择申请的信息项", en: "Choose the items applied for") }
        if let until = r.validUntil.flatMap(CivilDate.init) {
            if until <= today { v.fail("valid_until", "future", zh: "使用期限应晚于今天", en: "valid_until must be after today") }
            // The same longest term as every grant (GrantService.latestGrantEnd): the application becomes one.
            if until > GrantService.latestGrantEnd(from: today, years: rules.grantMaxYears) {
                v.fail(
                    "valid_until", "max", zh: "使用期限最长 \(rules.grantMaxYears) 年",
                    en: "valid_until is at most \(rules.grantMaxYears) years ahead")
            }
        } else {
            v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD")
        }
        try v.check()
        let (entry, content) = try await exchange.publishedEntry(code: r.entryCode!)
        guard entry.providerId != actor.departmentId else {
            throw DomainError.invalid(
                field: "entry_code", rule: "own_resource", zh: "本部门的资源无需申请", en: "Your department provides this resource")
        }
        let all = content.items ?? []
        for code in r.items {
            guard let item = all.first(where: { $0.code == code }) else {
                v.fail("items.\(code)", "unknown_item", zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")
                continue
            }
            if item.shareType == ShareType.notShared.rawValue {
                let basis = [item.legalBasis?.instrument, item.legalBasis?.article].compactMap { $0 }.joined()
                v.fail(
                    "items.\(code)", "not_shared", zh: "信息项「\(item.name ?? code)」不予共享，依据：\(basis)，不能申请",
                    en: "Item '\(item.name ?? code)' is not shared (basis: \(basis)) and cannot be applied for")
            }
        }
        Self.checkClearNeeds(r, items: all, into: &v)
        try v.check()
        guard let provider = try await departments.find(id: entry.providerId),
            let authority = try await catalog.reviewingAuthority(for: provider)
        else {
            throw DomainError(
                .unavailable, code: "no_authority",
                message: LocalizedText(zh: "未找到负责审核的政务数据主管部门", en: "No data authority reviews this provider"))
        }
        let id = Identifier.make(at: clock.now())
        let due = try await calendar.dueDate(receivedOn: today, workingDays: workingDays)
        let deadline = Deadline(
            id: Identifier.make(at: clock.now()), subjectType: "application", subjectId: id, receivedOn: today,
            workingDays: workingDays, dueOn: due.date, provisional: due.provisional, status: .open, nodeId: nodeId)
        var application = ShareApplication(
            id: id, applicantDepartmentId: actor.departmentId, applicantId: actor.id, contact: r.contact!, dataManager: r.dataManager!,
            entryId: entry.id, entryCode: entry.code, providerId: provider.id, authorityId: authority.id, items: r.items,
            purpose: r.purpose!, business: r.business!, basis: r.basis!, users: r.users,
            shareMethod: r.shareMethod ?? content.shareMethod ?? ShareMethod.serviceInterface.rawValue,
            validUntil: CivilDate(r.validUntil!)!.description,
            status: .underReview, receivedOn: today.description, deadlineId: deadline.id, decisions: [], infoRequests: [],
            grantId: nil, decidedAt: nil, escalatedAt: nil, remindedAt: nil, createdAt: now, nodeId: nodeId)
        application.clearNeeds = r.clearNeeds.isEmpty ? nil : r.clearNeeds
        let message = LocalizedText(
            zh: "收到共享申请：\(content.name ?? entry.code)，请于 \(due.date) 前答复",
            en: "New application for \(content.name ?? entry.code); reply by \(due.date)")
        try await applications.insert(
            application, deadline: deadline,
            notifications: [provider.id, authority.id].map { notify($0, "application.received", application, message) },
            audit: AuditRecord(
                actor: actor, action: "application.submit", objectType: "application",
                objectId: id, after: AuditJSON.encode(application), origin: origin))
        return (application, deadline)
    }

    /// Each item asked for in clear is one applied for, asked once, with a reason, and one that would otherwise be
    /// delivered masked (asking for an item that is clear anyway would only blur what the reviewers decide).
    static func checkClearNeeds(_ r: Request, items all: [DataItem], into v: inout Validator) {
        var seen = Set<String>()
        for (i, need) in r.clearNeeds.enumerated() {
            let field = "clear_items[\(i)]"
            if !r.items.contains(need.item) {
                v.fail(
                    "\(field).item", "not_requested", zh: "明文信息项「\(need.item)」须在申请的信息项之内",
                    en: "'\(need.item)' asked for in clear is not among the items applied for")
                continue
            }
            if !seen.insert(need.item).inserted {
                v.fail("\(field).item", "unique", zh: "信息项「\(need.item)」重复申请明文", en: "'\(need.item)' is asked for in clear twice")
            }
            if need.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                v.fail(
                    "\(field).reason", "reason_required", zh: "申请信息项「\(need.item)」明文须说明业务理由",
                    en: "Asking for '\(need.item)' in clear needs the business reason")
            }
            if let item = all.first(where: { $0.code == need.item }), !MaskRule.masksByDefault(item) {
                v.fail(
                    "\(field).item", "not_masked", zh: "信息项「\(item.name ?? need.item)」本身以明文提供，无需申请明文",
                    en: "Item '\(item.name ?? need.item)' is delivered in clear anyway")
            }
        }
    }

    func notify(_ departmentId: String, _ kind: String, _ a: ShareApplication, _ message: LocalizedText) -> InboxMessage {
        InboxMessage(
            id: Identifier.make(at: clock.now()), departmentId: departmentId, kind: kind, subjectType: "application",
            subjectId: a.id, message: message, createdAt: now)
    }

    /// The role the actor reviews this application in, if any: a reviewer (`application.review`) of its reviewing
    /// authority or of its provider.
    public func role(of actor: Principal, on a: ShareApplication) -> ReviewerRole? {
        guard Policy.reviewApplications.allows(actor) else { return nil }
        if actor.departmentId == a.authorityId, actor.roles.contains(.authorityReviewer) { return .authority }
        if actor.departmentId == a.providerId, actor.roles.contains(.departmentReviewer) { return .provider }
        return nil
    }

    /// The applications the actor's department made (the applicant's own list).
    public func applications(of actor: Principal) async throws -> [ShareApplication] {
        try await applications.list(departmentIds: [actor.departmentId], openOnly: false)
            .filter { $0.applicantDepartmentId == actor.departmentId }
    }

    /// Whether any application exists at all (the demo seeder seeds applications only into an empty platform).
    public func hasAnyApplication() async throws -> Bool {
        try await !applications.list(departmentIds: nil, openOnly: false).isEmpty
    }

    /// The same service on another clock: the demo seeder replays applications received weeks ago.
    public func on(clock: any WallClock) -> ApplicationService {
        ApplicationService(
            applications: applications, exchange: exchange, catalog: catalog, departments: departments,
            deadlines: deadlines, calendar: calendar, clock: clock, nodeId: nodeId, rules: rules, legalBasis: legalBasis,
            seals: seals, letters: letters)
    }

    /// Who may see an application: the applicant's department, its reviewers, platform administrators and auditors.
    public func load(id: String, for actor: Principal) async throws -> ShareApplication {
        guard let a = try await applications.find(id: id),
            a.applicantDepartmentId == actor.departmentId || role(of: actor, on: a) != nil
                || Policy.readAllApplications.allows(actor)
        else {
            throw DomainError.notFound("Application", zh: "共享申请")
        }
        return a
    }

    public func deadline(of a: ShareApplication) async throws -> Deadline? { try await deadlines.find(id: a.deadlineId) }

    /// The applicant's department withdraws an open application; its clock stops and the reviewers are told.
    public func withdraw(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> ShareApplication {
        var a = try await load(id: id, for: actor)
        try Policy.withdrawApplication.check(actor)
        guard a.applicantDepartmentId == actor.departmentId else { throw DomainError.forbidden(policy: Policy.withdrawApplication) }
        guard a.status.isOpen else {
            throw DomainError.conflict(
                code: "application_decided", zh: "申请已办结，不能撤回", en: "The application is decided and cannot be withdrawn")
        }
        var v = Validator()
        v.require(reason, field: "reason", maxLength: InputLimits.reason)
        try v.check()
        let before = AuditJSON.encode(a)
        a.status = .withdrawn
        a.decidedAt = now
        let message = LocalizedText(
            zh: "申请方已撤回共享申请（\(a.entryCode)）：\(reason!)", en: "The applicant withdrew the application for \(a.entryCode): \(reason!)")
        try await applications.save(
            a, replacing: before, dueOn: nil, grant: nil,
            notifications: [a.providerId, a.authorityId].map { notify($0, "application.withdrawn", a, message) },
            audit: AuditRecord(
                actor: actor, action: "application.withdraw", objectType: "application", objectId: a.id,
                before: before, after: AuditJSON.encode(a), detail: reason, origin: origin))
        return a
    }
}

extension ApplicationService {
    /// The department's inbox (every notification of the actor's department; `unreadOnly` leaves out those read).
    public func notifications(for actor: Principal, unreadOnly: Bool) async throws -> [InboxMessage] {
        try await applications.notifications(departmentId: actor.departmentId, unreadOnly: unreadOnly)
    }

    /// Marks one of the caller's department's inbox messages read; another department's message is not found (it
    /// does not answer "done" for an id it did not touch).
    public func markRead(notificationId: String, by actor: Principal) async throws {
        guard try await applications.markRead(notificationId: notificationId, departmentId: actor.departmentId) else {
            throw DomainError.notFound("Notification", zh: "通知")
        }
    }
}

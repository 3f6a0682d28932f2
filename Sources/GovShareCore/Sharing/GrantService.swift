import Foundation

/// Grants made outside the application workflow (Art. 19 leaves the authority room to grant directly, e.g. for an
/// emergency) follow separation of duties: one authority reviewer proposes, a second person confirms, the granting
/// department never benefits, and clear access to a graded item (grade 3–4) waits for the provider's consent — as it
/// would in the joint review. Until then the grant is `proposed` and nothing can be read under it. The same service
/// suspends, resumes, renews and revokes grants in force (those the workflow made too) and lists them with their
/// usage (`GrantService+Views`). Grants an approval makes are written with the application (`ApplicationService`);
/// grants narrowed by a catalog change, by `GrantReconciler`.
public struct GrantService: Sendable {
    let access: any AccessRepository
    let accountability: any AccountabilityRepository
    let catalog: any CatalogRepository
    let exchange: ExchangeService
    let departments: any DepartmentRepository
    let clock: any WallClock
    let nodeId: String
    /// The longest validity of a grant, in years (`RegulationRules.grantMaxYears`).
    let grantMaxYears: Int
    /// Seals a grant's letter when it comes into force (Art. 24; GrantService+Letter).
    let seals: SealService
    let letters: any OfficialDocumentRepository

    public init(
        access: any AccessRepository, accountability: any AccountabilityRepository, catalog: any CatalogRepository,
        exchange: ExchangeService, departments: any DepartmentRepository, clock: any WallClock, nodeId: String,
        grantMaxYears: Int = RegulationRules().grantMaxYears, seals: SealService, letters: any OfficialDocumentRepository
    ) {
        self.access = access; self.accountability = accountability; self.catalog = catalog; self.exchange = exchange
        self.departments = departments; self.clock = clock; self.nodeId = nodeId; self.grantMaxYears = grantMaxYears
        self.seals = seals; self.letters = letters
    }

    var now: String { Timestamp.format(clock.now()) }
    /// Today in China Standard Time, the calendar grants run by.
    public var today: CivilDate { CivilDate(instant: clock.now()) }

    /// One authority reviewer proposes a grant to `departmentCode` of `items` of a published entry until `validUntil`.
    public func propose(
        departmentCode: String?, entryCode: String, items: [String], clearItems: [String], purpose: String?,
        validUntil: String?, by actor: Principal, origin: RequestOrigin
    ) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        let today = today
        var v = Validator()
        v.require(departmentCode, field: "department_code", maxLength: 18)
        v.require(purpose, field: "purpose", maxLength: 500)
        if items.isEmpty { v.fail("items", "required", zh: "请列出授权的信息项", en: "List the granted items") }
        v.limit(items, field: "items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        v.limit(clearItems, field: "clear_items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        let until = validUntil.flatMap(CivilDate.init)
        if let until {
            if until < today {
                v.fail("valid_until", "future", zh: "有效期不能早于今天", en: "valid_until cannot be in the past")
            } else if until > Self.latestGrantEnd(from: today, years: grantMaxYears) {
                Self.failTooLong(&v, years: grantMaxYears)
            }
        } else {
            v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD")
        }
        try v.check()
        let department = try await departments.require(code: departmentCode!, field: "department_code")
        let (entry, content) = try await exchange.publishedEntry(code: entryCode)
        try await requireGrantAuthority(actor, providerId: entry.providerId)
        if department.id == actor.departmentId {
            throw DomainError(
                .forbidden, code: "own_department",
                message: LocalizedText(
                    zh: "授权不能惠及授权人所在部门；本部门用数须提出共享申请",
                    en: "A grant cannot benefit the granting department; apply for the data instead"))
        }
        if department.id == entry.providerId {
            v.fail("department_code", "provider", zh: "提供部门读取本部门数据无需授权", en: "The provider reads its own data without a grant")
        }
        var graded = false
        for code in items + clearItems {
            guard let item = (content.items ?? []).first(where: { $0.code == code }) else {
                v.fail("items.\(code)", "unknown_item", zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")
                continue
            }
            if item.shareType == ShareType.notShared.rawValue {
                v.fail(
                    "items.\(code)", "not_shared", zh: "信息项「\(item.name ?? code)」不予共享，不能授权",
                    en: "Item '\(item.name ?? code)' is not shared and cannot be granted")
            }
            if clearItems.contains(code), (item.sensitivity ?? 1) >= 3 { graded = true }
        }
        if !Set(clearItems).isSubset(of: Set(items)) {
            v.fail("clear_items", "subset", zh: "明文信息项须在授权信息项之内", en: "clear_items must be among items")
        }
        try v.check()
        var g = Grant(
            id: Identifier.make(at: clock.now()), departmentId: department.id, entryId: entry.id, items: items,
            clearItems: clearItems, purpose: purpose!, validFrom: today.description, validUntil: until!.description,
            status: .proposed, createdBy: actor.id, createdAt: now, revokedReason: nil, nodeId: nodeId)
        g.providerConsent = graded ? .pending : .notNeeded
        try await access.insert(
            g,
            audit: AuditRecord(
                actor: actor, action: "grant.propose", objectType: "grant", objectId: g.id,
                after: AuditJSON.encode(g), origin: origin))
        return g
    }

    /// The second person: another reviewer of the same authority (or an administrator), from a department other than
    /// the grant's. Confirming makes the grant active unless the provider's consent is still awaited; refusing ends it.
    public func confirm(id: String, confirm: Bool?, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        var g = try await proposedGrant(id: id)
        try await requireGrantAuthority(actor, grant: g)
        try requireNotBeneficiary(actor, of: g)
        guard actor.id != g.createdBy else {
            throw DomainError(
                .forbidden, code: "four_eyes",
                message: LocalizedText(
                    zh: "授权须由提出人以外的另一人复核", en: "A grant is confirmed by someone other than the person who proposed it"))
        }
        guard g.approvedBy == nil else {
            throw DomainError.conflict(code: "already_confirmed", zh: "该授权已复核", en: "The grant is already confirmed")
        }
        guard let confirm else {
            throw DomainError.invalid(
                field: "confirm", rule: "required", zh: "confirm 为必填项（true 或 false）", en: "confirm is required (true or false)")
        }
        if !confirm { return try await end(g, reason: reason, action: "grant.refuse", by: actor, origin: origin) }
        let (original, before) = (g, AuditJSON.encode(g))
        g.approvedBy = actor.id
        g.approvedAt = now
        if g.providerConsent != .pending { g.status = .active }
        try await access.update(
            g, replacing: original, documents: try await signedLetters(for: g, origin: origin),
            audit: AuditRecord(
                actor: actor, action: "grant.confirm", objectType: "grant",
                objectId: g.id, before: before, after: AuditJSON.encode(g),
                detail: reason, origin: origin))
        return g
    }

    /// The provider's department reviewer consents to (or refuses) clear access to its graded items.
    public func consent(id: String, consent: Bool?, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        try Policy.consentToGrants.check(actor)
        var g = try await proposedGrant(id: id)
        guard let entry = try await catalog.entry(id: g.entryId), entry.providerId == actor.departmentId else {
            throw DomainError(
                .forbidden, code: "not_provider",
                message: LocalizedText(
                    zh: "只有提供部门的审核员可以对明文授权表示同意", en: "Only the provider's reviewer consents to clear access"))
        }
        guard g.providerConsent == .pending else {
            throw DomainError.conflict(
                code: "consent_not_pending", zh: "该授权无需或已取得提供部门同意",
                en: "The grant does not wait for the provider's consent")
        }
        guard actor.id != g.createdBy, actor.id != g.approvedBy else {
            throw DomainError(
                .forbidden, code: "four_eyes",
                message: LocalizedText(
                    zh: "同意须由提出人和复核人以外的人作出", en: "Consent comes from someone other than the proposer and the confirmer"))
        }
        guard let consent else {
            throw DomainError.invalid(
                field: "consent", rule: "required", zh: "consent 为必填项（true 或 false）", en: "consent is required (true or false)")
        }
        if !consent { return try await end(g, reason: reason, action: "grant.consent_refused", by: actor, origin: origin) }
        let (original, before) = (g, AuditJSON.encode(g))
        g.providerConsent = .given
        g.providerConsentBy = actor.id
        if g.approvedBy != nil { g.status = .active }
        try await access.update(
            g, replacing: original, documents: try await signedLetters(for: g, origin: origin),
            audit: AuditRecord(
                actor: actor, action: "grant.consent", objectType: "grant",
                objectId: g.id, before: before, after: AuditJSON.encode(g),
                detail: reason, origin: origin))
        return g
    }

    public func revoke(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        guard let g = try await access.grant(id: id) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, grant: g)
        return try await end(g, reason: reason, action: "grant.revoke", by: actor, origin: origin)
    }

    /// Suspends, resumes or renews a grant in force (the authority or an administrator, never for its own
    /// department); every change is audited. A proposed grant only becomes active through confirmation.
    public func change(
        id: String, suspend: Bool? = nil, renewUntil: String? = nil, reason: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        guard var g = try await access.grant(id: id) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, grant: g)
        // Suspending only narrows access; resuming and renewing widen it, so not for the actor's own department
        // (an administrator may, for the authority's own grants, which no one else manages).
        if suspend != true { try requireNotBeneficiary(actor, of: g, administratorMay: true) }
        guard g.status != .revoked else {
            throw DomainError.conflict(code: "grant_revoked", zh: "授权已撤销，不能再变更", en: "The grant is revoked")
        }
        guard g.status != .proposed else {
            throw DomainError.conflict(code: "grant_not_confirmed", zh: "授权尚待复核，不能变更", en: "The grant is not confirmed yet")
        }
        var v = Validator()
        v.require(reason, field: "reason", maxLength: 500)
        if suspend == nil, renewUntil == nil {
            v.fail("valid_until", "required", zh: "续期须提供 valid_until", en: "valid_until is required to renew")
        }
        let today = today
        if let renewUntil {
            if let until = CivilDate(renewUntil) {
                if until <= today {
                    v.fail("valid_until", "future", zh: "续期须晚于今天", en: "valid_until must be after today")
                } else if until > Self.latestGrantEnd(from: today, years: grantMaxYears) {
                    Self.failTooLong(&v, years: grantMaxYears)
                }
            } else {
                v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD")
            }
        }
        try v.check()
        let (original, before) = (g, AuditJSON.encode(g))
        if let suspend { g.status = suspend ? .suspended : .active }
        if let renewUntil, let day = CivilDate(renewUntil) { g.validUntil = day.description }
        let action = suspend.map { $0 ? "grant.suspend" : "grant.resume" } ?? "grant.renew"
        try await access.update(
            g, replacing: original,
            audit: AuditRecord(
                actor: actor, action: action, objectType: "grant", objectId: g.id, before: before,
                after: AuditJSON.encode(g), detail: reason, origin: origin))
        return g
    }

    func proposedGrant(id: String) async throws -> Grant {
        guard let g = try await access.grant(id: id) else { throw DomainError.notFound("Grant", zh: "授权") }
        guard g.status == .proposed else {
            throw DomainError.conflict(code: "grant_not_proposed", zh: "该授权不在待复核状态", en: "The grant is not waiting for confirmation")
        }
        return g
    }

    func end(_ grant: Grant, reason: String?, action: String, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        var v = Validator()
        v.require(reason, field: "reason", maxLength: 500)
        try v.check()
        var g = grant
        let before = AuditJSON.encode(g)
        g.status = .revoked
        g.revokedReason = reason
        try await access.update(
            g, replacing: grant,
            audit: AuditRecord(
                actor: actor, action: action, objectType: "grant", objectId: g.id,
                before: before, after: AuditJSON.encode(g), origin: origin))
        return g
    }

    /// Nobody confirms or widens access for their own department.
    func requireNotBeneficiary(_ actor: Principal, of g: Grant, administratorMay: Bool = false) throws {
        guard actor.kind == .system || actor.departmentId != g.departmentId || administratorMay && actor.roles.contains(.platformAdmin)
        else {
            throw DomainError(
                .forbidden, code: "own_department",
                message: LocalizedText(
                    zh: "不能管理惠及本部门的授权", en: "You cannot manage a grant that benefits your own department"))
        }
    }

    /// Grants are the data authority's over its own providers (the one that reviews their catalog and applications),
    /// or a platform administrator's: a city's reviewer cannot grant itself the province's data.
    func requireGrantAuthority(_ actor: Principal, providerId: String) async throws {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) { return }
        guard let provider = try await departments.find(id: providerId),
            try await departments.reviewingAuthority(for: provider)?.id == actor.departmentId, actor.roles.contains(.authorityReviewer)
        else {
            throw DomainError(
                .forbidden, code: "not_reviewing_authority",
                message: LocalizedText(
                    zh: "只有对提供部门负责的数据主管部门可以管理该授权",
                    en: "Only the data authority over the provider manages this grant"))
        }
    }

    func requireGrantAuthority(_ actor: Principal, grant: Grant) async throws {
        guard let entry = try await catalog.entry(id: grant.entryId) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, providerId: entry.providerId)
    }

    /// A grant runs at most three years, as an application's period does (Art. 19).
    /// A year counts 366 days so that the limit never falls a day short across a leap day.
    static func latestGrantEnd(from today: CivilDate, years: Int) -> CivilDate { today.adding(days: years * 366) }

    static func failTooLong(_ v: inout Validator, years: Int) {
        v.fail("valid_until", "max", zh: "授权期限最长 \(years) 年", en: "valid_until is at most \(years) years ahead")
    }
}

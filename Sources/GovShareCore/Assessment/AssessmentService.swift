import Foundation

/// Assessment (Art. 31 考核评估): a scheme of weighted indicators computed per department per period from the
/// platform's own records, with every input shown; reviewed as a draft by the data authority and then published —
/// signed with the authority's seal, immutable, readable by anyone without signing in (JSON, CSV, the portal).
public struct AssessmentService: Sendable {
    public enum Limits {
        public static let listed = 100
        /// Published periods a trend goes back over.
        public static let trendPeriods = 12
    }

    let repository: any AssessmentRepository
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let seals: SealService
    let keyring: PlatformKeyring
    let clock: any WallClock
    let nodeId: String
    public let scheme: AssessmentScheme
    let requiredFields: [String]

    public init(
        repository: any AssessmentRepository, catalog: any CatalogRepository, departments: any DepartmentRepository,
        seals: SealService, keyring: PlatformKeyring, clock: any WallClock, nodeId: String, scheme: AssessmentScheme,
        requiredFields: [String]
    ) {
        self.repository = repository; self.catalog = catalog; self.departments = departments; self.seals = seals
        self.keyring = keyring; self.clock = clock; self.nodeId = nodeId; self.scheme = scheme
        self.requiredFields = requiredFields
    }

    public func mayCompute(_ actor: Principal?) async throws -> Bool {
        guard let actor, Policy.computeAssessments.allows(actor) else { return false }
        return try await isProvincialAuthority(actor)
    }
    public func mayPublish(_ actor: Principal?) async throws -> Bool {
        guard let actor, Policy.publishAssessments.allows(actor) else { return false }
        return try await isProvincialAuthority(actor)
    }

    /// The node's assessment ranks every department on it, so the provincial data authority organises it (Art. 31:
    /// 政务数据主管部门组织); a city's authority assesses its own departments on its sub-node.
    func isProvincialAuthority(_ actor: Principal) async throws -> Bool {
        if actor.kind == .system { return true }
        guard let d = try await departments.find(id: actor.departmentId) else { return false }
        return d.kind == .dataAuthority && d.level == .province
    }

    func requireProvincialAuthority(_ actor: Principal) async throws {
        guard try await isProvincialAuthority(actor) else {
            throw DomainError(
                .forbidden, code: "not_provincial_authority",
                message: LocalizedText(
                    zh: "本节点的考核评估由省政务数据主管部门组织（第三十一条）",
                    en: "The provincial data authority organises this node's assessment (Art. 31)"))
        }
    }
    /// Drafts rank every department of the node before the authority has reviewed them: those who organise the
    /// assessment (the provincial authority's reviewers and administrators) and the auditors read them; a city
    /// authority's reviewer holds the role but not the organiser's place (review finding), and sees published periods.
    public func mayReadDrafts(_ actor: Principal?) async throws -> Bool {
        guard let actor, Policy.readAssessmentDrafts.allows(actor) else { return false }
        return actor.roles.contains(.securityAuditor) ? true : try await isProvincialAuthority(actor)
    }

    static func parse(period: String?, today: CivilDate) throws -> AssessmentPeriod {
        guard let text = period, let parsed = AssessmentPeriod(text) else {
            throw DomainError.invalid(
                field: "period", rule: "period", zh: "period 应为年（2026）、季度（2026-Q4）或月份（2026-11）",
                en: "period must be a year (2026), a quarter (2026-Q4) or a month (2026-11)")
        }
        if parsed.from > today {
            throw DomainError.invalid(
                field: "period", rule: "started", zh: "评估期尚未开始", en: "The period has not started yet")
        }
        return parsed
    }

    /// Computes the period from the records as they are now and keeps it as the period's draft (replacing an earlier
    /// draft). A published period is not computed again: it stays as published.
    public func compute(period: String?, by actor: Principal, origin: RequestOrigin) async throws -> Assessment {
        try Policy.computeAssessments.check(actor)
        try await requireProvincialAuthority(actor)
        let now = clock.now()
        let parsed = try Self.parse(period: period, today: CivilDate(instant: now))
        if try await repository.published(period: parsed.description) != nil { throw Self.alreadyPublished(parsed) }
        let id = Identifier.make(at: now)
        let content = try await self.content(id: id, period: parsed, now: now, by: actor)
        let document = content.document
        let assessment = Assessment(
            id: id, period: parsed.description, periodFrom: content.periodFrom, periodTo: content.periodTo, asOf: content.asOf,
            schemeVersion: scheme.version, status: .draft, departmentCount: content.departments.count, computedBy: actor.id,
            computedByName: actor.name, computedAt: content.computedAt, publishedByName: nil, publishedAt: nil,
            document: document, documentSM3Hex: Hex.encode(keyring.crypto.sm3(document)), signature: nil, sealId: nil,
            nodeId: nodeId)
        let saved = try await repository.saveDraft(
            assessment,
            audit: AuditRecord(
                actor: actor, action: "assessment.compute", objectType: "assessment", objectId: id,
                after: AuditJSON.encode([
                    "period": parsed.description, "as_of": content.asOf, "scheme": scheme.version,
                    "departments": String(content.departments.count), "sm3": assessment.documentSM3Hex,
                ]), origin: origin))
        guard saved else { throw Self.alreadyPublished(parsed) }
        return assessment
    }

    static func alreadyPublished(_ period: AssessmentPeriod) -> DomainError {
        DomainError(
            .conflict, code: "assessment_published",
            message: LocalizedText(
                zh: "\(period) 的考核结果已发布，不再重新计算", en: "The assessment of \(period) is published and is not computed again"))
    }

    /// Publishes a reviewed draft: the authority's seal signs exactly the bytes reviewed; from then on the period is
    /// immutable. Whoever computed the draft does not publish it (separation of duties); a draft the system computed
    /// may be published by any of the authority's reviewers.
    public func publish(id: String, by actor: Principal, origin: RequestOrigin) async throws -> Assessment {
        try Policy.publishAssessments.check(actor)
        try await requireProvincialAuthority(actor)
        let draft = try await find(id)
        guard draft.status == .draft else {
            throw DomainError(
                .conflict, code: "not_draft", message: LocalizedText(zh: "该考核结果已发布", en: "This assessment is already published"))
        }
        if actor.kind != .system, draft.computedBy == actor.id {
            throw DomainError(
                .forbidden, code: "own_computation",
                message: LocalizedText(
                    zh: "计算考核结果的人不能发布同一结果，请由另一名审核人员发布", en: "Whoever computed an assessment does not publish it: another reviewer does"))
        }
        let signed = try await seals.signAsAuthorityForRecord(document: draft.document, purpose: "assessment \(id)", origin: origin)
        let now = Timestamp.format(clock.now())
        let done = try await repository.publish(
            id: id, by: actor.id, byName: actor.name, at: now, signature: signed.signatureDER, sealId: signed.sealId,
            documentSM3Hex: signed.documentSM3Hex,
            audits: [
                AuditRecord(
                    actor: actor, action: "assessment.publish", objectType: "assessment", objectId: id,
                    after: AuditJSON.encode(["period": draft.period, "sm3": signed.documentSM3Hex, "seal": signed.sealId]),
                    origin: origin),
                SealService.signingAudit(
                    sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex, documentBytes: draft.document.count,
                    signedAt: Timestamp.format(signed.signedAt), purpose: "assessment \(id)", actor: .system("platform"), origin: origin),
            ])
        guard done else {
            throw DomainError(
                .conflict, code: "not_draft",
                message: LocalizedText(
                    zh: "该考核结果已发布或已被重新计算的结果取代", en: "This assessment was published or replaced by a newer computation"))
        }
        return try await find(id)
    }

    func find(_ id: String) async throws -> Assessment {
        guard Identifier.isValid(id), let found = try await repository.find(id: id) else {
            throw DomainError.notFound("Assessment", zh: "考核结果")
        }
        return found
    }

    /// One period: published ones for anyone (no sign-in needed), drafts for the provincial authority's reviewers and
    /// administrators and for auditors only (`mayReadDrafts`) — to others a draft does not exist.
    public func assessment(id: String, viewer: Principal?) async throws -> Assessment {
        let found = try await find(id)
        if found.status == .draft, try await !mayReadDrafts(viewer) { throw DomainError.notFound("Assessment", zh: "考核结果") }
        return found
    }

    /// Published periods for everyone; the drafts too for those who may read them. Newest period first.
    public func list(viewer: Principal?) async throws -> [Assessment] {
        try await repository.list(status: try await mayReadDrafts(viewer) ? nil : .published, limit: Limits.listed, withDocuments: false)
    }

    /// Checks a published period against its signature (the document's SM3, the authority's seal, its chain) and its
    /// recorded digest. A draft is not signed and does not verify.
    public func verify(id: String, viewer: Principal?) async throws -> AssessmentVerification {
        let found = try await assessment(id: id, viewer: viewer)
        let digest = Hex.encode(keyring.crypto.sm3(found.document))
        var reasons: [LocalizedText] = []
        var valid = false
        if let signature = found.signature, found.status == .published {
            let check = try await seals.verify(document: found.document, signature: signature)
            reasons = check.reasons.map(\.message)
            valid = check.valid
        } else {
            reasons.append(LocalizedText(zh: "草稿未签名，发布后方可验证", en: "A draft is not signed; it verifies once published"))
        }
        if digest != found.documentSM3Hex {
            reasons.append(LocalizedText(zh: "内容与登记的 SM3 杂凑值不符", en: "The content does not match its recorded SM3 digest"))
        }
        if found.content?.id != found.id {
            reasons.append(LocalizedText(zh: "签名的内容不是本考核结果", en: "The signed content is not this assessment's"))
        }
        return AssessmentVerification(assessmentId: found.id, valid: valid && reasons.isEmpty, reasons: reasons, documentSM3Hex: digest)
    }

    /// The newest published period's line of one department (its home page), if it was assessed.
    public func latest(departmentId: String) async throws -> (assessment: Assessment, score: DepartmentAssessment)? {
        for a in try await repository.list(status: .published, limit: 3, withDocuments: true) {
            if let score = a.content?.departments.first(where: { $0.departmentId == departmentId }) { return (a, score) }
        }
        return nil
    }

    /// Published periods, oldest first, with every department's total: the trend charts.
    public func trend() async throws -> [(period: String, departments: [DepartmentAssessment])] {
        try await repository.list(status: .published, limit: Limits.trendPeriods, withDocuments: true).reversed().compactMap { a in
            a.content.map { (a.period, $0.departments) }
        }
    }
}

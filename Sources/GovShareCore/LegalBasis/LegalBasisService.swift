import Foundation

/// The instruments that may be cited as a legal basis (Art. 16, 18): the maintained list, and proposals a department
/// makes that the provincial data authority confirms or rejects.
public struct LegalBasisService: Sendable {
    let list: [LegalInstrument]
    let proposals: any LegalInstrumentRepository
    let departments: any DepartmentRepository
    let clock: any WallClock
    let nodeId: String

    /// Longest values a proposal accepts (the name is capped like every cited instrument).
    public enum Limits {
        public static let issuer = 100
        public static let documentNumber = 100
        public static let reference = 1000
    }

    public init(
        list: [LegalInstrument], proposals: any LegalInstrumentRepository, departments: any DepartmentRepository,
        clock: any WallClock, nodeId: String
    ) {
        self.list = list; self.proposals = proposals; self.departments = departments; self.clock = clock; self.nodeId = nodeId
    }

    var now: String { Timestamp.format(clock.now()) }

    /// The register a check is made against: read once per decision or submission.
    public func register() async throws -> LegalBasisRegister {
        LegalBasisRegister(list: list, proposals: try await proposals.proposals())
    }

    public struct Overview: Sendable {
        /// The maintained list, ordered by level then name.
        public let listed: [LegalInstrument]
        /// Every proposal, newest first.
        public let proposals: [LegalInstrumentProposal]
    }

    /// Everything a signed-in person may see: what can be cited and what has been proposed.
    public func overview(for actor: Principal) async throws -> Overview {
        try Policy.readLegalInstruments.check(actor)
        let listed = list.sorted { ($0.level, $0.name) < ($1.level, $1.name) }
        return Overview(listed: listed, proposals: try await proposals.proposals())
    }

    public struct Proposal: Sendable {
        public var name: String?, level: String?, issuer: String?, documentNumber: String?, reference: String?
        public init(name: String?, level: String?, issuer: String?, documentNumber: String?, reference: String?) {
            self.name = name; self.level = level; self.issuer = issuer; self.documentNumber = documentNumber; self.reference = reference
        }
    }

    /// A department's cataloger or reviewer asks for an instrument to be accepted; it waits for the provincial data
    /// authority. An instrument already accepted, or already waiting, is not proposed twice.
    public func propose(_ p: Proposal, by actor: Principal, origin: RequestOrigin) async throws -> LegalInstrumentProposal {
        try Policy.proposeLegalInstruments.check(actor)
        let name = LegalInstrument.displayName(p.name ?? "")
        var v = Validator()
        v.require(name, field: "name", maxLength: InputLimits.legalInstrument)
        v.require(p.issuer, field: "issuer", maxLength: Limits.issuer)
        v.require(p.reference, field: "reference", maxLength: Limits.reference)
        v.limit(p.documentNumber, field: "document_number", maxLength: Limits.documentNumber)
        let level = p.level.flatMap(InstrumentLevel.init(rawValue:))
        if level == nil {
            v.fail(
                "level", "enum", zh: "level 应为以下之一：\(InstrumentLevel.allowedValues)",
                en: "level must be one of: \(InstrumentLevel.allowedValues)")
        }
        try v.check()
        if let listed = try await register().instrument(named: name) {
            throw DomainError.conflict(
                code: "already_accepted", zh: "《\(listed.name)》已是认可的依据，可直接引用",
                en: "'\(listed.name)' is accepted already and can be cited")
        }
        let number = p.documentNumber?.trimmingCharacters(in: .whitespacesAndNewlines)
        let proposal = LegalInstrumentProposal(
            id: Identifier.make(at: clock.now()),
            instrument: LegalInstrument(
                name: name, level: level!, issuer: p.issuer!.trimmingCharacters(in: .whitespacesAndNewlines),
                documentNumber: number?.isEmpty == false ? number : nil),
            reference: p.reference!.trimmingCharacters(in: .whitespacesAndNewlines), status: .pending, proposedBy: actor.id,
            proposedByName: actor.name, departmentId: actor.departmentId, createdAt: now, nodeId: nodeId)
        try await proposals.insert(
            proposal,
            audit: AuditRecord(
                actor: actor, action: "legal_instrument.propose",
                objectType: "legal_instrument_proposal", objectId: proposal.id,
                after: AuditJSON.encode(proposal), origin: origin))
        return proposal
    }

    /// A reviewer of the provincial data authority confirms (it becomes citable) or rejects (with a reason) a pending
    /// proposal. The authority answers for the whole province's list, so a city's authority does not; nobody decides
    /// their own proposal.
    public func decide(
        id: String, confirm: Bool, reason: String?, by actor: Principal,
        origin: RequestOrigin
    ) async throws -> LegalInstrumentProposal {
        try Policy.confirmLegalInstruments.check(actor)
        try await requireProvincialAuthority(actor)
        guard var proposal = try await proposals.find(id: id) else {
            throw DomainError.notFound("Legal instrument proposal", zh: "法律法规依据认定申请")
        }
        if proposal.proposedBy == actor.id, actor.kind != .system || proposal.proposedByName == actor.name {
            throw DomainError(
                .forbidden, code: "own_proposal",
                message: LocalizedText(zh: "不能确认或驳回本人提出的依据", en: "You cannot decide an instrument you proposed"))
        }
        var v = Validator()
        if confirm {
            v.limit(reason, field: "reason", maxLength: InputLimits.reason)
        } else {
            v.require(reason, field: "reason", maxLength: InputLimits.reason)
        }
        try v.check()
        guard proposal.status == .pending else {
            throw DomainError.conflict(
                code: "proposal_decided", zh: "该依据已处理（\(proposal.status.name.zh)）",
                en: "The proposal was \(proposal.status.rawValue) already")
        }
        let before = AuditJSON.encode(proposal)
        let note = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        proposal.status = confirm ? .confirmed : .rejected
        proposal.decidedBy = actor.id
        proposal.decidedByName = actor.name
        proposal.decidedAt = now
        proposal.decisionReason = note?.isEmpty == false ? note : nil
        try await proposals.decide(
            proposal,
            audit: AuditRecord(
                actor: actor, action: "legal_instrument.\(confirm ? "confirm" : "reject")",
                objectType: "legal_instrument_proposal", objectId: proposal.id,
                before: before, after: AuditJSON.encode(proposal), origin: origin))
        return proposal
    }

    /// Whether the actor can decide proposals (the portal shows the buttons only then).
    public func canDecide(_ actor: Principal) async throws -> Bool {
        guard Policy.confirmLegalInstruments.allows(actor) else { return false }
        do { try await requireProvincialAuthority(actor) } catch let error as DomainError where error.kind == .forbidden { return false }
        return true
    }

    func requireProvincialAuthority(_ actor: Principal) async throws {
        if actor.kind == .system { return }  // the operator at the server's console
        guard let department = try await departments.find(id: actor.departmentId),
            department.kind == .dataAuthority, department.level == .province
        else {
            throw DomainError(
                .forbidden, code: "provincial_authority_only",
                message: LocalizedText(
                    zh: "只有省政务数据主管部门的审核员可以确认法律法规依据",
                    en: "Only reviewers of the provincial data authority confirm legal instruments"))
        }
    }
}

import Foundation

/// The one authorisation vocabulary: every permission is a case here (its raw value is the name errors, docs/api.md
/// and docs/architecture.md show), granted to roles by `allowedRoles`. Services decide: each checks the policy, then
/// the object rule (own department, reviewing authority …) and refuses with `DomainError.forbidden(policy:)`, which
/// takes only a case of this enum. Everything not granted here is denied. ArchitectureTests keeps the table in
/// docs/architecture.md equal to `allowedRoles`.
public enum Policy: String, Sendable, CaseIterable {
    case manageOrganisations = "organisations.manage"
    case manageAccounts = "accounts.manage"
    case readAudit = "audit.read"
    /// Signing the audit chain's head now (Art. 28): the scheduler and the command line act as the system; on the
    /// server, the platform's administrators and operators.
    case makeAuditCheckpoint = "audit.checkpoint"
    case manageCalendar = "calendar.manage"
    case readDirectory = "directory.read"
    /// Reading shared data (always together with a subscription, a grant, or being the provider).
    case readData = "data.read"
    /// Reporting and mounting the department's own data.
    case reportData = "data.report"
    /// Tracing who read what (Art. 28).
    case traceReads = "data.trace"
    /// Proposing, confirming (a second person), suspending and revoking grants made outside the workflow.
    case manageGrants = "grants.manage"
    /// The provider's consent to clear access to its graded items under a grant made outside the workflow.
    case consentToGrants = "grants.consent"
    /// Reviewing sharing applications (Art. 19): the reviewing authority's and the provider's reviewers, each only on
    /// the applications they review (ApplicationService.role(of:on:)).
    case reviewApplications = "application.review"
    /// Withdrawing an application: anyone of the applicant's department (ApplicationService.withdraw scopes it).
    case withdrawApplication = "application.withdraw"
    /// Answering the reviewers' questions: anyone of the applicant's department (ApplicationService.respond scopes it).
    case respondToApplication = "application.respond"
    /// Seeing every department's applications (supervision and audit), not only those one applied for or reviews.
    case readAllApplications = "applications.read_all"
    /// Seeing who reported which batch of any provider's data (auditors and the platform's staff); the provider and
    /// the data authority over it see their own without it.
    case readAllReportBatches = "data.batches.read_all"
    /// Seeing every misuse case, not only those of one's own department.
    case readAllMisuseCases = "misuse.read_all"
    /// Closing misuse cases: the data authority's reviewers for the cases it supervises; a platform administrator for
    /// a case against the authority's own department (AccountabilityService.mayClose).
    case closeMisuseCases = "misuse.close"
    /// A provider reporting misuse of its data under a grant (Art. 21).
    case reportMisuse = "misuse.report"
    /// Where the department's notifications are delivered.
    case manageWebhooks = "webhooks.manage"
    /// Seeing which instruments count as a legal basis (Art. 16, 18) and what has been proposed.
    case readLegalInstruments = "legal_instruments.read"
    /// Proposing an instrument the list lacks (the department that wants to cite it).
    case proposeLegalInstruments = "legal_instruments.propose"
    /// Confirming or rejecting a proposal (and only in the provincial data authority: LegalBasisService).
    case confirmLegalInstruments = "legal_instruments.confirm"
    /// Compiling catalog entries and importing catalog spreadsheets (of the cataloger's own department, or as a
    /// co-builder of a thematic entry: CatalogService).
    case editCatalog = "catalog.edit"
    /// Reviewing (publishing, returning, withdrawing) entries of the departments the reviewer's authority oversees.
    case reviewCatalog = "catalog.review"
    /// Recording and linking catalog update obligations (Art. 9; on which departments: CatalogObligationService).
    case manageCatalogObligations = "catalog.obligation"
    /// Registering and planning the department's own business systems (Art. 11).
    case manageBusinessSystems = "business_system.manage"
    /// Issuing, suspending, resuming and revoking seals and signing keys (Art. 25): only in the provincial data
    /// authority (SealService.mayManage).
    case manageSeals = "seals.manage"
    /// Seeing one's own department's seals, any seal's status, and verifying signatures (Art. 24).
    case readSeals = "seals.read"
    /// Signing with a seal of one's own department (a personal signature key only by its holder: SealService.sign).
    case signWithSeals = "seals.sign"
    /// Defining an e-licence type on a published catalog entry of one's own department (LicenceService.defineType).
    case defineLicenceTypes = "licences.define_type"
    /// Issuing e-licences of the types one's own department issues, and listing them (Art. 23).
    case issueLicences = "licences.issue"
    /// Revoking an e-licence one's own department issued.
    case revokeLicences = "licences.revoke"
    /// Seeing the registry of backups and their age (Art. 26): operations, administration and audit.
    case readBackups = "backups.read"
    /// Starting a backup on the server (Art. 26).
    case makeBackups = "backups.make"
    /// Seeing the archive registry (Art. 26 电子归档) and the archived audit segments, and checking a package.
    case readArchives = "archives.read"
    /// Making archival packages and the audit log's retention cut: operators and administrators (the CLI and the
    /// scheduler act as the system).
    case createArchives = "archives.create"
    /// Key custody: the status of the key-encryption keys and their rotation (`govshare keys`), console only.
    case manageKeys = "keys.manage"
    /// Reading the computed risk reports and the third parties' reports (Art. 28).
    case readRiskReports = "risk_reports.read"
    /// Generating a risk report on demand (the scheduler makes the monthly one as the system).
    case generateRiskReports = "risk_reports.generate"
    /// Filing a third-party assessor's own risk report (PDF) against a period.
    case uploadRiskReports = "risk_reports.upload"
    /// Asking to destroy a dataset's rows (Art. 27): the provider department's reviewer, for its own datasets.
    case requestDestruction = "destruction.request"
    /// Approving or rejecting a destruction request: the data authority over the provider, never the requester.
    case approveDestruction = "destruction.approve"
    /// Seeing destruction requests and records (own department's; the authority, auditors and officers more).
    case readDestructions = "destruction.read"
    /// Seeing security incidents, emergency plans and drills (Art. 27): a department's security officer its own
    /// department's (and incidents naming it as affected); the data authority's officers every department's
    /// (SecurityOperationsService.seesAll).
    case readSecurityRecords = "security.read"
    /// Seeing every department's incidents, plans and drills: supervision, audit and the operations centre.
    case readAllSecurityRecords = "security.read_all"
    /// Reporting an incident and handling it (log entries, closure): of one's own department, or any department's for
    /// those who see all (SecurityOperationsService.mayAct).
    case reportIncidents = "security.incidents.report"
    /// Keeping a department's emergency plans (应急预案) and their versions.
    case manageEmergencyPlans = "security.plans.manage"
    /// Recording a department's drills (演练) and their follow-ups.
    case manageDrills = "security.drills.manage"
    /// Starting a dataset's re-encryption (a new data key, or clear values mounted before encryption) and seeing its
    /// progress (Art. 27–28): the platform's administrators and operators; the scheduler and the CLI act as the system.
    case manageEncryption = "encryption.manage"
    /// Raising an objection to data one's department has read (Art. 21), and accepting, disputing or withdrawing it.
    case raiseObjection = "objections.raise"
    /// Answering and correcting objections to one's own department's data (ObjectionService: the provider only).
    case answerObjection = "objections.answer"
    /// Ruling on a disputed objection: the data authority over the provider (ObjectionService.mayRule).
    case ruleObjection = "objections.rule"
    /// Seeing every department's objections and their statistics: supervision and audit.
    case readAllObjections = "objections.read_all"
    /// Seeing fact pairs and conflict cases between providers (Art. 13): a provider's reviewers their department's
    /// cases, an authority's reviewers those it arbitrates, administrators and auditors all (ConflictService).
    case readConflicts = "conflicts.read"
    /// Declaring and retiring fact pairs: the data authority's reviewers, over departments the authority reviews.
    case declareFactPairs = "conflicts.declare"
    /// Running the conflict check on demand (the scheduler runs it as the system): an authority's reviewers over its
    /// pairs, administrators and operators over all.
    case runConflictChecks = "conflicts.check"
    /// Negotiating a conflict (messages, proposal, agreement, asking for arbitration): the reviewers of the two
    /// provider departments, each only for its own department's side.
    case negotiateConflicts = "conflicts.negotiate"
    /// Arbitrating an escalated conflict and naming the authoritative source: the reviewers of the authority that
    /// declared the pair.
    case arbitrateConflicts = "conflicts.arbitrate"
    /// Deciding a destruction, objection, correction order or conflict to which the authority's own department is a
    /// party (`Impartiality`): its reviewers would decide their own cause.
    case decideAuthorityOwnCases = "cases.decide_authority_own"
    /// Computing an assessment period's draft from the records (Art. 31): the data authority's reviewers (the CLI acts
    /// as the system).
    case computeAssessments = "assessment.compute"
    /// Publishing a reviewed draft, signed and immutable: another of the authority's reviewers than the one who
    /// computed it (AssessmentService.publish).
    case publishAssessments = "assessment.publish"
    /// Seeing drafts before publication (published periods are public): the authority, administrators and auditors.
    case readAssessmentDrafts = "assessment.read_drafts"
    /// Running the supervision checks on demand (Art. 30; the scheduler runs them as the system).
    case runSupervisionChecks = "supervision.check"
    /// Seeing findings and orders: one's own department's; an authority's reviewers those of the departments it
    /// oversees; administrators and auditors all (SupervisionService.scope).
    case readSupervision = "supervision.read"
    /// Seeing every department's findings and orders: administrators and auditors (SupervisionService.scope).
    case readAllSupervision = "supervision.read_all"
    /// Seeing sampling plans, their samples and inspections (they list other departments' objects): the authorities'
    /// reviewers, administrators and auditors.
    case readSamplingPlans = "supervision.samples.read"
    /// Ordering a department to correct (Art. 29) and accepting or returning its response: the reviewers of the
    /// authority overseeing it.
    case orderRectification = "supervision.order"
    /// Responding to an order with what was done: the ordered department's reviewers.
    case respondRectification = "supervision.respond"

    /// Seeing the registered nodes and their link state (issue 18): administration, operations, audit.
    case readNodes = "nodes.read"
    /// Registering and revoking peer nodes (issue 18): the platform's administrators.
    case manageNodes = "nodes.manage"
    /// Checking a link to a peer now and delivering what waits for it: administrators and operators.
    case checkNodeLinks = "nodes.check"

    public var allowedRoles: Set<Role> {
        switch self {
        case .manageOrganisations, .manageAccounts: [.platformAdmin]
        case .readAudit: [.securityAuditor, .platformAdmin]
        case .makeAuditCheckpoint: [.platformAdmin, .platformOperator]
        case .manageEncryption: [.platformAdmin, .platformOperator]
        case .raiseObjection: [.dataUser, .cataloger, .departmentReviewer]
        case .answerObjection: [.departmentReviewer, .cataloger]
        case .ruleObjection: [.authorityReviewer]
        case .readAllObjections: [.platformAdmin, .securityAuditor]
        case .computeAssessments, .publishAssessments: [.authorityReviewer]
        case .readAssessmentDrafts: [.authorityReviewer, .platformAdmin, .securityAuditor]
        case .runSupervisionChecks: [.authorityReviewer, .platformAdmin, .platformOperator]
        case .readSupervision: [.authorityReviewer, .departmentReviewer, .cataloger, .platformAdmin, .securityAuditor]
        case .readAllSupervision: [.platformAdmin, .securityAuditor]
        case .readSamplingPlans: [.authorityReviewer, .platformAdmin, .securityAuditor]
        case .orderRectification: [.authorityReviewer]
        case .respondRectification: [.departmentReviewer]
        case .readNodes: [.platformAdmin, .platformOperator, .securityAuditor]
        case .manageNodes: [.platformAdmin]
        case .checkNodeLinks: [.platformAdmin, .platformOperator]
        case .manageCalendar: [.platformAdmin, .platformOperator]
        case .readDirectory: Set(Role.allCases)
        case .readData: [.dataUser, .cataloger, .departmentReviewer]
        case .reportData: [.cataloger, .departmentReviewer, .platformAdmin]
        case .traceReads: [.securityAuditor]
        case .manageGrants: [.platformAdmin, .authorityReviewer]
        case .consentToGrants: [.departmentReviewer]
        case .reviewApplications: [.authorityReviewer, .departmentReviewer]
        case .withdrawApplication, .respondToApplication: Set(Role.allCases)
        case .readAllApplications, .readAllMisuseCases: [.platformAdmin, .securityAuditor]
        case .readAllReportBatches: [.securityAuditor, .platformAdmin, .platformOperator]
        case .closeMisuseCases: [.authorityReviewer, .platformAdmin]
        case .reportMisuse: [.departmentReviewer, .cataloger]
        case .manageWebhooks: [.departmentReviewer, .authorityReviewer, .platformAdmin]
        case .readLegalInstruments: Set(Role.allCases)
        case .proposeLegalInstruments: [.cataloger, .departmentReviewer]
        case .confirmLegalInstruments: [.authorityReviewer]
        case .editCatalog: [.cataloger]
        case .reviewCatalog: [.authorityReviewer]
        case .manageCatalogObligations: [.authorityReviewer, .cataloger, .platformAdmin]
        case .manageBusinessSystems: [.cataloger, .departmentReviewer]
        case .manageSeals: [.platformAdmin]
        case .readSeals: Set(Role.allCases)
        case .signWithSeals: [.departmentReviewer, .authorityReviewer]
        case .defineLicenceTypes: [.cataloger]
        case .issueLicences: [.cataloger, .departmentReviewer]
        case .revokeLicences: [.departmentReviewer]
        case .readBackups: [.platformOperator, .platformAdmin, .securityAuditor]
        case .makeBackups: [.platformOperator, .platformAdmin]
        case .readArchives: [.securityAuditor, .platformAdmin, .platformOperator]
        case .createArchives: [.platformOperator, .platformAdmin]
        case .manageKeys: [.platformAdmin]
        case .readRiskReports: [.securityAuditor, .securityOfficer, .platformAdmin, .authorityReviewer]
        case .generateRiskReports: [.securityOfficer, .platformAdmin, .platformOperator]
        case .uploadRiskReports: [.securityAuditor]
        case .requestDestruction: [.departmentReviewer]
        case .approveDestruction: [.authorityReviewer]
        case .readDestructions: [.departmentReviewer, .authorityReviewer, .securityAuditor, .securityOfficer, .platformAdmin]
        case .readSecurityRecords: [.securityOfficer, .platformAdmin, .securityAuditor, .platformOperator]
        case .readAllSecurityRecords: [.platformAdmin, .securityAuditor, .platformOperator]
        case .reportIncidents: [.securityOfficer, .platformAdmin, .platformOperator]
        case .manageEmergencyPlans, .manageDrills: [.securityOfficer, .platformAdmin]
        case .readConflicts: [.departmentReviewer, .authorityReviewer, .platformAdmin, .securityAuditor]
        case .declareFactPairs: [.authorityReviewer]
        case .runConflictChecks: [.authorityReviewer, .platformAdmin, .platformOperator]
        case .negotiateConflicts: [.departmentReviewer, .authorityReviewer]
        case .arbitrateConflicts: [.authorityReviewer]
        case .decideAuthorityOwnCases: [.platformAdmin]
        }
    }

    public func allows(_ principal: Principal) -> Bool {
        !principal.roles.isDisjoint(with: allowedRoles)
    }

    public func check(_ principal: Principal) throws {
        guard allows(principal) else { throw DomainError.forbidden(policy: self) }
    }
}

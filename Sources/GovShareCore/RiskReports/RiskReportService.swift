import Foundation

/// Risk reports (Art. 28 风险评估): computed from the platform for a period — sign-in failures and lockouts, unusual
/// read volumes, grants near expiry or unused, graded items without encryption or masking, overdue incidents, the
/// audit chain and its latest signed checkpoint, the age of the newest backup — stored with their rendering and
/// signed with the data authority's seal in the transaction that stores them; on demand and monthly by the scheduler.
/// Third-party assessors upload their own reports (PDF) against a period, listed beside the computed ones.
public struct RiskReportService: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Scheduled reports: the previous calendar month when 28–31, else consecutive windows of this many days.
        public var intervalDays = 30
        /// Grants ending within this many days of the period's end are listed as near expiry.
        public var grantWarningDays = 30
        /// A newest completed backup older than this is a finding (`backup_max_age_hours`).
        public var backupMaxAgeHours = 24
        /// Items of at least this grade must be encrypted at rest.
        public var encryptFromGrade = 3
        public var unusualReadFactor = 3.0
        public init() {}
    }

    public enum Limits {
        public static let pdfBytes = 32 << 20
        public static let title = 200
        public static let assessor = 200
        public static let fileName = 200
        /// The longest period one report covers.
        public static let periodDays = 366
        public static let listed = 200
    }

    let repository: any RiskReportRepository
    let datasets: any DatasetRepository
    let access: any AccessRepository
    let departments: any DepartmentRepository
    let exchange: ExchangeService
    let auditLog: any AuditLog
    let checkpoints: any AuditCheckpointRepository
    let keyring: PlatformKeyring
    let seals: SealService
    let files: any FileStore
    let clock: any WallClock
    let nodeId: String
    public let settings: Settings

    public init(
        repository: any RiskReportRepository, datasets: any DatasetRepository, access: any AccessRepository,
        departments: any DepartmentRepository, exchange: ExchangeService, auditLog: any AuditLog,
        checkpoints: any AuditCheckpointRepository, keyring: PlatformKeyring, seals: SealService, files: any FileStore,
        clock: any WallClock, nodeId: String, settings: Settings
    ) {
        self.repository = repository; self.datasets = datasets; self.access = access; self.departments = departments
        self.exchange = exchange; self.auditLog = auditLog; self.checkpoints = checkpoints; self.keyring = keyring
        self.seals = seals; self.files = files; self.clock = clock; self.nodeId = nodeId; self.settings = settings
    }

    /// Computes, renders, signs and stores a report for `from`…`to` (civil dates, China Standard Time, both included).
    public func generate(from: String?, to: String?, by actor: Principal, origin: RequestOrigin) async throws -> RiskReport {
        try Policy.generateRiskReports.check(actor)
        let period = try Self.period(from: from, to: to, today: CivilDate(instant: clock.now()))
        return try await make(period: period, trigger: "on_demand", by: actor, origin: origin)
    }

    /// The scheduler's round: the report of the last complete period, once (a report of that period made by the
    /// schedule already is left alone). Returns the report made now, if any.
    @discardableResult
    public func generateIfDue(by actor: Principal, origin: RequestOrigin) async throws -> RiskReport? {
        try Policy.generateRiskReports.check(actor)
        let period = Self.lastCompletePeriod(today: CivilDate(instant: clock.now()), intervalDays: settings.intervalDays)
        if try await repository.scheduled(periodFrom: period.from.description, periodTo: period.to.description) != nil {
            return nil
        }
        return try await make(period: period, trigger: "scheduled", by: actor, origin: origin)
    }

    func make(period: (from: CivilDate, to: CivilDate), trigger: String, by actor: Principal, origin: RequestOrigin) async throws
        -> RiskReport
    {
        let now = clock.now()
        let id = Identifier.make(at: now)
        let content = try await compute(id: id, from: period.from, to: period.to, trigger: trigger, by: actor, now: now)
        let document = content.document
        let signed = try await seals.signAsAuthorityForRecord(document: document, purpose: "risk report \(id)", origin: origin)
        let report = RiskReport(
            id: id, periodFrom: content.periodFrom, periodTo: content.periodTo, trigger: trigger, generatedBy: actor.name,
            generatedAt: content.generatedAt, worst: content.worst, findingCount: content.findings.count, document: document,
            html: RiskReportRenderer.html(content), signature: signed.signatureDER, sealId: signed.sealId,
            documentSM3Hex: signed.documentSM3Hex, nodeId: nodeId)
        let counts = Dictionary(grouping: content.findings, by: \.severity.rawValue).mapValues { String($0.count) }
        try await repository.insert(
            report,
            audits: [
                AuditRecord(
                    actor: actor, action: "risk_report.generate", objectType: "risk_report", objectId: id,
                    after: AuditJSON.encode(
                        counts.merging(
                            ["from": content.periodFrom, "to": content.periodTo, "trigger": trigger, "sm3": signed.documentSM3Hex]
                        ) { a, _ in a }), origin: origin),
                SealService.signingAudit(
                    sealId: signed.sealId, documentSM3Hex: signed.documentSM3Hex, documentBytes: document.count,
                    signedAt: Timestamp.format(signed.signedAt), purpose: "risk_report \(id)", actor: .system("platform"),
                    origin: origin),
            ])
        return report
    }

    public func list(by actor: Principal) async throws -> (reports: [RiskReport], uploads: [ThirdPartyRiskReport]) {
        try Policy.readRiskReports.check(actor)
        return (try await repository.list(limit: Limits.listed), try await repository.uploads(limit: Limits.listed))
    }

    public func report(id: String, by actor: Principal) async throws -> RiskReport {
        try Policy.readRiskReports.check(actor)
        guard Identifier.isValid(id), let report = try await repository.find(id: id) else {
            throw DomainError.notFound("Risk report", zh: "风险评估报告")
        }
        return report
    }

    /// A report with the outcome of checking it (the portal's report page).
    public func view(id: String, by actor: Principal) async throws -> (report: RiskReport, verification: RiskReportVerification) {
        let report = try await report(id: id, by: actor)
        return (report, try await check(report))
    }

    public func mayGenerate(_ actor: Principal) -> Bool { Policy.generateRiskReports.allows(actor) }
    public func mayUpload(_ actor: Principal) -> Bool { Policy.uploadRiskReports.allows(actor) }

    /// Checks the stored report against its signature (the document's SM3, the authority's seal, the chain to the
    /// platform's root) and that the stored digest is the document's.
    public func verify(id: String, by actor: Principal) async throws -> RiskReportVerification {
        try await check(try await report(id: id, by: actor))
    }

    func check(_ report: RiskReport) async throws -> RiskReportVerification {
        let check = try await seals.verify(document: report.document, signature: report.signature)
        var reasons = check.reasons.map(\.message)
        let digest = Hex.encode(keyring.crypto.sm3(report.document))
        if digest != report.documentSM3Hex {
            reasons.append(
                LocalizedText(zh: "报告内容与登记的 SM3 杂凑值不符", en: "The report's content does not match its recorded SM3 digest"))
        }
        if (try? RiskReportContent.decode(report.document))?.id != report.id {
            reasons.append(LocalizedText(zh: "报告内容不是本报告", en: "The signed content is not this report's"))
        }
        return RiskReportVerification(reportId: report.id, valid: check.valid && reasons.isEmpty, reasons: reasons, documentSM3Hex: digest)
    }
}

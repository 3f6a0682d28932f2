import Foundation
import GovShareCore
import GovShareCrypto
import GovShareStore
import Logging

/// Everything the server and the command line share: one database and the domain services over it. The composition
/// root builds the store's repositories and hands them to the services; it keeps none of them, so nothing outside Core
/// can reach past a service's rules (Tools/check_architecture.sh and ArchitectureTests hold this).
public struct Platform: Sendable {
    public let config: GovShareConfig
    public let database: GovShareDatabase
    public let clock: any WallClock
    public let logger: Logger
    /// Reading the audit log, recorded the same way for every caller.
    public let audit: AuditService
    public let accounts: AccountService
    public let directory: DirectoryService
    public let calendar: CalendarService
    public let catalog: CatalogService
    /// Catalog spreadsheets in the guide's layout, in and out.
    public let catalogImport: CatalogImportService
    /// What may be cited as a legal basis (Art. 16, 18): the list and the confirmed proposals.
    public let legalBasis: LegalBasisService
    public let obligations: CatalogObligationService
    public let businessSystems: BusinessSystemService
    public let exchange: ExchangeService
    public let verification: VerificationService
    public let pulls: PullService
    public let mounts: MountService
    public let applications: ApplicationService
    public let accountability: AccountabilityService
    /// Grants outside the workflow (proposal, confirmation, consent) and every grant's suspension, renewal,
    /// revocation, listing and usage.
    public let grants: GrantService
    /// Each person's work for the home page, composed from the services above.
    public let workplace: WorkplaceService
    public let notificationDispatcher: NotificationDispatcher
    /// The root and node keys (Art. 25, 28) and the national algorithms every signing service uses.
    public let keyring: PlatformKeyring
    /// Re-encryption of datasets (a new data key, or clear values mounted before encryption at rest) with progress.
    public let datasetEncryption: DatasetEncryptionService
    /// Seals and signing keys issued by the data authority (Art. 25); signing and verification (Art. 24).
    public let seals: SealService
    /// E-licences (Art. 23): issued and revoked by the responsible department, signed with its seal, looked up by
    /// holder under the catalog's access rules.
    public let licences: LicenceService
    /// Signed audit checkpoints (Art. 28): made on a schedule and on shutdown, exported, verified against.
    public let auditCheckpoints: AuditCheckpointService
    /// Security operations (Art. 27): incidents, emergency plans, drills and their reminders.
    public let security: SecurityOperationsService
    /// Archival packages (Art. 26) and the audit log's retention cut into audit segments (Art. 28).
    public let archives: ArchiveService
    /// Risk reports (Art. 28): computed, signed by the data authority, scheduled monthly; third parties' uploads.
    public let riskReports: RiskReportService
    /// Assessment (Art. 31): periods computed from the records, reviewed, published signed and public.
    public let assessments: AssessmentService
    /// Supervision (Art. 29–30): rule checks with findings, orders to correct, their responses and escalation.
    public let supervision: SupervisionService
    /// Destruction requests, approvals and records (Art. 27).
    public let destructions: DestructionService
    /// Objections to shared data, their answers, corrections, disputes and rulings (Art. 13, 21).
    public let objections: ObjectionService
    /// Conflicts between providers (Art. 13): fact pairs, the check, negotiation, arbitration, authoritative sources.
    public let conflicts: ConflictService
    /// Finds and removes what the demo seeder created (`govshare demo purge`; production refuses to start on it).
    public let demoData: DemoDataService
    /// Registered, encrypted, signed backups (Art. 26; docs/backups.md).
    public let backups: BackupService
    /// The key-encryption key's status and online rotation (`govshare keys`; docs/key-custody.md).
    public let keyCustody: KeyRotationService
    /// Peer nodes (Art. 15): the registry, signed and sequenced messages, the outbox (docs/nodes.md).
    public let federation: FederationService

    /// Opens the configured database and applies pending migrations.
    public static func open(config: GovShareConfig, clock: any WallClock = SystemWallClock(), logger: Logger) async throws -> Platform {
        // Art. 16, 18: what may be cited as a legal basis (`legal_instruments_file` replaces the bundled list).
        let instruments = try config.legalInstruments ?? LegalInstrumentList.bundled()
        // The key-encryption key is read before the database opens: without it no platform key can be used.
        let crypto = OpenSSLNationalCrypto()
        let custody = try FileKeyCustody(path: config.keyFilePath, crypto: crypto, create: true)
        let database: GovShareDatabase
        if let url = config.databaseURL {
            database = try GovShareDatabase.postgres(
                url: url, schema: config.databaseSchema, logger: logger,
                connectionsPerLoop: config.databaseConnections, readURLs: config.databaseReadURLs,
                replicaCheckInterval: .milliseconds(config.databaseReadCheckMilliseconds))
        } else {
            database = try GovShareDatabase.sqlite(path: config.sqlitePath, logger: logger)
        }
        let keyring: PlatformKeyring
        do {
            let applied = try await Migrator(database: database, custody: custody).migrate()
            if !applied.isEmpty { logger.notice("migrations applied", metadata: ["versions": "\(applied)"]) }
            // Art. 28: the database's retention triggers read the configured retention (it only ever grows).
            let retention = try await SQLRetentionSettings(context: StoreContext(database: database, nodeId: config.nodeId, clock: clock))
                .raise(to: config.rules.auditRetentionDays, origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "startup"))
            let keys = PlatformKeyring(
                repository: SQLPlatformKeyRepository(context: StoreContext(database: database, nodeId: config.nodeId, clock: clock)),
                crypto: crypto, custody: custody, clock: clock, nodeId: config.nodeId, authorityName: config.authorityName)
            // Art. 25: the root that certifies every seal, and this node's key; fails closed on a foreign key file.
            try await keys.start(origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "startup"))
            keyring = keys
            if retention > config.rules.auditRetentionDays {
                logger.warning(
                    "audit retention kept longer than configured",
                    metadata: ["configured_days": "\(config.rules.auditRetentionDays)", "kept_days": "\(retention)"])
            }
        } catch {
            await database.shutdown()
            throw error
        }
        return Platform(
            config: config, database: database, clock: clock, logger: logger, instruments: instruments, keyring: keyring)
    }

    init(
        config: GovShareConfig, database: GovShareDatabase, clock: any WallClock, logger: Logger, instruments: [LegalInstrument],
        keyring: PlatformKeyring
    ) {
        self.config = config
        self.keyring = keyring
        self.database = database
        self.clock = clock
        self.logger = logger
        let context = StoreContext(database: database, nodeId: config.nodeId, clock: clock, custody: keyring.custody)
        let auditLog = SQLAuditLog(context: context)
        audit = AuditService(log: auditLog)
        let regions = SQLRegionRepository(context: context)
        let departments = SQLDepartmentRepository(context: context)
        let accountRepository = SQLAccountRepository(context: context)
        let deadlines = SQLDeadlineRepository(context: context)
        accounts = AccountService(
            accounts: accountRepository, departments: departments, auditLog: auditLog,
            hasher: BcryptCredentialHasher(cost: config.security.passwordHashCost), clock: clock,
            security: config.security, nodeId: config.nodeId)
        directory = DirectoryService(regions: regions, departments: departments, clock: clock, nodeId: config.nodeId)
        calendar = CalendarService(
            repository: SQLCalendarRepository(context: context), deadlines: deadlines, clock: clock,
            nodeId: config.nodeId)
        // Encryption at rest (docs/encryption-at-rest.md): graded values sealed under per-dataset keys in custody.
        let datasetKeys = DatasetKeyring(crypto: keyring.crypto, custody: keyring.custody, encryptFromGrade: config.encryptFromGrade)
        let conflictRepository = SQLConflictRepository(context: context, keys: datasetKeys)
        // The catalog's repositories are the services' own: nothing outside them reaches these tables.
        let catalogRepository = SQLCatalogRepository(context: context, codes: ResourceCodeScheme(regionCode: config.nodeRegionCode))
        let accountabilityRepository = SQLAccountabilityRepository(context: context)
        let legalInstrumentRepository = SQLLegalInstrumentRepository(context: context)
        legalBasis = LegalBasisService(
            list: instruments, proposals: legalInstrumentRepository, departments: departments, clock: clock,
            nodeId: config.nodeId)
        catalog = CatalogService(
            repository: catalogRepository, departments: departments, clock: clock, nodeId: config.nodeId,
            legalBasis: legalBasis,
            grants: GrantReconciler(accountability: accountabilityRepository, clock: clock),
            requiredFields: config.rules.catalogRequiredFields,
            sources: conflictRepository)
        catalogImport = CatalogImportService(catalog: catalog, repository: catalogRepository)
        obligations = CatalogObligationService(
            repository: catalogRepository, departments: departments, calendar: calendar,
            clock: clock, workingDays: config.rules.catalogUpdateWorkingDays,
            reminderWorkingDays: config.rules.catalogReminderWorkingDays)
        let businessSystemRepository = SQLBusinessSystemRepository(context: context)
        businessSystems = BusinessSystemService(
            systems: businessSystemRepository, catalog: catalog, catalogRepository: catalogRepository,
            departments: departments, clock: clock, nodeId: config.nodeId)
        let datasetRepository = SQLDatasetRepository(context: context, keys: datasetKeys)
        let accessRepository = SQLAccessRepository(context: context)
        exchange = ExchangeService(
            datasets: datasetRepository, access: accessRepository, catalog: catalogRepository,
            departments: departments, auditLog: auditLog,
            clock: clock, nodeId: config.nodeId)
        datasetEncryption = DatasetEncryptionService(
            repository: SQLDatasetEncryptionRepository(context: context, keys: datasetKeys), exchange: exchange, keyring: datasetKeys,
            clock: clock, nodeId: config.nodeId, batchRows: config.reencryptionBatchRows)
        verification = VerificationService(
            exchange: exchange, budget: SQLVerificationBudget(context: context),
            perMinute: config.security.verificationsPerMinute, perDay: config.security.verificationsPerDay,
            perRecord: config.security.verificationsPerRecordPerDay)
        let pullSources = SQLPullSourceRepository(context: context)
        let outbound = OutboundPolicy(allowLoopback: config.outboundAllowLoopback)
        pulls = PullService(
            sources: pullSources, reader: PostgresSourceReader(logger: logger, outbound: outbound), exchange: exchange,
            datasets: datasetRepository, clock: clock, nodeId: config.nodeId, chunkSize: config.pullChunkRows,
            outbound: outbound)
        let mountRepository = SQLMountRepository(context: context)
        let files = LocalFileStore(directory: (config.dataDirectory as NSString).appendingPathComponent("files"))
        mounts = MountService(
            mounts: mountRepository, files: files, caller: HTTPServiceCaller(outbound: outbound, logger: logger), exchange: exchange,
            departments: departments, clock: clock, nodeId: config.nodeId, outbound: outbound)
        seals = SealService(
            seals: SQLSealRepository(context: context), departments: departments, accounts: accountRepository,
            keyring: keyring, codec: GBT38540Codec(), auditLog: auditLog, clock: clock, nodeId: config.nodeId)
        let applicationRepository = SQLApplicationRepository(context: context)
        applications = ApplicationService(
            applications: applicationRepository, exchange: exchange, catalog: catalog,
            departments: departments, deadlines: deadlines, calendar: calendar, clock: clock,
            nodeId: config.nodeId, rules: config.rules, legalBasis: legalBasis, seals: seals,
            letters: SQLOfficialDocumentRepository(context: context))
        accountability = AccountabilityService(
            repository: accountabilityRepository, access: accessRepository,
            applications: applicationRepository, catalog: catalog, catalogRepository: catalogRepository,
            departments: departments, files: files, clock: clock, nodeId: config.nodeId,
            mailEnabled: config.smtp != nil, outbound: outbound)
        grants = GrantService(
            access: accessRepository, accountability: accountabilityRepository, catalog: catalogRepository,
            exchange: exchange, departments: departments, clock: clock, nodeId: config.nodeId,
            grantMaxYears: config.rules.grantMaxYears, seals: seals, letters: SQLOfficialDocumentRepository(context: context))
        security = SecurityOperationsService(
            records: SQLSecurityRecordRepository(context: context), departments: departments, accounts: accountRepository,
            catalog: catalogRepository, clock: clock, nodeId: config.nodeId, settings: config.securityOperations)
        workplace = WorkplaceService(
            applications: applications, catalog: catalog, obligations: obligations, grants: grants,
            exchange: exchange, calendar: calendar, departments: departments, clock: clock, security: security)
        licences = LicenceService(
            licences: SQLLicenceRepository(context: context, keys: datasetKeys), exchange: exchange, catalog: catalogRepository,
            departments: departments, files: files, seals: seals, keyring: keyring, clock: clock, nodeId: config.nodeId)
        auditCheckpoints = AuditCheckpointService(
            repository: SQLAuditCheckpointRepository(context: context), log: auditLog, keyring: keyring, clock: clock,
            nodeId: config.nodeId, intervalMinutes: config.rules.auditCheckpointMinutes)
        archives = ArchiveService(
            repository: SQLArchiveRepository(context: context), seals: seals, sealRepository: SQLSealRepository(context: context),
            applications: applicationRepository, attachments: accountabilityRepository,
            letters: SQLOfficialDocumentRepository(context: context), files: files, hashing: AuditChainHashing(),
            crypto: keyring.crypto, codec: GBT38540Codec(), clock: clock, nodeId: config.nodeId,
            directory: config.archiveDirectoryPath, retentionDays: config.rules.auditRetentionDays,
            intervalMinutes: config.auditArchiveMinutes)
        var riskSettings = RiskReportService.Settings()
        riskSettings.intervalDays = config.riskReportIntervalDays
        riskSettings.grantWarningDays = config.grantExpiryWarningDays
        riskSettings.backupMaxAgeHours = config.backupMaxAgeHours
        riskSettings.encryptFromGrade = config.encryptFromGrade
        riskReports = RiskReportService(
            repository: SQLRiskReportRepository(context: context), datasets: datasetRepository, access: accessRepository,
            departments: departments, exchange: exchange, auditLog: auditLog,
            checkpoints: SQLAuditCheckpointRepository(context: context), keyring: keyring, seals: seals, files: files,
            clock: clock, nodeId: config.nodeId, settings: riskSettings)
        assessments = AssessmentService(
            repository: SQLAssessmentRepository(context: context), catalog: catalogRepository, departments: departments,
            seals: seals, keyring: keyring, clock: clock, nodeId: config.nodeId, scheme: config.assessmentScheme,
            requiredFields: config.rules.catalogRequiredFields)
        var supervisionSettings = SupervisionService.Settings()
        supervisionSettings.checkHours = config.supervisionCheckHours
        supervisionSettings.mountWorkingDays = config.rules.supervisionMountWorkingDays
        supervisionSettings.orderWorkingDays = config.rules.rectificationWorkingDays
        supervision = SupervisionService(
            repository: SQLSupervisionRepository(context: context), facts: SQLAssessmentRepository(context: context),
            catalog: catalogRepository, departments: departments, exchange: exchange, access: accessRepository,
            checkpoints: SQLAuditCheckpointRepository(context: context), calendar: calendar, seals: seals, keyring: keyring,
            clock: clock, nodeId: config.nodeId, requiredFields: config.rules.catalogRequiredFields, settings: supervisionSettings)
        destructions = DestructionService(
            repository: SQLDestructionRepository(context: context), datasets: datasetRepository, catalog: catalogRepository,
            departments: departments, crypto: keyring.crypto, clock: clock, nodeId: config.nodeId)
        objections = ObjectionService(
            repository: SQLObjectionRepository(context: context, keys: datasetKeys), exchange: exchange, departments: departments,
            calendar: calendar, files: files, clock: clock, nodeId: config.nodeId, rules: config.rules)
        conflicts = ConflictService(
            repository: conflictRepository, exchange: exchange, departments: departments,
            calendar: calendar, clock: clock, nodeId: config.nodeId,
            negotiationWorkingDays: config.rules.conflictNegotiationWorkingDays)
        demoData = DemoDataService(repository: SQLDemoDataRepository(context: context), accounts: accounts)
        backups = BackupService(
            repository: SQLBackupRepository(context: context),
            dumper: SQLBackupDumper(context: context, postgresURL: config.databaseURL, schema: config.databaseSchema),
            log: auditLog, keyring: keyring, clock: clock, nodeId: config.nodeId, directory: config.backupDirectoryPath,
            maxAgeHours: config.backupMaxAgeHours, owner: ProcessOwner.current, isOwnerAlive: ProcessOwner.isAlive)
        keyCustody = KeyRotationService(repository: SQLWrappedKeyRepository(context: context), custody: keyring.custody, log: auditLog)
        notificationDispatcher = NotificationDispatcher(
            queue: DeliveryQueue(repository: accountabilityRepository), clock: clock, logger: logger, smtp: config.smtp,
            outbound: outbound)
        federation = FederationService(
            repository: SQLFederationRepository(context: context), transport: HTTPNodeTransport(outbound: outbound), keyring: keyring,
            log: auditLog, clock: clock, nodeId: config.nodeId, nodeName: config.authorityName, regionCode: config.nodeRegionCode,
            clockSkewSeconds: config.federationClockSkewSeconds)
    }

    public func shutdown() async { await database.shutdown() }
}

import Foundation
import GovShareCore
import GovShareStore
import Hummingbird
import Logging
import Metrics
import Prometheus

/// The running server and the platform behind it.
public struct GovShareServer: Sendable {
    public let app: Application<RouterResponder<AppRequestContext>>
    public let platform: Platform
    /// "METHOD /path" of every route, for the contract test against the OpenAPI document.
    public let routes: [String]
}

enum MetricsRegistry {
    /// Bootstrapped once per process: the metrics system is global.
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// The composition root, used by `govshare serve` and by the tests.
public func buildApplication(
    config: GovShareConfig, clock: any WallClock = SystemWallClock(),
    logger: Logger? = nil
) async throws -> GovShareServer {
    var logger = logger ?? Logger(label: "govshare")
    logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
    logger[metadataKey: "node"] = "\(config.nodeId)"
    let config = try DevelopmentSecrets.fill(config)
    // Before anything makes a metric: one made before the bootstrap stays bound to the no-op factory.
    _ = MetricsRegistry.shared
    let platform = try await Platform.open(config: config, clock: clock, logger: logger)
    do {
        if config.mode == .production {
            try await platform.demoData.requireNoDemoData(demoUsernames: try DemoSeeder.usernames(), demoPassword: DemoSeeder.password)
        }
        // Art. 26: a backup killed with its process is marked failed (and its partial files removed) at the next start.
        try await platform.backups.failInterrupted(origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "startup"))
        if config.demo { try await DemoSeeder(platform: platform).seed() }
        let tokens = await TokenService(secret: config.security.tokenSecret, clock: clock)
        let pages = try await PageRenderer.load()
        let secureCookies = config.mode == .production

        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestMetadataMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(pages: pages))
        router.add(middleware: InputSanityMiddleware())
        SystemController(platform: platform, registry: MetricsRegistry.shared).register(on: router)

        let api = router.group("api/v1").add(
            middleware: BearerAuthenticator(tokens: tokens, accounts: platform.accounts, database: platform.database))
        AuthController(platform: platform, tokens: tokens).register(on: api)
        DirectoryController(platform: platform).register(on: api)
        AccountsController(platform: platform).register(on: api)
        AuditController(platform: platform).register(on: api)
        CalendarController(platform: platform).register(on: api)
        CatalogController(platform: platform).register(on: api)
        CatalogSearchController(platform: platform).register(on: api)
        BusinessSystemsController(platform: platform).register(on: api)
        LegalInstrumentsController(platform: platform).register(on: api)
        SealsController(platform: platform).register(on: api)
        LicencesController(platform: platform).register(on: api)
        CatalogImportController(platform: platform).register(on: api)
        DatasetsController(platform: platform).register(on: api)
        DatasetEncryptionController(platform: platform).register(on: api)
        AccessController(platform: platform).register(on: api)
        GrantsController(platform: platform).register(on: api)
        VerificationController(platform: platform).register(on: api)
        PullSourcesController(platform: platform).register(on: api)
        MountsController(platform: platform).register(on: api)
        ApplicationsController(platform: platform).register(on: api)
        InboxController(platform: platform).register(on: api)
        AccountabilityController(platform: platform).register(on: api)
        AuditCheckpointsController(platform: platform).register(on: api)
        BackupsController(platform: platform).register(on: api)
        ArchivesController(platform: platform).register(on: api)
        SecurityController(platform: platform).register(on: api)
        RiskReportsController(platform: platform).register(on: api)
        DestructionsController(platform: platform).register(on: api)
        ObjectionsController(platform: platform).register(on: api)
        ConflictsController(platform: platform).register(on: api)
        AssessmentsController(platform: platform).register(on: api)
        SupervisionController(platform: platform).register(on: api)
        SamplingController(platform: platform).register(on: api)
        NodesController(platform: platform).register(on: api)
        // CKAN serves its Action API under /api/3/action and /api/action (ckanapi uses the latter).
        for prefix in ["api/3/action", "api/action"] {
            let ckan = router.group(RouterPath(prefix)).add(
                middleware: BearerAuthenticator(
                    tokens: tokens, accounts: platform.accounts,
                    database: platform.database, acceptsBareToken: true))
            CKANController(platform: platform).register(on: ckan)
        }

        let portal = router.group().add(
            middleware: SessionAuthenticator(
                tokens: tokens, accounts: platform.accounts, database: platform.database,
                secureCookies: secureCookies))
        PortalController(platform: platform, tokens: tokens, pages: pages, secureCookies: secureCookies).register(on: portal)
        PortalPagesController(platform: platform, pages: pages).register(on: portal)
        PortalCatalogEditor(platform: platform, pages: pages).register(on: portal)
        PortalCatalogImport(platform: platform, pages: pages).register(on: portal)
        PortalCatalogController(platform: platform, pages: pages).register(on: portal)
        PortalTraceController(platform: platform, pages: pages).register(on: portal)
        PortalDataController(platform: platform, pages: pages).register(on: portal)
        PortalApplicationsController(platform: platform, pages: pages).register(on: portal)
        PortalGrantsController(platform: platform, pages: pages).register(on: portal)
        PortalNotificationsController(platform: platform, pages: pages).register(on: portal)
        PortalLegalInstrumentsController(platform: platform, pages: pages).register(on: portal)
        PortalSealsController(platform: platform, pages: pages).register(on: portal)
        PortalBackupsController(platform: platform, pages: pages).register(on: portal)
        PortalNodesController(platform: platform, pages: pages).register(on: portal)
        PortalSecurityController(platform: platform, pages: pages).register(on: portal)
        PortalLicencesController(platform: platform, pages: pages).register(on: portal)
        PortalArchivesController(platform: platform, pages: pages).register(on: portal)
        PortalRiskReportsController(platform: platform, pages: pages).register(on: portal)
        PortalAssessmentsController(platform: platform, pages: pages).register(on: portal)
        PortalSupervisionController(platform: platform, pages: pages).register(on: portal)
        PortalDestructionsController(platform: platform, pages: pages).register(on: portal)
        PortalObjectionsController(platform: platform, pages: pages).register(on: portal)
        PortalConflictsController(platform: platform, pages: pages).register(on: portal)

        // Connections are bounded in number and time (slow clients cannot hold them open); limits per client address
        // belong to the reverse proxy in front (docs/security.md).
        let requestSeconds = Int64(config.limits.requestReadSeconds)
        let app = Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [RequestDeadlineHandler(seconds: requestSeconds)],
                    idleTimeout: .seconds(Int64(config.limits.idleTimeoutSeconds)))),
            configuration: .init(
                address: .hostname(config.host, port: config.port), serverName: "GovShare",
                availableConnectionsDelegate: .maximum(config.limits.maxConnections, logger: logger)),
            services: config.schedulerSeconds > 0
                ? [
                    // First: the service group stops services in reverse order, so this one signs last.
                    ShutdownCheckpoint(platform: platform),
                    JobScheduler(platform: platform, period: .seconds(config.schedulerSeconds)),
                    JobScheduler.nodeDelivery(platform: platform, seconds: config.federationSyncSeconds),
                    ReadReferenceIndexer(platform: platform),
                ] : [],
            logger: logger)
        return GovShareServer(app: app, platform: platform, routes: router.routes.map(\.description))
    } catch {
        await platform.shutdown()
        throw error
    }
}

/// In development only, a missing token secret is generated once and kept in the data directory, so sessions
/// survive restarts; production refuses to start without one (see GovShareConfig.load).
enum DevelopmentSecrets {
    static func fill(_ config: GovShareConfig) throws -> GovShareConfig {
        guard config.security.tokenSecret.isEmpty, config.mode == .development else { return config }
        var config = config
        let path = (config.dataDirectory as NSString).appendingPathComponent(".dev-token-secret")
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.utf8.count >= 32 {
            config.security.tokenSecret = existing
        } else {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            let secret = RandomToken.make(bytes: 48)
            // Without the file, sessions would not survive a restart: say so rather than run on a secret nobody kept.
            guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw DomainError(
                    .unavailable, code: "secret_unwritable",
                    message: LocalizedText(zh: "无法写入开发密钥文件 \(path)", en: "Cannot write the development secret to \(path)"))
            }
            config.security.tokenSecret = secret
        }
        return config
    }
}

import Foundation

/// The regulation's numbers, kept as configuration with the Guangdong 2018 values as defaults; a rules profile
/// (`rules_profile`, see RulesProfile.swift) switches them to a later instrument such as State Council Decree 809
/// without a release, and explicit settings still override the profile.
public struct RegulationRules: Sendable, Equatable {
    /// Art. 19: reply to a conditional application within 10 working days of receipt.
    public var applicationReplyWorkingDays = 10
    /// Who reviews an application first (Art. 19 leaves it to the authority): authority_first, provider_first or parallel.
    public var applicationReviewOrder = ReviewOrder.parallel
    /// Art. 9: update the catalog within 15 working days of a law or function change.
    public var catalogUpdateWorkingDays = 15
    /// Art. 19 ("主管部门会同提供部门审核"): when the provider has not decided this many working days before the due
    /// date, the authority may decide alone, so an application always has someone able to answer it in time.
    public var providerSilenceWorkingDays = 2
    /// Reminders go out this many working days before an application's due date.
    public var applicationReminderWorkingDays = 2
    /// The longest validity an application (and the grant it creates) may ask for, in years.
    public var grantMaxYears = 3
    /// Reminders go out this many working days before a catalog update obligation is due (Art. 9).
    public var catalogReminderWorkingDays = 3
    /// Art. 13: working days two providers have to agree on a conflict before the data authority arbitrates (the
    /// regulation sets no number; ten, as for a reply to an application, is the platform's choice).
    public var conflictNegotiationWorkingDays = 10
    /// Working days a published entry may go without anything mounted before supervision names it (Art. 11 sets no
    /// number). *Platform choice.*
    public var supervisionMountWorkingDays = 10
    /// The deadline of an order to correct when the authority names none (Art. 29 sets no number). *Platform choice.*
    public var rectificationWorkingDays = 10
    /// Catalog elements a submitted entry must fill in (Art. 8 and the national guide); enumerated elements (format,
    /// share method, update cycle, collection basis, open to public) and items are always required.
    public var catalogRequiredFields = ["name", "summary", "responsible_party", "update_deadline", "usage_requirements"]
    /// Art. 28 with the Cybersecurity Law: keep security logs at least six months.
    public var auditRetentionDays = 183
    /// Art. 28: how often the node signs its audit chain's head (a signed checkpoint; also on shutdown).
    public var auditCheckpointMinutes = 10
    /// Art. 21 (校核): the provider answers an objection within this many working days.
    public var objectionReplyWorkingDays = 5
    /// Art. 13, 21: the data authority rules on a disputed objection within this many working days.
    public var objectionRulingWorkingDays = 10
    /// After a ruling for the objector, the provider corrects within this many working days.
    public var objectionCorrectionWorkingDays = 5
    /// Departments that read a record in this many days before its correction are told of it.
    public var correctionNoticeDays = 30
    public init() {}
}

extension RegulationRules {
    /// Free-text catalog elements that configuration may make required.
    public static let requirableCatalogFields = [
        "name", "summary", "responsible_party", "update_deadline", "usage_requirements",
        "classification_path", "collection_source", "open_conditions",
    ]
}

public struct SecuritySettings: Sendable, Equatable {
    public var tokenSecret: String = ""
    public var accessTokenSeconds = 900
    public var sessionSeconds = 8 * 3600
    public var passwordHashCost = 12
    public var lockoutThreshold = 5
    public var lockoutMinutes = 15
    /// Identity checks (核验) one department may make on one dataset per minute and per day: each answers match / no
    /// match for values the caller already holds, so the limit is what keeps it from becoming a way to guess values.
    public var verificationsPerMinute = 30
    public var verificationsPerDay = 2_000
    /// Identity checks one department may make on one record (by each identifying value given) per day.
    public var verificationsPerRecordPerDay = 5
    public init() {}
}

/// What one client can hold of the server: connections and how long a request may take to arrive.
public struct ConnectionLimits: Sendable, Equatable {
    /// Open connections at most; more wait in the listen backlog.
    public var maxConnections = 4_000
    /// A connection that sends nothing for this long is closed.
    public var idleTimeoutSeconds = 30
    /// A request must arrive whole within this long of its head (a 256 MiB import at 2.5 MB/s takes ~100 s).
    public var requestReadSeconds = 300
    public init() {}
}

public enum RunMode: String, Sendable { case development, production }

/// All settings, read once at start-up: flags, then `GOVSHARE_*` environment variables, then a JSON file, then the
/// rules profile (regulation rules only), then defaults. `sources` says which layer each setting came from.
public struct GovShareConfig: Sendable, Equatable {
    public var mode: RunMode = .development
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    /// `postgres://…` for PostgreSQL; nil for the embedded SQLite file under the data directory.
    public var databaseURL: String?
    /// PostgreSQL schema to use (several nodes or test runs can share one server); default: the server's search path.
    public var databaseSchema: String?
    /// PostgreSQL connections per event loop (the server runs one loop per core).
    public var databaseConnections = 8
    /// Streaming replicas of the PostgreSQL primary (`database_read_url`, comma-separated) that serve consumers' data
    /// pages while fresh; access decisions and writes stay on the primary (docs/deployment.md).
    public var databaseReadURLs: [String] = []
    /// How often the replicas' replay position is compared with the primary's; a replica serves while at most two
    /// such intervals behind.
    public var databaseReadCheckMilliseconds = 250
    public var nodeId = "gd-province"
    /// The node's administrative division code: 440000 for the provincial node, a city's (440100 广州 …) for a
    /// sub-node. Its resource codes carry it, so codes are unique province-wide (ResourceCodeScheme).
    public var nodeRegionCode = ResourceCodeScheme.province
    /// How far a peer node's `sent_at` may differ from this node's clock before its message is refused (issue 18).
    public var federationClockSkewSeconds = 300
    /// How often catalog changes and checkpoints are queued for peer nodes and the outbox delivered (issue 18).
    public var federationSyncSeconds = 2
    public var logLevel = "info"
    public var demo = false
    /// How often the server runs due pulls, reminders and escalations; 0 turns the scheduler off (tests).
    public var schedulerSeconds = 30
    /// Rows a scheduled pull reads and reports per batch.
    public var pullChunkRows = 5_000
    /// Whether webhooks and service endpoints may point at this machine (development and tests only).
    public var outboundAllowLoopback = false
    /// Rows in the largest demo dataset (人口基础信息); tests use a few hundred.
    public var demoRows = 100_000
    /// Whether the demo also adds sharing applications in every state (tests of the clock turn it off).
    public var demoApplications = true
    /// Where notification mail goes out (`smtp_url`, `smtp_from`); nil: no mail, the inbox and webhooks only.
    public var smtp: SMTPSettings?
    public var security = SecuritySettings()
    public var limits = ConnectionLimits()
    public var rules = RegulationRules()
    /// `legal_instruments_file`: a JSON list that replaces the bundled list of instruments accepted as a legal basis
    /// (Art. 16, 18; docs/legal-basis.md), read and checked at start-up. Nil: the bundled list.
    public var legalInstrumentsFile: String?
    public var legalInstruments: [LegalInstrument]?
    /// The rules profile the regulation rules were taken from (`guangdong-2018` unless configured).
    public var rulesProfile = RulesProfile.defaultName
    /// `key_file`: the key-encryption key that wraps every private key kept by the platform (seals, root, node). Outside
    /// the data directory by default, so a copy of the data directory holds no usable key.
    public var keyFile: String?
    /// `backup_directory`: where `govshare backup` and `POST /api/v1/backups` write (default `<data_dir>-backups`,
    /// beside the data directory); `backup_max_age_hours`: the portal warns when the newest completed backup is older
    /// (Art. 26, docs/backups.md).
    public var backupDirectory: String?
    public var backupMaxAgeHours = 24
    /// `archive_dir`: where archival packages are written (default `<data_dir>-archives`, beside the data directory);
    /// `audit_archive_enabled` / `audit_archive_minutes`: whether and how often the scheduler moves audit entries past
    /// the retention into audit-segment packages (Art. 26, 28; docs/archiving.md).
    public var archiveDirectory: String?
    public var auditArchiveEnabled = true
    public var auditArchiveMinutes = 1_440
    /// `authority_name`: the data authority named in the root certificate this node creates on its first start.
    public var authorityName = "广东省政务服务数据管理局"
    /// Art. 27–28 (encryption at rest): item values of this sensitivity grade (1–4) and above are stored SM4-GCM
    /// encrypted with a blind index (docs/encryption-at-rest.md); 5 turns encryption of new datasets off.
    public var encryptFromGrade = 3
    /// Art. 28 risk reports: `risk_report_interval_days` — the scheduler reports on the previous calendar month when
    /// 28–31 (default 30, monthly), else on consecutive windows of that many days; `grant_expiry_warning_days` — grants
    /// ending within this many days are listed (docs/risk-reports.md).
    public var riskReportIntervalDays = 30
    /// Art. 13: the scheduler runs the conflict check over every fact pair when the last run is this many hours old.
    public var conflictCheckHours = 24
    /// The scheduler runs the supervision checks when the last run is this old (Art. 30).
    public var supervisionCheckHours = 24
    /// The assessment scheme (Art. 31): `assessment_weights` and `assessment_scheme_version`.
    public var assessmentScheme = AssessmentScheme.standard
    public var grantExpiryWarningDays = 30
    /// Rows the background re-encryption job converts per transaction (its cursor commits with each batch).
    public var reencryptionBatchRows = 500
    /// Art. 27: incident reporting deadlines per level, closure period, drill interval and reminder
    /// (`incident_report_hours_<level>`, `incident_close_days`, `drill_interval_days`, `drill_reminder_days`).
    public var securityOperations = SecurityOperationsSettings()
    /// Where each key's effective value came from; a key not listed has its default.
    public var sources: [String: SettingSource] = [:]

    public init() {}

    public func source(of key: String) -> SettingSource { sources[key] ?? .defaultValue }

    public var sqlitePath: String { (dataDirectory as NSString).appendingPathComponent("govshare.sqlite") }

    /// The configured key file, else `<data_dir>-keys/govshare.kek` (beside the data directory, not in it).
    public var keyFilePath: String {
        if let keyFile { return keyFile }
        let directory = (dataDirectory as NSString).standardizingPath
        return directory + "-keys/govshare.kek"
    }

    /// The configured archive directory, else `<data_dir>-archives`.
    public var archiveDirectoryPath: String {
        archiveDirectory ?? ((dataDirectory as NSString).standardizingPath + "-archives")
    }

    /// The configured backup directory, else `<data_dir>-backups`.
    public var backupDirectoryPath: String {
        backupDirectory ?? ((dataDirectory as NSString).standardizingPath + "-backups")
    }
}

public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "Configuration is invalid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

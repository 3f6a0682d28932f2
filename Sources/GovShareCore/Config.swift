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
    public var nodeId = "gd-province"
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

    /// Every key the configuration understands, as written in a file; the environment uses GOVSHARE_ + upper case.
    public static let keys = [
        "mode", "host", "port", "data_dir", "database_url", "database_schema", "database_connections", "node_id", "log_level", "demo",
        "demo_rows", "demo_applications", "scheduler_seconds", "pull_chunk_rows", "outbound_allow_loopback", "token_secret",
        "access_token_seconds", "session_seconds", "password_hash_cost", "lockout_threshold", "lockout_minutes", "verification_per_minute",
        "verification_per_day",
        "max_connections", "idle_timeout_seconds", "request_read_seconds",
        "application_reply_working_days", "application_review_order", "catalog_update_working_days", "audit_retention_days",
        "audit_checkpoint_minutes", "encrypt_from_grade", "reencryption_batch_rows",
        "provider_silence_working_days", "application_reminder_working_days", "grant_max_years", "catalog_reminder_working_days",
        "catalog_required_fields", "rules_profile", "objection_reply_working_days", "objection_ruling_working_days",
        "objection_correction_working_days", "correction_notice_days",
        "conflict_negotiation_working_days", "conflict_check_hours", "assessment_weights", "assessment_scheme_version",
        "legal_instruments_file", "key_file", "authority_name", "backup_directory", "backup_max_age_hours", "risk_report_interval_days",
        "grant_expiry_warning_days",
        "archive_dir", "audit_archive_enabled", "audit_archive_minutes",
        "incident_report_hours_particularly_serious", "incident_report_hours_serious",
        "incident_report_hours_relatively_serious", "incident_report_hours_general", "incident_close_days",
        "drill_interval_days", "drill_reminder_days",
        "smtp_url", "smtp_from",
    ]

    /// Merges the layers (later wins) and validates; throws one error listing every problem.
    public static func load(flags: [String: String], environment: [String: String], file: [String: String]) throws -> GovShareConfig {
        var values = file
        var sources = file.mapValues { _ in SettingSource.file }
        for key in keys {
            if let v = environment["GOVSHARE_" + key.uppercased()] { values[key] = v; sources[key] = .environment }
        }
        if values["database_url"] == nil, let v = environment["DATABASE_URL"] {
            values["database_url"] = v; sources["database_url"] = .environment
        }
        for (k, v) in flags { values[k] = v; sources[k] = .flag }

        var config = GovShareConfig()
        var problems: [String] = []
        for key in values.keys where !keys.contains(key) { problems.append("unknown setting '\(key)'") }
        // The profile fills only the rules nothing above it set: defaults < profile < file < environment < flags.
        var profile = RulesProfile.guangdong2018
        if let name = values["rules_profile"] {
            if let named = RulesProfile.named(name) {
                profile = named
            } else {
                problems.append("rules_profile must be one of \(RulesProfile.all.map(\.name).joined(separator: ", ")), got '\(name)'")
            }
        }
        config.rulesProfile = profile.name
        for rule in profile.rules where values[rule.key] == nil {
            values[rule.key] = rule.value
            sources[rule.key] = .profile(profile.name)
        }
        config.sources = sources.filter { keys.contains($0.key) }
        func int(_ key: String, _ range: ClosedRange<Int>, _ apply: (Int) -> Void) {
            guard let text = values[key] else { return }
            guard let n = Int(text), range.contains(n) else {
                problems.append("\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
                return
            }
            apply(n)
        }
        if let m = values["mode"] {
            if let mode = RunMode(rawValue: m) {
                config.mode = mode
            } else {
                problems.append("mode must be development or production, got '\(m)'")
            }
        }
        if let h = values["host"] { config.host = h }
        int("port", 0...65535) { config.port = $0 }
        if let d = values["data_dir"] { config.dataDirectory = d }
        if let url = values["database_url"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                config.databaseURL = url
            } else {
                problems.append("database_url must start with postgres:// (leave it unset for the embedded SQLite file)")
            }
        }
        if let schema = values["database_schema"], !schema.isEmpty {
            if schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil {
                config.databaseSchema = schema
            } else {
                problems.append("database_schema must be a lower-case SQL identifier, got '\(schema)'")
            }
        }
        if let n = values["node_id"] {
            if n.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil {
                config.nodeId = n
            } else {
                problems.append("node_id must be 2-63 lower-case letters, digits or '-', got '\(n)'")
            }
        }
        if let l = values["log_level"] {
            if ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(l) {
                config.logLevel = l
            } else {
                problems.append("log_level must be one of trace, debug, info, notice, warning, error, critical")
            }
        }
        if let k = values["key_file"], !k.isEmpty {
            let data = (config.dataDirectory as NSString).standardizingPath + "/"
            if (k as NSString).standardizingPath.hasPrefix(data) {
                problems.append("key_file must not be inside data_dir (a copy of the data directory must hold no usable key), got '\(k)'")
            } else {
                config.keyFile = k
            }
        }
        if let a = values["authority_name"] {
            if (1...64).contains(a.count) {
                config.authorityName = a
            } else {
                problems.append("authority_name must be 1-64 characters (a certificate name)")
            }
        }
        if let d = values["demo"] { config.demo = ["1", "true", "yes"].contains(d.lowercased()) }
        if let url = values["smtp_url"], !url.isEmpty {
            switch SMTPSettings.parse(url: url, from: values["smtp_from"] ?? "") {
            case .success(let settings): config.smtp = settings
            case .failure(let error): problems.append(error.description)
            }
        }
        if let d = values["outbound_allow_loopback"] { config.outboundAllowLoopback = ["1", "true", "yes"].contains(d.lowercased()) }
        if let d = values["demo_applications"] { config.demoApplications = ["1", "true", "yes"].contains(d.lowercased()) }
        if let s = values["token_secret"] { config.security.tokenSecret = s }
        int("scheduler_seconds", 0...86_400) { config.schedulerSeconds = $0 }
        int("pull_chunk_rows", 1...100_000) { config.pullChunkRows = $0 }
        int("database_connections", 1...64) { config.databaseConnections = $0 }
        int("demo_rows", 0...10_000_000) { config.demoRows = $0 }
        int("access_token_seconds", 60...86400) { config.security.accessTokenSeconds = $0 }
        int("session_seconds", 300...86400) { config.security.sessionSeconds = $0 }
        int("password_hash_cost", 4...16) { config.security.passwordHashCost = $0 }
        int("lockout_threshold", 1...100) { config.security.lockoutThreshold = $0 }
        int("lockout_minutes", 1...1440) { config.security.lockoutMinutes = $0 }
        int("verification_per_minute", 1...10_000) { config.security.verificationsPerMinute = $0 }
        int("max_connections", 16...100_000) { config.limits.maxConnections = $0 }
        int("idle_timeout_seconds", 5...3_600) { config.limits.idleTimeoutSeconds = $0 }
        int("request_read_seconds", 10...3_600) { config.limits.requestReadSeconds = $0 }
        int("verification_per_day", 1...1_000_000) { config.security.verificationsPerDay = $0 }
        int("application_reply_working_days", 1...60) { config.rules.applicationReplyWorkingDays = $0 }
        if let o = values["application_review_order"] {
            if let order = ReviewOrder(rawValue: o) {
                config.rules.applicationReviewOrder = order
            } else {
                problems.append("application_review_order must be one of authority_first, provider_first, parallel")
            }
        }
        int("catalog_update_working_days", 1...60) { config.rules.catalogUpdateWorkingDays = $0 }
        int("audit_retention_days", 183...36500) { config.rules.auditRetentionDays = $0 }
        int("audit_checkpoint_minutes", 1...1440) { config.rules.auditCheckpointMinutes = $0 }
        int("encrypt_from_grade", 1...5) { config.encryptFromGrade = $0 }
        int("reencryption_batch_rows", 10...10_000) { config.reencryptionBatchRows = $0 }
        int("backup_max_age_hours", 1...8_760) { config.backupMaxAgeHours = $0 }
        int("risk_report_interval_days", 1...366) { config.riskReportIntervalDays = $0 }
        int("grant_expiry_warning_days", 1...366) { config.grantExpiryWarningDays = $0 }
        if let b = values["backup_directory"], !b.isEmpty { config.backupDirectory = b }
        if let a = values["archive_dir"], !a.isEmpty { config.archiveDirectory = a }
        if let a = values["audit_archive_enabled"] { config.auditArchiveEnabled = ["1", "true", "yes"].contains(a.lowercased()) }
        int("audit_archive_minutes", 5...43_200) { config.auditArchiveMinutes = $0 }
        for level in IncidentLevel.allCases {
            int(SecurityOperationsSettings.reportHoursKey(level), 1...720) { config.securityOperations.incidentReportHours[level] = $0 }
        }
        int("incident_close_days", 1...365) { config.securityOperations.incidentCloseDays = $0 }
        int("drill_interval_days", 30...1_095) { config.securityOperations.drillIntervalDays = $0 }
        int("drill_reminder_days", 1...180) { config.securityOperations.drillReminderDays = $0 }
        int("provider_silence_working_days", 1...30) { config.rules.providerSilenceWorkingDays = $0 }
        int("application_reminder_working_days", 1...30) { config.rules.applicationReminderWorkingDays = $0 }
        int("grant_max_years", 1...10) { config.rules.grantMaxYears = $0 }
        int("catalog_reminder_working_days", 1...30) { config.rules.catalogReminderWorkingDays = $0 }
        int("objection_reply_working_days", 1...60) { config.rules.objectionReplyWorkingDays = $0 }
        int("objection_ruling_working_days", 1...60) { config.rules.objectionRulingWorkingDays = $0 }
        int("objection_correction_working_days", 1...60) { config.rules.objectionCorrectionWorkingDays = $0 }
        int("correction_notice_days", 1...365) { config.rules.correctionNoticeDays = $0 }
        int("conflict_negotiation_working_days", 1...60) { config.rules.conflictNegotiationWorkingDays = $0 }
        int("conflict_check_hours", 1...720) { config.conflictCheckHours = $0 }
        if let text = values["assessment_weights"] {
            let parsed = AssessmentScheme.parseWeights(text)
            if parsed.problems.isEmpty { config.assessmentScheme.weights = AssessmentScheme(version: "", weights: parsed.weights).weights }
            problems += parsed.problems
        }
        if let version = values["assessment_scheme_version"]?.trimmingCharacters(in: .whitespaces) {
            if version.isEmpty || version.count > 40 || version.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                problems.append("assessment_scheme_version: 1–40 letters, digits, '-', '_' or '.'")
            } else {
                config.assessmentScheme.version = version
            }
        } else if values["assessment_weights"] != nil, config.assessmentScheme.weights != AssessmentScheme.defaultWeights {
            problems.append("assessment_weights: changed weights need their own assessment_scheme_version")
        }
        if let fields = values["catalog_required_fields"] {
            let list = fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let unknown = list.filter { !RegulationRules.requirableCatalogFields.contains($0) }
            if !unknown.isEmpty {
                problems.append(
                    "catalog_required_fields: unknown element(s) \(unknown.joined(separator: ", ")); known: \(RegulationRules.requirableCatalogFields.joined(separator: ", "))"
                )
            } else {
                config.rules.catalogRequiredFields = list
            }
        }
        if config.rules.providerSilenceWorkingDays >= config.rules.applicationReplyWorkingDays {
            problems.append(
                "provider_silence_working_days (\(config.rules.providerSilenceWorkingDays)) must be less than application_reply_working_days (\(config.rules.applicationReplyWorkingDays))"
            )
        }

        if config.mode == .production {
            if config.security.tokenSecret.utf8.count < 32 {
                problems.append("token_secret is required in production and must be at least 32 bytes (GOVSHARE_TOKEN_SECRET)")
            }
            if config.demo { problems.append("demo data cannot be loaded in production mode") }
            if config.outboundAllowLoopback { problems.append("outbound_allow_loopback cannot be set in production mode") }
            if config.security.passwordHashCost < 10 { problems.append("password_hash_cost must be at least 10 in production") }
        }
        if let path = values["legal_instruments_file"], !path.isEmpty {
            let (instruments, listProblems) = LegalInstrumentList.load(path: path)
            if listProblems.isEmpty {
                config.legalInstrumentsFile = path
                config.legalInstruments = instruments
            } else {
                problems += listProblems.map { "legal_instruments_file \(path): \($0)" }
            }
        }
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return config
    }

    /// Reads a JSON object of settings; numbers and booleans are accepted as such.
    public static func readFile(_ path: String) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigError(problems: ["cannot read config file \(path): \(error.localizedDescription)"])
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigError(problems: ["config file \(path) is not a JSON object"])
        }
        // A list (catalog_required_fields) may be written as a JSON array.
        return object.mapValues { value in
            if let list = value as? [Any] { return list.map { "\($0)" }.joined(separator: ",") }
            return "\(value)"
        }
    }
}

public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "Configuration is invalid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

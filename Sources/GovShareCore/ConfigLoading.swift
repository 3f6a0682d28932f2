import Foundation

/// Reading the configuration: the keys it understands, the layers merged (flags > GOVSHARE_* environment > file >
/// defaults) and every problem listed at once.
extension GovShareConfig {
    /// Every key the configuration understands, as written in a file; the environment uses GOVSHARE_ + upper case.
    public static let keys = [
        "mode", "host", "port", "data_dir", "database_url", "database_schema", "database_connections", "database_read_url",
        "database_read_check_ms", "node_id", "node_region_code", "federation_clock_skew_seconds", "federation_sync_seconds", "log_level",
        "demo",
        "demo_rows", "demo_applications", "scheduler_seconds", "pull_chunk_rows", "outbound_allow_loopback", "token_secret",
        "access_token_seconds", "session_seconds", "password_hash_cost", "lockout_threshold", "lockout_minutes", "verification_per_minute",
        "verification_per_day", "verification_per_record_per_day",
        "max_connections", "idle_timeout_seconds", "request_read_seconds",
        "application_reply_working_days", "application_review_order", "catalog_update_working_days", "audit_retention_days",
        "audit_checkpoint_minutes", "encrypt_from_grade", "reencryption_batch_rows",
        "provider_silence_working_days", "application_reminder_working_days", "grant_max_years", "catalog_reminder_working_days",
        "catalog_required_fields", "rules_profile", "objection_reply_working_days", "objection_ruling_working_days",
        "objection_correction_working_days", "correction_notice_days",
        "conflict_negotiation_working_days", "conflict_check_hours", "assessment_weights", "assessment_scheme_version",
        "supervision_check_hours", "supervision_mount_working_days", "rectification_working_days",
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
        if let list = values["database_read_url"], !list.isEmpty {
            let urls = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if config.databaseURL == nil {
                problems.append("database_read_url needs database_url: read replicas are PostgreSQL standbys of that primary")
            } else if let bad = urls.first(where: { !($0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://")) }) {
                problems.append(
                    "database_read_url must list postgres:// URLs separated by commas, got '\(GovShareConfig.redactingPassword(bad))'")
            } else if urls.count > 8 {
                problems.append("database_read_url lists at most 8 replicas, got \(urls.count)")
            } else {
                config.databaseReadURLs = urls
            }
        }
        int("database_read_check_ms", 50...10_000) { config.databaseReadCheckMilliseconds = $0 }
        int("federation_clock_skew_seconds", 5...3_600) { config.federationClockSkewSeconds = $0 }
        int("federation_sync_seconds", 1...3_600) { config.federationSyncSeconds = $0 }
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
        if let region = values["node_region_code"] {
            if ResourceCodeScheme.isValidRegion(region) {
                config.nodeRegionCode = region
            } else {
                problems.append(
                    "node_region_code must be the node's six-digit Guangdong division code (440000 the province, 440100 广州 …), got '\(region)'"
                )
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
        int("verification_per_record_per_day", 1...1_000) { config.security.verificationsPerRecordPerDay = $0 }
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
        int("supervision_check_hours", 1...720) { config.supervisionCheckHours = $0 }
        int("supervision_mount_working_days", 1...120) { config.rules.supervisionMountWorkingDays = $0 }
        int("rectification_working_days", 1...60) { config.rules.rectificationWorkingDays = $0 }
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

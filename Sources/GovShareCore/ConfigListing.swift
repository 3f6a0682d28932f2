import Foundation

/// Which configuration layer a setting's effective value came from.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case defaultValue
    /// A rules profile (by name) filled the value.
    case profile(String)
    case file
    case environment
    case flag

    public var description: String {
        switch self {
        case .defaultValue: "default"
        case .profile(let name): "profile:\(name)"
        case .file: "file"
        case .environment: "env"
        case .flag: "flag"
        }
    }
}

/// One line of `govshare config show`: the effective value (secrets redacted), where it came from, and for a rule
/// filled by a profile the article it comes from.
public struct ConfigSetting: Sendable, Equatable, Codable {
    public let key: String
    public let value: String
    public let source: String
    public let basis: String?
    public let note: String?
}

extension GovShareConfig {
    /// Every setting, the regulation rules (and the profile) first, then the others in `keys` order.
    public var listing: [ConfigSetting] {
        let profile = RulesProfile.named(rulesProfile) ?? .guangdong2018
        let ruleKeys = ["rules_profile"] + RulesProfile.ruleKeys
        let order = ruleKeys + Self.keys.filter { !ruleKeys.contains($0) }
        return order.map { key in
            let source = source(of: key)
            let rule = source == .profile(profile.name) ? profile.rule(key) : nil
            let basis = key == "rules_profile" ? profile.instrument : rule?.basis
            return ConfigSetting(key: key, value: displayValue(key), source: source.description, basis: basis, note: rule?.note)
        }
    }

    /// `key = value  [source]`, one setting a line, with the basis of profile values indented below.
    public var listingText: String {
        let settings = listing
        let width = settings.map(\.key.count).max() ?? 0
        var lines: [String] = []
        for s in settings {
            lines.append("\(s.key.padding(toLength: width, withPad: " ", startingAt: 0)) = \(s.value)  [\(s.source)]")
            if let basis = s.basis { lines.append("    basis: \(basis)") }
            if let note = s.note { lines.append("    note: \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var listingJSON: String {
        struct Document: Encodable { let rulesProfile: String; let settings: [ConfigSetting] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(Document(rulesProfile: rulesProfile, settings: listing))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The effective value of one key as it would be written in a file; secrets are never shown.
    func displayValue(_ key: String) -> String {
        switch key {
        case "mode": mode.rawValue
        case "host": host
        case "port": String(port)
        case "data_dir": dataDirectory
        case "database_url": databaseURL.map(Self.redactingPassword) ?? "(unset: embedded SQLite \(sqlitePath))"
        case "database_schema": databaseSchema ?? "(unset: the server's search path)"
        case "database_connections": String(databaseConnections)
        case "database_read_url":
            databaseReadURLs.isEmpty
                ? "(unset: every read on the primary)" : databaseReadURLs.map(Self.redactingPassword).joined(separator: ",")
        case "database_read_check_ms": String(databaseReadCheckMilliseconds)
        case "federation_clock_skew_seconds": String(federationClockSkewSeconds)
        case "federation_sync_seconds": String(federationSyncSeconds)
        case "node_id": nodeId
        case "node_region_code": nodeRegionCode
        case "log_level": logLevel
        case "demo": String(demo)
        case "demo_rows": String(demoRows)
        case "demo_applications": String(demoApplications)
        case "scheduler_seconds": String(schedulerSeconds)
        case "pull_chunk_rows": String(pullChunkRows)
        case "outbound_allow_loopback": String(outboundAllowLoopback)
        case "token_secret":
            security.tokenSecret.isEmpty
                ? "(unset: development generates one in the data directory)"
                : "(redacted, \(security.tokenSecret.utf8.count) bytes)"
        case "access_token_seconds": String(security.accessTokenSeconds)
        case "session_seconds": String(security.sessionSeconds)
        case "password_hash_cost": String(security.passwordHashCost)
        case "lockout_threshold": String(security.lockoutThreshold)
        case "lockout_minutes": String(security.lockoutMinutes)
        case "verification_per_minute": String(security.verificationsPerMinute)
        case "verification_per_day": String(security.verificationsPerDay)
        case "verification_per_record_per_day": String(security.verificationsPerRecordPerDay)
        case "max_connections": String(limits.maxConnections)
        case "idle_timeout_seconds": String(limits.idleTimeoutSeconds)
        case "request_read_seconds": String(limits.requestReadSeconds)
        case "rules_profile": rulesProfile
        case "application_reply_working_days": String(rules.applicationReplyWorkingDays)
        case "application_review_order": rules.applicationReviewOrder.rawValue
        case "catalog_update_working_days": String(rules.catalogUpdateWorkingDays)
        case "audit_retention_days": String(rules.auditRetentionDays)
        case "audit_checkpoint_minutes": String(rules.auditCheckpointMinutes)
        case "encrypt_from_grade": String(encryptFromGrade)
        case "reencryption_batch_rows": String(reencryptionBatchRows)
        case "provider_silence_working_days": String(rules.providerSilenceWorkingDays)
        case "application_reminder_working_days": String(rules.applicationReminderWorkingDays)
        case "grant_max_years": String(rules.grantMaxYears)
        case "catalog_reminder_working_days": String(rules.catalogReminderWorkingDays)
        case "objection_reply_working_days": String(rules.objectionReplyWorkingDays)
        case "objection_ruling_working_days": String(rules.objectionRulingWorkingDays)
        case "objection_correction_working_days": String(rules.objectionCorrectionWorkingDays)
        case "correction_notice_days": String(rules.correctionNoticeDays)
        case "conflict_negotiation_working_days": String(rules.conflictNegotiationWorkingDays)
        case "conflict_check_hours": String(conflictCheckHours)
        case "assessment_weights": assessmentScheme.weightsText
        case "supervision_check_hours": String(supervisionCheckHours)
        case "supervision_mount_working_days": String(rules.supervisionMountWorkingDays)
        case "rectification_working_days": String(rules.rectificationWorkingDays)
        case "assessment_scheme_version": assessmentScheme.version
        case "catalog_required_fields": rules.catalogRequiredFields.joined(separator: ",")
        case "smtp_url": smtp.map(Self.smtpURL) ?? "(unset: no mail)"
        case "smtp_from": smtp?.from ?? "(unset)"
        case "legal_instruments_file": legalInstrumentsFile ?? "(unset: the bundled list)"
        // The path only; the key in it is never read here.
        case "key_file": keyFilePath
        case "authority_name": authorityName
        case "backup_directory": backupDirectoryPath
        case "backup_max_age_hours": String(backupMaxAgeHours)
        case "risk_report_interval_days": String(riskReportIntervalDays)
        case "grant_expiry_warning_days": String(grantExpiryWarningDays)
        case "archive_dir": archiveDirectoryPath
        case "audit_archive_enabled": String(auditArchiveEnabled)
        case "audit_archive_minutes": String(auditArchiveMinutes)
        case "incident_report_hours_particularly_serious": String(securityOperations.reportHours(.particularlySerious))
        case "incident_report_hours_serious": String(securityOperations.reportHours(.serious))
        case "incident_report_hours_relatively_serious": String(securityOperations.reportHours(.relativelySerious))
        case "incident_report_hours_general": String(securityOperations.reportHours(.general))
        case "incident_close_days": String(securityOperations.incidentCloseDays)
        case "drill_interval_days": String(securityOperations.drillIntervalDays)
        case "drill_reminder_days": String(securityOperations.drillReminderDays)
        // A key added without a line here is still listed, but never with a value that could be a secret.
        default: "(not shown)"
        }
    }

    /// `scheme://user:***@host…`: the password of a connection URL (in the authority or a `password` query item)
    /// replaced, everything else kept.
    static func redactingPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else {
            // Not parseable: show the scheme only rather than risk printing a password.
            return (url.components(separatedBy: "://").first.map { $0 + "://" } ?? "") + "(redacted)"
        }
        if components.password != nil { components.percentEncodedPassword = "***" }
        // libpq also takes `?password=…`.
        components.queryItems = components.queryItems?.map { item in
            item.name.lowercased() == "password" ? URLQueryItem(name: item.name, value: "***") : item
        }
        return components.string ?? "(redacted)"
    }

    static func smtpURL(_ smtp: SMTPSettings) -> String {
        let scheme = smtp.implicitTLS ? "smtps" : "smtp"
        let user = smtp.username.map { "\($0)\(smtp.password == nil ? "" : ":***")@" } ?? ""
        return "\(scheme)://\(user)\(smtp.host):\(smtp.port)"
    }
}

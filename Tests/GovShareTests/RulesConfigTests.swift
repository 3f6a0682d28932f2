import Foundation
import Testing

@testable import GovShareCore

/// Issue 12 item 8: the regulation's numbers as configuration, with profiles, sources and `govshare config show`.
@Suite("Rules configuration and profiles")
struct RulesConfigTests {
    static func load(flags: [String: String] = [:], env: [String: String] = [:], file: [String: String] = [:]) throws -> GovShareConfig {
        try GovShareConfig.load(flags: flags, environment: env, file: file)
    }

    static func problems(_ body: () throws -> GovShareConfig) -> [String] {
        do { _ = try body(); return [] } catch let error as ConfigError { return error.problems } catch { return ["\(error)"] }
    }

    @Test func theDefaultProfileIsGuangdong2018AndMatchesTheStructDefaults() throws {
        let config = try Self.load()
        #expect(config.rulesProfile == "guangdong-2018")
        #expect(config.rules == RegulationRules(), "RulesProfile.guangdong2018 and RegulationRules() must agree")
        #expect(config.source(of: "rules_profile") == .defaultValue)
        for key in RulesProfile.ruleKeys {
            #expect(config.source(of: key) == .profile("guangdong-2018"), "\(key)")
        }
        #expect(config.source(of: "port") == .defaultValue)
        // Every rule of every profile is a key the configuration understands, and both profiles list the same rules.
        for profile in RulesProfile.all {
            #expect(profile.rules.map(\.key) == RulesProfile.ruleKeys)
            #expect(profile.rules.allSatisfy { GovShareConfig.keys.contains($0.key) && !$0.basis.isEmpty })
        }
    }

    @Test func theNationalProfileChangesOnlyWhatTheDecreeChanges() throws {
        let config = try Self.load(env: ["GOVSHARE_RULES_PROFILE": "national-2025"])
        #expect(config.rulesProfile == "national-2025")
        #expect(config.source(of: "rules_profile") == .environment)
        #expect(config.rules.applicationReviewOrder == .providerFirst)
        #expect(config.source(of: "application_review_order") == .profile("national-2025"))
        // Numbers the decree's text was not verified for keep the Guangdong values, and say so.
        var expected = RegulationRules()
        expected.applicationReviewOrder = .providerFirst
        #expect(config.rules == expected)
        let national = RulesProfile.national2025
        #expect(national.rule("application_reply_working_days")?.note?.contains("not verified") == true)
        #expect(national.rule("catalog_update_working_days")?.note?.contains("not verified") == true)
    }

    @Test func explicitSettingsBeatTheProfileLayerByLayer() throws {
        let file = ["rules_profile": "national-2025", "application_review_order": "parallel", "grant_max_years": "2"]
        let fromFile = try Self.load(file: file)
        #expect(fromFile.rules.applicationReviewOrder == .parallel)
        #expect(fromFile.source(of: "application_review_order") == .file)
        #expect(fromFile.rules.grantMaxYears == 2 && fromFile.source(of: "grant_max_years") == .file)
        #expect(fromFile.source(of: "rules_profile") == .file)

        let fromEnv = try Self.load(env: ["GOVSHARE_APPLICATION_REVIEW_ORDER": "authority_first"], file: file)
        #expect(fromEnv.rules.applicationReviewOrder == .authorityFirst && fromEnv.source(of: "application_review_order") == .environment)

        let fromFlag = try Self.load(
            flags: ["application_review_order": "provider_first", "rules_profile": "guangdong-2018"],
            env: ["GOVSHARE_APPLICATION_REVIEW_ORDER": "authority_first"], file: file)
        #expect(fromFlag.rules.applicationReviewOrder == .providerFirst && fromFlag.source(of: "application_review_order") == .flag)
        #expect(fromFlag.rulesProfile == "guangdong-2018" && fromFlag.source(of: "rules_profile") == .flag)
        #expect(fromFlag.rules.grantMaxYears == 2, "the file still beats the profile")
    }

    @Test func sourcesAreReportedForEverySetting() throws {
        let config = try Self.load(
            flags: ["port": "9000"], env: ["GOVSHARE_HOST": "0.0.0.0", "DATABASE_URL": "postgres://db/x"],
            file: ["node_id": "gz-city", "catalog_required_fields": "name,summary"])
        #expect(config.source(of: "port") == .flag)
        #expect(config.source(of: "host") == .environment)
        #expect(config.source(of: "database_url") == .environment)
        #expect(config.source(of: "node_id") == .file)
        #expect(config.source(of: "catalog_required_fields") == .file)
        #expect(config.source(of: "mode") == .defaultValue)
        let listed = Dictionary(uniqueKeysWithValues: config.listing.map { ($0.key, $0) })
        #expect(Set(listed.keys) == Set(GovShareConfig.keys), "config show lists every key")
        #expect(listed["port"]?.source == "flag" && listed["port"]?.value == "9000")
        #expect(listed["catalog_required_fields"]?.value == "name,summary")
        #expect(listed["application_reply_working_days"]?.source == "profile:guangdong-2018")
        #expect(listed["application_reply_working_days"]?.basis?.contains("第十九条") == true)
        #expect(listed.values.allSatisfy { $0.value != "(not shown)" }, "every key has a rendering")
    }

    @Test func anUnknownProfileIsListedAsAProblemWithTheOthers() {
        let problems = Self.problems { try Self.load(file: ["rules_profile": "beijing-2020", "port": "99999"]) }
        #expect(problems.contains { $0.contains("rules_profile") && $0.contains("guangdong-2018") && $0.contains("national-2025") })
        #expect(problems.contains { $0.contains("port") }, "every problem is reported at once")
    }

    @Test func aJSONListIsAcceptedForRequiredFields() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-rules-\(UUID().uuidString).json").path
        try Data(#"{"catalog_required_fields": ["name", "summary"], "rules_profile": "national-2025"}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try Self.load(file: try GovShareConfig.readFile(path))
        #expect(config.rules.catalogRequiredFields == ["name", "summary"])
        #expect(config.rulesProfile == "national-2025")
    }

    @Test func configShowRedactsSecrets() throws {
        let config = try Self.load(
            flags: ["token_secret": "super-secret-token-value-0123456789"],
            env: ["GOVSHARE_DATABASE_URL": "postgres://govshare:db-pass-42@db.example:5432/govshare?sslmode=require&password=qpass9"],
            file: ["smtp_url": "smtps://mailer:mail-pass-7@smtp.example", "smtp_from": "noreply@example.gov.cn"])
        for output in [config.listingText, config.listingJSON] {
            for secret in ["super-secret-token-value", "db-pass-42", "qpass9", "mail-pass-7"] {
                #expect(!output.contains(secret), "\(secret) leaked")
            }
            #expect(output.contains("govshare:***@db.example:5432/govshare"))
            #expect(output.contains("smtps://mailer:***@smtp.example:465"))
            #expect(output.contains("noreply@example.gov.cn"))
        }
        // Regulation rules come first, the profile before them.
        let keys = config.listing.map(\.key)
        #expect(Array(keys.prefix(RulesProfile.ruleKeys.count + 1)) == ["rules_profile"] + RulesProfile.ruleKeys)
        let text = config.listingText
        #expect(text.contains("token_secret") && text.contains("(redacted, 35 bytes)  [flag]"))
        #expect(text.contains("database_url") && text.contains("[env]"))
        // The JSON form is a document a script can read.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(config.listingJSON.utf8)) as? [String: Any])
        #expect(json["rules_profile"] as? String == "guangdong-2018")
        let settings = try #require(json["settings"] as? [[String: Any]])
        #expect(settings.first?["key"] as? String == "rules_profile")
        #expect(settings.contains { $0["key"] as? String == "smtp_url" && $0["source"] as? String == "file" })
    }

    @Test func anUnparseableURLIsRedactedWhole() {
        #expect(GovShareConfig.redactingPassword("postgres://user:p@ss word@host/db").contains("p@ss") == false)
        #expect(GovShareConfig.redactingPassword("postgres://host/db") == "postgres://host/db")
    }
}

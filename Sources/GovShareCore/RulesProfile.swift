import Foundation

/// A named set of regulation rule values, each with the article it comes from (config key `rules_profile`).
/// Layering: defaults < profile < file < environment < flags, so an explicit setting always beats a profile.
///
/// The profiles are data, not code paths: a later instrument is a new entry here, and a value is changed only where we
/// are sure of the instrument's text. Where the national decree's number is not verified, the Guangdong value is kept
/// and `note` says so (docs/configuration.md lists the same).
public struct RulesProfile: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        /// The configuration key (as in a file).
        public let key: String
        /// The value as it would be written in a file.
        public let value: String
        /// The article (or the platform's reading of one) the value comes from.
        public let basis: String
        /// What is uncertain about the value, if anything.
        public let note: String?

        public init(_ key: String, _ value: String, basis: String, note: String? = nil) {
            self.key = key; self.value = value; self.basis = basis; self.note = note
        }
    }

    public let name: String
    /// The instrument the profile follows.
    public let instrument: String
    public let rules: [Rule]

    public func rule(_ key: String) -> Rule? { rules.first { $0.key == key } }

    /// Every profile the configuration accepts, the default first.
    public static let all = [guangdong2018, national2025]
    public static let defaultName = guangdong2018.name

    public static func named(_ name: String) -> RulesProfile? { all.first { $0.name == name } }

    /// Rule keys in the order `govshare config show` prints them.
    public static let ruleKeys = guangdong2018.rules.map(\.key)
}

extension RulesProfile {
    /// 《广东省政务数据资源共享管理办法（试行）》(粤府办〔2018〕50号), in force 2019-01-01. These values are also the
    /// defaults of `RegulationRules` (RulesConfigTests checks the two agree).
    public static let guangdong2018 = RulesProfile(
        name: "guangdong-2018",
        instrument: "《广东省政务数据资源共享管理办法（试行）》粤府办〔2018〕50号",
        rules: [
            Rule(
                "application_reply_working_days", "10",
                basis: "粤府办〔2018〕50号 第十九条：收到申请后10个工作日内答复"),
            Rule(
                "application_review_order", "parallel",
                basis: "粤府办〔2018〕50号 第十九条：政务数据主管部门会同政务数据提供部门审核 (both review together)"),
            Rule(
                "provider_silence_working_days", "2",
                basis:
                    "粤府办〔2018〕50号 第十九条 (会同审核), platform reading: the authority may decide alone this many working days before the due date",
                note: "the measures set no number; 2 is the platform's choice"),
            Rule(
                "application_reminder_working_days", "2",
                basis: "粤府办〔2018〕50号 第十九条 (the 10-working-day reply), reminder lead time",
                note: "the measures set no number; 2 is the platform's choice"),
            Rule(
                "grant_max_years", "3",
                basis: "粤府办〔2018〕50号 第十六条 (use for the stated duty only), longest validity of an application and its grant",
                note: "the measures set no term; 3 years is the platform's choice"),
            Rule(
                "catalog_update_working_days", "15",
                basis: "粤府办〔2018〕50号 第九条：法律法规修订或职能变化之日起15个工作日内更新目录"),
            Rule(
                "catalog_reminder_working_days", "3",
                basis: "粤府办〔2018〕50号 第九条 (the 15-working-day update), reminder lead time",
                note: "the measures set no number; 3 is the platform's choice"),
            Rule(
                "catalog_required_fields", "name,summary,responsible_party,update_deadline,usage_requirements",
                basis: "粤府办〔2018〕50号 第八条：分类、责任方、格式、属性、更新时限、共享类型、共享方式、使用要求"),
            Rule(
                "objection_reply_working_days", "5",
                basis: "粤府办〔2018〕50号 第二十一条：使用部门有疑义或发现明显错误的，应及时反馈提供部门予以校核",
                note: "the measures say 及时 (promptly); 5 working days is the platform's choice"),
            Rule(
                "objection_ruling_working_days", "10",
                basis: "粤府办〔2018〕50号 第十三条 (主管部门协调) and 第二十一条, the authority's ruling on a disputed objection",
                note: "the measures set no number; 10 working days is the platform's choice"),
            Rule(
                "objection_correction_working_days", "5",
                basis: "粤府办〔2018〕50号 第二十一条 (校核更正), correction after the authority's ruling",
                note: "the measures set no number; 5 working days is the platform's choice"),
            Rule(
                "correction_notice_days", "30",
                basis: "粤府办〔2018〕50号 第二十一条, readers of a corrected record in this many days are told",
                note: "the measures set no number; 30 days is the platform's choice"),
            Rule(
                "audit_retention_days", "183",
                basis: "粤府办〔2018〕50号 第二十八条 (安全日志留存) with 《网络安全法》第二十一条 (网络日志留存不少于六个月)"),
            Rule(
                "audit_checkpoint_minutes", "10",
                basis: "粤府办〔2018〕50号 第二十八条 (安全审计), how often the node signs its audit chain's head",
                note: "the measures set no number; 10 minutes is the platform's choice"),
        ])

    /// 《政务数据共享条例》(State Council Decree 809), in force 2025-08-01. Only what we are sure the decree changes
    /// differs from Guangdong: the provider answers a share application and the sharing authority (共享主管部门)
    /// coordinates disputes, so the provider reviews first. The decree also sets its own reply time limits; their
    /// exact numbers are not verified here, so the Guangdong values are kept and marked.
    public static let national2025: RulesProfile = {
        let unverified = "Decree 809's own value is not verified here; the Guangdong value is kept"
        let changed: [String: Rule] = [
            "application_review_order": Rule(
                "application_review_order", "provider_first",
                basis: "《政务数据共享条例》国务院令第809号 (共享使用 chapter): the data provider answers the application; the 政务数据共享主管部门 coordinates disputes",
                note: "article number not cited: verify against the published text"),
            "audit_retention_days": Rule(
                "audit_retention_days", "183",
                basis: "《网络安全法》第二十一条 (网络日志留存不少于六个月), which the decree's security duties sit under"),
        ]
        let kept: Set<String> = [
            "application_reply_working_days", "catalog_update_working_days", "provider_silence_working_days",
            "application_reminder_working_days", "catalog_reminder_working_days", "grant_max_years",
            "catalog_required_fields", "objection_reply_working_days", "objection_ruling_working_days",
            "objection_correction_working_days", "correction_notice_days",
        ]
        return RulesProfile(
            name: "national-2025",
            instrument: "《政务数据共享条例》国务院令第809号 (2025-08-01)",
            rules: guangdong2018.rules.map { rule in
                if let override = changed[rule.key] { return override }
                guard kept.contains(rule.key) else { return rule }
                let note = [rule.note, unverified].compactMap { $0 }.joined(separator: "; ")
                return Rule(rule.key, rule.value, basis: rule.basis, note: note)
            })
    }()
}

import Foundation

/// The indicators of the assessment scheme (Art. 31: 数据质量、共享程度、应用支撑): each a ratio computed per
/// department from the platform's own records, with the formula written out so a department can check its score.
public enum AssessmentIndicator: String, Sendable, Codable, CaseIterable {
    case catalogCompleteness = "catalog_completeness"
    case mountingRate = "mounting_rate"
    case freshness
    case qualityPassRate = "quality_pass_rate"
    case replyTimeliness = "reply_timeliness"
    case objectionHandling = "objection_handling"
    case sharingDegree = "sharing_degree"
    case usageByOthers = "usage_by_others"
    case rectificationCompletion = "rectification_completion"

    public var name: LocalizedText {
        switch self {
        case .catalogCompleteness: LocalizedText(zh: "目录完整率", en: "Catalog completeness")
        case .mountingRate: LocalizedText(zh: "数据挂接率", en: "Mounting rate")
        case .freshness: LocalizedText(zh: "数据更新及时率", en: "Freshness")
        case .qualityPassRate: LocalizedText(zh: "数据质量合格率", en: "Quality pass rate")
        case .replyTimeliness: LocalizedText(zh: "共享申请答复及时率", en: "Reply timeliness")
        case .objectionHandling: LocalizedText(zh: "异议处理及时率", en: "Objection handling")
        case .sharingDegree: LocalizedText(zh: "共享程度", en: "Degree of sharing")
        case .usageByOthers: LocalizedText(zh: "数据被使用率", en: "Usage by other departments")
        case .rectificationCompletion: LocalizedText(zh: "整改完成率", en: "Rectification completion")
        }
    }

    /// How the ratio is computed, in words (shown beside every score).
    public var formula: LocalizedText {
        switch self {
        case .catalogCompleteness:
            LocalizedText(
                zh: "截至评估时点已发布目录中必填要素齐全的条数 ÷ 已发布目录条数（第八条）",
                en: "Published entries with every required element ÷ published entries, at the assessment instant (Art. 8)")
        case .mountingRate:
            LocalizedText(
                zh: "已挂接数据、文件或服务的已发布目录条数 ÷ 已发布目录条数（第十一条）",
                en: "Published entries with data, a file or a service mounted ÷ published entries (Art. 11)")
        case .freshness:
            LocalizedText(
                zh: "最近一次报送未超过声明更新周期的数据集数 ÷ 有固定更新周期的数据集数（第二十一条）",
                en: "Datasets whose latest report is within their declared update cycle ÷ datasets with a fixed cycle (Art. 21)")
        case .qualityPassRate:
            LocalizedText(
                zh: "评估期内报送被接收的记录数 ÷ 报送的记录数（第二十一条）",
                en: "Records accepted ÷ records reported in the period (Art. 21)")
        case .replyTimeliness:
            LocalizedText(
                zh: "评估期内到期的共享申请中按期答复的件数 ÷ 到期件数（第十九条，10 个工作日）",
                en: "Applications due in the period and answered by their due date ÷ applications due (Art. 19, 10 working days)")
        case .objectionHandling:
            LocalizedText(
                zh: "评估期内到期的数据异议中按期处理的件数 ÷ 到期件数（第二十一条）",
                en: "Objections due in the period and answered by their due date ÷ objections due (Art. 21)")
        case .sharingDegree:
            LocalizedText(
                zh: "（无条件共享数据项 + 0.5 × 有条件共享数据项）÷ 已发布目录的数据项总数（第十四条）",
                en: "(unconditional items + 0.5 × conditional items) ÷ items of published entries (Art. 14)")
        case .usageByOthers:
            LocalizedText(
                zh: "评估期内被其他部门读取过的数据集数 ÷ 数据集数（第三十一条 应用支撑）",
                en: "Datasets read by another department in the period ÷ datasets (Art. 31, application support)")
        case .rectificationCompletion:
            LocalizedText(
                zh: "评估期内到期的整改通知中按期整改完成（主管部门审核通过）的件数 ÷ 到期件数（第二十九条）",
                en: "Orders to correct due in the period and accepted by their due date ÷ orders due (Art. 29)")
        }
    }
}

/// A versioned set of weights. An indicator with weight 0 is not scored; the configuration names the version so a
/// published period says which scheme it was computed with.
public struct AssessmentScheme: Sendable, Equatable {
    public var version: String
    /// In the order of `AssessmentIndicator.allCases`, every indicator present.
    public var weights: [AssessmentIndicator: Int]

    public static let defaultVersion = "gd-2018-v2"
    public static let defaultWeights: [AssessmentIndicator: Int] = [
        .catalogCompleteness: 10, .mountingRate: 15, .freshness: 15, .qualityPassRate: 15, .replyTimeliness: 15,
        .objectionHandling: 10, .sharingDegree: 10, .usageByOthers: 10, .rectificationCompletion: 10,
    ]
    public static let standard = AssessmentScheme(version: defaultVersion, weights: defaultWeights)

    public init(version: String, weights: [AssessmentIndicator: Int]) {
        self.version = version
        self.weights = Dictionary(uniqueKeysWithValues: AssessmentIndicator.allCases.map { ($0, weights[$0] ?? 0) })
    }

    public func weight(_ indicator: AssessmentIndicator) -> Int { weights[indicator] ?? 0 }

    /// The configuration text: `indicator=weight` pairs separated by commas.
    public var weightsText: String {
        AssessmentIndicator.allCases.map { "\($0.rawValue)=\(weight($0))" }.joined(separator: ",")
    }

    /// Parses `indicator=weight,…` (weights 0–100, at least one above 0; indicators not named keep weight 0).
    /// Returns the problems in words, none when the text is good.
    public static func parseWeights(_ text: String) -> (weights: [AssessmentIndicator: Int], problems: [String]) {
        var weights: [AssessmentIndicator: Int] = [:]
        var problems: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let indicator = AssessmentIndicator(rawValue: pair[0]) else {
                problems.append(
                    "assessment_weights: '\(part)' is not indicator=weight with an indicator of "
                        + AssessmentIndicator.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            guard let weight = Int(pair[1]), (0...100).contains(weight) else {
                problems.append("assessment_weights: the weight of \(indicator.rawValue) must be a whole number 0–100")
                continue
            }
            if weights[indicator] != nil { problems.append("assessment_weights: \(indicator.rawValue) is named twice") }
            weights[indicator] = weight
        }
        if problems.isEmpty, weights.values.allSatisfy({ $0 == 0 }) {
            problems.append("assessment_weights: at least one indicator needs a weight above 0")
        }
        return (weights, problems)
    }
}

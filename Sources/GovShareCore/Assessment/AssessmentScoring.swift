import Foundation

/// The counts one department's indicators are computed from.
public struct AssessmentInputs: Sendable, Equatable {
    public var published = 0
    public var complete = 0
    public var mounted = 0
    /// Datasets with a fixed update cycle, and those within it.
    public var cycled = 0
    public var fresh = 0
    public var records = AssessmentCount(total: 0, passed: 0)
    public var replies = AssessmentCount(total: 0, passed: 0)
    public var objections = AssessmentCount(total: 0, passed: 0)
    public var orders = AssessmentCount(total: 0, passed: 0)
    public var unconditionalItems = 0
    public var conditionalItems = 0
    public var notSharedItems = 0
    public var datasets = 0
    public var readByOthers = 0
    public init() {}

    /// Whether the department has anything to assess (a published entry or a dataset).
    public var isAssessable: Bool { published > 0 || datasets > 0 }
}

/// Turns inputs into scores: pure, so the same records always give the same scores and a department can redo it.
public enum AssessmentScoring {
    static func ratio(_ passed: Double, _ total: Double) -> Double? { total > 0 ? min(1, max(0, passed / total)) : nil }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    public static func indicators(_ i: AssessmentInputs, scheme: AssessmentScheme) -> [IndicatorScore] {
        AssessmentIndicator.allCases.map { indicator in
            let inputs: [String: Double]
            let r: Double?
            switch indicator {
            case .catalogCompleteness:
                inputs = ["published": Double(i.published), "complete": Double(i.complete)]
                r = ratio(Double(i.complete), Double(i.published))
            case .mountingRate:
                inputs = ["published": Double(i.published), "mounted": Double(i.mounted)]
                r = ratio(Double(i.mounted), Double(i.published))
            case .freshness:
                inputs = ["datasets_with_cycle": Double(i.cycled), "fresh": Double(i.fresh)]
                r = ratio(Double(i.fresh), Double(i.cycled))
            case .qualityPassRate:
                inputs = ["reported": Double(i.records.total), "accepted": Double(i.records.passed)]
                r = ratio(Double(i.records.passed), Double(i.records.total))
            case .replyTimeliness:
                inputs = ["due": Double(i.replies.total), "on_time": Double(i.replies.passed)]
                r = ratio(Double(i.replies.passed), Double(i.replies.total))
            case .objectionHandling:
                inputs = ["due": Double(i.objections.total), "on_time": Double(i.objections.passed)]
                r = ratio(Double(i.objections.passed), Double(i.objections.total))
            case .sharingDegree:
                let all = i.unconditionalItems + i.conditionalItems + i.notSharedItems
                inputs = [
                    "unconditional": Double(i.unconditionalItems), "conditional": Double(i.conditionalItems),
                    "not_shared": Double(i.notSharedItems),
                ]
                r = ratio(Double(i.unconditionalItems) + 0.5 * Double(i.conditionalItems), Double(all))
            case .rectificationCompletion:
                inputs = ["due": Double(i.orders.total), "accepted_on_time": Double(i.orders.passed)]
                r = ratio(Double(i.orders.passed), Double(i.orders.total))
            case .usageByOthers:
                inputs = ["datasets": Double(i.datasets), "read_by_others": Double(i.readByOthers)]
                r = ratio(Double(i.readByOthers), Double(i.datasets))
            }
            let weight = scheme.weight(indicator)
            return IndicatorScore(
                indicator: indicator.rawValue, weight: weight, inputs: inputs, ratio: r.map { (($0 * 10_000).rounded()) / 10_000 },
                score: weight > 0 ? r.map { round2($0 * 100) } : nil)
        }
    }

    /// Σ weight × score ÷ Σ weight over the indicators that apply (0 when none does).
    public static func total(_ scores: [IndicatorScore]) -> Double {
        let applicable = scores.filter { $0.weight > 0 && $0.score != nil }
        let weights = applicable.reduce(0) { $0 + $1.weight }
        guard weights > 0 else { return 0 }
        return round2(applicable.reduce(0.0) { $0 + Double($1.weight) * ($1.score ?? 0) } / Double(weights))
    }

    /// Orders by total (best first, then by code) and gives equal totals the same rank (1, 2, 2, 4 …).
    public static func ranked(_ departments: [DepartmentAssessment]) -> [DepartmentAssessment] {
        var sorted = departments.sorted { ($1.total, $0.departmentCode) < ($0.total, $1.departmentCode) }
        for index in sorted.indices {
            sorted[index].rank = index > 0 && sorted[index].total == sorted[index - 1].total ? sorted[index - 1].rank : index + 1
        }
        return sorted
    }
}

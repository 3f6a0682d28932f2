import Foundation

/// An assessment period: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`), in China Standard Time.
public struct AssessmentPeriod: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public let from: CivilDate
    /// The last day, included.
    public let to: CivilDate

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.utf8.count <= 7, t.utf8.count >= 4, let year = Int(t.prefix(4)), (2000...2099).contains(year) else { return nil }
        let rest = t.dropFirst(4)
        let first: Int, last: Int
        if rest.isEmpty {
            (first, last) = (1, 12)
        } else if rest.hasPrefix("-Q"), let q = Int(rest.dropFirst(2)), (1...4).contains(q), rest.count == 3 {
            (first, last) = (q * 3 - 2, q * 3)
        } else if rest.hasPrefix("-"), rest.count == 3, let m = Int(rest.dropFirst()), (1...12).contains(m) {
            (first, last) = (m, m)
        } else {
            return nil
        }
        guard let start = CivilDate(year: year, month: first, day: 1) else { return nil }
        let next = last == 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: last + 1, day: 1)
        guard let next else { return nil }
        description = t; from = start; to = next.adding(days: -1)
    }

    public var startInstant: String { from.firstInstant }
    public var endInstant: String { to.adding(days: 1).firstInstant }
}

public enum AssessmentStatus: String, Sendable, Codable {
    case draft, published

    public var name: LocalizedText {
        switch self {
        case .draft: LocalizedText(zh: "待审核发布", en: "Draft, under review")
        case .published: LocalizedText(zh: "已发布", en: "Published")
        }
    }
}

/// One indicator of one department: the inputs, the ratio (nil when nothing was due: not applicable, its weight is
/// shared among the others) and the points it contributes.
public struct IndicatorScore: Sendable, Codable, Equatable {
    public var indicator: String
    public var weight: Int
    /// Named counts the ratio is computed from (e.g. `published`, `complete`).
    public var inputs: [String: Double]
    public var ratio: Double?
    /// `ratio × 100`, two decimals (nil when not applicable).
    public var score: Double?
}

public struct DepartmentAssessment: Sendable, Codable, Equatable {
    public var departmentId: String
    public var departmentCode: String
    public var departmentName: String
    /// Σ weight × score ÷ Σ weight over the applicable indicators, two decimals.
    public var total: Double
    /// 1 is best; equal totals share a rank.
    public var rank: Int
    public var indicators: [IndicatorScore]

    public init(
        departmentId: String, departmentCode: String, departmentName: String, total: Double, rank: Int,
        indicators: [IndicatorScore]
    ) {
        self.departmentId = departmentId; self.departmentCode = departmentCode; self.departmentName = departmentName
        self.total = total; self.rank = rank; self.indicators = indicators
    }

    public func score(_ indicator: AssessmentIndicator) -> IndicatorScore? {
        indicators.first { $0.indicator == indicator.rawValue }
    }
}

/// The computed content of a period (Art. 31): a defined document — JSON, snake_case keys in sorted order, no
/// insignificant whitespace — so the signed bytes say exactly what every department scored and why. The stored bytes
/// are what was reviewed and signed.
public struct AssessmentContent: Sendable, Codable, Equatable {
    public static let format = "govshare-assessment/1"

    public struct Weight: Sendable, Codable, Equatable {
        public var indicator: String
        public var weight: Int
    }

    public var format = Self.format
    public var id: String
    public var period: String
    public var periodFrom: String
    public var periodTo: String
    /// The instant the records were read up to: the period's end, or the computation time for a period not over.
    public var asOf: String
    public var schemeVersion: String
    public var weights: [Weight]
    public var computedAt: String
    public var computedBy: String
    public var nodeId: String
    public var departments: [DepartmentAssessment]

    public var document: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func decode(_ document: Data) throws -> AssessmentContent {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AssessmentContent.self, from: document)
    }
}

/// A computed period as stored.
public struct Assessment: Sendable, Equatable {
    public let id: String
    public let period: String
    public let periodFrom: String
    public let periodTo: String
    public let asOf: String
    public let schemeVersion: String
    public let status: AssessmentStatus
    public let departmentCount: Int
    /// Who computed it (an account id, or `system`), and their name.
    public let computedBy: String
    public let computedByName: String
    public let computedAt: String
    public let publishedByName: String?
    public let publishedAt: String?
    /// `AssessmentContent.document` (empty in lists).
    public let document: Data
    public let documentSM3Hex: String
    public let signature: Data?
    public let sealId: String?
    public let nodeId: String

    public init(
        id: String, period: String, periodFrom: String, periodTo: String, asOf: String, schemeVersion: String,
        status: AssessmentStatus, departmentCount: Int, computedBy: String, computedByName: String, computedAt: String,
        publishedByName: String?, publishedAt: String?, document: Data, documentSM3Hex: String, signature: Data?,
        sealId: String?, nodeId: String
    ) {
        self.id = id; self.period = period; self.periodFrom = periodFrom; self.periodTo = periodTo; self.asOf = asOf
        self.schemeVersion = schemeVersion; self.status = status; self.departmentCount = departmentCount
        self.computedBy = computedBy; self.computedByName = computedByName; self.computedAt = computedAt
        self.publishedByName = publishedByName; self.publishedAt = publishedAt; self.document = document
        self.documentSM3Hex = documentSM3Hex; self.signature = signature; self.sealId = sealId; self.nodeId = nodeId
    }

    public var content: AssessmentContent? { try? AssessmentContent.decode(document) }
}

public struct AssessmentVerification: Sendable, Equatable {
    public let assessmentId: String
    public let valid: Bool
    public let reasons: [LocalizedText]
    public let documentSM3Hex: String
}

import Foundation

/// How much a finding of a risk report matters.
public enum RiskSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high

    public var name: LocalizedText {
        switch self {
        case .info: LocalizedText(zh: "提示", en: "Info")
        case .low: LocalizedText(zh: "低", en: "Low")
        case .medium: LocalizedText(zh: "中", en: "Medium")
        case .high: LocalizedText(zh: "高", en: "High")
        }
    }

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One finding: which section raised it, how serious, and what it says (zh and en).
public struct RiskFinding: Sendable, Codable, Equatable {
    public var section: String
    public var severity: RiskSeverity
    public var zh: String
    public var en: String
}

/// The content of a computed risk report (Art. 28): a defined document like the decision letter — JSON, snake_case
/// keys in sorted order, no insignificant whitespace — so the signed bytes say exactly what was found. The stored
/// bytes are what was signed; a later change of this type cannot unsign a report.
public struct RiskReportContent: Sendable, Codable, Equatable {
    public static let format = "govshare-risk-report/1"

    public struct Count: Sendable, Codable, Equatable {
        public var name: String
        public var count: Int
    }
    public struct SignIns: Sendable, Codable, Equatable {
        public var failures: Int
        public var lockouts: Int
        /// unknown_user, bad_password, locked, disabled, lockout …
        public var byReason: [Count]
        /// The accounts with the most failures (at most 10).
        public var topAccounts: [Count]
    }
    public struct UnusualRead: Sendable, Codable, Equatable {
        public var auditSeq: Int64
        public var department: String
        public var entryCode: String
        public var rows: Int
        public var readAt: String
    }
    public struct UnusualReads: Sendable, Codable, Equatable {
        public var factor: Double
        public var count: Int
        /// The largest (at most 20).
        public var reads: [UnusualRead]
    }
    public struct GrantRow: Sendable, Codable, Equatable {
        public var id: String
        public var department: String
        public var entryCode: String
        public var validUntil: String
    }
    public struct Grants: Sendable, Codable, Equatable {
        public var warningDays: Int
        public var nearExpiry: [GrantRow]
        public var unused: [GrantRow]
    }
    public struct GradedItem: Sendable, Codable, Equatable {
        public var entryCode: String
        public var item: String
        public var grade: Int
        /// For an item granted in clear: the grant.
        public var grantId: String?
    }
    public struct GradedItems: Sendable, Codable, Equatable {
        public var encryptFromGrade: Int
        /// Whether the platform keeps data keys (`dataset_keys`); when not, every graded item counts as unencrypted.
        /// `datasets_without_key`: datasets with a graded item their active data key does not encrypt.
        public var encryptionAvailable: Bool
        public var datasetsWithoutKey: [String]
        public var unencrypted: [GradedItem]
        /// Graded items active grants show in clear (no masking).
        public var clearGranted: [GradedItem]
    }
    public struct OverdueIncident: Sendable, Codable, Equatable {
        public var id: String
        public var level: String
        public var title: String
        public var status: String
        /// When handling should have been finished.
        public var closeDueAt: String
        public var reportedLate: Bool
    }
    public struct Incidents: Sendable, Codable, Equatable {
        public var available: Bool
        public var open: Int
        /// Open past the time handling should have been finished, or reported late.
        public var overdue: [OverdueIncident]
    }
    public struct AuditStatus: Sendable, Codable, Equatable {
        public var chainValid: Bool
        public var chainReason: String?
        public var lastSeq: Int64
        public var checkpointSeq: Int64?
        public var checkpointTime: String?
        public var checkpointSignatureValid: Bool?
        public var checkpointMatchesChain: Bool?
        public var checkpointAgeMinutes: Int?
    }
    public struct Backups: Sendable, Codable, Equatable {
        public var available: Bool
        public var maxAgeHours: Int
        public var latestFinishedAt: String?
        public var latestSizeBytes: Int64?
        public var ageHours: Int?
        public var failedInPeriod: Int
    }

    public var format = Self.format
    public var title = "政务数据安全风险评估报告 (data security risk report)"
    public var id: String
    public var periodFrom: String
    public var periodTo: String
    public var generatedAt: String
    /// `on_demand` or `scheduled`.
    public var trigger: String
    public var generatedBy: String
    public var nodeId: String
    public var signIns: SignIns
    public var unusualReads: UnusualReads
    public var grants: Grants
    public var gradedItems: GradedItems
    public var incidents: Incidents
    public var audit: AuditStatus
    public var backups: Backups
    public var findings: [RiskFinding]

    /// The canonical bytes (what is signed).
    public var document: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func decode(_ document: Data) throws -> RiskReportContent {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RiskReportContent.self, from: document)
    }

    /// The worst severity found (info when nothing was).
    public var worst: RiskSeverity { findings.map(\.severity).max() ?? .info }
}

/// A computed report as stored: the signed content, its rendering, and the authority's signature.
public struct RiskReport: Sendable, Equatable {
    public let id: String
    public let periodFrom: String
    public let periodTo: String
    public let trigger: String
    public let generatedBy: String
    public let generatedAt: String
    public let worst: RiskSeverity
    public let findingCount: Int
    /// The signed bytes (`RiskReportContent.document`).
    public let document: Data
    public let html: String
    public let signature: Data
    public let sealId: String
    public let documentSM3Hex: String
    public let nodeId: String

    public init(
        id: String, periodFrom: String, periodTo: String, trigger: String, generatedBy: String, generatedAt: String,
        worst: RiskSeverity, findingCount: Int, document: Data, html: String, signature: Data, sealId: String,
        documentSM3Hex: String, nodeId: String
    ) {
        self.id = id; self.periodFrom = periodFrom; self.periodTo = periodTo; self.trigger = trigger
        self.generatedBy = generatedBy; self.generatedAt = generatedAt; self.worst = worst; self.findingCount = findingCount
        self.document = document; self.html = html; self.signature = signature; self.sealId = sealId
        self.documentSM3Hex = documentSM3Hex; self.nodeId = nodeId
    }
}

/// A third party's own report (Art. 28: 委托第三方), uploaded as a PDF against a period.
public struct ThirdPartyRiskReport: Sendable, Equatable {
    public let id: String
    public let periodFrom: String
    public let periodTo: String
    public let title: String
    public let assessor: String
    public let fileName: String
    public let size: Int
    public let sha256: String
    public let sm3: String
    public let uploadedBy: String
    public let uploadedByName: String
    public let uploadedAt: String
    public let nodeId: String

    public init(
        id: String, periodFrom: String, periodTo: String, title: String, assessor: String, fileName: String, size: Int,
        sha256: String, sm3: String, uploadedBy: String, uploadedByName: String, uploadedAt: String, nodeId: String
    ) {
        self.id = id; self.periodFrom = periodFrom; self.periodTo = periodTo; self.title = title; self.assessor = assessor
        self.fileName = fileName; self.size = size; self.sha256 = sha256; self.sm3 = sm3; self.uploadedBy = uploadedBy
        self.uploadedByName = uploadedByName; self.uploadedAt = uploadedAt; self.nodeId = nodeId
    }
}

/// The outcome of checking a stored report against its signature.
public struct RiskReportVerification: Sendable, Equatable {
    public let reportId: String
    public let valid: Bool
    public let reasons: [LocalizedText]
    public let documentSM3Hex: String
}

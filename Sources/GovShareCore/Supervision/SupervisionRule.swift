import Foundation

/// The named, versioned rule checks of electronic supervision (Art. 30 电子督查): each reads the platform's records
/// and names what it finds per department and object. A rule's version changes when what it checks changes, and every
/// finding records the version that raised it.
public enum SupervisionRule: String, Sendable, Codable, CaseIterable {
    case unmountedEntry = "unmounted_entry"
    case staleData = "stale_data"
    case obligationOverdue = "catalog_obligation_overdue"
    case lateReply = "late_reply"
    case missingBasis = "missing_basis"
    case baseNotUnconditional = "base_not_unconditional"
    case grantOutsideValidity = "grant_outside_validity"
    case unusualReads = "unusual_reads"
    case missingElements = "missing_elements"
    /// Raised by an inspector on a sampled object, not by a check.
    case inspection

    public static let checks = allCases.filter { $0 != .inspection }

    public var version: Int { 1 }

    public var article: String {
        switch self {
        case .unmountedEntry: "第十一条"
        case .staleData: "第二十一条"
        case .obligationOverdue: "第九条"
        case .lateReply: "第十九条、第二十一条"
        case .missingBasis, .baseNotUnconditional: "第十八条"
        case .grantOutsideValidity: "第二十一条"
        case .unusualReads: "第二十八条"
        case .missingElements: "第八条"
        case .inspection: "第三十条"
        }
    }

    public var severity: RiskSeverity {
        switch self {
        case .lateReply, .grantOutsideValidity, .missingBasis: .high
        case .unmountedEntry, .staleData, .obligationOverdue, .baseNotUnconditional, .unusualReads, .inspection: .medium
        case .missingElements: .low
        }
    }

    public var name: LocalizedText {
        switch self {
        case .unmountedEntry: LocalizedText(zh: "目录已发布但未挂接数据", en: "Published entry without mounted data")
        case .staleData: LocalizedText(zh: "数据超过更新周期未更新", en: "Data older than its update cycle")
        case .obligationOverdue: LocalizedText(zh: "目录更新义务逾期", en: "Catalog update obligation overdue")
        case .lateReply: LocalizedText(zh: "共享申请或数据异议逾期答复", en: "Application or objection answered late")
        case .missingBasis: LocalizedText(zh: "有条件／不予共享缺少法律依据", en: "Conditional / not shared without a legal basis")
        case .baseNotUnconditional: LocalizedText(zh: "基础信息数据项未无条件共享", en: "Base items not shared unconditionally")
        case .grantOutsideValidity: LocalizedText(zh: "授权有效期外使用数据", en: "Data read outside the grant's validity")
        case .unusualReads: LocalizedText(zh: "读取量远超本部门常规", en: "Reads far above the department's usual volume")
        case .missingElements: LocalizedText(zh: "目录必填要素缺失", en: "Required catalog elements missing")
        case .inspection: LocalizedText(zh: "抽查发现的问题", en: "Found by inspection")
        }
    }
}

/// One thing a check or an inspector found: a department, the object concerned, the rule, the evidence.
public struct SupervisionFinding: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Still found by the latest run.
        case open
        /// No longer found by a later run (or the inspector's object was put right).
        case resolved

        public var name: LocalizedText {
            switch self {
            case .open: LocalizedText(zh: "未整改", en: "Open")
            case .resolved: LocalizedText(zh: "已消除", en: "Resolved")
            }
        }
    }

    public var id: String
    public var rule: SupervisionRule
    public var ruleVersion: Int
    public var departmentId: String
    public var objectType: String
    public var objectId: String
    /// What people read: the entry's code and name, the application's resource …
    public var objectLabel: String
    public var evidence: String
    public var severity: RiskSeverity
    public var status: Status
    public var runId: String
    public var firstSeenAt: String
    public var lastSeenAt: String
    public var resolvedAt: String?
    public var nodeId: String

    public init(
        id: String, rule: SupervisionRule, ruleVersion: Int, departmentId: String, objectType: String, objectId: String,
        objectLabel: String, evidence: String, severity: RiskSeverity, status: Status, runId: String, firstSeenAt: String,
        lastSeenAt: String, resolvedAt: String?, nodeId: String
    ) {
        self.id = id; self.rule = rule; self.ruleVersion = ruleVersion; self.departmentId = departmentId
        self.objectType = objectType; self.objectId = objectId; self.objectLabel = objectLabel; self.evidence = evidence
        self.severity = severity; self.status = status; self.runId = runId; self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt; self.resolvedAt = resolvedAt; self.nodeId = nodeId
    }
}

/// One run of the checks: when, by whom, how long, what it found.
public struct SupervisionRun: Sendable, Equatable {
    public var id: String
    public var trigger: String
    public var startedBy: String
    public var startedAt: String
    public var finishedAt: String
    public var found: Int
    public var opened: Int
    public var resolved: Int
    public var milliseconds: Int
    /// Findings per rule in this run.
    public var byRule: [String: Int]
    public var nodeId: String

    public init(
        id: String, trigger: String, startedBy: String, startedAt: String, finishedAt: String, found: Int, opened: Int,
        resolved: Int, milliseconds: Int, byRule: [String: Int], nodeId: String
    ) {
        self.id = id; self.trigger = trigger; self.startedBy = startedBy; self.startedAt = startedAt; self.finishedAt = finishedAt
        self.found = found; self.opened = opened; self.resolved = resolved; self.milliseconds = milliseconds; self.byRule = byRule
        self.nodeId = nodeId
    }
}

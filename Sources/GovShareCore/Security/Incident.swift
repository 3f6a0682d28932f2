import Foundation

/// The four grades of a security incident (Art. 27; 国家网络安全事件应急预案 and GB/Z 20986-2007 grade incidents into
/// 特别重大、重大、较大、一般).
public enum IncidentLevel: String, Sendable, Codable, CaseIterable {
    case particularlySerious = "particularly_serious"
    case serious
    case relativelySerious = "relatively_serious"
    case general

    public var name: LocalizedText {
        switch self {
        case .particularlySerious: LocalizedText(zh: "特别重大", en: "Particularly serious")
        case .serious: LocalizedText(zh: "重大", en: "Serious")
        case .relativelySerious: LocalizedText(zh: "较大", en: "Relatively serious")
        case .general: LocalizedText(zh: "一般", en: "General")
        }
    }

    /// The top two grades are escalated to the operations centre at once, marked urgent.
    public var isUrgent: Bool { self == .particularlySerious || self == .serious }

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")
}

public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    case open, handling, closed

    public var name: LocalizedText {
        switch self {
        case .open: LocalizedText(zh: "待处置", en: "Open")
        case .handling: LocalizedText(zh: "处置中", en: "Handling")
        case .closed: LocalizedText(zh: "已关闭", en: "Closed")
        }
    }
}

/// The closure report (事件总结报告): why it happened, what it touched, what was done so it does not recur.
public struct IncidentClosure: Sendable, Equatable, Codable {
    public var cause: String
    public var impact: String
    public var measures: String
    public init(cause: String, impact: String, measures: String) { self.cause = cause; self.impact = impact; self.measures = measures }
}

/// A security incident reported to the data authority (Art. 27). The report is the record itself: `reportedAt` is when
/// it reached the platform, `reportDueAt` the deadline its level allowed after `occurredAt`; `closeDueAt` when handling
/// should be finished (`incident_close_days`).
public struct Incident: Sendable, Equatable {
    public var id: String
    public var nodeId: String
    public var departmentId: String
    public var level: IncidentLevel
    public var status: IncidentStatus
    public var title: String
    public var description: String
    public var occurredAt: Date
    public var reportedAt: Date
    public var reportDueAt: Date
    public var closeDueAt: Date
    public var closedAt: Date?
    public var reportedBy: String
    public var reporterName: String
    /// Catalog entries (by id) whose data the incident touched.
    public var affectedEntryIds: [String]
    /// Other departments the incident touched; their officers see it too.
    public var affectedDepartmentIds: [String]
    public var closure: IncidentClosure?

    public init(
        id: String, nodeId: String, departmentId: String, level: IncidentLevel, status: IncidentStatus, title: String,
        description: String, occurredAt: Date, reportedAt: Date, reportDueAt: Date, closeDueAt: Date, closedAt: Date?,
        reportedBy: String, reporterName: String, affectedEntryIds: [String], affectedDepartmentIds: [String],
        closure: IncidentClosure?
    ) {
        self.id = id; self.nodeId = nodeId; self.departmentId = departmentId; self.level = level; self.status = status
        self.title = title; self.description = description; self.occurredAt = occurredAt; self.reportedAt = reportedAt
        self.reportDueAt = reportDueAt; self.closeDueAt = closeDueAt; self.closedAt = closedAt; self.reportedBy = reportedBy
        self.reporterName = reporterName; self.affectedEntryIds = affectedEntryIds
        self.affectedDepartmentIds = affectedDepartmentIds; self.closure = closure
    }

    /// Reported after the deadline its level allowed.
    public var reportedLate: Bool { reportedAt > reportDueAt }

    /// Still open past the time handling should have been finished.
    public func isOverdue(at now: Date) -> Bool { status != .closed && now > closeDueAt }

    public var auditSummary: [String: String] {
        var s = [
            "department_id": departmentId, "level": level.rawValue, "status": status.rawValue, "title": title,
            "occurred_at": Timestamp.format(occurredAt), "reported_at": Timestamp.format(reportedAt),
            "report_due_at": Timestamp.format(reportDueAt), "reported_late": String(reportedLate),
            "affected_entries": affectedEntryIds.joined(separator: ","),
            "affected_departments": affectedDepartmentIds.joined(separator: ","),
        ]
        if let closedAt { s["closed_at"] = Timestamp.format(closedAt) }
        if let closure { s["closure_cause"] = closure.cause }
        return s
    }
}

/// One line of an incident's handling log (append-only): who, when, what, and a note.
public struct IncidentLogEntry: Sendable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case reported, note, handling, closed
        public var name: LocalizedText {
            switch self {
            case .reported: LocalizedText(zh: "报告", en: "Reported")
            case .note: LocalizedText(zh: "处置记录", en: "Note")
            case .handling: LocalizedText(zh: "开始处置", en: "Handling started")
            case .closed: LocalizedText(zh: "关闭", en: "Closed")
            }
        }
    }
    public var id: String
    public var incidentId: String
    public var actorId: String
    public var actorName: String
    public var at: Date
    public var action: Action
    public var note: String?

    public init(id: String, incidentId: String, actorId: String, actorName: String, at: Date, action: Action, note: String?) {
        self.id = id; self.incidentId = incidentId; self.actorId = actorId; self.actorName = actorName; self.at = at
        self.action = action; self.note = note
    }
}

/// When a security incident must be reported to the data authority (hours after it occurred, per level), and when its
/// handling should be closed. Defaults follow 国家网络安全事件应急预案 (特别重大/重大 at once — within 1 and 2 hours here —
/// and 较大/一般 within the day and within three days); `incident_report_hours_<level>` overrides each.
public struct SecurityOperationsSettings: Sendable, Equatable {
    public var incidentReportHours: [IncidentLevel: Int] = [
        .particularlySerious: 1, .serious: 2, .relativelySerious: 24, .general: 72,
    ]
    /// Days after the report by which an incident should be closed with its closure report.
    public var incidentCloseDays = 30
    /// A department holds a drill at least this often (yearly by default).
    public var drillIntervalDays = 365
    /// Its security officers are reminded this many days before the next drill is due.
    public var drillReminderDays = 30
    public init() {}

    public func reportHours(_ level: IncidentLevel) -> Int { incidentReportHours[level] ?? 24 }

    public static func reportHoursKey(_ level: IncidentLevel) -> String { "incident_report_hours_\(level.rawValue)" }
}

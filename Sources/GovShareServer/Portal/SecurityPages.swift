import Foundation
import GovShareCore

/// `security_incidents.mustache`: the incidents the person may see, and the report form.
struct SecurityIncidentsPage: PortalPage {
    static let template = PageTemplate.securityIncidents
    struct Row: Encodable {
        var id, title, level, status, department, occurredAt, reportDueAt, closeDueAt: String
        var late, overdue, urgent: Bool
    }
    struct Choice: Encodable {
        var value, label: String
        var selected: Bool
    }
    var incidents: [Row]
    var canReport: Bool
    var levels: [Choice]
    /// Those who see all report for any department.
    var departments: [Choice]
    var chooseDepartment: Bool
    var formTitle, formDescription, formOccurredAt, formAffected: String
    var error: String?
}

/// `security_incident.mustache`: one incident, its handling log, and the log and closure forms.
struct SecurityIncidentPage: PortalPage {
    static let template = PageTemplate.securityIncident
    struct LogLine: Encodable { var at, actor, action: String; var note: String? }
    var id, title, level, status, department, description, occurredAt, reportedAt, reportDueAt, closeDueAt, reporter: String
    var closedAt: String?
    var late, overdue, closed, canAct, canStartHandling: Bool
    var affectedEntries, affectedDepartments: String?
    var cause, impact, measures: String?
    var log: [LogLine]
    var formCause, formImpact, formMeasures: String
    var error: String?
}

/// `security_plans.mustache`: the emergency plans, one plan's versions when chosen, and the forms.
struct SecurityPlansPage: PortalPage {
    static let template = PageTemplate.securityPlans
    struct Row: Encodable { var id, title, department, effectiveOn: String; var version: Int }
    struct Version: Encodable { var version: Int; var title, body, effectiveOn, approvedBy, recordedBy, recordedAt: String }
    struct Selected: Encodable { var id, title, department: String; var currentVersion: Int; var versions: [Version] }
    var plans: [Row]
    var selected: Selected?
    var canManage: Bool
    var error: String?
}

/// `security_drills.mustache`: departments whose drill is due, the drills with follow-ups, and the record form.
struct SecurityDrillsPage: PortalPage {
    static let template = PageTemplate.securityDrills
    struct Due: Encodable { var department, state: String; var lastHeldOn, dueOn: String?; var overdue: Bool }
    struct FollowUp: Encodable { var id, drillId, description, owner: String; var done: Bool; var doneAt: String? }
    struct Row: Encodable {
        var id, department, heldOn, scenario, participants, findings: String
        var plan: String?
        var followUps: [FollowUp]
        var canManage: Bool
    }
    struct Choice: Encodable { var value, label: String }
    var due: [Due]
    var hasDue: Bool
    var drills: [Row]
    var canManage: Bool
    var plans: [Choice]
    var error: String?
}

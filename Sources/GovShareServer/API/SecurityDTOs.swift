import Foundation
import GovShareCore

struct IncidentLogEntryDTO: Codable, Sendable {
    let id, actorId, actorName, at, action: String
    let note: String?
    init(_ e: IncidentLogEntry) {
        id = e.id; actorId = e.actorId; actorName = e.actorName; at = Timestamp.format(e.at); action = e.action.rawValue; note = e.note
    }
    enum CodingKeys: String, CodingKey {
        case id, at, action, note
        case actorId = "actor_id", actorName = "actor_name"
    }
}

struct IncidentDTO: Codable, Sendable {
    struct Closure: Codable, Sendable { let cause, impact, measures: String }
    let id, departmentId, level, levelName, status, title, description, occurredAt, reportedAt, reportDueAt, closeDueAt,
        reportedBy, reporterName: String
    let closedAt: String?
    let reportedLate, overdue: Bool
    let affectedEntries, affectedDepartments: [String]
    let closure: Closure?
    let log: [IncidentLogEntryDTO]?

    init(_ i: Incident, now: Date, log: [IncidentLogEntry]? = nil) {
        id = i.id; departmentId = i.departmentId; level = i.level.rawValue; levelName = i.level.name.zh; status = i.status.rawValue
        title = i.title; description = i.description; occurredAt = Timestamp.format(i.occurredAt)
        reportedAt = Timestamp.format(i.reportedAt); reportDueAt = Timestamp.format(i.reportDueAt)
        closeDueAt = Timestamp.format(i.closeDueAt); reportedBy = i.reportedBy; reporterName = i.reporterName
        closedAt = i.closedAt.map(Timestamp.format); reportedLate = i.reportedLate; overdue = i.isOverdue(at: now)
        affectedEntries = i.affectedEntryIds; affectedDepartments = i.affectedDepartmentIds
        closure = i.closure.map { Closure(cause: $0.cause, impact: $0.impact, measures: $0.measures) }
        self.log = log.map { $0.map(IncidentLogEntryDTO.init) }
    }

    enum CodingKeys: String, CodingKey {
        case id, level, status, title, description, closure, log, overdue
        case departmentId = "department_id", levelName = "level_name", occurredAt = "occurred_at", reportedAt = "reported_at"
        case reportDueAt = "report_due_at", closeDueAt = "close_due_at", reportedBy = "reported_by", reporterName = "reporter_name"
        case closedAt = "closed_at", reportedLate = "reported_late", affectedEntries = "affected_entries"
        case affectedDepartments = "affected_departments"
    }
}

struct IncidentReportRequest: Codable, Sendable {
    var departmentId, level, title, description, occurredAt: String?
    var affectedEntries, affectedDepartments: [String]?
    enum CodingKeys: String, CodingKey {
        case level, title, description
        case departmentId = "department_id", occurredAt = "occurred_at", affectedEntries = "affected_entries"
        case affectedDepartments = "affected_departments"
    }
}

struct IncidentLogRequest: Codable, Sendable { var note, status: String? }
struct IncidentCloseRequest: Codable, Sendable { var cause, impact, measures: String? }

struct PlanVersionDTO: Codable, Sendable {
    let id, planId, title, body, effectiveOn, approvedBy, recordedBy, recordedByName, createdAt: String
    let version: Int
    init(_ v: EmergencyPlanVersion) {
        id = v.id; planId = v.planId; title = v.title; body = v.body; effectiveOn = v.effectiveOn.description
        approvedBy = v.approvedBy; recordedBy = v.recordedBy; recordedByName = v.recordedByName
        createdAt = Timestamp.format(v.createdAt); version = v.version
    }
    enum CodingKeys: String, CodingKey {
        case id, title, body, version
        case planId = "plan_id", effectiveOn = "effective_on", approvedBy = "approved_by", recordedBy = "recorded_by"
        case recordedByName = "recorded_by_name", createdAt = "created_at"
    }
}

struct PlanDTO: Codable, Sendable {
    let id, departmentId, title, effectiveOn, createdAt, updatedAt: String
    let currentVersion: Int
    let versions: [PlanVersionDTO]?
    init(_ p: EmergencyPlan, versions: [EmergencyPlanVersion]? = nil) {
        id = p.id; departmentId = p.departmentId; title = p.title; effectiveOn = p.effectiveOn.description
        createdAt = Timestamp.format(p.createdAt); updatedAt = Timestamp.format(p.updatedAt); currentVersion = p.currentVersion
        self.versions = versions.map { $0.map(PlanVersionDTO.init) }
    }
    enum CodingKeys: String, CodingKey {
        case id, title, versions
        case departmentId = "department_id", effectiveOn = "effective_on", createdAt = "created_at", updatedAt = "updated_at"
        case currentVersion = "current_version"
    }
}

struct PlanRequest: Codable, Sendable {
    var departmentId, title, body, effectiveOn, approvedBy: String?
    enum CodingKeys: String, CodingKey {
        case title, body
        case departmentId = "department_id", effectiveOn = "effective_on", approvedBy = "approved_by"
    }
    var input: SecurityOperationsService.PlanInput {
        .init(departmentId: departmentId, title: title, body: body, effectiveOn: effectiveOn, approvedBy: approvedBy)
    }
}

struct FollowUpDTO: Codable, Sendable {
    let id, description, owner: String
    let done: Bool
    let doneAt, doneBy: String?
    init(_ f: DrillFollowUp) {
        id = f.id; description = f.description; owner = f.owner; done = f.done; doneAt = f.doneAt.map(Timestamp.format); doneBy = f.doneBy
    }
    enum CodingKeys: String, CodingKey { case id, description, owner, done, doneAt = "done_at", doneBy = "done_by" }
}

struct DrillDTO: Codable, Sendable {
    let id, departmentId, heldOn, scenario, findings, recordedBy, createdAt: String
    let planId: String?
    let planVersion: Int?
    let participants: [String]
    let followUps: [FollowUpDTO]
    init(_ d: Drill) {
        id = d.id; departmentId = d.departmentId; heldOn = d.heldOn.description; scenario = d.scenario; findings = d.findings
        recordedBy = d.recordedBy; createdAt = Timestamp.format(d.createdAt); planId = d.planId; planVersion = d.planVersion
        participants = d.participants; followUps = d.followUps.map(FollowUpDTO.init)
    }
    enum CodingKeys: String, CodingKey {
        case id, scenario, findings, participants
        case departmentId = "department_id", heldOn = "held_on", recordedBy = "recorded_by", createdAt = "created_at"
        case planId = "plan_id", planVersion = "plan_version", followUps = "follow_ups"
    }
}

struct FollowUpRequest: Codable, Sendable { var description, owner: String? }

struct DrillRequest: Codable, Sendable {
    var departmentId, heldOn, scenario, planId, findings: String?
    var planVersion: Int?
    var participants: [String]?
    var followUps: [FollowUpRequest]?
    enum CodingKeys: String, CodingKey {
        case scenario, findings, participants
        case departmentId = "department_id", heldOn = "held_on", planId = "plan_id", planVersion = "plan_version"
        case followUps = "follow_ups"
    }
}

struct DrillDueDTO: Codable, Sendable {
    let departmentId, state: String
    let lastHeldOn, dueOn: String?
    init(_ d: DrillDue) {
        departmentId = d.departmentId; state = d.state.rawValue; lastHeldOn = d.lastHeldOn?.description; dueOn = d.dueOn?.description
    }
    enum CodingKeys: String, CodingKey { case state, departmentId = "department_id", lastHeldOn = "last_held_on", dueOn = "due_on" }
}

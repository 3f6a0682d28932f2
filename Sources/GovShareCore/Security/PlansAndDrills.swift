import Foundation

/// A department's emergency plan (应急预案, Art. 27): one record, its text kept as numbered versions.
public struct EmergencyPlan: Sendable, Equatable {
    public var id: String
    public var nodeId: String
    public var departmentId: String
    public var title: String
    public var currentVersion: Int
    public var effectiveOn: CivilDate
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, nodeId: String, departmentId: String, title: String, currentVersion: Int, effectiveOn: CivilDate,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id; self.nodeId = nodeId; self.departmentId = departmentId; self.title = title
        self.currentVersion = currentVersion; self.effectiveOn = effectiveOn; self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

/// One version of a plan: its text, from when it applies, who approved it and who recorded it.
public struct EmergencyPlanVersion: Sendable, Equatable {
    public var id: String
    public var planId: String
    public var version: Int
    public var title: String
    public var body: String
    public var effectiveOn: CivilDate
    public var approvedBy: String
    public var recordedBy: String
    public var recordedByName: String
    public var createdAt: Date

    public init(
        id: String, planId: String, version: Int, title: String, body: String, effectiveOn: CivilDate, approvedBy: String,
        recordedBy: String, recordedByName: String, createdAt: Date
    ) {
        self.id = id; self.planId = planId; self.version = version; self.title = title; self.body = body
        self.effectiveOn = effectiveOn; self.approvedBy = approvedBy; self.recordedBy = recordedBy
        self.recordedByName = recordedByName; self.createdAt = createdAt
    }
}

/// Something a drill found to fix, with who owns it and whether it is done.
public struct DrillFollowUp: Sendable, Equatable {
    public var id: String
    public var drillId: String
    public var description: String
    public var owner: String
    public var done: Bool
    public var doneAt: Date?
    public var doneBy: String?

    public init(id: String, drillId: String, description: String, owner: String, done: Bool, doneAt: Date?, doneBy: String?) {
        self.id = id; self.drillId = drillId; self.description = description; self.owner = owner; self.done = done
        self.doneAt = doneAt; self.doneBy = doneBy
    }
}

/// A drill (演练) held by a department: when, what was rehearsed, under which plan version, who took part, what was
/// found and what is to be done.
public struct Drill: Sendable, Equatable {
    public var id: String
    public var nodeId: String
    public var departmentId: String
    public var heldOn: CivilDate
    public var scenario: String
    public var planId: String?
    public var planVersion: Int?
    public var participants: [String]
    public var findings: String
    public var recordedBy: String
    public var createdAt: Date
    public var followUps: [DrillFollowUp]

    public init(
        id: String, nodeId: String, departmentId: String, heldOn: CivilDate, scenario: String, planId: String?,
        planVersion: Int?, participants: [String], findings: String, recordedBy: String, createdAt: Date,
        followUps: [DrillFollowUp]
    ) {
        self.id = id; self.nodeId = nodeId; self.departmentId = departmentId; self.heldOn = heldOn; self.scenario = scenario
        self.planId = planId; self.planVersion = planVersion; self.participants = participants; self.findings = findings
        self.recordedBy = recordedBy; self.createdAt = createdAt; self.followUps = followUps
    }
}

/// Where a department stands with its periodic drill.
public struct DrillDue: Sendable, Equatable {
    public enum State: String, Sendable { case current, dueSoon = "due_soon", overdue }
    public var departmentId: String
    public var lastHeldOn: CivilDate?
    /// Nil when the department has never recorded a drill (then it is overdue).
    public var dueOn: CivilDate?
    public var state: State
}

/// A drill reminder sent once: per department, kind and due date (a new drill makes a new due date).
public struct DrillReminder: Sendable, Hashable {
    public enum Kind: String, Sendable { case dueSoon = "due_soon", overdue }
    public var departmentId: String
    public var kind: Kind
    /// `YYYY-MM-DD`, or `never` for a department that has no drill on record.
    public var dueOn: String
    public init(departmentId: String, kind: Kind, dueOn: String) { self.departmentId = departmentId; self.kind = kind; self.dueOn = dueOn }
}

/// Incidents, plans and drills (migration 35). Every write commits with its audit entry (and its notifications).
public protocol SecurityRecordRepository: Sendable {
    func insertIncident(_ incident: Incident, log: IncidentLogEntry, notifications: [InboxMessage], audit: AuditRecord) async throws
    func incident(id: String) async throws -> Incident?
    /// Newest first; `departmentId` nil: every department's, else those of the department or naming it as affected.
    func incidents(departmentId: String?, openOnly: Bool) async throws -> [Incident]
    func log(incidentId: String) async throws -> [IncidentLogEntry]
    /// Appends a log entry and saves the incident's status (and closure) if its status is still `expected`; 409
    /// `incident_changed` otherwise.
    func append(_ entry: IncidentLogEntry, saving incident: Incident, expected: IncidentStatus, audit: AuditRecord) async throws

    func insertPlan(_ plan: EmergencyPlan, version: EmergencyPlanVersion, audit: AuditRecord) async throws
    /// Adds the next version if the plan is still at `version.version - 1`; 409 `plan_version_changed` otherwise.
    func insertPlanVersion(_ version: EmergencyPlanVersion, audit: AuditRecord) async throws
    func plan(id: String) async throws -> EmergencyPlan?
    func plans(departmentId: String?) async throws -> [EmergencyPlan]
    /// Newest version first.
    func planVersions(planId: String) async throws -> [EmergencyPlanVersion]

    func insertDrill(_ drill: Drill, audit: AuditRecord) async throws
    func drill(id: String) async throws -> Drill?
    func drills(departmentId: String?) async throws -> [Drill]
    func insertFollowUp(_ followUp: DrillFollowUp, audit: AuditRecord) async throws
    /// Marks a follow-up done; false when it was done already (nothing written).
    func markDone(followUpId: String, drillId: String, by actorId: String, at: Date, audit: AuditRecord) async throws -> Bool
    /// The latest drill date of each department that recorded one.
    func lastDrills() async throws -> [String: CivilDate]
    /// Records the reminder with its notification; false (nothing written) when it was sent before.
    func recordReminder(_ reminder: DrillReminder, notification: InboxMessage, audit: AuditRecord) async throws -> Bool
}

/// A regulation deadline counted in working days (Art. 9's 15 days, Art. 19's 10 days). Kept as a record so that
/// importing a newly announced year can recompute every open provisional one.
public struct Deadline: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case open, met, cancelled }

    public var id: String
    public var subjectType: String
    public var subjectId: String
    public var receivedOn: CivilDate
    public var workingDays: Int
    public var dueOn: CivilDate
    public var provisional: Bool
    public var status: Status
    public var nodeId: String

    public init(
        id: String, subjectType: String, subjectId: String, receivedOn: CivilDate, workingDays: Int,
        dueOn: CivilDate, provisional: Bool, status: Status, nodeId: String
    ) {
        self.id = id; self.subjectType = subjectType; self.subjectId = subjectId; self.receivedOn = receivedOn
        self.workingDays = workingDays; self.dueOn = dueOn; self.provisional = provisional; self.status = status
        self.nodeId = nodeId
    }

    /// Overdue from the day after the due date while still open.
    public func isOverdue(on today: CivilDate) -> Bool { status == .open && today > dueOn }
}

import Foundation

/// `conflicts.mustache`: the queue, the statistics per provider, the fact pairs and the declare form, the check button.
struct ConflictsPage: PortalPage {
    static let template = PageTemplate.conflicts
    struct Case: Encodable {
        var id, label, providers, status, statusCode: String
        var dueOn: String?
        var overdue: Bool
        var disagreements: String
    }
    struct Pair: Encodable {
        var id, left, right, key, note: String
        var canRetire: Bool
    }
    struct Stat: Encodable {
        var provider: String
        var open, resolved: Int
    }
    struct Field: Encodable { var name, value: String }
    var cases: [Case]
    var pairs: [Pair]
    var statistics: [Stat]
    var canDeclare, canCheck: Bool
    var form: [Field]
    var error: String?
    var notice: String?
}

/// `conflict.mustache`: one case with its disagreeing records, messages and the actions the reader may take.
struct ConflictPage: PortalPage {
    static let template = PageTemplate.conflict
    struct Finding: Encodable { var leftKey, leftValue, rightKey, rightValue: String }
    struct Message: Encodable { var author, department, kind, body, at: String }
    struct Choice: Encodable { var value, label: String }
    var id, label, leftName, rightName, leftProvider, rightProvider, status, statusCode, dueOn, disagreements: String
    var proposed, resolved, reasons: String?
    var findings: [Finding]
    var messages: [Message]
    var canNegotiate, canAgree, canArbitrate, canMessage: Bool
    var sides: [Choice]
    var error: String?
}

import GovShareCore

/// `objections.mustache`: the department's queue, every objection it may see, objections by month and outcome as
/// bars, and (supervision) how each provider handles them.
struct ObjectionsPage: PortalPage {
    static let template = PageTemplate.objections
    struct Row: Encodable {
        var id, dataset, code, kind, objector, provider, status: String
        var outcome: String?
        var due: String
        var overdue: Bool
        var created: String
        var records, flagged: Int
        var hasFlagged: Bool
    }
    struct Month: Encodable {
        struct Part: Encodable {
            var bucket: String
            var count, width: Int
        }
        var month: String
        var total: Int
        var parts: [Part]
    }
    struct Legend: Encodable { var bucket, label: String }
    struct Stat: Encodable {
        var provider: String
        var received, onTime, late, open, corrected, disputed: Int
        var average: String
    }
    var queue: [Row]
    var all: [Row]
    var months: [Month]
    var hasMonths: Bool
    var legend: [Legend]
    var stats: [Stat]
    var hasStats: Bool
}

/// `objection_new.mustache`: the raise form, with rows ticked in a preview carried as tokens.
struct ObjectionNewPage: PortalPage {
    static let template = PageTemplate.objectionNew
    struct Choice: Encodable {
        var value, label: String
        var selected: Bool
    }
    struct Token: Encodable {
        var index: Int
        var token: String
    }
    var dataset: String
    var kinds: [Choice]
    var items: [Choice]
    var tokens: [Token]
    var hasTokens: Bool
    var keys, description: String
    var error: String?
}

/// `objection.mustache`: one objection with its records, history and evidence, and the forms of whoever acts next.
struct ObjectionPage: PortalPage {
    static let template = PageTemplate.objection
    struct Record: Encodable {
        var index: Int
        var key, rawKey: String
        var proposed: String?
        var state, stateName: String
        var reason, correctedBy: String?
        var confirmed: Bool
    }
    struct Attachment: Encodable { var objectionId, id, name, size, by, at: String }
    struct Step: Encodable {
        var at, action, actor: String
        var note: String?
    }
    var id, dataset, code, slug, kind: String
    var item: String?
    var description, status: String
    var outcome, due: String?
    var provisional, overdue: Bool
    var correctionDue: String?
    var objector, provider, authority: String
    var answer, answeredBy, disputeReason, ruling, ruledBy: String?
    var records: [Record]
    var attachments: [Attachment]
    var history: [Step]
    var keyItem, correctItem: String
    var canAnswer, canCorrect, canAccept, canDispute, canWithdraw, canRule, canAttach: Bool
    var error: String?
}

import GovShareCore

extension Strings {
    /// Words of the catalog update obligations page (Art. 9).
    static let obligationWords: [String: LocalizedText] = [
        "obligations_intro": .init(
            zh: "法律法规修订或职能变化后，相关部门须在规定工作日内更新所涉目录（第九条）。义务只在所关联的目录发布新版本时办结；到期前提醒部门，逾期提交主管部门督办。",
            en:
                "After a law is revised or a function changes, the department updates the entry concerned within the working-day limit (Art. 9). An obligation is met only when its linked entry is published; the department is reminded before the due date and the authority told once it is overdue."
        ),
        "law_revised": .init(zh: "法律法规修订", en: "Law revised"),
        "function_changed": .init(zh: "职能变化", en: "Function changed"),
        "linked_entry": .init(zh: "所涉目录", en: "Entry concerned"),
        "not_linked": .init(zh: "尚未关联", en: "Not linked"),
        "notices": .init(zh: "提醒与督办", en: "Reminder / escalation"),
        "reminded_on": .init(zh: "已提醒", en: "Reminded"),
        "escalated_on": .init(zh: "已督办", en: "Escalated"),
        "met": .init(zh: "已办结", en: "Met"),
        "cancelled": .init(zh: "已撤销", en: "Cancelled"),
        "entry_code_label": .init(zh: "目录代码", en: "Resource code"),
        "link_entry": .init(zh: "关联", en: "Link"),
    ]
}

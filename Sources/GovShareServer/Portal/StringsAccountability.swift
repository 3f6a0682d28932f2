import GovShareCore

extension Strings {
    /// Words of the grants, usage, misuse and attachment pages.
    static let accountability: [String: LocalizedText] = [
        "nav_grants": .init(zh: "授权与使用", en: "Grants & usage"),
        "grants_held": .init(zh: "本部门持有的授权", en: "Grants my department holds"),
        "grants_provided": .init(zh: "本部门数据上的授权", en: "Grants on my department's data"),
        "rows_by_grant": .init(zh: "各授权返回行数", en: "Rows returned per grant"),
        "reads": .init(zh: "读取次数", en: "Reads"),
        "rows_returned": .init(zh: "返回行数", en: "Rows"),
        "last_read": .init(zh: "最近读取", en: "Last read"),
        "data_manager": .init(zh: "数据管理人", en: "Data manager"),
        "holder": .init(zh: "使用部门", en: "Holder"),
        "report_misuse": .init(zh: "报告滥用", en: "Report misuse"),
        "misuse_description": .init(zh: "滥用情况", en: "What happened"),
        "misuse_cases": .init(zh: "数据滥用报告", en: "Misuse cases"),
        "resolution": .init(zh: "处理结论", en: "Finding"),
        "close_case": .init(zh: "办结", en: "Close"),
        "grant_action": .init(zh: "授权管理", en: "Manage grant"),
        "suspend": .init(zh: "暂停", en: "Suspend"),
        "resume": .init(zh: "恢复", en: "Resume"),
        "revoke": .init(zh: "撤销", en: "Revoke"),
        "apply_action": .init(zh: "执行", en: "Apply"),
        "attachments": .init(zh: "附件", en: "Attachments"),
        "upload_attachment": .init(zh: "上传附件（不超过 10 MB）", en: "Upload an attachment (up to 10 MB)"),
        "size_bytes": .init(zh: "大小（字节）", en: "Size (bytes)"),
        "basis_label": .init(zh: "依据：", en: "basis: "),
        "subscription_users": .init(zh: "使用人员或系统", en: "Used by (people or systems)"),
        "subscription_users_hint": .init(zh: "多个用逗号或顿号分隔", en: "separate several with commas"),
    ]
}

import GovShareCore

extension Strings {
    /// Words of the 数据冲突 pages (Art. 13).
    static let conflictWords: [String: LocalizedText] = [
        "nav_conflicts": .init(zh: "数据冲突", en: "Data conflicts"),
        "conflict_intro": .init(
            zh: "部门间数据不一致时由双方协商，协商不成由政务数据主管部门裁定并确定权威来源（第十三条）。主管部门声明哪些数据项描述同一事实，平台定期并按需逐条比对。",
            en:
                "Where departments' data disagree they negotiate; failing agreement the data authority arbitrates and names the authoritative source (Art. 13). The authority declares which items describe the same fact; the platform compares them record by record, on a schedule and on demand."
        ),
        "conflict_run_check": .init(zh: "立即检查", en: "Run the check now"),
        "conflict_checked": .init(
            zh: "检查完成（对应关系 / 不一致记录 / 新立案 / 用时）：", en: "Check done (pairs / disagreeing records / cases opened / time):"),
        "conflict_queue": .init(zh: "冲突案件", en: "Conflict cases"),
        "conflict_pair": .init(zh: "事实对应关系", en: "Fact pair"),
        "conflict_providers": .init(zh: "提供部门", en: "Providers"),
        "conflict_due": .init(zh: "协商期限", en: "Negotiate by"),
        "conflict_overdue": .init(zh: "已逾期", en: "Overdue"),
        "conflict_records": .init(zh: "不一致记录", en: "Disagreeing records"),
        "conflict_statistics": .init(zh: "各部门冲突情况", en: "Conflicts per provider"),
        "conflict_provider": .init(zh: "提供部门", en: "Provider"),
        "conflict_open": .init(zh: "未解决", en: "Open"),
        "conflict_resolved": .init(zh: "已解决", en: "Resolved"),
        "conflict_pairs": .init(zh: "事实对应关系", en: "Fact pairs"),
        "conflict_left": .init(zh: "甲方数据项", en: "Left item"),
        "conflict_right": .init(zh: "乙方数据项", en: "Right item"),
        "conflict_key": .init(zh: "关联键", en: "Key items"),
        "conflict_note": .init(zh: "说明", en: "Note"),
        "conflict_retire": .init(zh: "停用", en: "Retire"),
        "conflict_declare": .init(zh: "声明对应关系", en: "Declare a fact pair"),
        "conflict_declare_hint": .init(
            zh: "填写两侧的资源代码（如 101001/000001）、比对的信息项代码和关联键信息项代码（如 CSRQ、GMSFHM）。",
            en: "Give each side's resource code (e.g. 101001/000001), the item compared and the key item (e.g. CSRQ, GMSFHM)."),
        "conflict_case": .init(zh: "数据冲突", en: "Data conflict"),
        "conflict_proposed": .init(zh: "提议的权威来源", en: "Proposed source"),
        "conflict_authoritative": .init(zh: "权威来源", en: "Authoritative source"),
        "conflict_reasons": .init(zh: "理由", en: "Reasons"),
        "conflict_findings": .init(zh: "不一致的记录", en: "Disagreeing records"),
        "conflict_findings_hint": .init(
            zh: "各方只看到本部门的取值；主管部门裁定时可看到双方取值（查看记入审计）。最多显示 50 条。",
            en: "Each provider sees its own values; the arbitrating authority sees both (audited). At most 50 are shown."),
        "conflict_withheld": .init(zh: "（对方数据，不予显示）", en: "(the other side's, withheld)"),
        "conflict_messages": .init(zh: "协商记录", en: "Negotiation"),
        "conflict_send": .init(zh: "发送留言", en: "Send"),
        "conflict_propose": .init(zh: "提议", en: "Propose"),
        "conflict_agree": .init(zh: "同意对方提议", en: "Agree to the proposal"),
        "conflict_escalate": .init(zh: "提请主管部门裁定", en: "Ask the authority to arbitrate"),
        "conflict_arbitrate": .init(zh: "裁定", en: "Arbitrate"),
    ]
}

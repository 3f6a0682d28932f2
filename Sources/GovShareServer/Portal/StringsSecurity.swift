import GovShareCore

extension Strings {
    /// Words of the 安全事件, 应急预案 and 应急演练 pages and home sections (Art. 27).
    static let securityWords: [String: LocalizedText] = [
        "nav_security": .init(zh: "安全事件", en: "Incidents"),
        "card_security": .init(
            zh: "报告和处置安全事件，管理应急预案与演练（第二十七条）", en: "Report and handle security incidents; emergency plans and drills (Art. 27)"),
        "security_intro": .init(
            zh: "安全事件报告即报送数据主管部门：按事件级别计算报告时限（自发生时起），特别重大、重大事件同时通报运维中心。处置全过程留痕，关闭须提交总结报告（原因、影响、整改措施）。",
            en:
                "Reporting an incident reports it to the data authority: the deadline runs from when it occurred, by level; particularly serious and serious incidents also alert the operations centre. Every step is logged; closing needs a closure report (cause, impact, measures)."
        ),
        "incident_title": .init(zh: "事件名称", en: "Incident"),
        "incident_level": .init(zh: "级别", en: "Level"),
        "incident_department": .init(zh: "部门", en: "Department"),
        "incident_occurred_at": .init(zh: "发生时间", en: "Occurred at"),
        "incident_reported_at": .init(zh: "报告时间", en: "Reported at"),
        "incident_report_due": .init(zh: "报告时限", en: "Report due"),
        "incident_close_due": .init(zh: "处置期限", en: "Close by"),
        "incident_closed_at": .init(zh: "关闭时间", en: "Closed at"),
        "incident_late": .init(zh: "逾期报告", en: "Reported late"),
        "incident_description": .init(zh: "事件描述", en: "Description"),
        "incident_affected_entries": .init(zh: "涉及的目录（编码，逗号分隔）", en: "Catalog entries affected (codes, comma-separated)"),
        "incident_affected_departments": .init(zh: "涉及的其他部门（统一社会信用代码）", en: "Other departments affected (codes)"),
        "incident_report": .init(zh: "报告安全事件", en: "Report an incident"),
        "incident_report_hint": .init(
            zh: "报告时限：特别重大 1 小时、重大 2 小时、较大 24 小时、一般 72 小时（默认值，可配置）。",
            en: "Deadlines: particularly serious 1 h, serious 2 h, relatively serious 24 h, general 72 h (defaults; configurable)."),
        "incident_log": .init(zh: "处置记录", en: "Handling log"),
        "incident_actor": .init(zh: "记录人", en: "By"),
        "incident_action": .init(zh: "事项", en: "Action"),
        "incident_note": .init(zh: "说明", en: "Note"),
        "incident_add_log": .init(zh: "添加处置记录", en: "Add to the log"),
        "incident_start_handling": .init(zh: "开始处置", en: "Start handling"),
        "incident_close": .init(zh: "关闭事件（总结报告）", en: "Close with a closure report"),
        "incident_closure": .init(zh: "总结报告", en: "Closure report"),
        "incident_cause": .init(zh: "原因", en: "Cause"),
        "incident_impact": .init(zh: "影响", en: "Impact"),
        "incident_measures": .init(zh: "整改措施", en: "Measures"),
        "security_plans": .init(zh: "应急预案", en: "Emergency plans"),
        "security_plans_intro": .init(
            zh: "各部门的应急预案按版本保存，每次修订生成新版本，记录生效日期和批准人。",
            en:
                "Each department's emergency plans are kept by version: every revision is a new version with its effective date and approver."
        ),
        "plan_title": .init(zh: "预案名称", en: "Plan"),
        "plan_version": .init(zh: "版本", en: "Version"),
        "plan_effective_on": .init(zh: "生效日期", en: "Effective on"),
        "plan_approved_by": .init(zh: "批准人", en: "Approved by"),
        "plan_body": .init(zh: "预案正文", en: "Text"),
        "plan_create": .init(zh: "新建应急预案", en: "New emergency plan"),
        "plan_revise": .init(zh: "修订（生成新版本）", en: "Revise (new version)"),
        "security_drills": .init(zh: "应急演练", en: "Drills"),
        "security_drills_intro": .init(
            zh: "各部门按应急预案定期组织演练（默认每年一次），到期前和逾期时提醒本部门安全管理员。",
            en:
                "Each department rehearses its plans periodically (yearly by default); its security officers are reminded before and after the due date."
        ),
        "drills_due": .init(zh: "待演练的部门", en: "Departments with a drill due"),
        "drill_due_soon": .init(zh: "即将到期", en: "Due soon"),
        "drill_overdue": .init(zh: "已逾期", en: "Overdue"),
        "drill_current": .init(zh: "正常", en: "Current"),
        "drill_last": .init(zh: "上次演练", en: "Last drill"),
        "drill_records": .init(zh: "演练记录", en: "Drills held"),
        "drill_held_on": .init(zh: "演练日期", en: "Held on"),
        "drill_scenario": .init(zh: "演练场景", en: "Scenario"),
        "drill_plan": .init(zh: "演练的预案", en: "Plan exercised"),
        "drill_participants": .init(zh: "参演人员", en: "Participants"),
        "drill_findings": .init(zh: "发现的问题", en: "Findings"),
        "drill_follow_ups": .init(zh: "整改事项", en: "Follow-ups"),
        "drill_follow_ups_hint": .init(zh: "每行一项：责任人：整改内容", en: "One a line: owner: what to do"),
        "drill_mark_done": .init(zh: "已完成", en: "Done"),
        "drill_record": .init(zh: "登记演练", en: "Record a drill"),
        "work_incidents": .init(zh: "未关闭的安全事件（逾期优先）", en: "Open security incidents (overdue first)"),
        "work_drills_due": .init(zh: "到期或逾期的应急演练", en: "Drills due or overdue"),
        "work_plans": .init(zh: "应急预案", en: "Emergency plans"),
    ]
}

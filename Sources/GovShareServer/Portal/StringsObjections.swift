import GovShareCore

extension Strings {
    /// Words of the 数据异议 pages (Art. 13, 21).
    static let objectionWords: [String: LocalizedText] = [
        "nav_objections": .init(zh: "数据异议", en: "Objections"),
        "objections_intro": .init(
            zh: "使用部门对共享数据有疑义或发现明显错误的，向提供部门提出异议；提供部门在规定工作日内校核答复并更正，双方有争议的由政务数据主管部门裁定（第十三条、第二十一条）。已确认有误的记录在每次读取中标注，直至更正。",
            en:
                "A department that doubts shared data or finds an error objects to the provider, which checks, answers and corrects within the set working days; disputes go to the data authority for a ruling (Art. 13, 21). Records confirmed wrong are flagged in every read until corrected."
        ),
        "objection_queue": .init(zh: "待本部门办理", en: "Awaiting my department"),
        "objection_all": .init(zh: "全部异议", en: "All objections"),
        "objection_dataset": .init(zh: "数据资源", en: "Dataset"),
        "objection_kind": .init(zh: "异议类型", en: "Kind"),
        "objection_objector": .init(zh: "异议部门", en: "Objector"),
        "objection_authority": .init(zh: "裁定部门", en: "Ruling authority"),
        "objection_due": .init(zh: "办理时限", en: "Due"),
        "objection_correction_due": .init(zh: "更正时限", en: "Correct by"),
        "objection_chart": .init(zh: "各月异议及办理结果", en: "Objections by month and outcome"),
        "objection_stats": .init(zh: "各提供部门异议办理情况", en: "Objection handling per provider"),
        "objection_received": .init(zh: "收到", en: "Received"),
        "objection_corrected": .init(zh: "已更正", en: "Corrected"),
        "objection_disputed": .init(zh: "有争议", en: "Disputed"),
        "objection_records": .init(zh: "异议记录", en: "Records"),
        "objection_raised": .init(zh: "提出时间", en: "Raised"),
        "objection_new": .init(zh: "提出数据异议", en: "Raise an objection"),
        "objection_new_hint": .init(
            zh: "只能对本部门有权读取的资源和信息项、且本部门读取过的记录提出异议。每行一条记录：主键，可加英文逗号和建议的正确值。说明中请勿填写个人信息。",
            en:
                "Object only to a dataset and items your department may read, and to records it has read. One record per line: the key, optionally a comma and the value you believe correct. Keep personal data out of the description."
        ),
        "objection_no_item": .init(zh: "（整个资源）", en: "(the whole dataset)"),
        "objection_rows_ticked": .init(zh: "在预览中勾选的记录：", en: "Rows ticked in the preview:"),
        "objection_row": .init(zh: "第", en: "Row"),
        "objection_proposed": .init(zh: "建议值", en: "Proposed value"),
        "objection_keys": .init(zh: "记录主键（每行一条）", en: "Record keys (one per line)"),
        "objection_description": .init(zh: "异议说明", en: "Description"),
        "objection_submit": .init(zh: "提交异议", en: "Raise"),
        "objection_title": .init(zh: "数据异议", en: "Objection"),
        "objection_key": .init(zh: "记录主键", en: "Record key"),
        "objection_whole": .init(zh: "（整个资源或信息项）", en: "(the dataset or item as a whole)"),
        "objection_answer": .init(zh: "提供部门答复", en: "Provider's answer"),
        "objection_confirm": .init(zh: "确认有误", en: "Confirm"),
        "objection_reject": .init(zh: "不予认可", en: "Reject"),
        "objection_note": .init(zh: "答复说明", en: "Note"),
        "objection_answer_submit": .init(zh: "提交答复", en: "Answer"),
        "objection_correct": .init(zh: "更正数据", en: "Correct the data"),
        "objection_correct_hint": .init(
            zh: "更正作为一个报送批次（全部成功或全部不写入）写入，批次号与本异议关联；其他信息项保持不变。近期读取过这些记录的部门会收到通知。",
            en:
                "The correction lands as one report batch (all or nothing) linked to this objection; other items keep their values. Departments that read these records recently are told."
        ),
        "objection_correct_submit": .init(zh: "报送更正", en: "Report the correction"),
        "objection_accept": .init(zh: "认可答复", en: "Accept the answer"),
        "objection_dispute": .init(zh: "提出争议", en: "Dispute"),
        "objection_dispute_reason": .init(zh: "争议理由", en: "Reason for the dispute"),
        "objection_ruling": .init(zh: "主管部门裁定", en: "Authority's ruling"),
        "objection_uphold": .init(zh: "支持异议（提供部门须更正）", en: "Uphold (the provider must correct)"),
        "objection_dismiss": .init(zh: "维持答复", en: "Dismiss (the answer stands)"),
        "objection_rule_submit": .init(zh: "作出裁定", en: "Rule"),
        "objection_withdraw": .init(zh: "撤回异议", en: "Withdraw"),
        "objection_evidence": .init(zh: "证明材料", en: "Evidence"),
        "objection_attach": .init(zh: "上传", en: "Upload"),
        "objection_history": .init(zh: "办理过程", en: "History"),
        "objection_flag": .init(zh: "存疑", en: "Flagged"),
        "objection_flag_hint": .init(
            zh: "标 ⚑ 的记录已被确认有误、尚未更正，使用时请注意。", en: "Records marked ⚑ were confirmed wrong and are not yet corrected."),
        "objection_from_preview": .init(zh: "对勾选的记录提出异议", en: "Object to the ticked rows"),
        "objection_step_raise": .init(zh: "提出异议", en: "Raised"),
        "objection_step_answer": .init(zh: "提供部门答复", en: "Answered"),
        "objection_step_correct": .init(zh: "报送更正", en: "Corrected"),
        "objection_step_accept": .init(zh: "认可答复", en: "Accepted"),
        "objection_step_dispute": .init(zh: "提出争议", en: "Disputed"),
        "objection_step_withdraw": .init(zh: "撤回", en: "Withdrawn"),
        "objection_step_uphold": .init(zh: "裁定支持异议", en: "Upheld"),
        "objection_step_dismiss": .init(zh: "裁定维持答复", en: "Dismissed"),
        "objection_step_attach": .init(zh: "上传证明材料", en: "Evidence added"),
        "objection_step_overdue": .init(zh: "逾期提醒", en: "Overdue notice"),
    ]
}

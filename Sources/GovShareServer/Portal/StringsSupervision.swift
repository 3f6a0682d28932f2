import GovShareCore

extension Strings {
    /// Words of the 督查整改 pages (Art. 29–30).
    static let supervisionWords: [String: LocalizedText] = [
        "nav_supervision": .init(zh: "督查整改", en: "Supervision"),
        "sup_intro": .init(
            zh: "平台按规则定期检查编目、挂接、更新、答复、共享依据和数据使用情况（电子督查，第三十条），每项发现注明部门、对象、规则和依据；主管部门可据此责令整改，限期以工作日计，部门报送整改情况后由主管部门审核（第二十九条）。",
            en:
                "The platform checks cataloguing, mounting, updates, replies, sharing bases and data use by rule (electronic supervision, Art. 30); each finding names the department, the object, the rule and the evidence. The authority orders corrections from them, with a deadline in working days; the department responds and the authority reviews it (Art. 29)."
        ),
        "sup_last_run": .init(zh: "最近一次检查", en: "Last run"),
        "sup_never": .init(zh: "尚未检查", en: "never"),
        "sup_run_checks": .init(zh: "立即检查", en: "Run the checks now"),
        "sup_findings_by_rule": .init(zh: "未整改发现（按规则）", en: "Open findings by rule"),
        "sup_rules": .init(zh: "督查规则", en: "Rules"),
        "sup_rule": .init(zh: "规则", en: "Rule"),
        "sup_article": .init(zh: "依据条款", en: "Article"),
        "sup_open": .init(zh: "未整改", en: "Open"),
        "sup_findings": .init(zh: "督查发现", en: "Findings"),
        "sup_department": .init(zh: "部门", en: "Department"),
        "sup_object": .init(zh: "对象", en: "Object"),
        "sup_evidence": .init(zh: "依据", en: "Evidence"),
        "sup_seen": .init(zh: "首次／最近发现", en: "First / last seen"),
        "sup_order_this": .init(zh: "责令整改", en: "Order a correction"),
        "sup_what": .init(zh: "整改要求", en: "What to correct"),
        "sup_basis": .init(zh: "依据", en: "Basis"),
        "sup_working_days": .init(zh: "整改期限（工作日）", en: "Deadline (working days)"),
        "sup_issue": .init(zh: "签发整改通知", en: "Issue the order, sealed"),
        "sup_orders": .init(zh: "整改通知", en: "Orders to correct"),
        "sup_order": .init(zh: "整改通知", en: "Order to correct"),
        "sup_due": .init(zh: "整改期限", en: "Due"),
        "sup_status": .init(zh: "状态", en: "Status"),
        "sup_authority": .init(zh: "发出部门", en: "Issued by"),
        "sup_issued": .init(zh: "签发", en: "Issued"),
        "sup_escalated": .init(zh: "已升级督办", en: "escalated"),
        "sup_signature_valid": .init(zh: "整改通知签章验证通过。", en: "The order's seal verifies."),
        "sup_response": .init(zh: "整改情况", en: "Response"),
        "sup_decision": .init(zh: "审核意见", en: "Decision"),
        "sup_submit_response": .init(zh: "报送整改情况", en: "Submit the response"),
        "sup_accept": .init(zh: "整改完成，予以通过", en: "Accept: corrected"),
        "sup_return": .init(zh: "整改不到位，退回", en: "Return for more"),
        "sup_note": .init(zh: "意见（退回时必填）", en: "Note (required to return)"),
        "sup_decide": .init(zh: "提交审核意见", en: "Decide"),
        "home_supervision": .init(zh: "督查整改", en: "Supervision"),
        "home_supervision_open": .init(zh: "本部门未整改的督查发现", en: "Open findings of your department"),
        "home_supervision_orders": .init(zh: "待处理的整改通知", en: "Orders to correct awaiting you"),
    ]
}

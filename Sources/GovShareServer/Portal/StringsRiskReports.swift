import GovShareCore

extension Strings {
    /// Words of the 风险评估报告 and 数据销毁 pages (Art. 27, 28).
    static let riskReportWords: [String: LocalizedText] = [
        "nav_risk_reports": .init(zh: "风险评估", en: "Risk reports"),
        "risk_intro": .init(
            zh: "平台按期根据登录失败与锁定、异常读取量、授权到期与闲置、敏感数据项加密与脱敏、安全事件、审计链与检查点、备份情况生成风险评估报告，以省政务数据主管部门的数据专用章签章（第二十八条）；第三方评估机构的报告可上传附后。",
            en:
                "The platform reports on each period from failed sign-ins and lockouts, unusual read volumes, grants near expiry or unused, encryption and masking of graded items, incidents, the audit chain and its checkpoint, and backups, sealed with the data authority's data seal (Art. 28); third-party assessors' reports are filed beside them."
        ),
        "risk_computed": .init(zh: "平台生成的报告", en: "Computed reports"),
        "risk_third_party": .init(zh: "第三方评估报告", en: "Third-party reports"),
        "risk_period": .init(zh: "报告期", en: "Period"),
        "risk_trigger": .init(zh: "方式", en: "Trigger"),
        "risk_scheduled": .init(zh: "定期", en: "Scheduled"),
        "risk_on_demand": .init(zh: "按需", en: "On demand"),
        "risk_worst": .init(zh: "最高风险", en: "Worst"),
        "risk_findings": .init(zh: "发现", en: "Findings"),
        "risk_generated": .init(zh: "生成时间", en: "Generated"),
        "risk_from": .init(zh: "起始日期", en: "From"),
        "risk_to": .init(zh: "截止日期", en: "To"),
        "risk_generate": .init(zh: "生成报告", en: "Generate a report"),
        "risk_title": .init(zh: "报告名称", en: "Title"),
        "risk_assessor": .init(zh: "评估机构", en: "Assessor"),
        "risk_file": .init(zh: "报告文件（PDF）", en: "Report file (PDF)"),
        "risk_uploaded": .init(zh: "上传", en: "Uploaded"),
        "risk_upload": .init(zh: "上传报告", en: "Upload the report"),
        "risk_report": .init(zh: "风险评估报告", en: "Risk report"),
        "risk_print_hint": .init(
            zh: "用浏览器的“打印”可打印本报告或另存为 PDF。", en: "Use the browser's Print to print this report or save it as PDF."),
        "risk_signature_valid": .init(
            zh: "签章有效：报告内容与省政务数据主管部门的电子签章一致。",
            en: "Signature valid: the content matches the data authority's electronic signature."),
        "risk_signature_invalid": .init(zh: "签章无效：报告内容与签章不符。", en: "Signature invalid: the content does not match its signature."),
        "risk_seal": .init(zh: "印章", en: "Seal"),
        "nav_destructions": .init(zh: "数据销毁", en: "Destruction"),
        "destruction_intro": .init(
            zh: "销毁已下架资源的数据或超过保存期限的数据（第二十七条），须由提供部门审核人员申请、主管部门审核人员（非申请人）批准后执行；执行时计算被销毁数据的 SM3 摘要并留存销毁记录。审计日志与读取记录不在此销毁。",
            en:
                "Destroying a withdrawn dataset's data or records past retention (Art. 27) needs a request by the provider's reviewer and approval by the data authority's reviewer (not the requester); execution records the SM3 digest of what was destroyed. Audit log and read trace are never destroyed here."
        ),
        "destruction_requests": .init(zh: "销毁申请", en: "Requests"),
        "destruction_records": .init(zh: "销毁记录", en: "Records"),
        "destruction_dataset": .init(zh: "目录代码", en: "Catalog entry"),
        "destruction_scope": .init(zh: "范围", en: "Scope"),
        "destruction_before": .init(zh: "早于（仅按日期）", en: "Before (by date only)"),
        "destruction_basis": .init(zh: "依据", en: "Basis"),
        "destruction_requested": .init(zh: "申请", en: "Requested"),
        "destruction_note": .init(zh: "意见", en: "Note"),
        "destruction_approve": .init(zh: "批准", en: "Approve"),
        "destruction_reject": .init(zh: "驳回", en: "Reject"),
        "destruction_execute": .init(zh: "执行销毁", en: "Execute"),
        "destruction_new": .init(zh: "申请销毁", en: "Request a destruction"),
        "destruction_submit": .init(zh: "提交申请", en: "Submit"),
        "destruction_rows": .init(zh: "行数", en: "Rows"),
        "destruction_people": .init(zh: "申请 / 批准 / 执行", en: "Requested / approved / executed by"),
        "destruction_executed": .init(zh: "销毁时间", en: "Executed"),
    ]
}

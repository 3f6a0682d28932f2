import GovShareCore

/// The portal's words in both languages. Keys are used by the templates as {{t.key}}.
enum Strings {
    static let table: [String: LocalizedText] = [
        "app_name": .init(zh: "广东省政务数据共享平台", en: "Guangdong Government Data Sharing Platform"),
        "nav_home": .init(zh: "首页", en: "Home"),
        "quality": .init(zh: "数据质量", en: "Data quality"),
        "checked_rows": .init(zh: "已校验行数", en: "rows checked"),
        "failed_rows": .init(zh: "未通过行数", en: "rows failed"),
        "overdue": .init(zh: "已逾期", en: "Overdue"),
        "received_on": .init(zh: "收到日期", en: "Received on"),
        "nav_applications": .init(zh: "共享申请", en: "Applications"),
        "review_queue": .init(zh: "待我审核（逾期优先）", en: "To review (overdue first)"),
        "my_applications": .init(zh: "本部门的申请", en: "My department's applications"),
        "applicant": .init(zh: "申请部门", en: "Applicant"),
        "application": .init(zh: "共享申请", en: "Application"),
        "business": .init(zh: "所办业务", en: "Business"),
        "need_basis": .init(zh: "需求依据", en: "Basis for the need"),
        "valid_until": .init(zh: "使用期限至", en: "Use until"),
        "decisions": .init(zh: "审核意见", en: "Decisions"),
        "approve": .init(zh: "同意", en: "Approve"),
        "refuse": .init(zh: "不同意", en: "Refuse"),
        "overruled": .init(zh: "已被主管部门纠正", en: "Overruled by the authority"),
        "decision_form": .init(zh: "审核意见（拒绝须说明理由并注明法律法规依据）", en: "Decision (a refusal needs reasons and a legal basis)"),
        "decision": .init(zh: "意见", en: "Decision"),
        "clear_needed": .init(zh: "需要明文", en: "Needed in clear"),
        "reply_statistics": .init(
            zh: "答复情况（第十九条，逾期计入当时持有申请的一方）", en: "Replies (Art. 19; lateness counts against whoever held the application)"),
        "answered_on_time": .init(zh: "按期答复", en: "On time"),
        "late_counted": .init(zh: "逾期", en: "Late"),
        "open_count": .init(zh: "未答复", en: "open"),
        "silent_count": .init(zh: "逾期未答复", en: "silent"),
        "average_days": .init(zh: "平均工作日", en: "avg. working days"),
        "clear_needed_short": .init(zh: "需要明文", en: "In clear"),
        "clear_reason": .init(zh: "明文理由", en: "Why in clear"),
        "clear_reason_hint": .init(zh: "说明办理业务为何必须使用明文", en: "Why the business needs the clear value"),
        "clear_anyway": .init(zh: "明文提供", en: "Clear anyway"),
        "clear_hint": .init(
            zh: "敏感信息项（3–4级）及公民身份号码默认脱敏提供；确需明文的，逐项勾选并说明理由，由主管部门和提供部门逐项决定（第十七条、第十九条）。",
            en:
                "Graded items (3–4) and resident ID numbers are delivered masked; where the clear value is needed, tick the item and say why; the reviewers decide item by item (Art. 17, 19)."
        ),
        "clear_decision": .init(zh: "明文", en: "Clear"),
        "approve_clear": .init(zh: "批准明文", en: "Approve in clear"),
        "approved_clear": .init(zh: "批准明文", en: "approved in clear"),
        "masked_or_clear_by_rule": .init(zh: "按分级规则", en: "By grade"),
        "silence_point": .init(zh: "提供部门答复节点", en: "Provider's answer due"),
        "provider_silent": .init(zh: "提供部门逾期未答复", en: "Provider silent"),
        "decided_alone": .init(zh: "主管部门单独决定", en: "Authority decided alone"),
        "decision_letter": .init(zh: "答复书（加盖主管部门数据专用章）", en: "Reply letter (sealed by the data authority)"),
        "decision_letter_document": .init(zh: "下载答复书", en: "Download the letter"),
        "decision_letter_signature": .init(zh: "下载电子签章（GB/T 38540）", en: "Download the seal signature (GB/T 38540)"),
        "may_decide_alone": .init(
            zh: "提供部门未在答复节点前作出意见，主管部门可单独作出决定，决定即为答复（第十九条）。",
            en:
                "The provider has not decided by its point; the authority may decide alone and its decision answers the application (Art. 19)."
        ),
        "legal_instrument": .init(zh: "法律法规名称", en: "Law or regulation"),
        "legal_article": .init(zh: "条款", en: "Article"),
        "conditions": .init(zh: "使用条件", en: "Conditions"),
        "submit_decision": .init(zh: "提交审核意见", en: "Submit decision"),
        "apply_title": .init(zh: "申请有条件共享", en: "Apply for conditional data"),
        "apply_hint": .init(
            zh: "选择所需信息项，写明用途、所办业务和依据；主管部门会同提供部门在规定的工作日内答复（第十九条）。",
            en:
                "Choose the items, state purpose, business and basis; the authority and the provider answer within the set working days (Art. 19)."
        ),
        "contact": .init(zh: "联系人", en: "Contact"),
        "data_manager": .init(zh: "数据管理责任人", en: "Data manager"),
        "apply": .init(zh: "提交申请", en: "Apply"),
        "nav_data": .init(zh: "共享数据", en: "Shared data"),
        "nav_trace": .init(zh: "访问追溯", en: "Access trace"),
        "datasets": .init(zh: "挂接数据集", en: "Mounted datasets"),
        "rows": .init(zh: "记录数", en: "Rows"),
        "last_updated": .init(zh: "最近更新", en: "Last updated"),
        "never": .init(zh: "从未更新", en: "never"),
        "stale": .init(zh: "数据过期", en: "Stale"),
        "fresh": .init(zh: "按时更新", en: "Up to date"),
        "stale_only": .init(zh: "只看过期数据", en: "Stale only"),
        "stale_hint": .init(zh: "超过更新周期未更新的数据集（第二十一条）", en: "Datasets older than their update cycle allows (Art. 21)"),
        "rows_chart": .init(zh: "各数据集记录数", en: "Rows per dataset"),
        "columns": .init(zh: "信息项", en: "Data items"),
        "mask": .init(zh: "脱敏规则", en: "Masking"),
        "primary_key": .init(zh: "主键", en: "Primary key"),
        "preview": .init(zh: "数据预览", en: "Preview"),
        "preview_cross_site": .init(
            zh: "预览须在本站页面上用支持 Sec-Fetch-Site 的浏览器发起（来自其他网站的链接不会读取数据）。",
            en: "Start the preview from this site's page in a current browser (a link from another site reads no data)."),
        "trace_cross_site": .init(
            zh: "追溯查询须在本站页面上用支持 Sec-Fetch-Site 的浏览器发起（来自其他网站的链接不会执行查询）。",
            en: "Start the trace search from this site's page in a current browser (a link from another site runs no search)."),
        "verify_title": .init(zh: "身份核验", en: "Identity check"),
        "verify_hint": .init(
            zh: "填写您已掌握的信息（须含标识项，如公民身份号码），平台只回答是否一致，不返回记录；每次核验均记入审计日志并按读取依据限次。",
            en:
                "Enter values you hold (including an identifier such as the ID number); the platform answers match or no match, never the record. Every check is audited and limited per purpose."
        ),
        "verify": .init(zh: "核验", en: "Check"),
        "preview_hint": .init(
            zh: "预览只显示您有权读取的信息项，按规则脱敏；每次预览均记入审计日志。",
            en: "The preview shows only the items you may read, masked by rule; every preview is recorded in the audit log."),
        "purpose": .init(zh: "使用依据", en: "Purpose"),
        "as_provider": .init(zh: "提供部门（本部门数据）", en: "Provider (own data)"),
        "subscription": .init(zh: "订阅", en: "Subscription"),
        "grant": .init(zh: "授权", en: "Grant"),
        "show": .init(zh: "显示", en: "Show"),
        "no_purpose": .init(
            zh: "本部门尚无该资源的订阅或授权。无条件共享的信息项可在下方自助订阅；有条件共享的信息项须提出共享申请。",
            en:
                "Your department has no subscription or grant for this resource. Subscribe to unconditional items below; conditional items need an application."
        ),
        "subscribe_title": .init(zh: "自助订阅（无条件共享）", en: "Self-service subscription (unconditional items)"),
        "purpose_text": .init(zh: "业务用途（履行何种职责、办理何种事项）", en: "Business purpose (which duty, which matter)"),
        "subscribe": .init(zh: "订阅", en: "Subscribe"),
        "upload_title": .init(zh: "报送数据（CSV 或 XLSX）", en: "Report data (CSV or XLSX)"),
        "upload_hint": .init(zh: "首行为信息项名称或代码；UTF-8 或 GB18030 编码。", en: "First row: item names or codes; UTF-8 or GB18030."),
        "mode": .init(zh: "模式", en: "Mode"),
        "mode_all": .init(zh: "全部成功或全部不导入", en: "All or nothing"),
        "mode_row": .init(zh: "逐行导入（错误行返回）", en: "Row by row (bad rows returned)"),
        "upload": .init(zh: "上传", en: "Upload"),
        "batches": .init(zh: "报送批次", en: "Report batches"),
        "received": .init(zh: "接收", en: "Received"),
        "accepted": .init(zh: "成功", en: "Accepted"),
        "rejected": .init(zh: "拒绝", en: "Rejected"),
        "deleted": .init(zh: "删除", en: "Deleted"),
        "source": .init(zh: "来源", en: "Source"),
        "item": .init(zh: "信息项", en: "Item"),
        "trace_title": .init(zh: "数据访问追溯", en: "Data access trace"),
        "trace_hint": .init(
            zh: "按记录（如公民身份号码）、部门或时间段查询谁读取了哪些数据（第二十八条）。",
            en: "Find who read what, by record (e.g. an ID number), department or period (Art. 28)."),
        "record_key": .init(zh: "记录主键（如公民身份号码）", en: "Record key (e.g. ID number)"),
        "department_code": .init(zh: "部门统一社会信用代码", en: "Department credit code"),
        "from": .init(zh: "起", en: "From"),
        "to": .init(zh: "止", en: "To"),
        "reader": .init(zh: "读取人", en: "Reader"),
        "unusual_reads": .init(zh: "读取量异常（超过该部门常规读取量 3 倍）", en: "Unusual volume (over 3 times the department's usual)"),
        "none_found": .init(zh: "无记录", en: "Nothing found"),
        "nav_departments": .init(zh: "组织机构", en: "Organisations"),
        "nav_catalog": .init(zh: "资源目录", en: "Catalog"),
        "nav_review": .init(zh: "目录审核", en: "Catalog review"),
        "nav_obligations": .init(zh: "目录更新督办", en: "Update obligations"),
        "search": .init(zh: "搜索", en: "Search"),
        "search_placeholder": .init(zh: "资源名称、摘要或信息项，如：营业执照", en: "Name, summary or item, e.g. 营业执照"),
        "results": .init(zh: "条结果", en: "results"),
        "share_type": .init(zh: "共享类型", en: "Share type"),
        "provider": .init(zh: "提供方", en: "Provider"),
        "resource_code": .init(zh: "资源代码", en: "Resource code"),
        "summary": .init(zh: "摘要", en: "Summary"),
        "items": .init(zh: "信息项", en: "Data items"),
        "data_type": .init(zh: "数据类型", en: "Type"),
        "length": .init(zh: "长度", en: "Length"),
        "sensitivity": .init(zh: "敏感级别", en: "Sensitivity"),
        "legal_basis": .init(zh: "法律依据", en: "Legal basis"),
        "share_conditions": .init(zh: "共享条件", en: "Share conditions"),
        "versions": .init(zh: "版本", en: "Versions"),
        "version": .init(zh: "版本", en: "Version"),
        "compare": .init(zh: "比较", en: "Compare"),
        "field": .init(zh: "字段", en: "Field"),
        "before": .init(zh: "修改前", en: "Before"),
        "after": .init(zh: "修改后", en: "After"),
        "update_cycle": .init(zh: "更新周期", en: "Update cycle"),
        "share_method": .init(zh: "共享方式", en: "Share method"),
        "responsible_party": .init(zh: "责任方", en: "Responsible party"),
        "usage_requirements": .init(zh: "使用要求", en: "Usage requirements"),
        "classification": .init(zh: "分类", en: "Classification"),
        "publish": .init(zh: "发布", en: "Publish"),
        "return": .init(zh: "退回", en: "Return"),
        "reason": .init(zh: "理由", en: "Reason"),
        "submitted_at": .init(zh: "提交时间", en: "Submitted"),
        "queue_empty": .init(zh: "暂无待审核目录", en: "Nothing awaits review"),
        "trigger": .init(zh: "触发事由", en: "Trigger"),
        "trigger_date": .init(zh: "触发日期", en: "Trigger date"),
        "open": .init(zh: "办理中", en: "Open"),
        "reference": .init(zh: "依据文件", en: "Reference"),
        "card_catalog": .init(zh: "全省政务信息资源目录：分类浏览与全文检索", en: "The province-wide catalog: browse and full-text search"),
        "new_entry": .init(zh: "编制新目录", en: "New catalog entry"),
        "edit_entry": .init(zh: "修改目录", en: "Edit catalog entry"),
        "save_draft": .init(zh: "保存草稿", en: "Save draft"),
        "submit_review": .init(zh: "提交审核", en: "Submit for review"),
        "saved": .init(zh: "已保存", en: "Saved"),
        "fix_errors": .init(zh: "以下内容不符合目录编制要求，请修改后再提交：", en: "These elements do not meet the catalog rules; fix them and submit again:"),
        "items_hint": .init(
            zh: "每行一个信息项：名称|代码|类型|长度|共享类型|敏感级别|依据名称|条款|共享条件|基础项(是/否)",
            en: "One item per line: name|code|type|length|share type|sensitivity|instrument|article|conditions|basic (yes/no)"),
        "import_title": .init(zh: "导入资源目录", en: "Import catalog entries"),
        "import_hint": .init(
            zh: "按目录编制模板（每行一个信息项，中文列名）上传 XLSX（第一个工作表）或 CSV（UTF-8 或 GB18030）。有任何错误则不导入。",
            en:
                "Upload an XLSX (its first sheet) or a CSV (UTF-8 or GB18030) in the catalog template (one row per data item, Chinese headers). Any error imports nothing."
        ),
        "template": .init(zh: "下载模板", en: "Download the template"),
        "encoding": .init(zh: "编码", en: "Encoding"),
        "auto": .init(zh: "自动识别", en: "Detect"),
        "import": .init(zh: "导入", en: "Import"),
        "row": .init(zh: "行", en: "Row"),
        "column": .init(zh: "列", en: "Column"),
        "problem": .init(zh: "问题", en: "Problem"),
        "nav_calendar": .init(zh: "工作日历", en: "Working-day calendar"),
        "nav_audit": .init(zh: "审计日志", en: "Audit log"),
        "nav_accounts": .init(zh: "账号管理", en: "Accounts"),
        "sign_in": .init(zh: "登录", en: "Sign in"),
        "sign_out": .init(zh: "退出", en: "Sign out"),
        "username": .init(zh: "用户名", en: "Username"),
        "password": .init(zh: "密码", en: "Password"),
        "login_failed": .init(
            zh: "用户名或密码错误，或账号暂不可用。连续 5 次错误将锁定账号。",
            en: "Wrong username or password, or the account is not available. Five failures lock the account."),
        "login_hint": .init(
            zh: "请使用本单位分配的账号登录。所有操作均记录审计日志。",
            en: "Sign in with the account your organisation issued. Every action is recorded in the audit log."),
        "welcome": .init(zh: "欢迎", en: "Welcome"),
        "your_roles": .init(zh: "您在本单位的角色", en: "Your roles in your organisation"),
        "department": .init(zh: "所属部门", en: "Department"),
        "code": .init(zh: "统一社会信用代码", en: "Unified social credit code"),
        "name": .init(zh: "名称", en: "Name"),
        "level": .init(zh: "层级", en: "Level"),
        "region": .init(zh: "行政区划", en: "Region"),
        "kind": .init(zh: "类型", en: "Kind"),
        "all": .init(zh: "全部", en: "All"),
        "filter": .init(zh: "筛选", en: "Filter"),
        "count": .init(zh: "共", en: "Total"),
        "level_province": .init(zh: "省级", en: "Province"),
        "level_city": .init(zh: "市级", en: "City"),
        "level_county": .init(zh: "县级", en: "County"),
        "due_title": .init(zh: "办理时限计算", en: "Due-date calculator"),
        "working_days": .init(zh: "工作日数", en: "Working days"),
        "compute": .init(zh: "计算", en: "Compute"),
        "due_on": .init(zh: "到期日", en: "Due on"),
        "provisional": .init(
            zh: "暂定（该年度节假日安排尚未载入，按周一至周五计算）",
            en: "Provisional (that year's official holidays are not loaded; counted Monday to Friday)"),
        "loaded_years": .init(zh: "已载入的官方日历年度", en: "Official calendar years loaded"),
        "chain_ok": .init(zh: "审计链校验通过", en: "Audit chain verified"),
        "chain_broken": .init(zh: "审计链校验失败", en: "Audit chain broken"),
        "download_checkpoints": .init(
            zh: "下载已签名的审计检查点（JSON Lines，含根证书）", en: "Download the signed audit checkpoints (JSON Lines, with the root certificate)"),
        "entries_checked": .init(zh: "已校验条目", en: "Entries checked"),
        "time": .init(zh: "时间", en: "Time"),
        "actor": .init(zh: "操作人", en: "Actor"),
        "action": .init(zh: "操作", en: "Action"),
        "object": .init(zh: "对象", en: "Object"),
        "outcome": .init(zh: "结果", en: "Outcome"),
        "client_address": .init(zh: "来源地址", en: "Client address"),
        "status": .init(zh: "状态", en: "Status"),
        "roles": .init(zh: "角色", en: "Roles"),
        "users": .init(zh: "用户", en: "Users"),
        "clients": .init(zh: "接口客户端", en: "API clients"),
        "error_title": .init(zh: "出错了", en: "Something went wrong"),
        "request_id": .init(zh: "请求编号", en: "Request id"),
        "back_home": .init(zh: "返回首页", en: "Back to the home page"),
        "card_departments": .init(
            zh: "查看全省政务部门、城市主管部门及其垂直系统", en: "Browse the province's departments, city authorities and their vertical systems"),
        "card_calendar": .init(zh: "按国务院公布的节假日安排计算办理时限", en: "Compute deadlines on the State Council's official holiday calendar"),
        "card_audit": .init(zh: "查询并校验不可篡改的审计日志", en: "Search and verify the tamper-evident audit log"),
        "card_accounts": .init(zh: "管理用户、角色与业务系统接口客户端", en: "Manage people, roles and business-system API clients"),
    ]

    /// Every key with its words; `PortalPageTests` checks that each `{{t.key}}` a template uses is here in both languages.
    static let all: [String: LocalizedText] = table.merging(accountability) { first, _ in first }
        .merging(legalBasis) { first, _ in first }.merging(obligationWords) { first, _ in first }
        .merging(workplace) { first, _ in first }.merging(sealWords) { first, _ in first }
        .merging(licenceWords) { first, _ in first }.merging(archiveWords) { first, _ in first }
        .merging(backupWords) { first, _ in first }
        .merging(nodeWords) { first, _ in first }
        .merging(securityWords) { first, _ in first }.merging(riskReportWords) { first, _ in first }
        .merging(objectionWords) { first, _ in first }
        .merging(conflictWords) { first, _ in first }.merging(assessmentWords) { first, _ in first }
        .merging(supervisionWords) { first, _ in first }

    private static let dictionaries: [Language: [String: String]] = Dictionary(
        uniqueKeysWithValues: Language.allCases.map { language in (language, all.mapValues { $0.text(language) }) })

    static func dictionary(_ language: Language) -> [String: String] { dictionaries[language] ?? [:] }

    /// One word; an unknown key shows as itself (and fails `PortalPageTests` when a template uses it).
    static func text(_ key: String, _ language: Language) -> String { all[key]?.text(language) ?? key }
}

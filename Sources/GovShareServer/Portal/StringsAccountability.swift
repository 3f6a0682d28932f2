import GovShareCore

extension Strings {
    /// Words of the grants, usage, misuse and attachment pages.
    static let accountability: [String: LocalizedText] = [
        "nav_grants": .init(zh: "授权与使用", en: "Grants & usage"),
        "nav_notifications": .init(zh: "通知设置", en: "Notifications"),
        "notifications_intro": .init(
            zh: "本部门的通知除站内信外，还可推送到业务系统（Webhook，带签名）和邮箱；失败会按 30 秒、1、2、4…分钟重试，最多 8 次。",
            en:
                "Besides the inbox, your department's notifications can be posted to a business system (signed webhook) and mailed; failures are retried after 30 s, 1, 2, 4 … min, 8 attempts."
        ),
        "webhook_current": .init(zh: "当前推送地址：", en: "Posting to:"),
        "webhook_none": .init(zh: "尚未设置推送地址。", en: "No webhook is set."),
        "webhook_url": .init(zh: "推送地址（http/https）", en: "Webhook URL (http/https)"),
        "webhook_save": .init(zh: "保存", en: "Save"),
        "webhook_secret_once": .init(
            zh: "签名密钥只显示这一次，请复制到接收系统：每次推送带 X-GovShare-Signature: sha256=HMAC(密钥, \"时间戳.正文\")。",
            en:
                "The signing secret is shown this once; copy it to the receiving system. Each post carries X-GovShare-Signature: sha256=HMAC(secret, \"timestamp.body\")."
        ),
        "webhook_signature_hint": .init(zh: "每次保存都会生成新的签名密钥，旧密钥随即失效。", en: "Saving makes a new signing secret; the old one stops working."),
        "mail_notifications": .init(zh: "邮件通知", en: "Mail"),
        "mail_address": .init(zh: "接收邮箱", en: "Mailbox"),
        "mail_not_configured": .init(
            zh: "平台未配置邮件服务器（smtp_url），暂不能设置邮件通知。", en: "No SMTP relay is configured (smtp_url); mail cannot be set."),
        "recent_deliveries": .init(zh: "最近的推送", en: "Recent deliveries"),
        "channel": .init(zh: "渠道", en: "Channel"),
        "message_kind": .init(zh: "消息类型", en: "Kind"),
        "attempts": .init(zh: "尝试次数", en: "Attempts"),
        "next_attempt": .init(zh: "下次重试", en: "Next attempt"),
        "delivered_at": .init(zh: "送达时间", en: "Delivered"),
        "last_error": .init(zh: "最近错误", en: "Last error"),
        "remove": .init(zh: "移除", en: "Remove"),
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
        "grant_confirm": .init(zh: "复核通过", en: "Confirm"),
        "grant_refuse": .init(zh: "复核不通过", en: "Refuse"),
        "grant_consent": .init(zh: "同意明文授权", en: "Consent to clear access"),
        "grant_refuse_consent": .init(zh: "不同意", en: "Refuse consent"),
        "attachments": .init(zh: "附件", en: "Attachments"),
        "upload_attachment": .init(zh: "上传附件（不超过 10 MB）", en: "Upload an attachment (up to 10 MB)"),
        "size_bytes": .init(zh: "大小（字节）", en: "Size (bytes)"),
        "basis_label": .init(zh: "依据：", en: "basis: "),
        "subscription_users": .init(zh: "使用人员或系统", en: "Used by (people or systems)"),
        "subscription_users_hint": .init(zh: "多个用逗号或顿号分隔", en: "separate several with commas"),
    ]
}

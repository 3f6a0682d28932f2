import GovShareCore

extension Strings {
    /// Words of the 电子证照 page (Art. 23).
    static let licenceWords: [String: LocalizedText] = [
        "nav_licences": .init(zh: "电子证照", en: "E-licences"),
        "licences_intro": .init(
            zh: "电子证照由负责部门签发并加盖其电子印章（第二十三条）。办理业务时应按持证人查用证照，不再要求群众和企业提交；查用依本部门对证照所属目录的订阅或授权，并记入数据读取审计。持有证照文件的任何人可用平台根证书离线验证。",
            en:
                "E-licences are issued and sealed by the department responsible (Art. 23). Look them up by holder instead of asking citizens or enterprises for them; a lookup rests on your department's subscription or grant to the licence type's catalog entry and is recorded as a data read. Anyone holding a licence file can verify it offline with the platform's root certificate."
        ),
        "licence_root_certificate": .init(zh: "下载平台根证书（PEM）", en: "Download the platform root certificate (PEM)"),
        "licence_lookup": .init(zh: "按持证人查用证照", en: "Look up licences by holder"),
        "licence_lookup_hint": .init(
            zh: "读取依据（订阅或授权编号）可不填，系统按本部门现有的订阅和授权选择；须注明办理事项。持证人标识须能明文读取，脱敏字段按授权显示。",
            en:
                "The purpose (subscription or grant id) may be left empty: your department's subscriptions and grants are used. State the business matter. The holder's identifier must be readable in clear; masked fields show as the grant says."
        ),
        "licence_holder_id": .init(zh: "持证人标识（公民身份号码/统一社会信用代码）", en: "Holder (citizen ID number / credit code)"),
        "licence_holder": .init(zh: "持证人", en: "Holder"),
        "licence_type": .init(zh: "证照类型", en: "Licence type"),
        "licence_all_types": .init(zh: "全部类型", en: "All types"),
        "licence_matter": .init(zh: "办理事项", en: "Business matter"),
        "licence_purpose": .init(zh: "读取依据（订阅/授权编号，可选）", en: "Purpose (subscription/grant id, optional)"),
        "licence_number": .init(zh: "证照编号", en: "Number"),
        "licence_validity": .init(zh: "有效期", en: "Validity"),
        "licence_fields": .init(zh: "照面信息", en: "Fields"),
        "licence_masked": .init(zh: "已脱敏", en: "masked"),
        "licence_download": .init(zh: "下载签章证照文件", en: "Download the signed licence file"),
        "licence_issued": .init(zh: "本部门签发的证照", en: "Licences issued by your department"),
        "licence_revoke": .init(zh: "注销", en: "Revoke"),
        "licence_no_end": .init(zh: "长期", en: "no end"),
    ]
}

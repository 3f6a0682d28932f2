import GovShareCore

extension Strings {
    /// Words of the 电子印章 and 签章验证 pages (Art. 24, 25).
    static let sealWords: [String: LocalizedText] = [
        "nav_seals": .init(zh: "电子印章", en: "Seals"),
        "seals_intro": .init(
            zh: "各部门的电子印章和审核人员的个人签名由省政务数据主管部门统一制发（第二十五条）；私钥只在平台内加密保存，不能导出。加盖电子印章的电子文件可在此验证（第二十四条）。",
            en:
                "Departments' seals and reviewers' personal signature keys are issued centrally by the provincial data authority (Art. 25); private keys stay encrypted on the platform and cannot be exported. Documents bearing a seal can be verified here (Art. 24)."
        ),
        "seal_name": .init(zh: "印章名称", en: "Seal"),
        "seal_kind": .init(zh: "类型", en: "Kind"),
        "seal_holder": .init(zh: "持有部门", en: "Holder"),
        "seal_holder_user": .init(zh: "个人签名持有人（用户编号）", en: "Personal signature holder (user id)"),
        "seal_validity": .init(zh: "有效期", en: "Validity"),
        "seal_valid_to": .init(zh: "有效期至", en: "Valid until"),
        "seal_serial": .init(zh: "证书序列号", en: "Certificate serial"),
        "seal_revoked_at": .init(zh: "注销时间", en: "Revoked at"),
        "seal_revoke": .init(zh: "注销", en: "Revoke"),
        "seal_issue": .init(zh: "制发电子印章", en: "Issue a seal"),
        "seal_issue_hint": .init(
            zh: "平台生成 SM2 密钥对，由平台根证书签发证书，并按 GB/T 38540 制作印章数据；有效期默认三年。个人签名须填写本部门审核人员的用户编号。",
            en:
                "The platform generates an SM2 key pair, certifies it with its root and makes the GB/T 38540 seal structure; valid for three years by default. A personal signature needs the user id of a reviewer of that department."
        ),
        "seal_verify": .init(zh: "签章验证", en: "Verify a signature"),
        "seal_verify_hint": .init(
            zh: "上传原文文件和签章文件（DER 或 base64），核验原文 SM3 杂凑值、SM2 签名、印章制章签名、证书链、签章时的有效期及注销状态。",
            en:
                "Upload the document and its signature file (DER or base64): the document's SM3, the SM2 signature, the seal maker's signature, the certificate chain, the validity at signing and revocation are checked."
        ),
        "seal_document": .init(zh: "原文文件", en: "Document"),
        "seal_signature_file": .init(zh: "签章文件", en: "Signature file"),
        "seal_valid": .init(zh: "验证通过：签章有效", en: "Valid signature"),
        "seal_invalid": .init(zh: "验证未通过：签章无效", en: "Invalid signature"),
        "seal_signer": .init(zh: "签章者证书", en: "Signer certificate"),
        "seal_signed_at": .init(zh: "签章时间", en: "Signed at"),
    ]
}

import GovShareCore

extension Strings {
    /// The backups page (Art. 26).
    static let backupWords: [String: LocalizedText] = [
        "nav_backups": .init(zh: "数据备份", en: "Backups"),
        "backups_intro": .init(
            zh: "整库一致性备份：SM4-GCM 加密、节点 SM2 签名清单，登记于平台（谁、何时、大小、SM3 摘要、位置）。恢复：govshare restore。",
            en:
                "Consistent backups of the whole database: SM4-GCM encrypted, with a manifest signed by the node's SM2 key, registered here (who, when, size, SM3 digest, where). Restore with govshare restore."
        ),
        "backup_newest": .init(zh: "最近完成", en: "Newest completed"),
        "backup_make": .init(zh: "立即备份", en: "Back up now"),
        "backup_started": .init(zh: "开始时间", en: "Started"),
        "backup_age": .init(zh: "距今", en: "Age"),
        "backup_size": .init(zh: "大小（字节）", en: "Size (bytes)"),
        "backup_status": .init(zh: "状态", en: "Status"),
        "backup_location": .init(zh: "位置与 SM3", en: "Location and SM3"),
        "backup_by": .init(zh: "操作人", en: "By"),
        "backup_audit_head": .init(zh: "审计序号", en: "Audit entry"),
        "encryption_title": .init(zh: "静态加密", en: "Encryption at rest"),
        "encryption_intro": .init(
            zh:
                "3 级及以上数据项以 SM4-GCM 加密存储（encrypt_from_grade），按盲索引精确匹配；更换数据密钥：点击本表中的按钮，或 govshare keys reencrypt 资源代码 --new-key；重新加密由后台分批完成，可随时查看进度。",
            en:
                "Items of grade 3 and above are stored SM4-GCM sealed (encrypt_from_grade) and matched exactly through a blind index; a new data key: the button in this table, or govshare keys reencrypt CODE --new-key; the background job re-encrypts in batches and shows its progress here."
        ),
        "encryption_dataset": .init(zh: "资源代码", en: "Resource"),
        "encryption_items": .init(zh: "加密数据项", en: "Encrypted items"),
        "encryption_key": .init(zh: "数据密钥", en: "Data key"),
        "encryption_state": .init(zh: "状态", en: "State"),
        "encryption_progress": .init(zh: "最近一次重新加密", en: "Latest re-encryption"),
        "encryption_action": .init(zh: "操作", en: "Action"),
        "encryption_reencrypt": .init(zh: "更换数据密钥并重新加密", en: "New data key and re-encrypt"),
    ]
}

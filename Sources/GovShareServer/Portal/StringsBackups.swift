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
    ]
}

import GovShareCore

extension Strings {
    /// Words of the 电子归档 page (Art. 26).
    static let archiveWords: [String: LocalizedText] = [
        "nav_archives": .init(zh: "电子归档", en: "Archives"),
        "archives_intro": .init(
            zh:
                "归档包（审计日志段、共享申请及复函、已签发电子印章）含清单、逐文件 SM3 摘要、Merkle 根及省政务数据主管部门数据专用章的签章，可离线核验（govshare archive verify）。超过留存期的审计条目移入审计日志段归档包，审计链跨越归档边界继续校验。",
            en:
                "Archival packages (audit segments, applications with their decisions, seals issued) carry a manifest, each file's SM3, a Merkle root and the data authority's seal over the manifest, and verify offline (govshare archive verify). Audit entries past the retention move into audit-segment packages; the chain still verifies across the cut."
        ),
        "archive_kind": .init(zh: "类型", en: "Kind"),
        "archive_created": .init(zh: "归档时间", en: "Archived"),
        "archive_period": .init(zh: "期间", en: "Period"),
        "archive_files": .init(zh: "文件", en: "Files"),
        "archive_merkle_root": .init(zh: "Merkle 根（SM3）", en: "Merkle root (SM3)"),
        "archive_location": .init(zh: "存放位置", en: "Location"),
        "archive_verify": .init(zh: "核验", en: "Verify"),
        "archive_verified": .init(zh: "归档包核验通过", en: "The package verifies"),
        "archive_not_verified": .init(zh: "归档包核验未通过", en: "The package does not verify"),
        "archive_segments": .init(zh: "已归档的审计日志段", en: "Archived audit segments"),
        "archive_segments_hint": .init(
            zh: "在线审计链自最新一段之后的条目开始校验，其首条目的前序哈希必须等于该段的末哈希。",
            en: "The live chain is verified from the entry after the newest segment, whose prev_hash must equal the segment's last hash."),
        "archive_segment_range": .init(zh: "条目范围", en: "Entries"),
        "archive_segment_entries": .init(zh: "条目 / 读取", en: "Entries / reads"),
        "archive_segment_last_hash": .init(zh: "末哈希", en: "Last hash"),
        "archive_package": .init(zh: "归档包", en: "Package"),
    ]
}

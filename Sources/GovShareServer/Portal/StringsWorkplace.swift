import GovShareCore

extension Strings {
    /// The home page's work lists (`WorkplaceService`).
    static let workplace: [String: LocalizedText] = [
        "my_work": .init(zh: "我的待办", en: "My work"),
        "no_work": .init(zh: "暂无待办事项", en: "Nothing waits on you"),
        "work_applications_due": .init(zh: "待审核的共享申请（逾期优先）", en: "Applications to review (overdue first)"),
        "work_catalog_review": .init(zh: "待审核的目录", en: "Catalog entries to review"),
        "work_obligations_due": .init(zh: "待履行的目录更新义务（第九条）", en: "Catalog update obligations due (Art. 9)"),
        "work_grants": .init(zh: "本部门的共享授权", en: "My department's grants"),
        "work_subscriptions": .init(zh: "本部门的无条件共享订阅", en: "My department's subscriptions"),
        "work_stale_datasets": .init(zh: "未按更新周期更新的数据集", en: "Datasets past their update cycle"),
        "work_rejected_batches": .init(zh: "有未通过行的上报批次", en: "Reported batches with rejected rows"),
        "work_unusual_reads": .init(zh: "近 30 天的异常读取", en: "Unusual reads in the last 30 days"),
        "working_days_left": .init(zh: "剩余工作日", en: "working days left"),
        "no_expiry": .init(zh: "长期有效（至撤销）", en: "Until revoked"),
    ]
}

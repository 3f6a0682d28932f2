import GovShareCore

extension Strings {
    /// Words of the 考核评估 pages (Art. 31).
    static let assessmentWords: [String: LocalizedText] = [
        "nav_assessments": .init(zh: "考核评估", en: "Assessment"),
        "assess_intro": .init(
            zh: "按考核评估办法，平台依据自身记录按期计算各部门的数据质量、共享程度和应用支撑等指标得分，每项得分都列出计算依据；经政务数据主管部门审核后以数据专用章签章发布，发布后不可更改，向社会公开（第三十一条）。",
            en:
                "Under the assessment scheme the platform computes, per period and from its own records, each department's scores on data quality, degree of sharing and application support, with the inputs of every score; the data authority reviews them and publishes them sealed, immutable and public (Art. 31)."
        ),
        "assess_period": .init(zh: "考核期", en: "Period"),
        "assess_status": .init(zh: "状态", en: "Status"),
        "assess_as_of": .init(zh: "数据截至", en: "Records as of"),
        "assess_departments": .init(zh: "部门数", en: "Departments"),
        "assess_scheme": .init(zh: "考核方案", en: "Scheme"),
        "assess_by": .init(zh: "计算／发布", en: "Computed / published by"),
        "assess_compute": .init(zh: "计算考核结果（草稿）", en: "Compute the period (draft)"),
        "assess_compute_hint": .init(
            zh: "年（2026）、季度（2026-Q4）或月份（2026-11）；重新计算会替换该期草稿，已发布的考核期不再计算。",
            en:
                "A year (2026), a quarter (2026-Q4) or a month (2026-11); computing again replaces the period's draft; published periods are not computed again."
        ),
        "assess_indicator": .init(zh: "指标", en: "Indicator"),
        "assess_weight": .init(zh: "权重", en: "Weight"),
        "assess_formula": .init(zh: "计算方法", en: "Formula"),
        "assess_trend": .init(zh: "历期总分趋势", en: "Totals over the published periods"),
        "assess_all_periods": .init(zh: "全部考核期", en: "All periods"),
        "assess_computed": .init(zh: "计算", en: "Computed"),
        "assess_published": .init(zh: "发布", en: "Published"),
        "assess_seal": .init(zh: "签章", en: "Seal"),
        "assess_valid": .init(zh: "签章验证通过：内容自发布以来未被改动。", en: "The seal verifies: the content is as published."),
        "assess_invalid": .init(zh: "签章验证未通过：", en: "The seal does not verify:"),
        "assess_draft_hint": .init(
            zh: "这是待审核的草稿，仅主管部门、平台管理员和审计人员可见；发布后才向社会公开。",
            en: "This is a draft under review, seen only by the authority, administrators and auditors; it becomes public when published."),
        "assess_publish": .init(zh: "审核通过并签章发布", en: "Approve and publish, sealed"),
        "assess_publish_hint": .init(
            zh: "发布的是本页所示的内容；计算人不能发布自己计算的结果。",
            en: "What this page shows is what is published; whoever computed it does not publish it."),
        "assess_verify_api": .init(zh: "验证签章", en: "Verify the seal"),
        "assess_rank": .init(zh: "名次", en: "Rank"),
        "assess_department": .init(zh: "部门", en: "Department"),
        "assess_total": .init(zh: "总分", en: "Total"),
        "assess_score": .init(zh: "得分", en: "Score"),
        "assess_ratio": .init(zh: "比率", en: "Ratio"),
        "assess_inputs": .init(zh: "计算依据", en: "Inputs"),
        "assess_ranking": .init(zh: "排名", en: "Ranking"),
        "assess_distribution": .init(zh: "总分分布（部门数）", en: "Distribution of totals (departments)"),
        "assess_not_applicable": .init(zh: "不适用", en: "n/a"),
        "assess_not_scored": .init(zh: "不计分", en: "not scored"),
        "assess_total_formula": .init(
            zh: "总分 = Σ（权重 × 得分）÷ Σ 权重，仅计适用的指标（本期无应答事项等不适用的指标，其权重由其余指标分摊）。",
            en:
                "Total = Σ(weight × score) ÷ Σ weight over the indicators that apply (an indicator with nothing due is not applicable; its weight is shared by the others)."
        ),
        "home_assessment": .init(zh: "考核评估", en: "Assessment"),
        "home_assessment_drafts": .init(zh: "待审核发布的考核结果", en: "Assessment drafts to review and publish"),
        "home_assessment_line": .init(zh: "最近发布的考核期", en: "Newest published period"),
    ]
}

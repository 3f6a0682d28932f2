/// The rules an entry must satisfy to be submitted (Art. 8, 10, 12, 17, 18 and the national guide). Every failure
/// names the element or the item and the rule, so a cataloger can fix them all in one pass.
public enum CatalogRules {
    /// What a draft needs so that it can be filed and coded: the kind and the classification.
    /// Every field is held to its cap (`CatalogLimits`) already here: a draft is stored and audited as it is.
    public static func checkDraft(_ content: CatalogContent) throws {
        var v = Validator()
        checkClassification(content, into: &v)
        CatalogLimits.check(content, into: &v)
        present(content.name, "name", into: &v)
        try v.check()
    }

    /// A required text: lengths are `CatalogLimits`' (checked once, so a long value is reported once).
    static func present(_ value: String?, _ field: String, into v: inout Validator) {
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            v.fail(field, "required", zh: "\(field) 为必填项", en: "\(field) is required")
        }
    }

    static func checkClassification(_ content: CatalogContent, into v: inout Validator) {
        guard let kind = content.catalogKind else {
            v.fail(
                "kind", "enum", zh: "kind 必须是 base（基础）、thematic（主题）或 department（部门）",
                en: "kind must be base, thematic or department")
            return
        }
        let code = content.classificationCode ?? ""
        if code.count < 6 || code.count > 9 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
            v.fail(
                "classification_code", "pattern", zh: "分类码为 6–9 位数字：类(1)+项(2)+目(3)[+细目]",
                en: "classification_code has 6-9 digits: class(1) + item(2) + category(3) [+ subcategory]")
        } else if code.first != kind.classDigit {
            v.fail(
                "classification_code", "kind_match", zh: "分类码首位应为 \(kind.classDigit)（\(kind.name.zh)）",
                en: "classification_code must start with \(kind.classDigit) for a \(kind.rawValue) resource")
        }
    }

    /// Full check at submission. `provider` is the department that provides the resource; `requiredFields` are the
    /// free-text elements configuration makes required (`rules.catalogRequiredFields`, Art. 8 and the national guide;
    /// names outside `RegulationRules.requirableCatalogFields` were refused when the configuration was loaded).
    public static func checkForSubmission(
        _ c: CatalogContent, provider: Department,
        requiredFields: [String] = RegulationRules().catalogRequiredFields
    ) throws {
        var v = Validator()
        checkClassification(c, into: &v)
        CatalogLimits.check(c, into: &v)
        for field in requiredFields { present(text(of: field, in: c), field, into: &v) }
        enumField(c.format, "format", ResourceFormat.self, into: &v)
        enumField(c.shareMethod, "share_method", ShareMethod.self, into: &v)
        enumField(c.updateCycle, "update_cycle", UpdateCycle.self, into: &v)
        enumField(c.collectionBasis, "collection_basis", CollectionBasis.self, into: &v)
        if c.openToPublic == nil {
            v.fail("open_to_public", "required", zh: "open_to_public（是否向社会开放）为必填项", en: "open_to_public is required")
        }
        // Art. 18: a resource that is not shared even among departments is never opened to the public, whatever
        // conditions are written for it.
        if c.openToPublic == true, c.derivedShareType == .notShared {
            v.fail(
                "open_to_public", "not_shared", zh: "不予共享的资源不能向社会开放（第十八条）",
                en: "A not-shared resource cannot be opened to the public (Art. 18)")
        }

        // Art. 10: base catalogs are kept by the provincial data authority.
        if c.catalogKind == .base, !(provider.kind == .dataAuthority && provider.level == .province) {
            v.fail(
                "kind", "base_keeper", zh: "基础信息资源目录由省政务数据主管部门统一编制（第十条）",
                en: "Base catalogs are kept by the provincial data authority (Art. 10)")
        }

        let items = c.items ?? []
        if items.isEmpty {
            v.fail("items", "required", zh: "至少需要一个信息项", en: "At least one data item is required")
        }
        var codes = Set<String>()
        for (index, item) in items.prefix(CatalogLimits.items).enumerated() {  // more is refused by CatalogLimits
            let label = "items[\(index)]"
            let name = item.name ?? label
            present(item.name, "\(label).name", into: &v)
            present(item.code, "\(label).code", into: &v)
            if let code = item.code, !code.isEmpty, !codes.insert(code).inserted {
                v.fail("\(label).code", "unique", zh: "信息项代码 \(code) 重复", en: "Item code \(code) is used twice")
            }
            guard let type = item.dataType.flatMap(ItemDataType.init(rawValue:)) else {
                v.fail(
                    "\(label).data_type", "enum", zh: "信息项「\(name)」的数据类型应为 C N Y D T L M G B I F 之一",
                    en: "Item '\(name)': data_type must be one of C N Y D T L M G B I F")
                continue
            }
            if type.needsLength, (item.length ?? 0) <= 0 {
                v.fail(
                    "\(label).length", "required", zh: "信息项「\(name)」为字符型或数值型，须填写长度",
                    en: "Item '\(name)': a C or N item needs a length")
            }
            if let rule = item.rule, ItemRule(rawValue: rule) == nil {
                let allowed = ItemRule.allCases.map(\.rawValue).joined(separator: ", ")
                v.fail(
                    "\(label).rule", "enum", zh: "信息项「\(name)」的校验规则应为以下之一：\(allowed)",
                    en: "Item '\(name)': rule must be one of: \(allowed)")
            }
            if let s = item.sensitivity, !(1...4).contains(s) {
                v.fail("\(label).sensitivity", "range", zh: "信息项「\(name)」的敏感级别应为 1–4", en: "Item '\(name)': sensitivity is 1 to 4")
            }
            guard let share = item.shareType.flatMap(ShareType.init(rawValue:)) else {
                v.fail(
                    "\(label).share_type", "enum", zh: "信息项「\(name)」的共享类型应为 unconditional、conditional 或 not_shared",
                    en: "Item '\(name)': share_type must be unconditional, conditional or not_shared")
                continue
            }
            if c.catalogKind == .base, item.isBasic == true, share != .unconditional {
                v.fail(
                    "\(label).share_type", "basic_item_unconditional",
                    zh: "基础信息资源的基础信息项「\(name)」必须无条件共享（第十七条）",
                    en: "Item '\(name)' is a basic item of a base resource and must be unconditional (Art. 17)")
            }
            if share != .unconditional, !(item.legalBasis?.isComplete ?? false) {
                v.fail(
                    "\(label).legal_basis", "legal_basis_required",
                    zh: "信息项「\(name)」为\(share.name.zh)，须注明法律法规依据（名称及条款，第十八条）",
                    en: "Item '\(name)' is \(share.rawValue) and needs a cited legal basis: instrument and article (Art. 18)")
            }
            if share == .conditional, (item.shareConditions ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                v.fail(
                    "\(label).share_conditions", "conditions_required",
                    zh: "信息项「\(name)」为有条件共享，须写明共享条件", en: "Item '\(name)' is conditional and needs its conditions")
            }
        }
        let share = c.derivedShareType
        if share != .unconditional, !(c.legalBasis?.isComplete ?? false) {
            v.fail(
                "legal_basis", "legal_basis_required",
                zh: "资源为\(share.name.zh)，须注明法律法规依据（名称及条款，第十八条）",
                en: "The resource is \(share.rawValue) and needs a cited legal basis: instrument and article (Art. 18)")
        }
        if share == .conditional, (c.shareConditions ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            v.fail(
                "share_conditions", "conditions_required", zh: "资源为有条件共享，须写明共享条件",
                en: "The resource is conditional and needs its stated conditions")
        }
        try v.check()
    }

    /// The value of a requirable free-text element, by its API name.
    static func text(of field: String, in c: CatalogContent) -> String? {
        switch field {
        case "name": c.name
        case "summary": c.summary
        case "responsible_party": c.responsibleParty
        case "update_deadline": c.updateDeadline
        case "usage_requirements": c.usageRequirements
        case "classification_path": c.classificationPath
        case "collection_source": c.collectionSource
        case "open_conditions": c.openConditions
        default: nil
        }
    }

    static func enumField<E: RawRepresentable & CaseIterable>(
        _ value: String?, _ field: String, _: E.Type,
        into v: inout Validator
    ) where E.RawValue == String {
        guard let value, E(rawValue: value) != nil else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            v.fail(field, value == nil ? "required" : "enum", zh: "\(field) 应为以下之一：\(allowed)", en: "\(field) must be one of: \(allowed)")
            return
        }
    }
}

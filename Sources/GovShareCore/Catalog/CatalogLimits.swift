/// The longest value each field of a catalog entry accepts, in characters (docs/security.md lists them). A draft is
/// stored, versioned and written to the audit log before anyone reviews it, so the caps apply to every draft, not only
/// at submission; a value over its cap is refused with 422 naming the field and the rule `max_length` (`max_count`
/// for lists). The caps are far above what a real entry needs (the demo catalog's longest summary is 59 characters).
public enum CatalogLimits {
    public static let name = 200
    public static let summary = 2000
    public static let classificationPath = 500
    public static let responsibleParty = 200
    public static let updateDeadline = 200
    public static let usageRequirements = 2000
    public static let conditions = 1000
    public static let collectionSource = 500
    public static let legalInstrument = 200
    public static let legalArticle = 100
    /// Enumerated values (kind, format, share type …) are checked against their lists at submission; a draft may
    /// hold an unfinished one, but not a large one.
    public static let enumValue = 64
    public static let relatedCodes = 100
    public static let entryCode = 64
    /// Thematic co-builders (Art. 10) and the length of a department's credit code.
    public static let coBuilders = 20
    public static let departmentCode = 18
    /// Data items of one resource.
    public static let items = 500
    public static let itemName = 100
    public static let itemCode = 64
    public static let itemDescription = 1000

    /// Adds a `max_length` / `max_count` problem for every field over its cap.
    static func check(_ c: CatalogContent, into v: inout Validator) {
        for (value, field) in [
            (c.kind, "kind"), (c.format, "format"), (c.shareMethod, "share_method"), (c.updateCycle, "update_cycle"),
            (c.collectionBasis, "collection_basis"),
        ] {
            v.limit(value, field: field, maxLength: enumValue)
        }
        v.limit(c.classificationPath, field: "classification_path", maxLength: classificationPath)
        v.limit(c.name, field: "name", maxLength: name)
        v.limit(c.summary, field: "summary", maxLength: summary)
        v.limit(c.responsibleParty, field: "responsible_party", maxLength: responsibleParty)
        v.limit(c.updateDeadline, field: "update_deadline", maxLength: updateDeadline)
        v.limit(c.usageRequirements, field: "usage_requirements", maxLength: usageRequirements)
        v.limit(c.shareConditions, field: "share_conditions", maxLength: conditions)
        v.limit(c.openConditions, field: "open_conditions", maxLength: conditions)
        v.limit(c.collectionSource, field: "collection_source", maxLength: collectionSource)
        legalBasis(c.legalBasis, field: "legal_basis", into: &v)
        v.limit(c.relatedCodes, field: "related_codes", maxCount: relatedCodes, maxLength: entryCode)
        v.limit(c.coBuilderCodes, field: "co_builder_codes", maxCount: coBuilders, maxLength: departmentCode)
        guard let items = c.items else { return }
        if items.count > self.items {
            v.fail("items", "max_count", zh: "一个资源最多 \(self.items) 个信息项", en: "A resource has at most \(self.items) data items")
            return
        }
        for (index, item) in items.enumerated() {
            let label = "items[\(index)]"
            v.limit(item.name, field: "\(label).name", maxLength: itemName)
            v.limit(item.code, field: "\(label).code", maxLength: itemCode)
            v.limit(item.description, field: "\(label).description", maxLength: itemDescription)
            v.limit(item.shareConditions, field: "\(label).share_conditions", maxLength: conditions)
            for (value, field) in [(item.dataType, "data_type"), (item.shareType, "share_type"), (item.rule, "rule")] {
                v.limit(value, field: "\(label).\(field)", maxLength: enumValue)
            }
            legalBasis(item.legalBasis, field: "\(label).legal_basis", into: &v)
        }
    }

    static func legalBasis(_ basis: LegalBasis?, field: String, into v: inout Validator) {
        v.limit(basis?.instrument, field: "\(field).instrument", maxLength: legalInstrument)
        v.limit(basis?.article, field: "\(field).article", maxLength: legalArticle)
    }
}

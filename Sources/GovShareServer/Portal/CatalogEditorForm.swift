import Foundation
import GovShareCore

/// The cataloger's editor form: the entry's elements as fields, data items as one line each.
struct CatalogEditorForm {
    static let itemSeparator: Character = "|"

    /// Builds the content from submitted fields.
    static func content(from form: PortalForm) -> CatalogContent {
        var c = CatalogContent()
        func text(_ name: String) -> String? {
            guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        c.kind = text("kind"); c.classificationCode = text("classification_code"); c.classificationPath = text("classification_path")
        c.name = text("name"); c.summary = text("summary"); c.format = text("format"); c.shareMethod = text("share_method")
        c.updateCycle = text("update_cycle"); c.collectionBasis = text("collection_basis")
        c.openToPublic = text("open_to_public").map { $0 == "true" }
        c.responsibleParty = text("responsible_party"); c.updateDeadline = text("update_deadline")
        c.usageRequirements = text("usage_requirements"); c.shareConditions = text("share_conditions")
        if text("legal_instrument") != nil || text("legal_article") != nil {
            c.legalBasis = LegalBasis(instrument: text("legal_instrument"), article: text("legal_article"))
        }
        c.coBuilderCodes = text("co_builder_codes").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        c.items = (form["items"] ?? "").split(whereSeparator: \.isNewline).compactMap { line -> DataItem? in
            let cols = line.split(separator: itemSeparator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cols.contains(where: { !$0.isEmpty }) else { return nil }
            func col(_ i: Int) -> String? { i < cols.count && !cols[i].isEmpty ? cols[i] : nil }
            let basis = (col(6) != nil || col(7) != nil) ? LegalBasis(instrument: col(6), article: col(7)) : nil
            return DataItem(
                name: col(0), code: col(1), dataType: col(2)?.uppercased(), length: col(3).flatMap { Int($0) },
                shareType: col(4), shareConditions: col(8), legalBasis: basis, sensitivity: col(5).flatMap { Int($0) } ?? 1,
                isBasic: ["是", "yes", "true", "1"].contains(col(9) ?? ""))
        }
        return c
    }

    static func itemLines(_ items: [DataItem]) -> String {
        items.map { i in
            [
                i.name ?? "", i.code ?? "", i.dataType ?? "", i.length.map(String.init) ?? "", i.shareType ?? "",
                String(i.sensitivity ?? 1), i.legalBasis?.instrument ?? "", i.legalBasis?.article ?? "", i.shareConditions ?? "",
                i.isBasic == true ? "是" : "",
            ].joined(separator: "|")
        }.joined(separator: "\n")
    }

    /// The form's fields with values and the rule errors that belong to each (item errors go to `items`).
    static func fields(_ c: CatalogContent, problems: [FieldProblem], language: Language) -> [CatalogEditorPage.Field] {
        func error(_ name: String) -> String? {
            let matching = problems.filter { p in
                name == "items"
                    ? p.field.hasPrefix("items") : (p.field == name || (name == "legal_instrument" && p.field.hasPrefix("legal_basis")))
            }
            return matching.isEmpty ? nil : matching.map { $0.message.text(language) }.joined(separator: "；")
        }
        typealias Option = CatalogEditorPage.Field.Option
        func options<E: RawRepresentable & CaseIterable>(_: E.Type, _ current: String?) -> [Option] where E.RawValue == String {
            [Option(value: "", label: "—", selected: current == nil)]
                + E.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == current) }
        }
        func field(
            _ name: String, _ zh: String, _ en: String, value: String? = nil, select: [Option]? = nil,
            rows: Int? = nil, hint: String? = nil
        ) -> CatalogEditorPage.Field {
            var f = CatalogEditorPage.Field(name: name, label: language == .en ? en : zh, hint: hint, error: error(name))
            if let select {
                f.select = .init(options: select)
            } else if let rows {
                f.textarea = .init(rows: rows, value: value ?? "")
            } else {
                f.input = .init(value: value ?? "")
            }
            return f
        }
        let open = c.openToPublic.map { $0 ? "true" : "false" }
        return [
            field("kind", "目录类型", "Kind", select: options(CatalogKind.self, c.kind)),
            field("classification_code", "分类码（类1+项2+目3位）", "Classification code", value: c.classificationCode),
            field("classification_path", "分类名称", "Classification path", value: c.classificationPath),
            field("name", "信息资源名称", "Name", value: c.name),
            field("summary", "信息资源摘要", "Summary", value: c.summary, rows: 3),
            field("format", "信息资源格式", "Format", select: options(ResourceFormat.self, c.format)),
            field("share_method", "共享方式", "Share method", select: options(ShareMethod.self, c.shareMethod)),
            field("update_cycle", "更新周期", "Update cycle", select: options(UpdateCycle.self, c.updateCycle)),
            field("collection_basis", "采集依据（第十二条）", "Collection basis", select: options(CollectionBasis.self, c.collectionBasis)),
            field(
                "open_to_public", "是否向社会开放", "Open to the public",
                select: [
                    Option(value: "", label: "—", selected: open == nil),
                    Option(value: "false", label: "否 / no", selected: open == "false"),
                    Option(value: "true", label: "是 / yes", selected: open == "true"),
                ]),
            field("responsible_party", "责任方", "Responsible party", value: c.responsibleParty),
            field("update_deadline", "更新时限", "Update deadline", value: c.updateDeadline),
            field("usage_requirements", "使用要求", "Usage requirements", value: c.usageRequirements, rows: 2),
            field("share_conditions", "共享条件（有条件共享时必填）", "Share conditions", value: c.shareConditions, rows: 2),
            field("legal_instrument", "法律依据：法规名称", "Legal basis: instrument", value: c.legalBasis?.instrument),
            field("legal_article", "法律依据：条款", "Legal basis: article", value: c.legalBasis?.article),
            field("co_builder_codes", "共建部门代码（主题目录，逗号分隔）", "Co-builders (thematic)", value: c.coBuilderCodes?.joined(separator: ",")),
            field(
                "items", "信息项", "Data items", value: itemLines(c.items ?? []), rows: 8,
                hint: Strings.dictionary(language)["items_hint"]),
        ]
    }
}

/// `catalog_editor.mustache`: the entry's elements as form fields, each with its rule errors.
struct CatalogEditorPage: PortalPage {
    static let template = PageTemplate.catalogEditor
    struct Field: Encodable {
        struct Option: Encodable {
            var value, label: String
            var selected: Bool
        }
        struct Select: Encodable { var options: [Option] }
        struct TextArea: Encodable {
            var rows: Int
            var value: String
        }
        struct Input: Encodable { var value: String }
        var name, label: String
        /// Exactly one of these three: how the field is entered.
        var select: Select?
        var textarea: TextArea?
        var input: Input?
        var hint: String?
        var error: String?

        init(name: String, label: String, hint: String?, error: String?) {
            self.name = name; self.label = label; self.hint = hint; self.error = error
        }
    }
    struct Problem: Encodable { var field, message: String }
    var heading, action: String
    var saved: Bool
    var hasErrors: Bool
    var errors: [Problem]
    var fields: [Field]
}

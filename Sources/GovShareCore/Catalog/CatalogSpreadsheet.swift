import Foundation

/// The guide's spreadsheet layout: one row per data item, the resource's elements repeated on each of its rows,
/// Chinese column headers. Enumerations accept the Chinese label or the code (无条件共享 or unconditional).
/// The template is documented in docs/catalog-template.md.
public enum CatalogSpreadsheet {
    public struct Column: Sendable {
        public let header: String
        /// The field name used in rule errors, so an error can be placed on its column.
        public let field: String
    }

    public static let columns: [Column] = [
        ("信息资源名称", "name"), ("目录类型", "kind"), ("分类码", "classification_code"), ("分类名称", "classification_path"),
        ("信息资源提供方代码", "provider_code"), ("信息资源摘要", "summary"), ("信息资源格式", "format"), ("共享方式", "share_method"),
        ("更新周期", "update_cycle"), ("是否向社会开放", "open_to_public"), ("开放条件", "open_conditions"),
        ("共享条件", "share_conditions"), ("法律依据名称", "legal_basis.instrument"), ("法律依据条款", "legal_basis.article"),
        ("责任方", "responsible_party"), ("更新时限", "update_deadline"), ("使用要求", "usage_requirements"),
        ("采集依据", "collection_basis"), ("信息项名称", "item.name"), ("信息项代码", "item.code"), ("数据类型", "item.data_type"),
        ("数据长度", "item.length"), ("信息项共享类型", "item.share_type"), ("信息项共享条件", "item.share_conditions"),
        ("信息项法律依据名称", "item.legal_basis.instrument"), ("信息项法律依据条款", "item.legal_basis.article"),
        ("敏感级别", "item.sensitivity"), ("是否基础项", "item.is_basic"),
    ].map { Column(header: $0.0, field: $0.1) }

    static let labels: [String: [String: String]] = [
        "kind": ["基础": "base", "基础信息资源": "base", "主题": "thematic", "主题信息资源": "thematic", "部门": "department", "部门信息资源": "department"],
        "share": ["无条件共享": "unconditional", "有条件共享": "conditional", "不予共享": "not_shared"],
        "format": [
            "电子文件": "electronic_file", "电子表格": "spreadsheet", "数据库": "database", "图形图像": "image", "流媒体": "streaming",
            "自描述格式": "self_describing", "服务接口": "service_interface",
        ],
        "share_method": ["数据库": "database", "文件下载": "file_download", "服务接口": "service_interface"],
        "update_cycle": [
            "实时": "realtime", "每日": "daily", "每周": "weekly", "每月": "monthly", "每季度": "quarterly",
            "每半年": "half_yearly", "每年": "yearly", "不定期": "irregular",
        ],
        "collection_basis": [
            "依法采集": "law", "法律法规": "law", "业务系统": "business_system", "业务产生": "business_system",
            "协商获取": "consultation",
        ],
    ]

    static func code(_ value: String, _ domain: String) -> String? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if v.isEmpty { return nil }
        return labels[domain]?[v] ?? v
    }

    static func label(_ code: String?, _ domain: String) -> String {
        guard let code else { return "" }
        return labels[domain]?.filter { $0.value == code }.map(\.key).sorted { ($0.count, $0) < ($1.count, $1) }.first ?? code
    }

    /// One resource read from the sheet, with the sheet rows it came from (1-based, the header is row 1).
    public struct ParsedEntry: Sendable {
        public var providerCode: String?
        public var content: CatalogContent
        public var firstRow: Int
        public var itemRows: [Int]
    }

    /// A problem placed on its row and column.
    public struct CellProblem: Sendable, Equatable, Codable {
        public let row: Int
        public let column: String
        public let rule: String
        public let message: LocalizedText
        public init(row: Int, column: String, rule: String, message: LocalizedText) {
            self.row = row; self.column = column; self.rule = rule; self.message = message
        }
    }

    /// Every resource of the sheet, or the problems; a sheet past the CSV field limits or with more than
    /// `ParserLimits.catalogSheetRows` rows is refused before any row is looked at (each resource costs database reads).
    public static func parse(_ text: String) -> (entries: [ParsedEntry], problems: [CellProblem]) {
        let scanned = CSVText.scan(text, keepingBlankRecords: false)
        if let record = scanned.overLimitAt {
            return ([], [CellProblem(row: record + 1, column: "-", rule: "csv_limit", message: CSVText.overLimit(record: record + 1))])
        }
        let records = scanned.records
        if records.count - 1 > ParserLimits.catalogSheetRows {
            return (
                [],
                [
                    CellProblem(
                        row: ParserLimits.catalogSheetRows + 2, column: "-", rule: "max_rows",
                        message: LocalizedText(
                            zh: "一次最多导入 \(ParserLimits.catalogSheetRows) 行，请分多个文件导入",
                            en: "At most \(ParserLimits.catalogSheetRows) rows at a time; split the file"))
                ]
            )
        }
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            return ([], [CellProblem(row: 1, column: "-", rule: "empty", message: LocalizedText(zh: "文件为空", en: "The file is empty"))])
        }
        var problems: [CellProblem] = []
        var index: [String: Int] = [:]
        for column in columns {
            if let i = header.firstIndex(of: column.header) {
                index[column.field] = i
            } else if ["name", "item.name"].contains(column.field) {
                problems.append(
                    CellProblem(
                        row: 1, column: column.header, rule: "missing_column",
                        message: LocalizedText(zh: "缺少列「\(column.header)」", en: "Column \(column.header) is missing")))
            }
        }
        if !problems.isEmpty { return ([], problems) }
        var entries: [ParsedEntry] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let row = offset + 2
            func cell(_ field: String) -> String? {
                guard let i = index[field], i < record.count else { return nil }
                // A cell the platform's own export neutralised ('=…) reads back as it was stored.
                let v = CSVText.restored(record[i].trimmingCharacters(in: .whitespacesAndNewlines))
                return v.isEmpty ? nil : v
            }
            func header(_ field: String) -> String { columns.first { $0.field == field }!.header }
            let name = cell("name")
            let provider = cell("provider_code")
            if entries.last == nil || entries.last!.content.name != name || entries.last!.providerCode != provider {
                var c = CatalogContent()
                c.name = name; c.kind = cell("kind").flatMap { code($0, "kind") }
                c.classificationCode = cell("classification_code"); c.classificationPath = cell("classification_path")
                c.summary = cell("summary"); c.format = cell("format").flatMap { code($0, "format") }
                c.shareMethod = cell("share_method").flatMap { code($0, "share_method") }
                c.updateCycle = cell("update_cycle").flatMap { code($0, "update_cycle") }
                if let open = cell("open_to_public") {
                    if ["是", "true", "yes", "1"].contains(open) {
                        c.openToPublic = true
                    } else if ["否", "false", "no", "0"].contains(open) {
                        c.openToPublic = false
                    } else {
                        problems.append(
                            CellProblem(
                                row: row, column: header("open_to_public"), rule: "boolean",
                                message: LocalizedText(zh: "应填「是」或「否」", en: "Must be 是 (yes) or 否 (no)")))
                    }
                }
                c.openConditions = cell("open_conditions"); c.shareConditions = cell("share_conditions")
                if cell("legal_basis.instrument") != nil || cell("legal_basis.article") != nil {
                    c.legalBasis = LegalBasis(instrument: cell("legal_basis.instrument"), article: cell("legal_basis.article"))
                }
                c.responsibleParty = cell("responsible_party"); c.updateDeadline = cell("update_deadline")
                c.usageRequirements = cell("usage_requirements")
                c.collectionBasis = cell("collection_basis").flatMap { code($0, "collection_basis") }
                c.items = []
                entries.append(ParsedEntry(providerCode: provider, content: c, firstRow: row, itemRows: []))
            }
            var length: Int?
            if let text = cell("item.length") {
                length = Int(text)
                if length == nil {
                    problems.append(
                        CellProblem(
                            row: row, column: header("item.length"), rule: "integer",
                            message: LocalizedText(zh: "数据长度应为整数", en: "Length must be a whole number")))
                }
            }
            var sensitivity: Int? = 1
            if let text = cell("item.sensitivity") {
                sensitivity = Int(text)
                if sensitivity == nil {
                    problems.append(
                        CellProblem(
                            row: row, column: header("item.sensitivity"), rule: "integer",
                            message: LocalizedText(zh: "敏感级别应为 1–4 的整数", en: "Sensitivity must be 1 to 4")))
                }
            }
            let basis =
                (cell("item.legal_basis.instrument") != nil || cell("item.legal_basis.article") != nil)
                ? LegalBasis(instrument: cell("item.legal_basis.instrument"), article: cell("item.legal_basis.article")) : nil
            let item = DataItem(
                name: cell("item.name"), code: cell("item.code"), dataType: cell("item.data_type")?.uppercased(),
                length: length, shareType: cell("item.share_type").flatMap { code($0, "share") },
                shareConditions: cell("item.share_conditions"), legalBasis: basis, sensitivity: sensitivity,
                isBasic: ["是", "true", "yes", "1"].contains(cell("item.is_basic") ?? ""))
            entries[entries.count - 1].content.items!.append(item)
            entries[entries.count - 1].itemRows.append(row)
        }
        if entries.isEmpty {
            problems.append(CellProblem(row: 2, column: "-", rule: "empty", message: LocalizedText(zh: "没有任何数据行", en: "No data rows")))
        }
        return (entries, problems)
    }

    /// Places a rule error (`items[2].legal_basis`, `summary` …) of an entry on its row and column.
    public static func place(_ problem: FieldProblem, in entry: ParsedEntry) -> CellProblem {
        var row = entry.firstRow
        var field = problem.field
        if field.hasPrefix("items["), let close = field.firstIndex(of: "]"),
            let i = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]), i < entry.itemRows.count
        {
            row = entry.itemRows[i]
            field = "item" + field[field.index(after: close)...]
        }
        let column = columns.first { $0.field == field || $0.field.hasPrefix(field + ".") }?.header ?? field
        return CellProblem(row: row, column: column, rule: problem.rule, message: problem.message)
    }

    /// Writes entries in the same layout (Chinese labels for enumerations), so an export imports again. Cells that a
    /// spreadsheet program would run as a formula are neutralised (`CSVText.neutralised`); `parse` undoes it.
    public static func write(_ entries: [(providerCode: String, content: CatalogContent)]) -> String {
        var lines = [CSVText.line(columns.map(\.header))]
        for (provider, c) in entries {
            for item in c.items ?? [] {
                lines.append(
                    CSVText.exportLine([
                        c.name ?? "", label(c.kind, "kind"), c.classificationCode ?? "", c.classificationPath ?? "", provider,
                        c.summary ?? "", label(c.format, "format"), label(c.shareMethod, "share_method"),
                        label(c.updateCycle, "update_cycle"),
                        c.openToPublic == true ? "是" : "否", c.openConditions ?? "", c.shareConditions ?? "",
                        c.legalBasis?.instrument ?? "", c.legalBasis?.article ?? "", c.responsibleParty ?? "", c.updateDeadline ?? "",
                        c.usageRequirements ?? "", label(c.collectionBasis, "collection_basis"), item.name ?? "", item.code ?? "",
                        item.dataType ?? "", item.length.map(String.init) ?? "", label(item.shareType, "share"), item.shareConditions ?? "",
                        item.legalBasis?.instrument ?? "", item.legalBasis?.article ?? "", String(item.sensitivity ?? 1),
                        item.isBasic == true ? "是" : "否",
                    ]))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

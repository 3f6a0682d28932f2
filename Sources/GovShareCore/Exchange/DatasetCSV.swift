/// Reported rows from a CSV file: the first record names the items (by name or code); rows are numbered as a
/// spreadsheet numbers them (the header is row 1), blank lines included. A `_delete` column set to 1/true/是/yes
/// deletes that row's key instead; 0/false/否/no or empty keeps the row, and anything else is reported, not guessed.
public struct DatasetCSV: Sendable {
    public let header: [String]
    public let rows: [(row: Int, values: [String: String?])]
    public let deletes: [String]
    /// `_delete` values that are neither yes nor no.
    public let problems: [RowProblem]
    /// What is wrong with the file as a whole (a quote never closed): the file is refused, whatever the mode.
    public let fileProblems: [RowProblem]

    public static let deleteColumn = "_delete"

    public init(text: String, keyNames: Set<String>) {
        var scanned = CSVText.scan(text, keepingBlankRecords: true)
        // Every row gets a value for every header column, so a wide header over many short records is as large as
        // that many fields.
        if scanned.overLimitAt == nil, (scanned.records.first?.count ?? 0) * max(scanned.records.count - 1, 0) > ParserLimits.csvFields {
            scanned.overLimitAt = ParserLimits.csvFields / max(scanned.records.first?.count ?? 1, 1) + 1
        }
        // A file past the field limits is refused whole: no row of it is reported.
        let records = scanned.overLimitAt == nil ? scanned.records : Array(scanned.records.prefix(1))
        let unclosedQuoteAt = scanned.unclosedQuoteAt
        let header = (records.first ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        self.header = header.filter { $0 != Self.deleteColumn }
        let deleteIndex = header.firstIndex(of: Self.deleteColumn)
        let keyIndex = header.firstIndex { keyNames.contains($0) }
        var rows: [(row: Int, values: [String: String?])] = []
        var deletes: [String] = []
        var problems: [RowProblem] = []
        rows.reserveCapacity(records.count)
        for (offset, record) in records.dropFirst().enumerated() {
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if let deleteIndex, deleteIndex < record.count {
                switch record[deleteIndex].trimmingCharacters(in: .whitespaces).lowercased() {
                case "1", "true", "是", "yes", "y":
                    if let keyIndex, keyIndex < record.count {
                        deletes.append(record[keyIndex].trimmingCharacters(in: .whitespaces))
                        continue
                    }
                case "", "0", "false", "否", "no", "n": break
                case let other:
                    problems.append(
                        RowProblem(
                            row: offset + 2, item: Self.deleteColumn, rule: "boolean",
                            message: LocalizedText(
                                zh: "_delete 应为 1/是（删除）或 0/否，而不是「\(other)」",
                                en: "_delete must be 1/yes (delete) or 0/no, not '\(other)'")))
                    continue
                }
            }
            var values: [String: String?] = [:]
            for (i, name) in header.enumerated() where i != deleteIndex {
                values[name] = i < record.count ? record[i] : nil
            }
            rows.append((row: offset + 2, values: values))
        }
        var fileProblems: [RowProblem] = []
        if let record = scanned.overLimitAt {
            fileProblems.append(RowProblem(row: record + 1, item: nil, rule: "csv_limit", message: CSVText.overLimit(record: record + 1)))
        }
        if let record = unclosedQuoteAt {
            // The record number is the file's line only up to the first quoted line break; good enough to find it.
            fileProblems.append(
                RowProblem(
                    row: record + 1, item: nil, rule: "csv_quote",
                    message: LocalizedText(
                        zh: "第 \(record + 1) 条记录的引号没有闭合，其后的内容都被读进了同一个字段",
                        en: "A quote opened in record \(record + 1) is never closed; everything after it fell into one field")))
        }
        self.rows = rows
        self.deletes = deletes
        self.problems = problems
        self.fileProblems = fileProblems
    }
}

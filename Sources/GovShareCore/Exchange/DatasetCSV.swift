/// Reported rows from a CSV file: the first record names the items (by name or code); rows are numbered as a
/// spreadsheet numbers them (the header is row 1), blank lines included. A `_delete` column set to 1/true/是/yes
/// deletes that row's key instead; 0/false/否/no or empty keeps the row, and anything else is reported, not guessed.
public struct DatasetCSV: Sendable {
    public let header: [String]
    public let rows: [(row: Int, values: [String: String?])]
    public let deletes: [String]
    /// `_delete` values that are neither yes nor no.
    public let problems: [RowProblem]

    public static let deleteColumn = "_delete"

    public init(text: String, keyNames: Set<String>) {
        let records = CSVText.parse(text, keepingBlankRecords: true)
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
                    problems.append(RowProblem(row: offset + 2, item: Self.deleteColumn, rule: "boolean",
                                               message: LocalizedText(zh: "_delete 应为 1/是（删除）或 0/否，而不是「\(other)」",
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
        self.rows = rows
        self.deletes = deletes
        self.problems = problems
    }
}

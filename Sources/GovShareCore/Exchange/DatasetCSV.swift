/// Reported rows from a CSV file: the first record names the items (by name or code); rows are numbered as a
/// spreadsheet numbers them (the header is row 1). A `_delete` column set to 1/true deletes that row's key instead.
public struct DatasetCSV: Sendable {
    public let header: [String]
    public let rows: [(row: Int, values: [String: String?])]
    public let deletes: [String]

    public static let deleteColumn = "_delete"

    public init(text: String, keyNames: Set<String>) {
        let records = CSVText.parse(text)
        let header = (records.first ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        self.header = header.filter { $0 != Self.deleteColumn }
        let deleteIndex = header.firstIndex(of: Self.deleteColumn)
        let keyIndex = header.firstIndex { keyNames.contains($0) }
        var rows: [(row: Int, values: [String: String?])] = []
        var deletes: [String] = []
        rows.reserveCapacity(records.count)
        for (offset, record) in records.dropFirst().enumerated() {
            if let deleteIndex, deleteIndex < record.count, ["1", "true", "是"].contains(record[deleteIndex].lowercased()),
               let keyIndex, keyIndex < record.count {
                deletes.append(record[keyIndex].trimmingCharacters(in: .whitespaces))
                continue
            }
            var values: [String: String?] = [:]
            for (i, name) in header.enumerated() where i != deleteIndex {
                values[name] = i < record.count ? record[i] : nil
            }
            rows.append((row: offset + 2, values: values))
        }
        self.rows = rows
        self.deletes = deletes
    }
}

import GovShareCore

/// Opens the sealed cells of a page of rows (encryption at rest). Which read columns a key version seals is worked
/// out once per version and page, not per cell: the per-cell set lookup hashed the column name, and copying the
/// column description per cell cost as much as the SM4 itself.
struct PageOpener {
    let names: [String]
    let numeric: [Bool]
    let keys: DatasetKeySet?
    private var sealedByVersion: [Int: [Bool]] = [:]

    init(columns: [DatasetColumn], keys: DatasetKeySet?) {
        names = columns.map(\.column)
        numeric = columns.map(\.isNumeric)
        self.keys = keys
    }

    /// The reader's values of one stored row: cells `from ..< from + names.count`, opened where the row's key
    /// version sealed the column, numbers again for numeric items. Throws (fails closed) when a version is unknown or
    /// a ciphertext does not open.
    mutating func open(_ row: [CellValue], from: Int, version: Int?, rowKey: String) throws -> [CellValue] {
        var values: [CellValue] = []
        values.reserveCapacity(names.count)
        let sealed = try version.map { try sealedColumns(of: $0) }
        for i in names.indices {
            let cell = row[from + i]
            guard case .text(let text) = cell else {
                values.append(cell)
                continue
            }
            values.append(
                try Self.clearValue(text, sealed: sealed?[i] ?? false, column: names[i], numeric: numeric[i], rowKey: rowKey, keys: keys))
        }
        return values
    }

    /// One stored text cell as the reader sees it: opened when its key version sealed it, a number again for numeric
    /// items. Shared with `SQLDatasetRepository.openCell` (re-encryption, conflict checks), which decide `sealed` per cell.
    static func clearValue(_ text: String, sealed: Bool, column: String, numeric: Bool, rowKey: String, keys: DatasetKeySet?)
        throws -> CellValue
    {
        var clear = text
        if sealed, let keys { clear = try keys.open(text, column: column, rowKey: rowKey) }
        return numeric ? Double(clear).map(CellValue.number) ?? .null : .text(clear)
    }

    private mutating func sealedColumns(of version: Int) throws -> [Bool] {
        if let known = sealedByVersion[version] { return known }
        guard let keys, let columns = keys.versions[version]?.columns else {
            throw DatasetKeySet.unavailable(keys?.datasetId ?? names.first ?? "")
        }
        let sealed = names.map { columns.contains($0) }
        sealedByVersion[version] = sealed
        return sealed
    }
}

/// The one place that decides which items a reader gets and how (Art. 16, 18, 19): unconditional items under a
/// self-service subscription, conditional items only under a grant naming them, not-shared items only for the
/// provider. Items the reader may not see are left out of the response; asking for one by name is refused, naming it.
public enum AccessPolicy {
    public static func readable(
        _ dataset: Dataset, reader: Principal, basis: ReadBasis, requested: [String]?,
        today: String
    ) throws -> [ReadableColumn] {
        try Policy.readData.check(reader)
        var allowed: [String: MaskRule]
        switch basis {
        case .provider:
            guard reader.departmentId == dataset.providerId else {
                throw denied(zh: "只有提供部门可以不经订阅或授权读取本资源", en: "Only the provider may read this resource without a subscription or grant")
            }
            allowed = Dictionary(uniqueKeysWithValues: dataset.columns.map { ($0.itemCode, MaskRule.clear) })
        case .subscription(let s):
            guard s.departmentId == reader.departmentId, s.entryId == dataset.entryId, s.isActive else {
                throw denied(zh: "该订阅不属于本部门、不针对本资源或已撤销", en: "The subscription is not your department's, not for this resource, or revoked")
            }
            allowed = Dictionary(
                uniqueKeysWithValues: dataset.columns
                    .filter { s.items.contains($0.itemCode) && $0.shareType == .unconditional }
                    .map { ($0.itemCode, MaskRule.forColumn($0)) })
        case .grant(let g):
            guard g.departmentId == reader.departmentId, g.entryId == dataset.entryId else {
                throw denied(zh: "该授权不属于本部门或不针对本资源", en: "The grant is not your department's or not for this resource")
            }
            guard g.isInForce(on: today) else {
                throw denied(
                    zh: "该授权已撤销、暂停或不在有效期内（\(g.validFrom) 至 \(g.validUntil)）",
                    en: "The grant is revoked, suspended or outside its validity (\(g.validFrom) to \(g.validUntil))")
            }
            allowed = Dictionary(
                uniqueKeysWithValues: dataset.columns
                    .filter { g.items.contains($0.itemCode) && $0.shareType != .notShared }
                    .map { ($0.itemCode, g.clearItems.contains($0.itemCode) ? .clear : MaskRule.forColumn($0)) })
        }
        if basis != .provider { allowed = MaskRule.hidingDerivedItems(allowed, in: dataset) }
        if let requested, !requested.isEmpty {
            var refused: [FieldProblem] = []
            for code in requested where allowed[code] == nil {
                guard let column = dataset.column(item: code) else {
                    refused.append(
                        FieldProblem(
                            field: "fields", rule: "unknown_item",
                            message: LocalizedText(zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")))
                    continue
                }
                let why: LocalizedText =
                    switch column.shareType {
                    case .notShared:
                        LocalizedText(zh: "信息项「\(column.itemName)」（\(code)）不予共享", en: "Item '\(column.itemName)' (\(code)) is not shared")
                    case .conditional:
                        LocalizedText(
                            zh: "信息项「\(column.itemName)」（\(code)）为有条件共享，须经申请获得授权",
                            en: "Item '\(column.itemName)' (\(code)) is conditional and needs a grant")
                    case .unconditional:
                        LocalizedText(
                            zh: "信息项「\(column.itemName)」（\(code)）不在所用订阅或授权的范围内",
                            en: "Item '\(column.itemName)' (\(code)) is not covered by the subscription or grant used")
                    }
                refused.append(FieldProblem(field: "fields.\(code)", rule: "item_not_permitted", message: why))
            }
            if let unknown = refused.first(where: { $0.rule == "unknown_item" }) { throw DomainError.validation([unknown]) }
            if !refused.isEmpty {
                let names = refused.map { String($0.field.dropFirst("fields.".count)) }.joined(separator: ", ")
                throw DomainError(
                    .forbidden, code: "item_not_permitted",
                    message: LocalizedText(zh: "无权读取信息项：\(names)", en: "Not permitted to read items: \(names)"),
                    problems: refused)
            }
            // Each item once, in the order first asked: an item named a thousand times would otherwise be selected,
            // masked and encoded a thousand times per row (a few bytes of request for gigabytes of answer).
            var seen = Set<String>()
            return requested.filter { seen.insert($0).inserted }.map { code in
                ReadableColumn(column: dataset.column(item: code)!, mask: allowed[code]!)
            }
        }
        let columns = dataset.columns.filter { allowed[$0.itemCode] != nil }.map { ReadableColumn(column: $0, mask: allowed[$0.itemCode]!) }
        if columns.isEmpty {
            throw denied(zh: "所用订阅或授权不包含该资源的任何可读信息项", en: "The subscription or grant covers no readable item of this resource")
        }
        return columns
    }

    static func denied(zh: String, en: String) -> DomainError {
        DomainError(.forbidden, code: "read_not_permitted", message: LocalizedText(zh: zh, en: en))
    }
}

import Foundation

/// A page of rows as the reader may see them.
public struct ReadResult: Sendable {
    public let dataset: Dataset
    public let columns: [ReadableColumn]
    /// Values in column order; masked where the rule says so; nil where the row has no value.
    public let rows: [[String?]]
    public let nextCursor: String?
    public let total: Int?
    public let read: DataRead
    /// Per row, the objection under which it was confirmed wrong and not yet corrected (Art. 21), else nil.
    public var flags: [String?] = []
    /// Per row, a token naming the record for the reader's department (only when asked for: the portal's preview).
    public var rowTokens: [String] = []
    public var flaggedCount: Int { flags.lazy.filter { $0 != nil }.count }
}

extension ExchangeService {
    /// Resolves what a read is done under: `purpose` is a subscription or grant id, or "provider".
    public func basis(purpose: String?, dataset: Dataset, reader: Principal) async throws -> ReadBasis {
        let purpose = purpose?.trimmingCharacters(in: .whitespaces) ?? ""
        if purpose.isEmpty || purpose == "provider" {
            if reader.departmentId == dataset.providerId { return .provider }
            throw DomainError.invalid(
                field: "purpose", rule: "required",
                zh: "请注明读取依据：订阅编号或授权编号（第十六条：按履职需要使用）",
                en: "Name the purpose: a subscription or grant id (Art. 16: use only for the stated duty)")
        }
        if let s = try await access.subscription(id: purpose) { return .subscription(s) }
        if let g = try await access.grant(id: purpose) { return .grant(g) }
        throw DomainError.invalid(field: "purpose", rule: "exists", zh: "订阅或授权 \(purpose) 不存在", en: "No subscription or grant \(purpose)")
    }

    /// What the reader's department may read this dataset under now: as its provider (with a reading role), its
    /// active subscriptions to the entry and its grants in force on it (the portal's purpose choice).
    public func readPurposes(_ dataset: Dataset, for reader: Principal) async throws -> [ReadBasis] {
        var purposes: [ReadBasis] = []
        if reader.departmentId == dataset.providerId, Policy.readData.allows(reader) { purposes.append(.provider) }
        for s in try await access.subscriptions(departmentId: reader.departmentId) where s.entryId == dataset.entryId && s.isActive {
            purposes.append(.subscription(s))
        }
        let today = CivilDate(instant: clock.now())
        for g in try await access.grants(departmentId: reader.departmentId) where g.entryId == dataset.entryId && g.isInForce(on: today) {
            purposes.append(.grant(g))
        }
        return purposes
    }

    public func read(
        code: String, purpose: String?, query: DatasetQuery, by reader: Principal,
        origin: RequestOrigin, withRowTokens: Bool = false
    ) async throws -> ReadResult {
        try Policy.readData.check(reader)  // the role first: who may not read learns nothing about purposes or items
        let dataset = try await dataset(code: code)
        let basis = try await basis(purpose: purpose, dataset: dataset, reader: reader)
        let columns = try AccessPolicy.readable(dataset, reader: reader, basis: basis, requested: query.fields, today: today)
        // Filters may use any item the reader may read, selected or not. Filtering or sorting on another item reads it:
        // the policy refuses it as it refuses selecting it (403 naming the item).
        let readable = try AccessPolicy.readable(dataset, reader: reader, basis: basis, requested: nil, today: today)
        let touched = Set(query.filters.map(\.item) + (query.sortItem.map { [$0] } ?? []))
        if !touched.isSubset(of: readable.map(\.column.itemCode)) {
            _ = try AccessPolicy.readable(dataset, reader: reader, basis: basis, requested: touched.sorted(), today: today)
        }
        try checkFilters(query, dataset: dataset, columns: readable, selected: columns)
        var q = query
        q.limit = min(max(q.limit, 1), 1000)
        q.searchItems = columns.filter { $0.mask == .clear && !$0.column.isNumeric && !dataset.isEncrypted(item: $0.column.itemCode) }
            .map(\.column.itemCode)
        q.cursorBinding = [basis.purposeId, reader.id]  // a cursor serves only this purpose and this reader
        q.mayLag = basis != .provider
        let page = try await datasets.query(dataset, columns: columns.map(\.column), q)
        let rows = page.rows.map { row in
            // A hidden item shows the same whether or not the row has a value: for a date of death or a subsidy amount,
            // that there is a value is itself what is hidden.
            zip(row, columns).map { value, c in c.mask == .full ? c.mask.apply("") : value.text.map { c.mask.apply($0) } }
        }
        let read = DataRead(
            auditSeq: 0, datasetId: dataset.id, entryCode: dataset.entryCode, actorId: reader.id,
            actorName: reader.name, departmentId: reader.departmentId, purposeId: basis.purposeId,
            items: columns.map(\.column.itemCode), filter: Self.describe(q, dataset: dataset),
            rows: rows.count, readAt: now, requestId: origin.requestId)
        let audit = AuditRecord(
            actor: reader, action: "data.read", objectType: "dataset", objectId: dataset.id,
            detail: AuditJSON.encode(read), origin: origin)
        let recorded = try await datasets.recordRead(read, keys: page.keys, audit: audit)
        let flagged = page.keys.isEmpty ? [:] : try await datasets.objectionFlags(datasetId: dataset.id, keys: page.keys)
        var result = ReadResult(
            dataset: dataset, columns: columns, rows: rows, nextCursor: page.nextCursor, total: page.total, read: recorded)
        result.flags = page.keys.map { flagged[$0] }
        if withRowTokens {
            result.rowTokens = try await datasets.recordTokens(datasetId: dataset.id, departmentId: reader.departmentId, keys: page.keys)
        }
        return result
    }

    /// Filters and sorting may only touch readable items, and only items the reader sees in clear: a filter on a
    /// masked item answers "which rows hold this hidden value", so an equality filter on a masked birth date gave back
    /// the hidden digits of every masked ID number it returned. A masked item is not filtered, sorted or searched by
    /// `q`; checking a clear value a caller already holds is its own operation (`verify`), rate-limited per purpose.
    func checkFilters(_ query: DatasetQuery, dataset: Dataset, columns: [ReadableColumn], selected: [ReadableColumn]) throws {
        var v = Validator()
        let masks = Dictionary(uniqueKeysWithValues: columns.map { ($0.column.itemCode, $0.mask) })
        for f in query.filters {
            guard let mask = masks[f.item] else { continue }  // refused by the policy before
            if mask != .clear {
                v.fail(
                    "filters.\(f.item)", "masked_item",
                    zh: "脱敏信息项「\(f.item)」不能用于筛选；核对已掌握的明文请使用核验接口（verify）",
                    en: "Masked item '\(f.item)' cannot be filtered on; to check a value you hold, use verify")
            }
            // Encrypted at rest: only the blind index answers, and it knows equality alone.
            if dataset.isEncrypted(item: f.item), ![.eq, .in].contains(f.op) {
                v.fail(
                    "filters.\(f.item)", "encrypted_item",
                    zh: "信息项「\(f.item)」加密存储，只能按等值（eq、in）筛选",
                    en: "Item '\(f.item)' is stored encrypted; it can only be filtered by exact match (eq, in)")
            }
            if f.values.isEmpty || f.values.count > 1000 {
                v.fail("filters.\(f.item)", "values", zh: "筛选值应为 1–1000 个", en: "A filter takes 1 to 1000 values")
            }
            if let c = dataset.column(item: f.item), c.isNumeric, f.op == .prefix {
                v.fail(
                    "filters.\(f.item)", "prefix_on_number", zh: "数值型信息项「\(f.item)」不能按前缀筛选",
                    en: "Numeric item '\(f.item)' cannot be filtered by prefix")
            }
            if let c = dataset.column(item: f.item), c.isNumeric, f.op != .prefix,
                f.values.contains(where: { Double($0).map { !$0.isFinite } ?? true })
            {
                v.fail(
                    "filters.\(f.item)", "type", zh: "信息项「\(f.item)」为数值型，筛选值须为数值",
                    en: "Item '\(f.item)' is numeric; filter values must be numbers")
            }
        }
        if let sort = query.sortItem, let mask = masks[sort], mask != .clear {
            v.fail("sort", "masked_item", zh: "不能按脱敏信息项「\(sort)」排序", en: "Cannot sort on masked item '\(sort)'")
        }
        if let sort = query.sortItem, dataset.isEncrypted(item: sort) {
            v.fail(
                "sort", "encrypted_item", zh: "信息项「\(sort)」加密存储，不能排序", en: "Item '\(sort)' is stored encrypted; it cannot be sorted on")
        }
        if let text = query.text, !text.isEmpty {
            if text.count > 100 { v.fail("q", "max_length", zh: "检索词不能超过 100 个字符", en: "q must be at most 100 characters") }
            let clearText = selected.filter { $0.mask == .clear && !$0.column.isNumeric }
            if !clearText.isEmpty, clearText.allSatisfy({ dataset.isEncrypted(item: $0.column.itemCode) }) {
                v.fail(
                    "q", "encrypted_item", zh: "所选文本项均加密存储（\(clearText.map(\.column.itemCode).joined(separator: "、"))），不能全文检索",
                    en:
                        "The selected text items are stored encrypted (\(clearText.map(\.column.itemCode).joined(separator: ", "))); q cannot search them"
                )
            } else if clearText.isEmpty {
                v.fail(
                    "q", "no_searchable_items", zh: "所选信息项中没有可检索的明文文本项（脱敏项和数值项不参与检索）",
                    en: "None of the selected items can be searched: q searches text items shown in clear, not masked or numeric ones")
            }
        }
        try v.check()
    }

    /// The filter as recorded in the audit log: item and operator, values of graded items withheld.
    static func describe(_ q: DatasetQuery, dataset: Dataset) -> String {
        let parts = q.filters.map { f -> String in
            // Values of graded or encrypted items, and of ID numbers and birth dates at any grade, are withheld.
            let column = dataset.column(item: f.item)
            let graded =
                (column?.sensitivity ?? 1) >= 3 || dataset.isEncrypted(item: f.item)
                || column.map { MaskRule.isResidentId($0) || MaskRule.isBirthDate($0) } ?? false
            return "\(f.item) \(f.op.rawValue) " + (graded ? "[\(f.values.count) withheld]" : f.values.joined(separator: "|"))
        }
        return (parts + (q.text.map { ["q=\($0.count) chars"] } ?? [])).joined(separator: "; ")
    }
}

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
}

extension ExchangeService {
    /// Resolves what a read is done under: `purpose` is a subscription or grant id, or "provider".
    public func basis(purpose: String?, dataset: Dataset, reader: Principal) async throws -> ReadBasis {
        let purpose = purpose?.trimmingCharacters(in: .whitespaces) ?? ""
        if purpose.isEmpty || purpose == "provider" {
            if reader.departmentId == dataset.providerId { return .provider }
            throw DomainError.invalid(field: "purpose", rule: "required",
                                      zh: "请注明读取依据：订阅编号或授权编号（第十六条：按履职需要使用）",
                                      en: "Name the purpose: a subscription or grant id (Art. 16: use only for the stated duty)")
        }
        if let s = try await access.subscription(id: purpose) { return .subscription(s) }
        if let g = try await access.grant(id: purpose) { return .grant(g) }
        throw DomainError.invalid(field: "purpose", rule: "exists", zh: "订阅或授权 \(purpose) 不存在", en: "No subscription or grant \(purpose)")
    }

    public func read(code: String, purpose: String?, query: DatasetQuery, by reader: Principal,
                     origin: RequestOrigin) async throws -> ReadResult {
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
        q.searchItems = columns.filter { $0.mask == .clear && !$0.column.isNumeric }.map(\.column.itemCode)
        let page = try await datasets.query(dataset, columns: columns.map(\.column), q)
        let rows = page.rows.map { row in
            zip(row, columns).map { value, c in value.text.map { c.mask.apply($0) } }
        }
        let read = DataRead(auditSeq: 0, datasetId: dataset.id, entryCode: dataset.entryCode, actorId: reader.id,
                            actorName: reader.name, departmentId: reader.departmentId, purposeId: basis.purposeId,
                            items: columns.map(\.column.itemCode), filter: Self.describe(q, dataset: dataset),
                            rows: rows.count, readAt: now, requestId: origin.requestId)
        let audit = AuditRecord(actor: reader, action: "data.read", objectType: "dataset", objectId: dataset.id,
                                detail: AuditJSON.encode(read), origin: origin)
        let recorded = try await datasets.recordRead(read, keys: page.keys, audit: audit)
        return ReadResult(dataset: dataset, columns: columns, rows: rows, nextCursor: page.nextCursor, total: page.total, read: recorded)
    }

    /// Filters and sorting may only touch readable items; a masked item can be matched against one value at a time
    /// (verification, 核验) but not by a list, prefix or range, not sorted on and not searched by `q`, so its clear
    /// values cannot be walked: each guess costs one audited read.
    func checkFilters(_ query: DatasetQuery, dataset: Dataset, columns: [ReadableColumn], selected: [ReadableColumn]) throws {
        var v = Validator()
        let masks = Dictionary(uniqueKeysWithValues: columns.map { ($0.column.itemCode, $0.mask) })
        for f in query.filters {
            guard let mask = masks[f.item] else { continue }  // refused by the policy before
            if mask != .clear, f.op != .eq || f.values.count != 1 {
                v.fail("filters.\(f.item)", "masked_item", zh: "脱敏信息项「\(f.item)」只能按单个值精确匹配",
                       en: "Masked item '\(f.item)' can only be matched exactly against one value")
            }
            if f.values.isEmpty || f.values.count > 1000 {
                v.fail("filters.\(f.item)", "values", zh: "筛选值应为 1–1000 个", en: "A filter takes 1 to 1000 values")
            }
            if let c = dataset.column(item: f.item), c.isNumeric, f.op == .prefix {
                v.fail("filters.\(f.item)", "prefix_on_number", zh: "数值型信息项「\(f.item)」不能按前缀筛选", en: "Numeric item '\(f.item)' cannot be filtered by prefix")
            }
            if let c = dataset.column(item: f.item), c.isNumeric, f.op != .prefix, f.values.contains(where: { Double($0).map { !$0.isFinite } ?? true }) {
                v.fail("filters.\(f.item)", "type", zh: "信息项「\(f.item)」为数值型，筛选值须为数值", en: "Item '\(f.item)' is numeric; filter values must be numbers")
            }
        }
        if let sort = query.sortItem, let mask = masks[sort], mask != .clear {
            v.fail("sort", "masked_item", zh: "不能按脱敏信息项「\(sort)」排序", en: "Cannot sort on masked item '\(sort)'")
        }
        if let text = query.text, !text.isEmpty {
            if text.count > 100 { v.fail("q", "max_length", zh: "检索词不能超过 100 个字符", en: "q must be at most 100 characters") }
            if !selected.contains(where: { $0.mask == .clear && !$0.column.isNumeric }) {
                v.fail("q", "no_searchable_items", zh: "所选信息项中没有可检索的明文文本项（脱敏项和数值项不参与检索）",
                       en: "None of the selected items can be searched: q searches text items shown in clear, not masked or numeric ones")
            }
        }
        try v.check()
    }

    /// The filter as recorded in the audit log: item and operator, values of graded items withheld.
    static func describe(_ q: DatasetQuery, dataset: Dataset) -> String {
        let parts = q.filters.map { f -> String in
            let graded = (dataset.column(item: f.item)?.sensitivity ?? 1) >= 3
            return "\(f.item) \(f.op.rawValue) " + (graded ? "[\(f.values.count) withheld]" : f.values.joined(separator: "|"))
        }
        return (parts + (q.text.map { ["q=\($0.count) chars"] } ?? [])).joined(separator: "; ")
    }

    // MARK: subscriptions and grants

    public func subscribe(code: String, items: [String], purpose: String?, business: String? = nil, users: [String] = [],
                          by actor: Principal, origin: RequestOrigin) async throws -> Subscription {
        try Policy.readData.check(actor)
        let (entry, content) = try await publishedEntry(code: code)
        var v = Validator()
        v.require(purpose, field: "purpose", maxLength: 500)
        if let business, business.count > 500 { v.fail("business", "max_length", zh: "business 不能超过 500 个字符", en: "business must be at most 500 characters") }
        if users.count > 50 || users.contains(where: { $0.count > 200 }) {
            v.fail("users", "max_length", zh: "使用人员或系统最多 50 项、每项不超过 200 个字符", en: "users: at most 50, each at most 200 characters")
        }
        if items.isEmpty { v.fail("items", "required", zh: "请选择要订阅的信息项", en: "Choose the items to subscribe to") }
        let all = content.items ?? []
        for code in items {
            guard let item = all.first(where: { $0.code == code }) else {
                v.fail("items.\(code)", "unknown_item", zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")
                continue
            }
            if item.shareType != ShareType.unconditional.rawValue {
                v.fail("items.\(code)", "not_unconditional", zh: "信息项「\(item.name ?? code)」不是无条件共享，须提出共享申请",
                       en: "Item '\(item.name ?? code)' is not unconditional; apply for it instead")
            }
        }
        try v.check()
        let s = Subscription(id: Identifier.make(at: clock.now()), departmentId: actor.departmentId, entryId: entry.id,
                             items: items, purpose: purpose!.trimmingCharacters(in: .whitespacesAndNewlines), createdBy: actor.id,
                             createdAt: now, revokedAt: nil, nodeId: nodeId,
                             business: business.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
                             users: users.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        try await access.insert(s, audit: AuditRecord(actor: actor, action: "subscription.create", objectType: "subscription",
                                                      objectId: s.id, after: AuditJSON.encode(s), origin: origin))
        return s
    }

    public func revokeSubscription(id: String, by actor: Principal, origin: RequestOrigin) async throws -> Subscription {
        guard var s = try await access.subscription(id: id), s.departmentId == actor.departmentId || actor.roles.contains(.platformAdmin) else {
            throw DomainError.notFound("Subscription", zh: "订阅")
        }
        guard s.isActive else { return s }
        let before = AuditJSON.encode(s)
        s.revokedAt = now
        try await access.update(s, audit: AuditRecord(actor: actor, action: "subscription.revoke", objectType: "subscription",
                                                      objectId: s.id, before: before, after: AuditJSON.encode(s), origin: origin))
        return s
    }

    public func createGrant(departmentCode: String?, entryCode: String, items: [String], clearItems: [String], purpose: String?,
                            validUntil: String?, directory: any DepartmentRepository, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        var v = Validator()
        v.require(departmentCode, field: "department_code", maxLength: 18)
        v.require(purpose, field: "purpose", maxLength: 500)
        if items.isEmpty { v.fail("items", "required", zh: "请列出授权的信息项", en: "List the granted items") }
        if CivilDate(validUntil ?? "") == nil { v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD") }
        else if validUntil! < today { v.fail("valid_until", "future", zh: "有效期不能早于今天", en: "valid_until cannot be in the past") }
        else if validUntil! > Self.latestGrantEnd(from: today) { Self.failTooLong(&v) }
        try v.check()
        let department = try await directory.require(code: departmentCode!, field: "department_code")
        let (entry, content) = try await publishedEntry(code: entryCode)
        try await requireGrantAuthority(actor, providerId: entry.providerId)
        for code in items + clearItems {
            guard let item = (content.items ?? []).first(where: { $0.code == code }) else {
                v.fail("items.\(code)", "unknown_item", zh: "「\(code)」不是该资源的信息项", en: "'\(code)' is not a data item of this resource")
                continue
            }
            if item.shareType == ShareType.notShared.rawValue {
                v.fail("items.\(code)", "not_shared", zh: "信息项「\(item.name ?? code)」不予共享，不能授权", en: "Item '\(item.name ?? code)' is not shared and cannot be granted")
            }
        }
        if !Set(clearItems).isSubset(of: Set(items)) { v.fail("clear_items", "subset", zh: "明文信息项须在授权信息项之内", en: "clear_items must be among items") }
        try v.check()
        let g = Grant(id: Identifier.make(at: clock.now()), departmentId: department.id, entryId: entry.id, items: items,
                      clearItems: clearItems, purpose: purpose!, validFrom: today, validUntil: CivilDate(validUntil!)!.description, status: .active,
                      createdBy: actor.id, createdAt: now, revokedReason: nil, nodeId: nodeId)
        try await access.insert(g, audit: AuditRecord(actor: actor, action: "grant.create", objectType: "grant", objectId: g.id,
                                                      after: AuditJSON.encode(g), origin: origin))
        return g
    }

    public func revokeGrant(id: String, reason: String?, by actor: Principal, origin: RequestOrigin) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        guard var g = try await access.grant(id: id) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, grant: g)
        var v = Validator()
        v.require(reason, field: "reason", maxLength: 500)
        try v.check()
        let (original, before) = (g, AuditJSON.encode(g))
        g.status = .revoked
        g.revokedReason = reason
        try await access.update(g, replacing: original, audit: AuditRecord(actor: actor, action: "grant.revoke", objectType: "grant", objectId: g.id,
                                                      before: before, after: AuditJSON.encode(g), origin: origin))
        return g
    }

    /// Suspends, resumes or renews a grant (the authority or an administrator); every change is audited.
    public func changeGrant(id: String, suspend: Bool? = nil, renewUntil: String? = nil, reason: String?, by actor: Principal,
                            origin: RequestOrigin) async throws -> Grant {
        try Policy.manageGrants.check(actor)
        guard var g = try await access.grant(id: id) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, grant: g)
        guard g.status != .revoked else {
            throw DomainError.conflict(code: "grant_revoked", zh: "授权已撤销，不能再变更", en: "The grant is revoked")
        }
        var v = Validator()
        v.require(reason, field: "reason", maxLength: 500)
        if let renewUntil {
            if CivilDate(renewUntil) == nil { v.fail("valid_until", "date", zh: "valid_until 应为日期 YYYY-MM-DD", en: "valid_until must be a date YYYY-MM-DD") }
            else if renewUntil <= today { v.fail("valid_until", "future", zh: "续期须晚于今天", en: "valid_until must be after today") }
            else if renewUntil > Self.latestGrantEnd(from: today) { Self.failTooLong(&v) }
        }
        try v.check()
        let (original, before) = (g, AuditJSON.encode(g))
        if let suspend { g.status = suspend ? .suspended : .active }
        if let renewUntil, let day = CivilDate(renewUntil) { g.validUntil = day.description }
        let action = suspend.map { $0 ? "grant.suspend" : "grant.resume" } ?? "grant.renew"
        try await access.update(g, replacing: original, audit: AuditRecord(actor: actor, action: action, objectType: "grant", objectId: g.id, before: before,
                                                      after: AuditJSON.encode(g), detail: reason, origin: origin))
        return g
    }

    /// Grants are the data authority's over its own providers (the one that reviews their catalog and applications),
    /// or a platform administrator's: a city's reviewer cannot grant itself the province's data.
    func requireGrantAuthority(_ actor: Principal, providerId: String) async throws {
        if actor.kind == .system || actor.roles.contains(.platformAdmin) { return }
        guard let provider = try await departments.find(id: providerId),
              try await departments.reviewingAuthority(for: provider)?.id == actor.departmentId, actor.roles.contains(.authorityReviewer) else {
            throw DomainError(.forbidden, code: "not_reviewing_authority",
                              message: LocalizedText(zh: "只有对提供部门负责的数据主管部门可以管理该授权",
                                                     en: "Only the data authority over the provider manages this grant"))
        }
    }

    func requireGrantAuthority(_ actor: Principal, grant: Grant) async throws {
        guard let entry = try await catalog.entry(id: grant.entryId) else { throw DomainError.notFound("Grant", zh: "授权") }
        try await requireGrantAuthority(actor, providerId: entry.providerId)
    }

    /// A grant runs at most three years, as an application's period does (Art. 19).
    static func latestGrantEnd(from today: String) -> String { CivilDate(today)!.adding(days: 3 * 366).description }
    static func failTooLong(_ v: inout Validator) {
        v.fail("valid_until", "max", zh: "授权期限最长三年", en: "valid_until is at most three years ahead")
    }

    /// Auditors' questions (Art. 28): who read this record, what a department read in a period.
    /// The search itself is audited before it is answered (who looked whom up is as sensitive as who read whom); the
    /// record asked about is not written down in clear.
    public func trace(_ query: ReadTraceQuery, by actor: Principal, origin: RequestOrigin) async throws -> [DataRead] {
        try Policy.traceReads.check(actor)
        let reads = try await datasets.reads(query)
        var asked: [String: String] = ["results": String(reads.count)]
        if query.recordKey != nil { asked["record"] = "[withheld]" }
        for (key, value) in [("dataset_id", query.datasetId), ("department_id", query.departmentId), ("purpose_id", query.purposeId),
                             ("from", query.from), ("to", query.to)] {
            if let value { asked[key] = value }
        }
        _ = try await auditLog.append(AuditRecord(actor: actor, action: "data.trace", objectType: "data_reads", objectId: "*",
                                                  detail: AuditJSON.encode(asked), origin: origin))
        return reads
    }

    /// Reads whose row count is well above that department's usual volume on the same dataset.
    public func unusualReads(from: String?, to: String?, factor: Double = 3, by actor: Principal) async throws -> [DataRead] {
        try Policy.traceReads.check(actor)
        let reads = try await datasets.reads(ReadTraceQuery(from: from, to: to, limit: 100_000))
        let groups = Dictionary(grouping: reads) { "\($0.departmentId)|\($0.datasetId)" }
        return groups.values.flatMap { group -> [DataRead] in
            guard group.count >= 5 else { return [] }
            let sorted = group.map(\.rows).sorted()
            let median = Double(sorted[sorted.count / 2])
            return group.filter { Double($0.rows) > max(median * factor, 10) }
        }.sorted { $0.auditSeq > $1.auditSeq }
    }
}

import Foundation

/// What the budget answers a check: granted, or which counter is used up.
public enum VerificationAllowance: Sendable, Equatable {
    case granted
    case departmentSpent
    case recordSpent
}

/// Counters behind the identity check's rate limit, per department and dataset and per department and record;
/// consuming is atomic across servers.
public protocol VerificationBudget: Sendable {
    /// Takes one unit from every period's budget of the department on the dataset and one from the day's budget of
    /// each record named (by clear identifier; stored only as a keyed reference), or none when any is used up.
    func consume(
        departmentId: String, datasetId: String, periods: [(key: String, limit: Int)], records: [String], day: String,
        perRecord: Int
    ) async throws -> VerificationAllowance
}

/// What an identity check answers: whether a record holds exactly the values given, never the record.
public struct VerificationResult: Sendable {
    public let match: Bool
    public let items: [String]
    public let read: DataRead
}

/// Identity verification (核验, Art. 16 and 19 with the data-security rules): a department holding a person's ID number
/// and name asks whether the platform's record agrees, instead of reading the record. The caller must be entitled to
/// read every item it checks (masked reading is enough: it learns only match / no match for values it already holds),
/// must include an identifying item and one more value so each check concerns one record the caller already knows,
/// and is limited per department and dataset per minute and per day, so the check cannot be turned into a search, and
/// per department and record per day, so it cannot be turned into guessing one person's birth date or name. Each check
/// is a read in the trace: the record it concerned (the key given, or the key matched) is referenced, so auditors can
/// answer "who checked this person".
public struct VerificationService: Sendable {
    let exchange: ExchangeService
    let budget: any VerificationBudget
    let perMinute: Int
    let perDay: Int
    let perRecord: Int

    public static let maxItems = 5
    public static let maxValueLength = 200

    public init(exchange: ExchangeService, budget: any VerificationBudget, perMinute: Int, perDay: Int, perRecord: Int) {
        self.exchange = exchange; self.budget = budget; self.perMinute = perMinute; self.perDay = perDay
        self.perRecord = perRecord
    }

    public func verify(
        code: String, purpose: String?, values: [String: String], by reader: Principal,
        origin: RequestOrigin
    ) async throws -> VerificationResult {
        let dataset = try await exchange.dataset(code: code)
        let basis = try await exchange.basis(purpose: purpose, dataset: dataset, reader: reader)
        var v = Validator()
        if values.isEmpty || values.count > Self.maxItems {
            v.fail("values", "count", zh: "请给出 1–\(Self.maxItems) 个要核验的信息项及其值", en: "Give 1 to \(Self.maxItems) items and values to check")
        }
        for (item, value) in values where value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > Self.maxValueLength {
            v.fail(
                "values.\(item)", "length", zh: "核验值不能为空且不超过 \(Self.maxValueLength) 个字符",
                en: "A value to check is 1 to \(Self.maxValueLength) characters")
        }
        try v.check()
        let items = values.keys.sorted()
        let columns = try AccessPolicy.readable(dataset, reader: reader, basis: basis, requested: items, today: exchange.today)
        for c in columns
        where c.column.isNumeric && Double(values[c.column.itemCode]!.trimmingCharacters(in: .whitespaces))?.isFinite != true {
            v.fail(
                "values.\(c.column.itemCode)", "type", zh: "信息项「\(c.column.itemCode)」为数值型，核验值须为数值",
                en: "Item '\(c.column.itemCode)' is numeric; the value to check must be a number")
        }
        // A hidden item is not checked: its values are few (a disability grade, a date of death), so three guesses
        // per person would give back what the reader may not see at all.
        for c in columns where c.mask == .full {
            v.fail(
                "values.\(c.column.itemCode)", "hidden_item", zh: "信息项「\(c.column.itemCode)」对贵部门完全隐藏，不能核验",
                en: "Item '\(c.column.itemCode)' is hidden from your department and cannot be checked")
        }
        try v.check()
        // An identifier and at least one more value the caller holds (ID number + name): an identifier alone would
        // answer "does this number exist", which with a masked ID's visible digits narrows a guess to a few candidates.
        guard columns.contains(where: { Self.identifies($0.column, in: dataset) }), columns.count >= 2 else {
            throw DomainError.invalid(
                field: "values", rule: "identifier_required",
                zh: "核验须包含标识项（\(dataset.primaryKey)、公民身份号码或统一社会信用代码）及至少一项其他信息（如姓名）",
                en:
                    "A check needs an identifying item (\(dataset.primaryKey), a resident ID or a credit code) and at least one more item (e.g. the name)"
            )
        }
        let normalised = Dictionary(
            uniqueKeysWithValues: columns.map { c in
                (c.column.itemCode, Self.normalise(values[c.column.itemCode]!, for: c.column))
            })
        // The budget is spent before the lookup: a failed guess costs as much as a match. It is the department's on
        // this dataset, not the purpose's: subscriptions are self-service, so a budget per purpose could be multiplied
        // by subscribing again. Each identifying value given is a record with its own daily budget: a few checks a day
        // confirm a person, thousands would guess one of their values.
        let at = exchange.clock.now()
        let minute = String(Timestamp.format(at).prefix(16))
        let day = CivilDate(instant: at).description
        let records = columns.filter { Self.identifies($0.column, in: dataset) }.map { normalised[$0.column.itemCode]! }
        switch try await budget.consume(
            departmentId: reader.departmentId, datasetId: dataset.id,
            periods: [("m" + minute, perMinute), ("d" + day, perDay)], records: records, day: day, perRecord: perRecord)
        {
        case .granted: break
        case .departmentSpent:
            throw DomainError(
                .rateLimited, code: "verification_rate_limited",
                message: LocalizedText(
                    zh: "本部门对该资源的核验次数已达上限（每分钟 \(perMinute) 次、每天 \(perDay) 次），请稍后再试",
                    en: "Your department has used its checks on this resource (\(perMinute) a minute, \(perDay) a day); try again later"))
        case .recordSpent:
            throw DomainError(
                .rateLimited, code: "verification_record_limited",
                message: LocalizedText(
                    zh: "本部门今天对同一记录的核验已达 \(perRecord) 次上限，请明天再试",
                    en: "Your department has checked this record \(perRecord) times today, the limit; try again tomorrow"))
        }
        let filters = items.map { ItemFilter(item: $0, op: .eq, values: [normalised[$0]!]) }
        let page = try await exchange.datasets.query(
            dataset, columns: [dataset.keyColumn],
            DatasetQuery(fields: [dataset.primaryKey], filters: filters, limit: 1))
        let match = !page.keys.isEmpty
        let asked = normalised[dataset.primaryKey].map { [$0] } ?? []
        let read = DataRead(
            auditSeq: 0, datasetId: dataset.id, entryCode: dataset.entryCode, actorId: reader.id,
            actorName: reader.name, departmentId: reader.departmentId, purposeId: basis.purposeId, items: items,
            filter: "verify \(items.joined(separator: ",")) [values withheld] → \(match ? "match" : "no match")",
            rows: match ? 1 : 0, readAt: Timestamp.format(at), requestId: origin.requestId)
        let recorded = try await exchange.datasets.recordRead(
            read, keys: match ? page.keys : asked,
            audit: AuditRecord(
                actor: reader, action: "data.verify", objectType: "dataset", objectId: dataset.id,
                detail: AuditJSON.encode(read), origin: origin))
        return VerificationResult(match: match, items: items, read: recorded)
    }

    public static func identifies(_ c: DatasetColumn, in dataset: Dataset) -> Bool {
        c.itemCode == dataset.primaryKey || MaskRule.isResidentId(c) || c.rule == .creditCode
    }

    /// ID numbers and credit codes are stored upper case; everything is compared without surrounding spaces.
    static func normalise(_ value: String, for c: DatasetColumn) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return MaskRule.isResidentId(c) || c.rule == .creditCode ? trimmed.uppercased() : trimmed
    }
}

import Foundation

/// Mounting, reporting and reading shared data (Art. 15, 16, 20–22, 28). Every read goes through AccessPolicy and is
/// recorded before its rows are returned.
public struct ExchangeService: Sendable {
    let datasets: any DatasetRepository
    let access: any AccessRepository
    let catalog: any CatalogRepository
    let departments: any DepartmentRepository
    let auditLog: any AuditLog
    let clock: any WallClock
    let nodeId: String

    public init(datasets: any DatasetRepository, access: any AccessRepository, catalog: any CatalogRepository,
                departments: any DepartmentRepository, auditLog: any AuditLog, clock: any WallClock, nodeId: String) {
        self.datasets = datasets; self.access = access; self.catalog = catalog; self.departments = departments
        self.auditLog = auditLog
        self.clock = clock; self.nodeId = nodeId
    }

    var now: String { Timestamp.format(clock.now()) }
    public var today: String { CivilDate(instant: clock.now()).description }

    /// The published entry and its published content, named by its resource code (`302001/000001`, or in a URL
    /// path `302001-000001`, CKAN's package name) or its entry id.
    public func publishedEntry(code: String) async throws -> (CatalogEntry, CatalogContent) {
        let resourceId = code.count > 36 ? String(code.prefix(36)) : code  // CKAN resource ids are "<entry id>-<version>"
        let found = Identifier.isValid(resourceId)
            ? try await catalog.entry(id: resourceId)
            : try await catalog.entry(code: code.replacingOccurrences(of: "-", with: "/"))
        guard let entry = found, entry.isPublished, let number = entry.publishedVersion,
              let version = try await catalog.version(entryId: entry.id, version: number) else {
            throw DomainError.notFound("Published catalog entry \(code)", zh: "已发布的目录 \(code)")
        }
        return (entry, version.content)
    }

    /// The dataset of a published entry (named as in `publishedEntry`). One query on the hot path; when the entry has
    /// been republished since the dataset last looked, its columns follow the new version first (new items get
    /// columns; share types and grades change), so access rules always apply the published catalog.
    public func dataset(code: String) async throws -> Dataset {
        let resourceId = code.count > 36 ? String(code.prefix(36)) : code
        let reference = Identifier.isValid(resourceId) ? resourceId : code.replacingOccurrences(of: "-", with: "/")
        guard let (dataset, publishedVersion) = try await datasets.findPublished(reference: reference) else {
            throw DomainError.notFound("Dataset of \(code)", zh: "资源 \(code) 的挂接数据")
        }
        guard publishedVersion != dataset.entryVersion else { return dataset }
        let (_, content) = try await publishedEntry(code: dataset.entryId)
        var refreshed = dataset
        refreshed.entryVersion = publishedVersion
        refreshed.updateCycle = content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? dataset.updateCycle
        let next = Self.columns(of: content)
        var added: [DatasetColumn] = []
        var columns = dataset.columns.map { old -> DatasetColumn in
            guard var current = next.first(where: { $0.itemCode == old.itemCode }) else {
                // An item dropped from the catalog is no longer shared with anyone; its stored values stay for the provider.
                var gone = old
                gone.shareType = .notShared
                return gone
            }
            current.column = old.column
            return current
        }
        var nextIndex = (dataset.columns.compactMap { Int($0.column.dropFirst()) }.max() ?? -1) + 1
        for item in next where !columns.contains(where: { $0.itemCode == item.itemCode }) {
            var column = item
            column.column = "c\(nextIndex)"
            nextIndex += 1
            columns.append(column)
            added.append(column)
        }
        refreshed.columns = columns
        try await datasets.refresh(refreshed, added: added)
        return refreshed
    }

    /// Mounts the data behind a published database or spreadsheet entry; its columns are the entry's items.
    public func mount(code: String, primaryKey: String?, by actor: Principal, origin: RequestOrigin) async throws -> Dataset {
        try Policy.reportData.check(actor)
        let (entry, content) = try await publishedEntry(code: code)
        try requireProvider(actor, providerId: entry.providerId)
        guard let format = content.format.flatMap(ResourceFormat.init(rawValue:)), [.database, .spreadsheet].contains(format) else {
            throw DomainError.invalid(field: "entry_code", rule: "format", zh: "只有数据库类或电子表格类资源可以挂接数据集",
                                      en: "Only database or spreadsheet resources get a dataset")
        }
        if try await datasets.find(entryId: entry.id) != nil {
            throw DomainError.conflict(code: "already_mounted", zh: "资源 \(code) 已挂接数据集", en: "Resource \(code) already has a dataset")
        }
        let items = content.items ?? []
        let key = primaryKey ?? items.first?.code ?? ""
        guard items.contains(where: { $0.code == key }) else {
            throw DomainError.invalid(field: "primary_key", rule: "item", zh: "主键须为该资源的信息项代码", en: "primary_key must be an item code of the resource")
        }
        let columns = Self.columns(of: content)
        let dataset = Dataset(id: Identifier.make(at: clock.now()), entryId: entry.id, entryCode: entry.code,
                              entryVersion: entry.publishedVersion ?? 1, providerId: entry.providerId, columns: columns,
                              primaryKey: key, updateCycle: content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? .irregular,
                              rowCount: 0, lastUpdatedAt: nil, nodeId: nodeId, createdAt: now)
        try await datasets.mount(dataset, audit: AuditRecord(actor: actor, action: "dataset.mount", objectType: "dataset",
                                                             objectId: dataset.id, after: AuditJSON.encode(dataset), origin: origin))
        return dataset
    }

    /// The entry's items as dataset columns (`c0`, `c1` …), typed and graded as the catalog says.
    static func columns(of content: CatalogContent) -> [DatasetColumn] {
        (content.items ?? []).enumerated().map { i, item in
            DatasetColumn(itemCode: item.code ?? "c\(i)", itemName: item.name ?? "", column: "c\(i)",
                          dataType: item.dataType.flatMap(ItemDataType.init(rawValue:)) ?? .C, length: item.length,
                          required: item.required ?? false, rule: item.rule.flatMap(ItemRule.init(rawValue:)),
                          shareType: item.shareType.flatMap(ShareType.init(rawValue:)) ?? .notShared,
                          sensitivity: item.sensitivity ?? 1)
        }
    }

    /// The entry described as a dataset without a table, so files and services go through the same access policy.
    func resource(code: String) async throws -> Dataset {
        let (entry, content) = try await publishedEntry(code: code)
        return Dataset(id: entry.id, entryId: entry.id, entryCode: entry.code, entryVersion: entry.publishedVersion ?? 1,
                       providerId: entry.providerId, columns: Self.columns(of: content), primaryKey: content.items?.first?.code ?? "",
                       updateCycle: content.updateCycle.flatMap(UpdateCycle.init(rawValue:)) ?? .irregular, rowCount: 0,
                       lastUpdatedAt: nil, nodeId: entry.nodeId, createdAt: entry.createdAt)
    }

    public func requireProvider(_ actor: Principal, providerId: String) throws {
        guard actor.kind == .system || actor.departmentId == providerId else {
            throw DomainError(.forbidden, code: "not_provider",
                              message: LocalizedText(zh: "只有提供部门可以报送或挂接该资源的数据", en: "Only the provider reports or mounts this resource's data"))
        }
    }

    public struct ReportOutcome: Sendable {
        public let batch: ReportBatch
        public let problems: [RowProblem]
        /// The batch id was seen before: nothing was applied again.
        public let replayed: Bool
    }

    /// Applies reported rows. All-or-nothing refuses the batch on any bad row (with every problem listed);
    /// row-by-row applies the good rows and returns the bad ones. A repeated client batch id applies nothing.
    public func report(code: String, rows: [(row: Int, values: [String: String?])], deletes: [String], mode: ReportBatch.Mode,
                       clientBatchId: String?, source: ReportBatch.Source, by actor: Principal,
                       origin: RequestOrigin, headerProblems: [RowProblem] = [], rowProblems: [RowProblem] = [],
                       progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil) async throws -> ReportOutcome {
        try Policy.reportData.check(actor)
        let dataset = try await dataset(code: code)
        try requireProvider(actor, providerId: dataset.providerId)
        let digest = datasets.digest(mode: mode, rows: rows, deletes: deletes)
        if let outcome = try await replay(of: clientBatchId, dataset: dataset, digest: digest) { return outcome }
        if !headerProblems.isEmpty { throw Self.rejected(headerProblems) }
        let validator = RowValidator(dataset: dataset, today: today)
        let deleteKeys = try Self.normalisedKeys(deletes, dataset: dataset)
        var good: [String: ValidRow] = [:]
        var firstRow: [String: Int] = [:]
        var order: [String] = []
        // Rows the file reader could not take (e.g. an unreadable `_delete`) count as received and rejected.
        var problems = rowProblems
        let received = rows.count + Set(rowProblems.map(\.row)).count
        for (index, (number, values)) in rows.enumerated() {
            if index % 10_000 == 0 { progress?("checking", index, rows.count) }
            switch validator.validate(values, row: number) {
            case .valid(let valid):
                // One row per key and batch: with two, which one lands would depend on the order of application.
                if let first = firstRow[valid.key] {
                    problems.append(Self.duplicateKey(valid.key, row: number, dataset: dataset,
                                                      zh: "已在第 \(first) 行出现", en: "already appears in row \(first)"))
                } else if deleteKeys.contains(valid.key) {
                    problems.append(Self.duplicateKey(valid.key, row: number, dataset: dataset,
                                                      zh: "在本批中同时被删除", en: "is also deleted in this batch"))
                } else {
                    firstRow[valid.key] = number
                    good[valid.key] = valid
                    order.append(valid.key)
                }
            case .invalid(let rowProblems): problems.append(contentsOf: rowProblems)
            }
        }
        let rejectedRows = Set(problems.map(\.row)).count
        // Quality counters count every check, whether or not the batch lands (they feed supervision, Art. 22).
        try await datasets.recordQuality(datasetId: dataset.id, checked: received, failed: rejectedRows,
                                         byRule: Dictionary(problems.map { ($0.rule, 1) }, uniquingKeysWith: +))
        if mode == .allOrNothing, !problems.isEmpty { throw Self.rejected(problems) }
        var batch = ReportBatch(id: Identifier.make(at: clock.now()), datasetId: dataset.id, clientBatchId: clientBatchId,
                                source: source, mode: mode, received: received, accepted: received - rejectedRows,
                                rejected: rejectedRows, deleted: deleteKeys.count, createdBy: actor.id,
                                departmentId: actor.departmentId, createdAt: now)
        batch.contentDigest = digest
        batch.problems = Array(problems.prefix(1000))
        progress?("checking", rows.count, rows.count)
        let upserts = order.map { good[$0]! }
        do {
            try await datasets.apply(batch, to: dataset, upserts: upserts, deletes: Array(deleteKeys).sorted(),
                                     audit: AuditRecord(actor: actor, action: "dataset.report", objectType: "dataset", objectId: dataset.id,
                                                        after: AuditJSON.encode(batch), origin: origin),
                                     progress: progress.map { report in { @Sendable written in report("writing", written, upserts.count) } })
        } catch {
            // The same batch sent twice at once: the second meets the first's unique batch id and answers as a replay.
            if let outcome = try? await replay(of: clientBatchId, dataset: dataset, digest: digest) { return outcome }
            throw error
        }
        return ReportOutcome(batch: batch, problems: problems, replayed: false)
    }

    /// The earlier batch with this client batch id, if any; the same id with other content is a conflict.
    func replay(of clientBatchId: String?, dataset: Dataset, digest: String) async throws -> ReportOutcome? {
        guard let clientBatchId, let previous = try await datasets.batch(datasetId: dataset.id, clientBatchId: clientBatchId) else {
            return nil
        }
        if let earlier = previous.contentDigest, earlier != digest {
            throw DomainError.conflict(code: "batch_id_reused", zh: "批次号 \(clientBatchId) 已用于内容不同的另一批数据",
                                       en: "Batch id \(clientBatchId) was already used for a batch with different content")
        }
        return ReportOutcome(batch: previous, problems: previous.problems, replayed: true)
    }

    static func duplicateKey(_ key: String, row: Int, dataset: Dataset, zh: String, en: String) -> RowProblem {
        RowProblem(row: row, item: dataset.keyColumn.itemCode, rule: "duplicate_key",
                   message: LocalizedText(zh: "主键「\(key)」\(zh)", en: "Primary key '\(key)' \(en)"))
    }

    /// Keys to delete as the rows store them (a numeric key `0012` is stored as `12`), so a delete matches its row;
    /// a numeric key that is no number is refused rather than silently matching nothing.
    static func normalisedKeys(_ deletes: [String], dataset: Dataset) throws -> Set<String> {
        let key = dataset.keyColumn
        var keys = Set<String>()
        var problems: [RowProblem] = []
        for raw in deletes {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                problems.append(RowProblem(row: 0, item: key.itemCode, rule: "required",
                                           message: LocalizedText(zh: "要删除的主键不能为空", en: "A key to delete cannot be empty")))
                continue
            }
            guard key.isNumeric else { keys.insert(text); continue }
            switch RowValidator.convert(text, for: key) {
            case .success(let cell): keys.insert(cell.text ?? text)
            case .failure(let p): problems.append(RowProblem(row: 0, item: key.itemCode, rule: p.rule, message: p.message))
            }
        }
        if !problems.isEmpty { throw rejected(problems) }
        return keys
    }

    /// Reports a CSV file's rows (see DatasetCSV); the header is checked first.
    public func importCSV(_ text: String, dataset: Dataset, mode: ReportBatch.Mode, batchId: String?, source: ReportBatch.Source,
                          by actor: Principal, origin: RequestOrigin,
                          progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil) async throws -> ReportOutcome {
        let key = dataset.keyColumn
        let csv = DatasetCSV(text: text, keyNames: [key.itemCode, key.itemName])
        let headerProblems = csv.fileProblems + RowValidator(dataset: dataset).checkHeader(csv.header)
        return try await report(code: dataset.entryId, rows: csv.rows, deletes: csv.deletes, mode: mode, clientBatchId: batchId,
                                source: source, by: actor, origin: origin, headerProblems: headerProblems, rowProblems: csv.problems,
                                progress: progress)
    }

    static func rejected(_ problems: [RowProblem]) -> DomainError {
        let shown = problems.prefix(1000)
        return DomainError(.invalid, code: "batch_rejected",
                           message: LocalizedText(zh: "批次未导入：\(Set(problems.map(\.row)).count) 行有误，所有数据均未写入",
                                                  en: "Batch refused: \(Set(problems.map(\.row)).count) rows have errors; nothing was written"),
                           problems: shown.map { FieldProblem(field: "row \($0.row)" + ($0.item.map { ".\($0)" } ?? ""), rule: $0.rule, message: $0.message) })
    }

    /// Whether the data is older than its update cycle allows (Art. 21).
    public func isStale(_ dataset: Dataset) -> Bool {
        let days: Double
        switch dataset.updateCycle {
        case .realtime, .daily: days = 1
        case .weekly: days = 7
        case .monthly: days = 31
        case .quarterly: days = 92
        case .halfYearly: days = 183
        case .yearly: days = 366
        case .irregular: return false
        }
        guard let last = Timestamp.parse(dataset.lastUpdatedAt ?? dataset.createdAt) else { return true }
        return clock.now().timeIntervalSince(last) > (days + 1) * 86_400
    }

    /// Who reported what (accounts, client batch ids): the provider, the data authority, auditors and the platform's
    /// administrators and operators. Everyone signed in sees when and how much was reported (the portal's counts).
    public func batchHistory(code: String, limit: Int, by viewer: Principal) async throws -> [ReportBatch] {
        try Policy.readDirectory.check(viewer)
        let dataset = try await dataset(code: code)
        let overseers: Set<Role> = [.authorityReviewer, .securityAuditor, .platformAdmin, .platformOperator]
        guard viewer.kind == .system || viewer.departmentId == dataset.providerId || !viewer.roles.isDisjoint(with: overseers) else {
            throw DomainError(.forbidden, code: "not_provider",
                              message: LocalizedText(zh: "报送批次明细仅提供部门、主管部门、审计和运维人员可查看",
                                                     en: "Batch details are for the provider, the data authority, auditors and operators"))
        }
        return try await datasets.batches(datasetId: dataset.id, limit: limit)
    }

    public func list(staleOnly: Bool) async throws -> [Dataset] {
        try await datasets.list().filter { !staleOnly || isStale($0) }
    }
}

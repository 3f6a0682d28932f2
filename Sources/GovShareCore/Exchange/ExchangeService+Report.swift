import Foundation

/// Reporting (报送, Art. 15): batches pushed, imported or pulled, validated against the items, applied all or nothing
/// or row by row, answered once per client batch id.
extension ExchangeService {
    public struct ReportOutcome: Sendable {
        public let batch: ReportBatch
        public let problems: [RowProblem]
        /// The batch id was seen before: nothing was applied again.
        public let replayed: Bool
    }

    /// Applies reported rows. All-or-nothing refuses the batch on any bad row (with every problem listed);
    /// row-by-row applies the good rows and returns the bad ones. A repeated client batch id applies nothing.
    public func report(
        code: String, rows: [(row: Int, values: [String: String?])], deletes: [String], mode: ReportBatch.Mode,
        clientBatchId: String?, source: ReportBatch.Source, by actor: Principal,
        origin: RequestOrigin,
        progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ReportOutcome {
        try Policy.reportData.check(actor)
        let dataset = try await dataset(code: code)
        try requireProvider(actor, providerId: dataset.providerId)
        let digest = datasets.digest(mode: mode, rows: rows, deletes: deletes)
        if let outcome = try await replay(of: clientBatchId, dataset: dataset, digest: digest) { return outcome }
        let validator = RowValidator(dataset: dataset, today: today)
        let deleteKeys = try Self.normalisedKeys(deletes, dataset: dataset)
        var good: [String: ValidRow] = [:]
        var firstRow: [String: Int] = [:]
        var order: [String] = []
        var problems: [RowProblem] = []
        let received = rows.count
        for (index, (number, values)) in rows.enumerated() {
            if index % 10_000 == 0 { progress?("checking", index, rows.count) }
            switch validator.validate(values, row: number) {
            case .valid(let valid):
                // One row per key and batch: with two, which one lands would depend on the order of application.
                if let first = firstRow[valid.key] {
                    problems.append(
                        Self.duplicateKey(
                            valid.key, row: number, dataset: dataset,
                            zh: "已在第 \(first) 行出现", en: "already appears in row \(first)"))
                } else if deleteKeys.contains(valid.key) {
                    problems.append(
                        Self.duplicateKey(
                            valid.key, row: number, dataset: dataset,
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
        try await datasets.recordQuality(
            datasetId: dataset.id, checked: received, failed: rejectedRows,
            byRule: Dictionary(problems.map { ($0.rule, 1) }, uniquingKeysWith: +))
        if mode == .allOrNothing, !problems.isEmpty { throw Self.rejected(problems) }
        var batch = ReportBatch(
            id: Identifier.make(at: clock.now()), datasetId: dataset.id, clientBatchId: clientBatchId,
            source: source, mode: mode, received: received, accepted: received - rejectedRows,
            rejected: rejectedRows, deleted: deleteKeys.count, createdBy: actor.id,
            departmentId: actor.departmentId, createdAt: now)
        batch.contentDigest = digest
        batch.problems = Array(problems.prefix(1000))
        progress?("checking", rows.count, rows.count)
        let upserts = order.map { good[$0]! }
        do {
            try await datasets.apply(
                batch, to: dataset, upserts: upserts, deletes: Array(deleteKeys).sorted(),
                audit: AuditRecord(
                    actor: actor, action: "dataset.report", objectType: "dataset", objectId: dataset.id,
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
            throw DomainError.conflict(
                code: "batch_id_reused", zh: "批次号 \(clientBatchId) 已用于内容不同的另一批数据",
                en: "Batch id \(clientBatchId) was already used for a batch with different content")
        }
        return ReportOutcome(batch: previous, problems: previous.problems, replayed: true)
    }

    /// `key` nil: the key is stored encrypted and is not repeated in the problem (which is kept with the batch).
    static func duplicateKey(_ key: String?, row: Int, dataset: Dataset, zh: String, en: String) -> RowProblem {
        RowProblem(
            row: row, item: dataset.keyColumn.itemCode, rule: "duplicate_key",
            message: LocalizedText(zh: "主键\(key.map { "「\($0)」" } ?? "")\(zh)", en: "Primary key\(key.map { " '\($0)'" } ?? "") \(en)"))
    }

    /// Keys to delete as the rows store them (a numeric key `0012` is stored as `12`), so a delete matches its row;
    /// a numeric key that is no number is refused rather than silently matching nothing.
    static func normalisedKeys(_ deletes: [String], dataset: Dataset) throws -> Set<String> {
        var keys = Set<String>()
        var problems: [RowProblem] = []
        for raw in deletes {
            switch normalisedKey(raw, dataset: dataset) {
            case .key(let key): keys.insert(key)
            case .problem(let problem): problems.append(problem)
            }
        }
        if !problems.isEmpty { throw rejected(problems) }
        return keys
    }

    enum KeyToDelete { case key(String), problem(RowProblem) }

    static func normalisedKey(_ raw: String, dataset: Dataset) -> KeyToDelete {
        let key = dataset.keyColumn
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            return .problem(
                RowProblem(
                    row: 0, item: key.itemCode, rule: "required",
                    message: LocalizedText(zh: "要删除的主键不能为空", en: "A key to delete cannot be empty")))
        }
        guard key.isNumeric else { return .key(text) }
        switch RowValidator.convert(text, for: key) {
        case .success(let cell): return .key(cell.text ?? text)
        case .failure(let p): return .problem(RowProblem(row: 0, item: key.itemCode, rule: p.rule, message: p.message))
        }
    }

    /// Reports a CSV file already in memory (an upload, or a file decoded from GB18030 or XLSX): streamed like a file.
    public func importCSV(
        _ text: String, dataset: Dataset, mode: ReportBatch.Mode, batchId: String?, source: ReportBatch.Source,
        by actor: Principal, origin: RequestOrigin,
        progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ReportOutcome {
        try await importCSV(
            stream: DataImportStream(Data(text.utf8)), dataset: dataset, mode: mode, batchId: batchId, source: source,
            by: actor, origin: origin, progress: progress)
    }

    /// `rows`: how many rows are wrong when `problems` lists only the first of them.
    static func rejected(_ problems: [RowProblem], rows: Int? = nil) -> DomainError {
        let shown = problems.prefix(1000)
        let count = rows ?? Set(problems.map(\.row)).count
        return DomainError(
            .invalid, code: "batch_rejected",
            message: LocalizedText(
                zh: "批次未导入：\(count) 行有误，所有数据均未写入",
                en: "Batch refused: \(count) rows have errors; nothing was written"),
            problems: shown.map {
                FieldProblem(field: "row \($0.row)" + ($0.item.map { ".\($0)" } ?? ""), rule: $0.rule, message: $0.message)
            })
    }
}

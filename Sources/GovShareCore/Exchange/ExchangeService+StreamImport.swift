import Foundation

/// Reporting a CSV file as it streams (issue 19): records are read, validated and staged a chunk at a time inside
/// one transaction, so memory stays flat whatever the file's size. The rules are those of `report` — the header
/// checked first, a `_delete` column, one row per key and batch, all-or-nothing or row by row, the quality counters,
/// one answer per client batch id — only the duplicate-key check runs in the database over the staged rows.
extension ExchangeService {
    public func importCSV(
        stream: any ImportByteStream, dataset: Dataset, mode: ReportBatch.Mode, batchId clientBatchId: String?,
        source: ReportBatch.Source, by actor: Principal, origin: RequestOrigin,
        progress: (@Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ReportOutcome {
        try Policy.reportData.check(actor)
        let dataset = try await self.dataset(code: dataset.entryId)
        try requireProvider(actor, providerId: dataset.providerId)
        let pass = StreamedCSVPass(
            dataset: dataset, today: today, digest: datasets.contentDigest(mode: mode), stream: stream, progress: progress)
        if let clientBatchId, try await datasets.batch(datasetId: dataset.id, clientBatchId: clientBatchId) != nil {
            // Seen before: read the file only to compare its digest with the earlier batch's.
            try await pass.run(into: nil)
            if let outcome = try await replay(of: clientBatchId, dataset: dataset, digest: pass.finalDigest) { return outcome }
        }
        let batchId = Identifier.make(at: clock.now()), createdAt = now
        do {
            try await datasets.applyStreamed(to: dataset, batchId: batchId, createdAt: createdAt) { sink in
                try await pass.run(into: sink)
            } finish: { conflicts in
                pass.add(conflicts)
                pass.tallied = true
                if mode == .allOrNothing, pass.rejectedRows > 0 { throw Self.rejected(pass.shownProblems, rows: pass.rejectedRows) }
                progress?("writing", 0, 1)
                var batch = ReportBatch(
                    id: batchId, datasetId: dataset.id, clientBatchId: clientBatchId, source: source, mode: mode,
                    received: pass.received, accepted: pass.received - pass.rejectedRows, rejected: pass.rejectedRows,
                    deleted: pass.deleteKeys.count, createdBy: actor.id, departmentId: actor.departmentId, createdAt: createdAt)
                batch.contentDigest = pass.finalDigest
                batch.problems = pass.shownProblems
                pass.batch = batch
                return (
                    batch,
                    AuditRecord(
                        actor: actor, action: "dataset.report", objectType: "dataset", objectId: dataset.id,
                        after: AuditJSON.encode(batch), origin: origin)
                )
            }
        } catch {
            if pass.tallied { try await recordQuality(pass, dataset: dataset) }
            // The same batch sent twice at once: the second meets the first's unique batch id and answers as a replay.
            if clientBatchId != nil, pass.tallied,
                let outcome = try? await replay(of: clientBatchId, dataset: dataset, digest: pass.finalDigest)
            {
                return outcome
            }
            throw error
        }
        try await recordQuality(pass, dataset: dataset)
        progress?("writing", 1, 1)
        guard let batch = pass.batch else {
            throw DomainError(
                .unavailable, code: "batch_not_recorded", message: LocalizedText(zh: "批次未记录", en: "The batch was not recorded"))
        }
        return ReportOutcome(batch: batch, problems: pass.shownProblems, replayed: false)
    }

    /// Quality counters count every check, whether or not the batch lands (they feed supervision, Art. 22).
    private func recordQuality(_ pass: StreamedCSVPass, dataset: Dataset) async throws {
        try await datasets.recordQuality(datasetId: dataset.id, checked: pass.received, failed: pass.rejectedRows, byRule: pass.byRule)
    }
}

/// One reading of a streamed CSV file: header, rows, deletes, the tallies and the digest. Used by one task at a time
/// (the import's), hence `@unchecked Sendable`.
final class StreamedCSVPass: @unchecked Sendable {
    /// A column that marks a row's key for deletion: 1/true/是/yes deletes, 0/false/否/no or empty keeps the row,
    /// anything else is reported, not guessed.
    static let deleteColumn = "_delete"
    static let rowsPerHandOver = 1000
    static let problemsKept = 1000

    let dataset: Dataset
    let validator: RowValidator
    let digest: any BatchContentDigest
    let stream: any ImportByteStream
    let progress: (@Sendable (String, Int, Int) -> Void)?

    private var header: [String] = []
    private var cells: [(index: Int?, name: String, position: Int)] = []
    private var digestOrder: [(name: String, position: Int)] = []
    private var deleteIndex: Int?
    private var keyIndex: Int?
    private var recordIndex = 0
    private var pendingRows: [(number: Int, row: ValidRow)] = []
    private var pendingDeletes: [(number: Int, key: String)] = []
    private var rawDeletes: [String] = []
    private var deleteProblems: [RowProblem] = []

    private(set) var received = 0
    private(set) var rejectedRows = 0
    private(set) var byRule: [String: Int] = [:]
    private var problems: [RowProblem] = []
    private(set) var deleteKeys = Set<String>()
    private(set) var finalDigest = ""
    var tallied = false
    var batch: ReportBatch?

    init(
        dataset: Dataset, today: String, digest: any BatchContentDigest, stream: any ImportByteStream,
        progress: (@Sendable (String, Int, Int) -> Void)?
    ) {
        self.dataset = dataset
        self.validator = RowValidator(dataset: dataset, today: today)
        self.digest = digest
        self.stream = stream
        self.progress = progress
    }

    /// The first problems by row, as kept with the batch and shown to the caller.
    var shownProblems: [RowProblem] { Array(problems.sorted { $0.row < $1.row }.prefix(Self.problemsKept)) }

    /// Reads the whole stream; with a sink, validates and hands rows over (and refuses a bad header or file), without
    /// one only takes the digest.
    func run(into sink: (any ReportRowSink)?) async throws {
        var reader = CSVRecordReader()
        while let chunk = try await stream.next() {
            try reader.feed(chunk) { record in try take(record, validating: sink != nil) }
            try await handOver(to: sink, all: false)
            let position = stream.position
            progress?("reading", position.read, position.total ?? position.read)
        }
        try reader.finish { record in try take(record, validating: sink != nil) }
        try await handOver(to: sink, all: true)
        finalDigest = digest.finish(deletes: rawDeletes)
        guard sink != nil else { return }
        if let record = reader.unclosedQuoteAt {
            throw ExchangeService.rejected([
                RowProblem(
                    row: record + 1, item: nil, rule: "csv_quote",
                    message: LocalizedText(
                        zh: "第 \(record + 1) 条记录的引号没有闭合，其后的内容都被读进了同一个字段",
                        en: "A quote opened in record \(record + 1) is never closed; everything after it fell into one field"))
            ])
        }
        if recordIndex == 0 { try checkHeader() }  // an empty file: no header, so no primary key
        if !deleteProblems.isEmpty { throw ExchangeService.rejected(deleteProblems) }
    }

    /// Adds the database's duplicate-key findings to the tallies.
    func add(_ conflicts: StagedConflicts) {
        rejectedRows += conflicts.total
        if conflicts.total > 0 { byRule["duplicate_key", default: 0] += conflicts.total }
        for c in conflicts.first {
            // Kept whatever the cap: at most 1,000, and they may come before rows kept earlier.
            problems.append(
                c.firstRow.map {
                    ExchangeService.duplicateKey(
                        c.key, row: c.row, dataset: dataset, zh: "已在第 \($0) 行出现", en: "already appears in row \($0)")
                } ?? ExchangeService.duplicateKey(c.key, row: c.row, dataset: dataset, zh: "在本批中同时被删除", en: "is also deleted in this batch")
            )
        }
    }

    private func keep(_ problem: RowProblem) {
        if problems.count < Self.problemsKept * 2 { problems.append(problem) }
    }

    private func checkHeader() throws {
        let problems = validator.checkHeader(header)
        if !problems.isEmpty { throw ExchangeService.rejected(problems) }
    }

    private func take(_ record: [String], validating: Bool) throws {
        defer { recordIndex += 1 }
        if recordIndex == 0 {
            let trimmed = record.map { $0.trimmingCharacters(in: .whitespaces) }
            let key = dataset.keyColumn
            deleteIndex = trimmed.firstIndex(of: Self.deleteColumn)
            keyIndex = trimmed.firstIndex { $0 == key.itemCode || $0 == key.itemName }
            header = trimmed.filter { $0 != Self.deleteColumn }
            cells = trimmed.enumerated().filter { $0.offset != deleteIndex }.map {
                (validator.columnIndex(for: $0.element), $0.element, $0.offset)
            }
            digestOrder = cells.map { ($0.name, $0.position) }.sorted { $0.name < $1.name }
            if validating { try checkHeader() }
            return
        }
        if record.allSatisfy({ $0.trimmedSpaces.isEmpty }) { return }
        let number = recordIndex + 1
        if let deleteIndex, deleteIndex < record.count {
            switch record[deleteIndex].trimmedSpaces.lowercased() {
            case "1", "true", "是", "yes", "y":
                if let keyIndex, keyIndex < record.count {
                    deleteRow(record[keyIndex].trimmedSpaces, number: number)
                    return
                }
            case "", "0", "false", "否", "no", "n": break
            case let other:
                received += 1
                reject([
                    RowProblem(
                        row: number, item: Self.deleteColumn, rule: "boolean",
                        message: LocalizedText(
                            zh: "_delete 应为 1/是（删除）或 0/否，而不是「\(other)」", en: "_delete must be 1/yes (delete) or 0/no, not '\(other)'"))
                ])
                return
            }
        }
        received += 1
        digest.add(row: number, values: digestOrder.map { ($0.name, $0.position < record.count ? record[$0.position] : nil) })
        guard validating else { return }
        let row = cells.map { (index: $0.index, name: $0.name, value: $0.position < record.count ? record[$0.position] : nil) }
        switch validator.validate(cells: row, row: number) {
        case .valid(let valid): pendingRows.append((number, valid))
        case .invalid(let problems): reject(problems)
        }
    }

    private func reject(_ rowProblems: [RowProblem]) {
        rejectedRows += 1
        for p in rowProblems {
            byRule[p.rule, default: 0] += 1
            keep(p)
        }
    }

    /// A key to delete, normalised as the rows store it (see `ExchangeService.normalisedKeys`).
    private func deleteRow(_ raw: String, number: Int) {
        rawDeletes.append(raw)
        switch ExchangeService.normalisedKey(raw, dataset: dataset) {
        case .key(let key): if deleteKeys.insert(key).inserted { pendingDeletes.append((number, key)) }
        case .problem(let problem): deleteProblems.append(problem)
        }
    }

    private func handOver(to sink: (any ReportRowSink)?, all: Bool) async throws {
        guard let sink else { pendingRows.removeAll(); pendingDeletes.removeAll(); return }
        if !pendingDeletes.isEmpty, all || pendingDeletes.count >= Self.rowsPerHandOver {
            try await sink.delete(pendingDeletes)
            pendingDeletes.removeAll(keepingCapacity: true)
        }
        if !pendingRows.isEmpty, all || pendingRows.count >= Self.rowsPerHandOver {
            try await sink.upsert(pendingRows)
            pendingRows.removeAll(keepingCapacity: true)
        }
    }
}

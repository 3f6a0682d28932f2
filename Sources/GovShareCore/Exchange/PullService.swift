import Foundation

/// Runs scheduled pulls. Rows are read in (watermark, key) order, so rows sharing a watermark are never skipped
/// however many there are; each chunk is reported as its own batch with the id `pull-<source>-<watermark>-<key>` of
/// its last row, and that position is recorded after the batch commits: a crash between the two replays the chunk next
/// time, which the batch id turns into a no-op, so a pull resumes where it stopped and never applies a chunk twice.
/// The watermark column must grow for new and changed rows (a sequence or a write timestamp), as with any incremental
/// pull: a row written later with a smaller (watermark, key) than the position is not seen.
public struct PullService: Sendable {
    let sources: any PullSourceRepository
    let reader: any SourceReader
    let exchange: ExchangeService
    let datasets: any DatasetRepository
    let clock: any WallClock
    let nodeId: String
    public let chunkSize: Int
    /// Judges the source's host at registration; the reader checks it again, resolved, before each connection.
    let outbound: OutboundPolicy

    public init(
        sources: any PullSourceRepository, reader: any SourceReader, exchange: ExchangeService, datasets: any DatasetRepository,
        clock: any WallClock, nodeId: String, chunkSize: Int = 5_000, outbound: OutboundPolicy = OutboundPolicy()
    ) {
        self.sources = sources; self.reader = reader; self.exchange = exchange; self.datasets = datasets; self.clock = clock
        self.nodeId = nodeId; self.chunkSize = chunkSize; self.outbound = outbound
    }

    public func register(
        code: String, connectionURL: String?, table: String?, watermarkColumn: String?, columnMap: [String: String]?,
        intervalMinutes: Int?, by actor: Principal, origin: RequestOrigin
    ) async throws -> PullSource {
        try Policy.reportData.check(actor)
        let dataset = try await exchange.dataset(code: code)
        try exchange.requireProvider(actor, providerId: dataset.providerId)
        var v = Validator()
        let url = connectionURL ?? ""
        if !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) || URLComponents(string: url)?.host == nil {
            v.fail(
                "connection_url", "postgres_url", zh: "connection_url 应为 postgres://用户:密码@主机:端口/数据库",
                en: "connection_url must be postgres://user:password@host:port/database")
        } else if let host = URLComponents(string: url)?.host, let refusal = outbound.refusal(host: host) {
            v.fail("connection_url", "outbound_address", zh: refusal.zh, en: refusal.en)
        } else if let names = URLComponents(string: url)?.queryItems?.map(\.name), !Set(names).isSubset(of: ["sslmode", "tlsmode"]) {
            // Options such as host= would name another server than the one checked here.
            v.fail("connection_url", "url_options", zh: "connection_url 只能带 sslmode 参数", en: "connection_url takes no options but sslmode")
        }
        for (field, value) in [("table", table), ("watermark_column", watermarkColumn)] where !PullSource.isIdentifier(value ?? "") {
            v.fail(
                field, "identifier", zh: "\(field) 应为数据库标识符（字母、数字、下划线，可带模式名）",
                en: "\(field) must be a database identifier (letters, digits, underscores; schema.table allowed)")
        }
        let map = columnMap ?? Dictionary(uniqueKeysWithValues: dataset.columns.map { ($0.itemCode, $0.itemCode.lowercased()) })
        for (item, column) in map {
            if dataset.column(item: item) == nil {
                v.fail("column_map.\(item)", "unknown_item", zh: "「\(item)」不是该资源的信息项", en: "'\(item)' is not a data item of this resource")
            }
            if !PullSource.isIdentifier(column) || column.contains(".") {
                v.fail("column_map.\(item)", "identifier", zh: "源列名应为数据库标识符", en: "The source column must be a database identifier")
            }
        }
        if map[dataset.primaryKey] == nil {
            v.fail(
                "column_map", "primary_key_required", zh: "须映射主键信息项 \(dataset.primaryKey)",
                en: "The primary key item \(dataset.primaryKey) must be mapped")
        }
        let minutes = intervalMinutes ?? 60
        if !(1...10_080).contains(minutes) {
            v.fail("interval_minutes", "range", zh: "interval_minutes 应在 1–10080 之间", en: "interval_minutes is 1 to 10080")
        }
        try v.check()
        let source = PullSource(
            id: Identifier.make(at: clock.now()), datasetId: dataset.id, connectionURL: url, sourceTable: table!,
            watermarkColumn: watermarkColumn!, columnMap: map, intervalSeconds: minutes * 60, lastWatermark: nil,
            lastRunAt: nil, lastError: nil, rowsPulled: 0, enabled: true, createdBy: actor.id,
            createdAt: Timestamp.format(clock.now()), nodeId: nodeId)
        var shown = source
        shown.connectionURL = "postgres://…@\(source.host)"
        try await sources.insert(
            source,
            audit: AuditRecord(
                actor: actor, action: "pull_source.create", objectType: "pull_source",
                objectId: source.id, after: AuditJSON.encode(shown), origin: origin))
        return source
    }

    /// A dataset's pull sources: for its provider's reporting staff and platform administrators (the connection URL is
    /// never shown, only its host: `PullSource.host`).
    public func sources(code: String, by actor: Principal) async throws -> [PullSource] {
        try Policy.reportData.check(actor)
        let dataset = try await exchange.dataset(code: code)
        guard actor.departmentId == dataset.providerId || actor.roles.contains(.platformAdmin) else {
            throw DomainError.forbidden(policy: Policy.reportData)
        }
        return try await sources.list(datasetId: dataset.id)
    }

    /// Pulls everything new from one source, chunk by chunk. Stops at the first failure, which is recorded on the source.
    public func run(sourceId: String, by actor: Principal, origin: RequestOrigin) async throws -> PullSource {
        guard var source = try await sources.find(id: sourceId) else { throw DomainError.notFound("Pull source", zh: "数据拉取源") }
        guard let dataset = try await datasets.list().first(where: { $0.id == source.datasetId }) else {
            throw DomainError.notFound("Dataset", zh: "数据集")
        }
        try exchange.requireProvider(actor, providerId: dataset.providerId)
        guard let keyColumn = source.columnMap[dataset.primaryKey] else {
            throw DomainError.invalid(
                field: "column_map", rule: "primary_key_required", zh: "须映射主键信息项 \(dataset.primaryKey)",
                en: "The primary key item \(dataset.primaryKey) must be mapped")
        }
        var cursor = source.lastWatermark.map { PullCursor(watermark: $0, key: source.lastKey) }
        var rejected: [RowProblem] = []
        var rejectedRows = Set<String>()
        do {
            while true {
                let rows = try await reader.fetch(source, keyColumn: keyColumn, after: cursor, limit: chunkSize)
                guard let last = rows.last else { break }
                let numbered = rows.enumerated().map { (row: $0.offset + 1, values: $0.element.values) }
                let outcome: ExchangeService.ReportOutcome?
                do {
                    outcome = try await exchange.report(
                        code: dataset.entryId, rows: numbered, deletes: [], mode: .rowByRow,
                        clientBatchId: "pull-\(source.id)-\(last.watermark)-\(last.key)", source: .api,
                        by: actor, origin: origin)
                } catch let error as DomainError where error.code == "batch_id_reused" {
                    // A chunk ending at this position was applied before (the stored position fell behind: a crash
                    // between a chunk and its position, with the chunk size or rows changed since): the position was
                    // reached all the same; rows changed without their watermark moving are not pulled again.
                    outcome = nil
                }
                // Problems name source rows by watermark and key: chunk row numbers mean nothing to the department.
                rejected += (outcome?.problems ?? []).map { p in
                    let row = rows[p.row - 1]
                    rejectedRows.insert("\(row.watermark)\u{1F}\(row.key)")
                    return RowProblem(
                        row: p.row, item: p.item, rule: p.rule,
                        message: LocalizedText(
                            zh: "源行（水位 \(row.watermark)，主键 \(row.key)）：\(p.message.zh)",
                            en: "Source row (watermark \(row.watermark), key \(row.key)): \(p.message.en)"))
                }
                cursor = PullCursor(watermark: last.watermark, key: last.key)
                try await sources.recordRun(
                    id: source.id, cursor: cursor, at: Timestamp.format(clock.now()), error: nil,
                    rows: outcome.map { $0.replayed ? 0 : $0.batch.accepted } ?? 0)
                if rows.count < chunkSize { break }
            }
            try await sources.recordRun(
                id: source.id, cursor: cursor, at: Timestamp.format(clock.now()),
                error: try await warning(source, rejectedRows: rejectedRows.count, first: rejected.prefix(3)), rows: 0)
        } catch {
            // The reader reports every failure to read the source as `PullSource.unreachable`; anything else that is
            // not a domain error is not described either (a driver's text could name the host or quote a value).
            let message = (error as? DomainError)?.message.en ?? PullSource.unreachable.message.en
            try await sources.recordRun(
                id: source.id, cursor: cursor, at: Timestamp.format(clock.now()),
                error: String(message.prefix(500)), rows: 0)
        }
        return try await sources.find(id: source.id) ?? source
    }

    /// What the department must fix at the source: rows the platform rejected (they are pulled again only when their
    /// watermark moves) and rows without a watermark (never pulled). Nil when there is nothing.
    func warning(_ source: PullSource, rejectedRows: Int, first: ArraySlice<RowProblem>) async throws -> String? {
        var parts: [String] = []
        if rejectedRows > 0 {
            parts.append(
                "\(rejectedRows) source rows rejected; first: "
                    + first.map { "\($0.message.en) [\($0.rule)]" }.joined(separator: "; "))
        }
        let unmarked = try await reader.countWithoutWatermark(source)
        if unmarked > 0 { parts.append("\(unmarked) source rows have no \(source.watermarkColumn) and are not pulled") }
        return parts.isEmpty ? nil : String(parts.joined(separator: " | ").prefix(500))
    }

    /// Sources whose interval has passed since their last run.
    public func due() async throws -> [PullSource] {
        let now = clock.now()
        return try await sources.list(datasetId: nil).filter { s in
            guard s.enabled else { return false }
            guard let last = s.lastRunAt.flatMap(Timestamp.parse) else { return true }
            return now.timeIntervalSince(last) >= Double(s.intervalSeconds)
        }
    }
}

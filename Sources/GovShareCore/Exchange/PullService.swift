import Foundation

/// Runs scheduled pulls. Each chunk is reported as its own batch with the id `pull-<source>-<watermark>`, and the
/// watermark is recorded after the batch commits; a crash between the two replays the chunk next time, which the
/// batch id turns into a no-op, so a pull resumes where it stopped and never applies a chunk twice.
public struct PullService: Sendable {
    let sources: any PullSourceRepository
    let reader: any SourceReader
    let exchange: ExchangeService
    let datasets: any DatasetRepository
    let clock: any WallClock
    let nodeId: String
    public let chunkSize: Int

    public init(sources: any PullSourceRepository, reader: any SourceReader, exchange: ExchangeService, datasets: any DatasetRepository,
                clock: any WallClock, nodeId: String, chunkSize: Int = 5_000) {
        self.sources = sources; self.reader = reader; self.exchange = exchange; self.datasets = datasets; self.clock = clock
        self.nodeId = nodeId; self.chunkSize = chunkSize
    }

    public func register(code: String, connectionURL: String?, table: String?, watermarkColumn: String?, columnMap: [String: String]?,
                         intervalMinutes: Int?, by actor: Principal, origin: RequestOrigin) async throws -> PullSource {
        try Policy.reportData.check(actor)
        let dataset = try await exchange.dataset(code: code)
        try exchange.requireProvider(actor, providerId: dataset.providerId)
        var v = Validator()
        let url = connectionURL ?? ""
        if !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) || URLComponents(string: url)?.host == nil {
            v.fail("connection_url", "postgres_url", zh: "connection_url 应为 postgres://用户:密码@主机:端口/数据库",
                   en: "connection_url must be postgres://user:password@host:port/database")
        }
        for (field, value) in [("table", table), ("watermark_column", watermarkColumn)] where !PullSource.isIdentifier(value ?? "") {
            v.fail(field, "identifier", zh: "\(field) 应为数据库标识符（字母、数字、下划线，可带模式名）",
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
            v.fail("column_map", "primary_key_required", zh: "须映射主键信息项 \(dataset.primaryKey)", en: "The primary key item \(dataset.primaryKey) must be mapped")
        }
        let minutes = intervalMinutes ?? 60
        if !(1...10_080).contains(minutes) { v.fail("interval_minutes", "range", zh: "interval_minutes 应在 1–10080 之间", en: "interval_minutes is 1 to 10080") }
        try v.check()
        let source = PullSource(id: Identifier.make(at: clock.now()), datasetId: dataset.id, connectionURL: url, sourceTable: table!,
                                watermarkColumn: watermarkColumn!, columnMap: map, intervalSeconds: minutes * 60, lastWatermark: nil,
                                lastRunAt: nil, lastError: nil, rowsPulled: 0, enabled: true, createdBy: actor.id,
                                createdAt: Timestamp.format(clock.now()), nodeId: nodeId)
        var shown = source
        shown.connectionURL = "postgres://…@\(source.host)"
        try await sources.insert(source, audit: AuditRecord(actor: actor, action: "pull_source.create", objectType: "pull_source",
                                                            objectId: source.id, after: AuditJSON.encode(shown), origin: origin))
        return source
    }

    /// Pulls everything new from one source, chunk by chunk. Stops at the first failure, which is recorded on the source.
    public func run(sourceId: String, by actor: Principal, origin: RequestOrigin) async throws -> PullSource {
        guard var source = try await sources.find(id: sourceId) else { throw DomainError.notFound("Pull source", zh: "数据拉取源") }
        guard let dataset = try await datasets.list().first(where: { $0.id == source.datasetId }) else {
            throw DomainError.notFound("Dataset", zh: "数据集")
        }
        try exchange.requireProvider(actor, providerId: dataset.providerId)
        var pulled = 0
        do {
            while true {
                var rows = try await reader.fetch(source, after: source.lastWatermark, limit: chunkSize)
                if rows.isEmpty { break }
                let full = rows.count == chunkSize
                // A full chunk may end inside a run of equal watermarks: leave that run for the next chunk.
                if full, let last = rows.last?.watermark, rows.first?.watermark != last {
                    rows.removeAll { $0.watermark == last }
                }
                let watermark = rows.last!.watermark
                let numbered = rows.enumerated().map { (row: $0.offset + 1, values: $0.element.values) }
                let outcome = try await exchange.report(code: dataset.entryId, rows: numbered, deletes: [], mode: .rowByRow,
                                                        clientBatchId: "pull-\(source.id)-\(watermark)", source: .api, by: actor, origin: origin)
                pulled += outcome.replayed ? 0 : outcome.batch.accepted
                source.lastWatermark = watermark
                try await sources.recordRun(id: source.id, watermark: watermark, at: Timestamp.format(clock.now()), error: nil,
                                            rows: outcome.replayed ? 0 : outcome.batch.accepted)
                if !full { break }
            }
            try await sources.recordRun(id: source.id, watermark: source.lastWatermark, at: Timestamp.format(clock.now()), error: nil, rows: 0)
        } catch {
            let message = (error as? DomainError)?.message.en ?? String(describing: error)
            try await sources.recordRun(id: source.id, watermark: source.lastWatermark, at: Timestamp.format(clock.now()),
                                        error: String(message.prefix(500)), rows: 0)
        }
        return try await sources.find(id: source.id) ?? source
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

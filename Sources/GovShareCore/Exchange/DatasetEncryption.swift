import Foundation

/// A background re-encryption of one dataset (Art. 27–28): walks the table in key order in small transactions, each
/// committing the rows it converted together with `cursor` (the last stored key done), so a job killed at any point
/// resumes after the last committed batch and no row is ever half-written.
public struct ReencryptionJob: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case running, done }
    public enum Reason: String, Sendable, Codable {
        /// Rows mounted before encryption at rest still hold clear graded values.
        case initial
        /// A new data key was made (`--new-key`): every row moves to it.
        case newKey = "new_key"
    }
    public let id: String
    public let datasetId: String
    public let targetVersion: Int
    public var cursor: String?
    public var rowsDone: Int
    public var rowsTotal: Int
    public var state: State
    public let reason: Reason
    public let createdBy: String
    public let createdAt: String
    public var updatedAt: String
    public var finishedAt: String?
    public let nodeId: String
    public init(
        id: String, datasetId: String, targetVersion: Int, cursor: String?, rowsDone: Int, rowsTotal: Int, state: State,
        reason: Reason, createdBy: String, createdAt: String, updatedAt: String, finishedAt: String?, nodeId: String
    ) {
        self.id = id; self.datasetId = datasetId; self.targetVersion = targetVersion; self.cursor = cursor
        self.rowsDone = rowsDone; self.rowsTotal = rowsTotal; self.state = state; self.reason = reason
        self.createdBy = createdBy; self.createdAt = createdAt; self.updatedAt = updatedAt; self.finishedAt = finishedAt
        self.nodeId = nodeId
    }

    /// Cursors are stored keys (a blind index for an encrypted key): not shown, so the record says nothing about rows.
    enum CodingKeys: String, CodingKey {
        case id, datasetId, targetVersion, rowsDone, rowsTotal, state, reason, createdBy, createdAt, updatedAt, finishedAt, nodeId
    }
}

/// What the operator sees of a dataset's encryption.
public struct DatasetEncryptionStatus: Sendable {
    public let dataset: Dataset
    public let keyVersions: [DatasetKeyRecord]
    public let jobs: [ReencryptionJob]
}

public protocol DatasetEncryptionRepository: Sendable {
    func keyRecords(datasetId: String) async throws -> [DatasetKeyRecord]
    func jobs(datasetId: String, limit: Int) async throws -> [ReencryptionJob]
    func job(id: String) async throws -> ReencryptionJob?
    func runningJobs() async throws -> [ReencryptionJob]
    /// Datasets with no key yet (mounted before encryption at rest).
    func datasetsWithoutKeys() async throws -> [Dataset]
    /// In one transaction: stores the new key version (older ones become `previous`), gives newly encrypted columns
    /// their blind index (and text type), marks the dataset pending when clear values remain, opens the job and
    /// appends the audit entry. 409 `reencryption_running` if the dataset already has a running job.
    func begin(_ dataset: Dataset, key: DatasetKeyRecord, job: ReencryptionJob, audit: AuditRecord) async throws
    /// Converts up to `limit` rows after the job's cursor and commits them with the new cursor; when none are left,
    /// marks the job done (appending `finished`) and the dataset no longer pending. Returns the job as committed.
    func step(jobId: String, limit: Int, finished: AuditRecord) async throws -> ReencryptionJob
}

/// Starts and runs re-encryption jobs and reports their progress.
public struct DatasetEncryptionService: Sendable {
    let repository: any DatasetEncryptionRepository
    let exchange: ExchangeService
    let keyring: DatasetKeyring
    let clock: any WallClock
    let nodeId: String
    let batchRows: Int

    public init(
        repository: any DatasetEncryptionRepository, exchange: ExchangeService, keyring: DatasetKeyring, clock: any WallClock,
        nodeId: String, batchRows: Int
    ) {
        self.repository = repository; self.exchange = exchange; self.keyring = keyring; self.clock = clock
        self.nodeId = nodeId; self.batchRows = batchRows
    }

    public func status(code: String, by actor: Principal) async throws -> DatasetEncryptionStatus {
        try Policy.manageEncryption.check(actor)
        let dataset = try await exchange.dataset(code: code)
        return DatasetEncryptionStatus(
            dataset: dataset, keyVersions: try await repository.keyRecords(datasetId: dataset.id),
            jobs: try await repository.jobs(datasetId: dataset.id, limit: 20))
    }

    /// Opens a re-encryption of the dataset: with `newKey` under a fresh data key (the index key is kept, so exact
    /// matches keep working while it runs), otherwise only if rows with clear graded values remain. The columns
    /// encrypted are those graded now plus those encrypted before (a column never goes back to clear).
    public func start(code: String, newKey: Bool, by actor: Principal, origin: RequestOrigin) async throws -> ReencryptionJob {
        try Policy.manageEncryption.check(actor)
        let dataset = try await exchange.dataset(code: code)
        let records = try await repository.keyRecords(datasetId: dataset.id)
        if !records.isEmpty && !newKey {
            if let running = try await repository.jobs(datasetId: dataset.id, limit: 1).first, running.state == .running { return running }
            throw DomainError.conflict(
                code: "already_encrypted", zh: "数据集已加密；如需更换数据密钥请使用 new_key",
                en: "The dataset is already encrypted; to move it to a new data key, ask for new_key")
        }
        return try await begin(dataset, records: records, by: actor, origin: origin)
    }

    public func mayManage(_ actor: Principal) -> Bool { Policy.manageEncryption.allows(actor) }

    /// Every dataset's encryption (the operators' backups page): items, key versions and latest jobs.
    public func overview(by actor: Principal) async throws -> [DatasetEncryptionStatus] {
        try Policy.manageEncryption.check(actor)
        var out: [DatasetEncryptionStatus] = []
        for dataset in try await exchange.list(staleOnly: false) {
            out.append(
                DatasetEncryptionStatus(
                    dataset: dataset, keyVersions: try await repository.keyRecords(datasetId: dataset.id),
                    jobs: try await repository.jobs(datasetId: dataset.id, limit: 1)))
        }
        return out
    }

    /// The dataset's running job, if any: `govshare keys reencrypt` resumes it after a kill instead of starting another.
    public func running(code: String, by actor: Principal) async throws -> ReencryptionJob? {
        try Policy.manageEncryption.check(actor)
        let dataset = try await exchange.dataset(code: code)
        return try await repository.jobs(datasetId: dataset.id, limit: 20).first { $0.state == .running }
    }

    /// At server start: every dataset mounted before encryption at rest gets its key and a job, and every dataset
    /// whose key readers may see masked but whose key version stores it in clear (mounted before the key was always
    /// encrypted, see `DatasetKeyring.gradedColumns`) gets a new key version that stores it as its blind index.
    public func startNeeded(origin: RequestOrigin) async throws -> [ReencryptionJob] {
        var started: [ReencryptionJob] = []
        for dataset in try await repository.datasetsWithoutKeys() {
            started.append(try await begin(dataset, records: [], by: .system("encryption"), origin: origin))
        }
        for dataset in try await exchange.list(staleOnly: false)
        where keyring.gradedColumns(of: dataset).contains(dataset.keyColumn.column) {
            let records = try await repository.keyRecords(datasetId: dataset.id)
            guard let latest = records.max(by: { $0.version < $1.version }), !latest.columns.contains(dataset.keyColumn.column),
                try await !repository.jobs(datasetId: dataset.id, limit: 20).contains(where: { $0.state == .running })
            else { continue }
            started.append(try await begin(dataset, records: records, by: .system("encryption"), origin: origin))
        }
        return started
    }

    /// Runs one job to the end (the CLI), telling `progress` after each committed batch.
    public func run(jobId: String, by actor: Principal, progress: @Sendable (ReencryptionJob) -> Void) async throws
        -> ReencryptionJob
    {
        try Policy.manageEncryption.check(actor)
        guard var job = try await repository.job(id: jobId) else {
            throw DomainError.notFound("Re-encryption \(jobId)", zh: "重新加密任务 \(jobId)")
        }
        while job.state == .running {
            job = try await repository.step(jobId: job.id, limit: batchRows, finished: finishedAudit(job))
            progress(job)
        }
        return job
    }

    /// Runs the open jobs for about `seconds` (the scheduler), at most `maxBatches` batches each; returns the jobs as
    /// left.
    public func runOpen(seconds: Double, maxBatches: Int = .max) async throws -> [ReencryptionJob] {
        let until = clock.now().addingTimeInterval(seconds)
        var left: [ReencryptionJob] = []
        for var job in try await repository.runningJobs() {
            var batches = 0
            while job.state == .running, clock.now() < until, batches < maxBatches {
                job = try await repository.step(jobId: job.id, limit: batchRows, finished: finishedAudit(job))
                batches += 1
            }
            left.append(job)
        }
        return left
    }

    private func begin(_ dataset: Dataset, records: [DatasetKeyRecord], by actor: Principal, origin: RequestOrigin) async throws
        -> ReencryptionJob
    {
        let now = clock.now()
        let active = records.first { $0.state == .active } ?? records.max { $0.version < $1.version }
        let columns = Set(keyring.gradedColumns(of: dataset)).union(active?.columns ?? [])
        let key = try keyring.newKey(
            datasetId: dataset.id, version: (records.map(\.version).max() ?? 0) + 1, columns: Array(columns),
            carrying: active, at: now, nodeId: nodeId)
        let job = ReencryptionJob(
            id: Identifier.make(at: now), datasetId: dataset.id, targetVersion: key.version, cursor: nil, rowsDone: 0,
            rowsTotal: dataset.rowCount, state: .running, reason: records.isEmpty ? .initial : .newKey,
            createdBy: actor.id, createdAt: Timestamp.format(now), updatedAt: Timestamp.format(now), finishedAt: nil, nodeId: nodeId)
        try await repository.begin(
            dataset, key: key, job: job,
            audit: AuditRecord(
                actor: actor, action: "dataset.reencryption.start", objectType: "dataset", objectId: dataset.id,
                after: AuditJSON.encode(
                    [
                        "job_id": job.id, "key_version": String(key.version), "kek_id": key.keyEncryptionKeyId,
                        "columns": key.columns.joined(separator: ","), "reason": job.reason.rawValue,
                    ]),
                origin: origin))
        return job
    }

    private func finishedAudit(_ job: ReencryptionJob) -> AuditRecord {
        AuditRecord(
            actor: .system("encryption"), action: "dataset.reencryption.finish", objectType: "dataset", objectId: job.datasetId,
            after: AuditJSON.encode(["job_id": job.id, "key_version": String(job.targetVersion)]),
            origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "scheduler"))
    }
}

import Foundation

/// Electronic archiving (Art. 26) and the retention cut of the audit log (Art. 28): packages of audit segments,
/// decided applications and seals issued, each signed by the data authority's data seal and registered in
/// `archives`; `docs/archiving.md`.
public struct ArchiveService: Sendable {
    let repository: any ArchiveRepository
    let seals: SealService
    let sealRepository: any SealRepository
    let applications: any ApplicationRepository
    let attachments: any AccountabilityRepository
    let letters: any OfficialDocumentRepository
    let files: any FileStore
    let hashing: any AuditHashing
    let crypto: any NationalCrypto
    let codec: any ElectronicSealCodec
    let clock: any WallClock
    let nodeId: String
    /// Where packages are written (`archive_dir`).
    public let directory: String
    /// Rule `audit_retention_days`: no entry younger is ever archived.
    public let retentionDays: Int
    /// `audit_archive_minutes`: how often the scheduler looks for entries past the retention.
    public let intervalMinutes: Int

    public enum Limits {
        /// Entries per audit-segment package (a larger backlog makes several packages).
        public static let segmentEntries = 50_000
        /// Packages one scheduled round makes at most.
        public static let segmentsPerRound = 20
        /// Entries must be older than the retention by this much too: the database's clock, which its retention
        /// triggers read, may differ slightly from the server's.
        public static let clockMarginSeconds: TimeInterval = 3_600
        public static let listLimit = 500
    }

    public init(
        repository: any ArchiveRepository, seals: SealService, sealRepository: any SealRepository, applications: any ApplicationRepository,
        attachments: any AccountabilityRepository, letters: any OfficialDocumentRepository, files: any FileStore, hashing: any AuditHashing,
        crypto: any NationalCrypto, codec: any ElectronicSealCodec, clock: any WallClock, nodeId: String, directory: String,
        retentionDays: Int, intervalMinutes: Int
    ) {
        self.repository = repository; self.seals = seals; self.sealRepository = sealRepository; self.applications = applications
        self.attachments = attachments; self.letters = letters; self.files = files; self.hashing = hashing; self.crypto = crypto
        self.codec = codec; self.clock = clock; self.nodeId = nodeId; self.directory = directory; self.retentionDays = retentionDays
        self.intervalMinutes = intervalMinutes
    }

    // MARK: - Reading

    /// The newest packages (at most `Limits.listLimit`), of one kind when `kind` is given.
    public func list(kind: String?, by actor: Principal) async throws -> [ArchiveRecord] {
        try Policy.readArchives.check(actor)
        var filter: ArchiveKind?
        if let kind, !kind.isEmpty {
            guard let parsed = ArchiveKind(rawValue: kind) else {
                throw DomainError.invalid(
                    field: "kind", rule: "enum", zh: "kind 应为 \(ArchiveKind.allowedValues) 之一",
                    en: "kind must be one of \(ArchiveKind.allowedValues)")
            }
            filter = parsed
        }
        return try await repository.list(kind: filter, limit: Limits.listLimit)
    }

    public func find(_ id: String, by actor: Principal) async throws -> ArchiveRecord {
        try Policy.readArchives.check(actor)
        guard Identifier.isValid(id), let record = try await repository.find(id: id) else {
            throw DomainError.notFound("Archive", zh: "归档包")
        }
        return record
    }

    public func segments(by actor: Principal) async throws -> [AuditSegment] {
        try Policy.readArchives.check(actor)
        return try await repository.segments()
    }

    /// Checks a registered package where it lies, as `govshare archive verify` does offline, and that its manifest
    /// still carries the Merkle root registered for it.
    public func verify(_ id: String, by actor: Principal) async throws -> ArchiveVerification {
        let record = try await find(id, by: actor)
        var report = verifier.verify(directory: URL(fileURLWithPath: record.location), pinnedRoot: try await seals.rootCertificate())
        if let manifest = report.manifest, manifest.merkleRoot != record.merkleRoot || manifest.id != record.id {
            report.fail(
                "registry_mismatch", zh: "文件包的清单与登记不符（标识或 Merkle 根不同）",
                en: "The package's manifest does not match its registration (id or Merkle root differ)")
        }
        return report
    }

    public var verifier: ArchivePackageVerifier { ArchivePackageVerifier(crypto: crypto, codec: codec, hashing: hashing) }

    // MARK: - Writing

    /// Writes, signs and verifies a package, then registers it with its audit entry.
    func make(
        kind: ArchiveKind, periodFrom: String?, periodTo: String?, by actor: Principal, origin: RequestOrigin,
        fill: (ArchivePackageBuilder) async throws -> Void
    ) async throws -> ArchiveRecord {
        let now = clock.now()
        let id = Identifier.make(at: now)
        let url = URL(fileURLWithPath: directory).appendingPathComponent("\(kind.rawValue)-\(id)")
        let builder = try ArchivePackageBuilder(directory: url, crypto: crypto)
        let made: (manifest: ArchiveManifest, manifestBytes: Data, sizeBytes: Int64)
        do {
            try await fill(builder)
            made = try await builder.finish(
                id: id, kind: kind, nodeId: nodeId, createdAt: Timestamp.format(now), createdBy: actor.name, periodFrom: periodFrom,
                periodTo: periodTo, boundary: nil, sign: { try await seals.signArchiveManifest($0, origin: origin) })
        } catch {
            builder.discard()
            throw error
        }
        let record = try registered(made, at: url, by: actor)
        try await checkWritten(record)
        try await repository.insert(record, audit: Self.audit(record, by: actor, origin: origin))
        return record
    }

    func registered(_ made: (manifest: ArchiveManifest, manifestBytes: Data, sizeBytes: Int64), at url: URL, by actor: Principal) throws
        -> ArchiveRecord
    {
        let m = made.manifest
        return ArchiveRecord(
            id: m.id, kind: m.kind, nodeId: m.nodeId, location: url.path, merkleRoot: m.merkleRoot,
            manifestSM3: Hex.encode(crypto.sm3(made.manifestBytes)), fileCount: m.files.count, sizeBytes: made.sizeBytes,
            periodFrom: m.periodFrom, periodTo: m.periodTo,
            createdAt: m.createdAt, createdBy: actor.id, createdByName: actor.name)
    }

    /// A package is registered (and an audit segment's rows deleted) only once it verifies as written.
    func checkWritten(_ record: ArchiveRecord) async throws {
        let report = verifier.verify(directory: URL(fileURLWithPath: record.location), pinnedRoot: try await seals.rootCertificate())
        guard report.ok else {
            throw DomainError(
                .unavailable, code: "archive_unverified",
                message: LocalizedText(
                    zh: "归档包写入后未通过核验，未登记：\(report.failures.map(\.message.zh).joined(separator: "；"))",
                    en:
                        "The package did not verify once written and was not registered: \(report.failures.map(\.message.en).joined(separator: "; "))"
                ))
        }
    }

    static func audit(_ record: ArchiveRecord, by actor: Principal, origin: RequestOrigin) -> AuditRecord {
        AuditRecord(
            actor: actor, action: "archive.create", objectType: "archive", objectId: record.id,
            after: AuditJSON.encode([
                "kind": record.kind.rawValue, "location": record.location, "merkle_root": record.merkleRoot,
                "manifest_sm3": record.manifestSM3, "files": String(record.fileCount), "size_bytes": String(record.sizeBytes),
            ]), origin: origin)
    }

    /// `from`/`to` as given (YYYY-MM-DD or a timestamp), checked: from before to.
    static func period(from: String?, to: String?) throws -> (from: String?, to: String?) {
        var v = Validator()
        func parse(_ text: String?, _ field: String) -> String? {
            guard let text else { return nil }
            if let date = CivilDate(text) { return date.description + "T00:00:00.000Z" }
            if let time = Timestamp.parse(text) { return Timestamp.format(time) }
            v.fail(
                field, "date", zh: "\(field) 应为日期（YYYY-MM-DD）或 UTC 时间", en: "\(field) must be a date (YYYY-MM-DD) or a UTC timestamp")
            return nil
        }
        let f = parse(from, "from")
        let t = parse(to, "to")
        if let f, let t, f >= t { v.fail("to", "after_from", zh: "to 必须晚于 from", en: "to must be after from") }
        try v.check()
        return (f, t)
    }
}

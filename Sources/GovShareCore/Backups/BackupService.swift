import Foundation

/// The registry of backups and their age, for the API and the portal.
public struct BackupOverview: Sendable, Equatable {
    public let backups: [BackupRecord]
    public let newestCompleted: BackupRecord?
    /// Hours since the newest completed backup finished; nil when there is none.
    public let newestAgeHours: Double?
    public let maxAgeHours: Int
    /// No completed backup, or the newest is older than `backup_max_age_hours`.
    public var isOverdue: Bool { newestAgeHours.map { $0 > Double(maxAgeHours) } ?? true }
}

/// Registered backups (Art. 26; docs/backups.md): a consistent dump of the whole database, encrypted under a fresh
/// SM4 key wrapped by the KEK, described by a manifest the node signs, and recorded in `backups` (running, then
/// completed or failed) with audit entries. The file is written under a temporary name and renamed when whole.
public struct BackupService: Sendable {
    let repository: any BackupRepository
    let dumper: any BackupDumper
    let log: any AuditLog
    let keyring: PlatformKeyring
    let clock: any WallClock
    let nodeId: String
    let directory: String
    let maxAgeHours: Int
    /// `host:pid` of this process, and whether a recorded owner is still alive (the composition root asks the OS).
    let owner: String
    let isOwnerAlive: @Sendable (String) -> Bool

    public init(
        repository: any BackupRepository, dumper: any BackupDumper, log: any AuditLog, keyring: PlatformKeyring, clock: any WallClock,
        nodeId: String, directory: String, maxAgeHours: Int, owner: String, isOwnerAlive: @escaping @Sendable (String) -> Bool
    ) {
        self.repository = repository; self.dumper = dumper; self.log = log; self.keyring = keyring; self.clock = clock; self.nodeId = nodeId
        self.directory = directory; self.maxAgeHours = maxAgeHours; self.owner = owner; self.isOwnerAlive = isOwnerAlive
    }

    public func overview(by actor: Principal, limit: Int = 100) async throws -> BackupOverview {
        try Policy.readBackups.check(actor)
        let backups = try await repository.list(limit: min(max(limit, 1), 500))
        let newest = backups.filter { $0.status == .completed }.max { ($0.finishedAt ?? "") < ($1.finishedAt ?? "") }
        let age = newest.flatMap { $0.finishedAt.flatMap(Timestamp.parse) }.map { clock.now().timeIntervalSince($0) / 3600 }
        return BackupOverview(backups: backups, newestCompleted: newest, newestAgeHours: age, maxAgeHours: maxAgeHours)
    }

    /// Whether `actor` may start a backup (the portal shows the button).
    public func mayMake(_ actor: Principal) -> Bool { Policy.makeBackups.allows(actor) }

    /// Marks `failed` every `running` backup of this node whose process is gone (killed mid-way) and removes its
    /// partial files; returns how many. Run at start-up and before each backup.
    @discardableResult
    public func failInterrupted(origin: RequestOrigin) async throws -> Int {
        var failed = 0
        for var record in try await repository.running(nodeId: nodeId) where record.owner != owner && !isOwnerAlive(record.owner) {
            Self.removeFiles(of: record.location, keepComplete: false)
            record.status = .failed
            record.finishedAt = Timestamp.format(clock.now())
            record.error = "interrupted: the process \(record.owner) ended before the backup completed"
            try await repository.update(
                record,
                audit: AuditRecord(
                    actor: .system("backup"), action: "backup.fail", objectType: "backup", objectId: record.id, outcome: "failure",
                    after: AuditJSON.encode(["status": "failed", "reason": "interrupted"]), origin: origin))
            failed += 1
        }
        return failed
    }

    /// Makes one backup into `directory` (default `backup_directory`); returns its manifest and registry row.
    public func make(by actor: Principal, origin: RequestOrigin, into target: String? = nil) async throws
        -> (record: BackupRecord, manifest: BackupManifest)
    {
        try Policy.makeBackups.check(actor)
        let dir = target ?? directory
        guard !dir.isEmpty, dir.count <= 1_024 else {
            throw DomainError.invalid(field: "to", rule: "path", zh: "备份目录无效", en: "The backup directory is invalid")
        }
        try await failInterrupted(origin: origin)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let now = clock.now()
        let id = Identifier.make(at: now)
        let base = (dir as NSString).appendingPathComponent("govshare-backup-\(nodeId)-\(id)")
        var record = BackupRecord(
            id: id, nodeId: nodeId, status: .running, startedAt: Timestamp.format(now), location: base + ".gsbk",
            createdBy: actor.name, databaseKind: dumper.databaseKind, schemaVersion: 0, owner: owner)
        try await repository.insert(
            record,
            audit: AuditRecord(
                actor: actor, action: "backup.start", objectType: "backup", objectId: id,
                after: AuditJSON.encode(["location": record.location, "database": record.databaseKind]), origin: origin))
        do {
            let manifest = try await write(&record, base: base)
            try await repository.update(
                record,
                audit: AuditRecord(
                    actor: actor, action: "backup.complete", objectType: "backup", objectId: id,
                    after: AuditJSON.encode([
                        "status": "completed", "size_bytes": String(manifest.sizeBytes), "sm3": manifest.sm3,
                        "audit_seq": String(manifest.auditSeq), "location": record.location,
                    ]), origin: origin))
            return (record, manifest)
        } catch {
            Self.removeFiles(of: record.location, keepComplete: false)
            record.status = .failed
            record.finishedAt = Timestamp.format(clock.now())
            record.error = String(String(describing: (error as? DomainError)?.message.en ?? "\(error)").prefix(500))
            try? await repository.update(
                record,
                audit: AuditRecord(
                    actor: actor, action: "backup.fail", objectType: "backup", objectId: id, outcome: "failure",
                    after: AuditJSON.encode(["status": "failed"]), detail: record.error, origin: origin))
            throw error
        }
    }

    private func write(_ record: inout BackupRecord, base: String) async throws -> BackupManifest {
        let crypto = keyring.crypto
        let custody = keyring.custody
        let dumpPath = base + ".dump.partial"
        let encryptedPartial = base + ".gsbk.partial"
        defer { try? FileManager.default.removeItem(atPath: dumpPath) }
        let snapshot = try await dumper.dump(to: dumpPath)
        let plainSize = ((try? FileManager.default.attributesOfItem(atPath: dumpPath)[.size]) as? NSNumber)?.int64Value ?? 0
        let key = crypto.randomBytes(16)
        let wrapped = try custody.wrap(key, label: BackupManifest.keyLabel(record.id))
        let kekId = custody.keyEncryptionKeyId
        let size = try BackupFile.encrypt(plain: dumpPath, to: encryptedPartial, id: record.id, key: key, crypto: crypto)
        try? FileManager.default.removeItem(atPath: dumpPath)
        let digest = Hex.encode(try crypto.sm3(contentsOf: URL(fileURLWithPath: encryptedPartial)))
        let finished = Timestamp.format(clock.now())
        let root = try await keyring.rootCertificate()
        let node = try await keyring.nodeCertificate()
        var manifest = BackupManifest(
            id: record.id, nodeId: nodeId, databaseKind: snapshot.databaseKind, schemaVersion: snapshot.schemaVersion,
            startedAt: record.startedAt, finishedAt: finished, createdBy: record.createdBy, auditSeq: snapshot.auditSeq,
            auditHash: snapshot.auditHash, rowCounts: snapshot.rowCounts, file: (record.location as NSString).lastPathComponent,
            sizeBytes: size, sm3: digest, plainSizeBytes: plainSize, encryption: BackupManifest.encryptionName,
            wrappedKey: wrapped.base64EncodedString(), keyEncryptionKeyId: kekId,
            nodeCertificate: PEM.encode(node.der, label: "CERTIFICATE"), rootCertificate: PEM.encode(root.der, label: "CERTIFICATE"))
        manifest.signature = try await keyring.signAsNode(manifest.signedBytes).signature.base64EncodedString()
        let manifestPartial = base + ".json.partial"
        guard
            FileManager.default.createFile(
                atPath: manifestPartial, contents: try manifest.encoded(), attributes: [.posixPermissions: 0o600])
        else { throw BackupFile.problem("无法写入备份清单", "Cannot write the backup manifest") }
        // The file first, the manifest last: a backup is whole only once its signed manifest is in place.
        try Self.rename(encryptedPartial, to: record.location)
        try Self.rename(manifestPartial, to: base + ".json")
        record.status = .completed
        record.finishedAt = finished
        record.sizeBytes = size
        record.sm3 = digest
        record.schemaVersion = snapshot.schemaVersion
        record.auditSeq = snapshot.auditSeq
        record.auditHash = snapshot.auditHash
        record.keyEncryptionKeyId = kekId
        return manifest
    }

    static func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else { throw BackupFile.problem("无法完成备份文件", "Cannot rename \(from) to \(to)") }
    }

    /// Removes what an unfinished backup left: its partial files, and the encrypted file when no manifest made it whole.
    static func removeFiles(of location: String, keepComplete: Bool) {
        let base = location.hasSuffix(".gsbk") ? String(location.dropLast(5)) : location
        for suffix in [".dump.partial", ".gsbk.partial", ".json.partial"] { try? FileManager.default.removeItem(atPath: base + suffix) }
        if !keepComplete, !FileManager.default.fileExists(atPath: base + ".json") { try? FileManager.default.removeItem(atPath: location) }
    }

    /// After a restore: what the restored database holds against what the manifest says (read before anything is
    /// written), whether the audit chain verifies and the root is the one that signed the backup. Then the backup's own
    /// row — `running` in the copy, since the copy was taken while it ran — is completed from the manifest, audited.
    public func checkRestore(against manifest: BackupManifest, by actor: Principal, origin: RequestOrigin) async throws
        -> BackupRestoreCheck
    {
        try Policy.makeBackups.check(actor)
        let now = try await dumper.snapshot()
        let chain = try await log.verify()
        let root = try await keyring.rootCertificate()
        let check = BackupRestoreCheck(
            manifest: manifest, restored: now, chain: chain,
            rootMatches: PEM.decode(manifest.rootCertificate, label: "CERTIFICATE") == root.der)
        if var record = try await repository.list(limit: 500).first(where: { $0.id == manifest.id }), record.status == .running {
            record.status = .completed
            record.finishedAt = manifest.finishedAt
            record.sizeBytes = manifest.sizeBytes
            record.sm3 = manifest.sm3
            record.schemaVersion = manifest.schemaVersion
            record.auditSeq = manifest.auditSeq
            record.auditHash = manifest.auditHash
            record.keyEncryptionKeyId = manifest.keyEncryptionKeyId
            try await repository.update(
                record,
                audit: AuditRecord(
                    actor: actor, action: "backup.restore", objectType: "backup", objectId: manifest.id,
                    after: AuditJSON.encode(["restored_ok": check.ok ? "true" : "false", "audit_seq": String(manifest.auditSeq)]),
                    origin: origin))
        }
        return check
    }
}

/// The restored database against its manifest (`govshare restore` prints it).
public struct BackupRestoreCheck: Sendable, Equatable {
    public let manifest: BackupManifest
    public let restored: BackupSnapshot
    public let chain: AuditVerification
    public let rootMatches: Bool
    /// Tables whose row count differs (restored count, manifest count).
    public var differingTables: [String: (Int64?, Int64?)] {
        var out: [String: (Int64?, Int64?)] = [:]
        for table in Set(manifest.rowCounts.keys).union(restored.rowCounts.keys)
        where restored.rowCounts[table] != manifest.rowCounts[table] {
            out[table] = (restored.rowCounts[table], manifest.rowCounts[table])
        }
        return out
    }
    public var ok: Bool {
        chain.ok && rootMatches && differingTables.isEmpty && restored.auditSeq == manifest.auditSeq
            && restored.auditHash == manifest.auditHash
    }
    public static func == (a: Self, b: Self) -> Bool {
        a.manifest == b.manifest && a.restored == b.restored && a.chain == b.chain && a.rootMatches == b.rootMatches
    }
}

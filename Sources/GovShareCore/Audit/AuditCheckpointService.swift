import Foundation

/// Signed audit checkpoints (Art. 28): every `audit_checkpoint_minutes` and on shutdown the node signs its chain's
/// head with its SM2 key; the checkpoints are exported to a file kept elsewhere, and the database is verified against
/// such a file — which detects what the unkeyed chain alone cannot: a chain rewritten with recomputed hashes, a cut
/// tail, and read references deleted together with nothing else.
public struct AuditCheckpointService: Sendable {
    let repository: any AuditCheckpointRepository
    let log: any AuditLog
    let keyring: PlatformKeyring
    let clock: any WallClock
    let nodeId: String
    /// How often the scheduler makes one (rule `audit_checkpoint_minutes`).
    public let intervalMinutes: Int

    public init(
        repository: any AuditCheckpointRepository, log: any AuditLog, keyring: PlatformKeyring, clock: any WallClock,
        nodeId: String, intervalMinutes: Int
    ) {
        self.repository = repository; self.log = log; self.keyring = keyring; self.clock = clock; self.nodeId = nodeId
        self.intervalMinutes = intervalMinutes
    }

    /// Signs the chain's head now (`govshare audit checkpoint`). Nil for an empty chain, which has nothing to attest.
    /// The checkpoint's own audit entry follows the entry it attests.
    @discardableResult
    public func checkpoint(by actor: Principal, origin: RequestOrigin) async throws -> AuditCheckpoint? {
        try Policy.makeAuditCheckpoint.check(actor)
        let end = try await repository.chainEnd()
        guard let seq = end.headSeq, let hash = end.headHash, seq > 0 else { return nil }
        let time = Timestamp.format(clock.now())
        let signed = try await keyring.signAsNode(AuditCheckpoint.message(seq: seq, headHash: hash, time: time, nodeId: nodeId))
        let checkpoint = AuditCheckpoint(
            seq: seq, headHash: hash, time: time, nodeId: nodeId, signature: signed.signature,
            certificateDER: signed.certificateDER)
        try await repository.insert(
            checkpoint,
            audit: AuditRecord(
                actor: actor, action: "audit.checkpoint", objectType: "audit_checkpoint", objectId: String(seq),
                after: AuditJSON.encode(["seq": String(seq), "hash": hash, "time": time]), origin: origin))
        return checkpoint
    }

    /// The scheduler's round and the shutdown: a checkpoint when the chain has grown past the last checkpoint's own
    /// entry and (unless `force`, on shutdown) the last one is at least `intervalMinutes` old.
    @discardableResult
    public func checkpointIfDue(force: Bool = false, by actor: Principal, origin: RequestOrigin) async throws -> AuditCheckpoint? {
        try Policy.makeAuditCheckpoint.check(actor)
        guard let last = try await repository.latest() else { return try await checkpoint(by: actor, origin: origin) }
        let end = try await repository.chainEnd()
        // last.seq + 1 is the entry recording the last checkpoint itself: nothing happened since.
        guard let head = end.headSeq, head > last.seq + 1 else { return nil }
        if !force, let made = Timestamp.parse(last.time),
            clock.now().timeIntervalSince(made) < Double(intervalMinutes * 60) - 1
        {
            return nil
        }
        return try await checkpoint(by: actor, origin: origin)
    }

    /// The checkpoint file (JSON lines with the root certificate), for auditors; the export is recorded.
    public func export(by actor: Principal, origin: RequestOrigin) async throws -> AuditCheckpointFile {
        try Policy.readAudit.check(actor)
        let checkpoints = try await repository.all()
        let root = try await keyring.rootCertificate()
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "audit.checkpoints_export", objectType: "audit_log", objectId: "*",
                detail: "\(checkpoints.count) checkpoints through entry \(checkpoints.last?.seq ?? 0)", origin: origin))
        return AuditCheckpointFile(
            nodeId: nodeId, rootCertificatePEM: PEM.encode(root.der, label: "CERTIFICATE"), checkpoints: checkpoints)
    }

    /// Checks a checkpoint file, then this database against it (see `AuditCheckpointVerification`); recorded with
    /// its result. `rootPEM` pins the root (else the file's own root is used, and the report says so).
    public func verify(file text: String, rootPEM: String?, by actor: Principal, origin: RequestOrigin) async throws
        -> AuditCheckpointVerification
    {
        try Policy.readAudit.check(actor)
        let file = try AuditCheckpointFile.parse(text)
        var report = try await AuditCheckpointVerifier(
            crypto: keyring.crypto, repository: repository, log: log, nodeId: nodeId
        ).verify(file, rootPEM: rootPEM)
        report.findings.sort { ($0.seq ?? 0, $0.kind.rawValue) < ($1.seq ?? 0, $1.kind.rawValue) }
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "audit.verify_checkpoints", objectType: "audit_log", objectId: "*",
                outcome: report.ok ? "success" : "failure",
                detail: report.ok
                    ? "\(report.validCheckpoints) checkpoints through entry \(report.lastCheckpointSeq), \(report.readsChecked) reads"
                    : report.findings.prefix(5).map(\.message.en).joined(separator: "; "),
                origin: origin))
        return report
    }
}

import Foundation

extension RiskReportService {
    /// The hash chain walked end to end, and the newest signed checkpoint: its signature by this node's certificate
    /// (issued by the root), and whether the entry it attests still carries the hash it signed.
    func auditSection(now: Date, findings: inout [RiskFinding]) async throws -> RiskReportContent.AuditStatus {
        let chain = try await auditLog.verify()
        let end = try await checkpoints.chainEnd()
        var status = RiskReportContent.AuditStatus(
            chainValid: chain.ok, chainReason: chain.reason, lastSeq: end.lastSeq, checkpointSeq: nil, checkpointTime: nil,
            checkpointSignatureValid: nil, checkpointMatchesChain: nil, checkpointAgeMinutes: nil)
        if !chain.ok {
            findings.append(
                RiskFinding(
                    section: "audit", severity: .high, zh: "审计日志哈希链校验失败：\(chain.reason ?? "")",
                    en: "The audit log's hash chain does not verify: \(chain.reason ?? "")"))
        }
        guard let latest = try await checkpoints.latest() else {
            findings.append(
                RiskFinding(
                    section: "audit", severity: .medium, zh: "尚无签名的审计检查点", en: "There is no signed audit checkpoint yet"))
            return status
        }
        let crypto = keyring.crypto
        let root = try await keyring.rootCertificate()
        let signatureValid: Bool
        if let certificate = try? crypto.parseCertificate(latest.certificateDER), let at = Timestamp.parse(latest.time),
            PlatformKeyring.chains(certificate, to: root, at: at, crypto: crypto)
        {
            signatureValid = crypto.verify(latest.signature, of: latest.message, by: certificate.publicKey, id: SM2Parameters.defaultID)
        } else {
            signatureValid = false
        }
        let matches = try await checkpoints.hashes(at: [latest.seq])[latest.seq] == latest.headHash
        let age = Timestamp.parse(latest.time).map { Int(now.timeIntervalSince($0) / 60) }
        status.checkpointSeq = latest.seq
        status.checkpointTime = latest.time
        status.checkpointSignatureValid = signatureValid
        status.checkpointMatchesChain = matches
        status.checkpointAgeMinutes = age
        if !signatureValid || !matches {
            findings.append(
                RiskFinding(
                    section: "audit", severity: .high,
                    zh: "最新审计检查点（条目 \(latest.seq)）\(signatureValid ? "" : "签名无效")\(matches ? "" : "与审计链不符")",
                    en:
                        "The latest audit checkpoint (entry \(latest.seq))\(signatureValid ? "" : " has an invalid signature")\(matches ? "" : " does not match the chain")"
                ))
        } else if let age, age > 24 * 60, end.lastSeq > latest.seq + 1 {
            findings.append(
                RiskFinding(
                    section: "audit", severity: .low, zh: "最新审计检查点已是 \(age / 60) 小时前",
                    en: "The latest audit checkpoint is \(age / 60) hours old"))
        }
        return status
    }
}

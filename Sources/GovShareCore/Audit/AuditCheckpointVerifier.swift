import Foundation

/// The checks behind `AuditCheckpointService.verify`: the file first (root, each checkpoint's certificate and
/// signature), then the database against the checkpoints that hold up, then every read's references.
struct AuditCheckpointVerifier {
    let crypto: any NationalCrypto
    let repository: any AuditCheckpointRepository
    let log: any AuditLog
    let nodeId: String
    typealias Finding = AuditCheckpointVerification.Finding

    func verify(_ file: AuditCheckpointFile, rootPEM: String?) async throws -> AuditCheckpointVerification {
        var findings: [Finding] = []
        let (root, rootFindings) = try rootCertificate(file, pinned: rootPEM)
        findings += rootFindings
        var valid: [AuditCheckpoint] = []
        for c in file.checkpoints {
            let problems = root.map { check(c, root: $0) } ?? []
            findings += problems
            if root != nil && problems.isEmpty { valid.append(c) }
        }
        let end = try await repository.chainEnd()
        let segments = try await repository.archivedSegments()
        let archivedThrough = segments.last?.lastSeq ?? 0
        // A checkpoint at a segment's last entry is checked against the segment's recorded last hash (which the live
        // chain links to); one inside a segment only against the package, offline.
        let inside = valid.filter { c in c.seq <= archivedThrough && !segments.contains { $0.lastSeq == c.seq } }
        var checkable = valid.filter { c in c.seq > archivedThrough }
        var boundaryFindings: [Finding] = []
        for c in valid where c.seq <= archivedThrough {
            guard let segment = segments.first(where: { $0.lastSeq == c.seq }) else { continue }
            if segment.lastHash != c.headHash {
                boundaryFindings.append(
                    Finding(
                        .chainRewritten, seq: c.seq,
                        zh: "归档段（归档包 \(segment.archiveId)）末条目 \(c.seq) 的哈希与检查点（\(c.time)）签名的不同",
                        en:
                            "The last entry \(c.seq) of the archived segment (package \(segment.archiveId)) has another hash than the checkpoint of \(c.time) signed"
                    ))
            }
        }
        checkable.sort { $0.seq < $1.seq }
        findings += boundaryFindings
        findings += try await checkChain(against: checkable, end: end)
        let (reads, readFindings) = try await checkReadReferences()
        findings += readFindings
        var report = AuditCheckpointVerification(
            checkpoints: file.checkpoints.count, validCheckpoints: valid.count, databaseLastSeq: end.lastSeq,
            lastCheckpointSeq: valid.last?.seq ?? 0, readsChecked: reads, root: root?.subject ?? "", rootPinned: rootPEM != nil,
            findings: findings)
        report.archivedCheckpoints = inside.count
        report.archivedThrough = archivedThrough
        return report
    }

    /// The pinned root when given (a file's root that differs is reported), else the file's; either must be a
    /// self-signed certification authority. Nil when there is none to check against.
    private func rootCertificate(_ file: AuditCheckpointFile, pinned: String?) throws -> (CertificateInfo?, [Finding]) {
        guard let text = pinned ?? file.rootCertificatePEM else {
            throw DomainError.invalid(
                field: "root_certificate", rule: "required", zh: "检查点文件未附根证书，请另行提供平台根证书（--root）",
                en: "The checkpoint file carries no root certificate; give the platform's root (--root)")
        }
        guard let root = try? crypto.parseCertificate(Data(text.utf8)) else {
            throw DomainError.invalid(
                field: "root_certificate", rule: "certificate", zh: "根证书无法解析（应为 PEM 或 DER 格式的 X.509 证书）",
                en: "The root certificate cannot be read (a PEM or DER X.509 certificate is expected)")
        }
        var findings: [Finding] = []
        if pinned != nil, let fileRoot = file.rootCertificatePEM, (try? crypto.parseCertificate(Data(fileRoot.utf8)))?.der != root.der {
            findings.append(
                Finding(
                    .rootCertificate, seq: nil, zh: "检查点文件所附根证书与指定的根证书不同；已按指定根证书核验",
                    en: "The root certificate in the file is not the pinned root; the checkpoints were checked against the pinned root"))
        }
        guard root.isCertificateAuthority, root.subject == root.issuer,
            crypto.verifyCertificateSignature(root, issuerKey: root.publicKey)
        else {
            findings.append(
                Finding(
                    .rootCertificate, seq: nil, zh: "根证书不是自签名的证书颁发机构证书（\(root.subject)），无法核验检查点",
                    en: "The root certificate is not a self-signed certification authority (\(root.subject)); no checkpoint can be trusted")
            )
            return (nil, findings)
        }
        return (root, findings)
    }

    private func check(_ c: AuditCheckpoint, root: CertificateInfo) -> [Finding] {
        if c.nodeId != nodeId {
            return [
                Finding(
                    .checkpointNode, seq: c.seq, zh: "检查点（条目 \(c.seq)）属于节点 \(c.nodeId)，本数据库为节点 \(nodeId)",
                    en: "The checkpoint at entry \(c.seq) is of node \(c.nodeId); this database is node \(nodeId)")
            ]
        }
        guard let certificate = try? crypto.parseCertificate(c.certificateDER), let at = Timestamp.parse(c.time),
            PlatformKeyring.chains(certificate, to: root, at: at, crypto: crypto),
            certificate.subject.split(separator: ",").contains("CN=GovShare node \(c.nodeId)")
        else {
            return [
                Finding(
                    .checkpointCertificate, seq: c.seq,
                    zh: "检查点（条目 \(c.seq)，\(c.time)）的证书不是根证书签发的节点 \(c.nodeId) 证书，或签名时不在有效期内",
                    en:
                        "The checkpoint at entry \(c.seq) (\(c.time)) does not carry a certificate of node \(c.nodeId) issued by the root and valid at that time"
                )
            ]
        }
        guard crypto.verify(c.signature, of: c.message, by: certificate.publicKey, id: SM2Parameters.defaultID) else {
            return [
                Finding(
                    .checkpointSignature, seq: c.seq, zh: "检查点（条目 \(c.seq)，\(c.time)）签名无效：检查点文件被改动",
                    en: "The signature of the checkpoint at entry \(c.seq) (\(c.time)) does not verify: the checkpoint file was changed")
            ]
        }
        return []
    }

    private func checkChain(against checkpoints: [AuditCheckpoint], end: AuditChainEnd) async throws -> [Finding] {
        var findings: [Finding] = []
        let chain = try await log.verify()
        if !chain.ok {
            findings.append(
                Finding(
                    .chainBroken, seq: chain.firstBrokenSeq, zh: "审计链自身校验失败：\(chain.reason ?? "")",
                    en: "The audit chain does not verify by itself: \(chain.reason ?? "")"))
        }
        let present = checkpoints.filter { $0.seq <= end.lastSeq }
        let stored = try await repository.hashes(at: present.map(\.seq))
        var lastMatching: AuditCheckpoint?
        for c in present {
            guard let hash = stored[c.seq] else {
                findings.append(
                    Finding(
                        .chainRewritten, seq: c.seq, zh: "检查点（\(c.time)）证明的条目 \(c.seq) 已不在数据库中",
                        en: "Entry \(c.seq), attested by the checkpoint of \(c.time), is no longer in the database"))
                continue
            }
            if hash == c.headHash {
                lastMatching = c
                continue
            }
            let since = lastMatching.map { "entries \($0.seq + 1)–\(c.seq)" } ?? "entries up to \(c.seq)"
            let sinceZh = lastMatching.map { "条目 \($0.seq + 1)–\(c.seq)" } ?? "条目 \(c.seq) 及之前"
            findings.append(
                Finding(
                    .chainRewritten, seq: c.seq,
                    zh: "条目 \(c.seq) 的哈希与检查点（\(c.time)）签名的不同：\(sinceZh)中有条目被改写并重算了哈希",
                    en:
                        "Entry \(c.seq) has another hash than the checkpoint of \(c.time) signed: \(since) were rewritten and their hashes recomputed"
                ))
        }
        if let last = checkpoints.last, last.seq > end.lastSeq {
            findings.append(
                Finding(
                    .chainTruncated, seq: last.seq,
                    zh: "数据库审计链止于条目 \(end.lastSeq)，而检查点（\(last.time)）证明已有条目 \(last.seq)：条目 \(end.lastSeq + 1)–\(last.seq) 被删除",
                    en:
                        "The database's chain ends at entry \(end.lastSeq) but the checkpoint of \(last.time) attests entry \(last.seq): entries \(end.lastSeq + 1)–\(last.seq) were removed"
                ))
        }
        return findings
    }

    /// Every read whose entry records a reference digest, recomputed from the trace a page at a time.
    private func checkReadReferences() async throws -> (Int, [Finding]) {
        var findings: [Finding] = []
        var checked = 0
        var after: Int64 = 0
        while true {
            let page = try await repository.readReferences(afterSeq: after, limit: 500)
            for read in page {
                after = read.seq
                guard let recorded = ReadReferenceDigest.recorded(in: read.recorded) else { continue }
                checked += 1
                guard findings.count < AuditCheckpointVerification.maxReadFindings else { continue }
                if !read.readRowPresent {
                    findings.append(
                        Finding(
                            .readReferences, seq: read.seq, zh: "读取记录（条目 \(read.seq)）已从读取轨迹中删除",
                            en: "The read of entry \(read.seq) was deleted from the read trace"))
                } else if read.found != recorded {
                    findings.append(
                        Finding(
                            .readReferences, seq: read.seq,
                            zh: "读取（条目 \(read.seq)）的记录引用与审计条目不符：记录 \(recorded.count) 条，现有 \(read.found.count) 条，摘要不同（引用被删除、增加或改动）",
                            en:
                                "The record references of the read of entry \(read.seq) differ from its audit entry: \(recorded.count) recorded, \(read.found.count) found, digest differs (references deleted, added or altered)"
                        ))
                }
            }
            if page.count < 500 { break }
        }
        return (checked, findings)
    }
}

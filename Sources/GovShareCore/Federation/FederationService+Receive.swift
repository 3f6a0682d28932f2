import Foundation

/// Receiving: a peer's signed message checked (sender, signature, time, sequence) and what it carries turned into the
/// writes accepted with it (issue 18, parts 1, 2 and 6).
extension FederationService {
    /// Asked before the body is read: `sender` (the `X-GovShare-Node` header) is an active registered peer, and the
    /// signed request header (`NodeRequestSignature`) verifies with its node certificate, names this node, was made
    /// within the allowed clock skew and announces the body's length and SM3. A sender that cannot sign cannot make
    /// this node read megabytes; one that can is a peer, and its bodies are still read one at a time (`NodeIntake`).
    public func admit(sender: String, signature header: String?) async throws -> AdmittedNodeRequest {
        guard sender.utf8.count <= 63, let peer = try await repository.peer(id: sender), peer.status == .active else {
            throw Self.unknownNode
        }
        let crypto = keyring.crypto
        let now = clock.now()
        guard let request = NodeRequestSignature.parse(header), let sent = Timestamp.parse(request.sentAt),
            abs(sent.timeIntervalSince(now)) <= Double(clockSkewSeconds),
            let certificate = try? crypto.parseCertificate(peer.certificateDER), certificate.notBefore <= now,
            now <= certificate.notAfter,
            crypto.verify(
                request.signature,
                of: NodeRequestSignature.signedBytes(
                    from: peer.id, to: nodeId, sentAt: request.sentAt, length: request.length, sm3Hex: request.sm3Hex),
                by: certificate.publicKey, id: SM2Parameters.defaultID)
        else { throw Self.badRequestSignature }
        return AdmittedNodeRequest(peerId: peer.id, length: request.length, sm3Hex: request.sm3Hex)
    }

    /// The body read after `admit` (at most its announced length) is exactly the one the header signed.
    public func checkBody(_ body: Data, of request: AdmittedNodeRequest) throws {
        guard body.count == request.length, Hex.encode(keyring.crypto.sm3(body)) == request.sm3Hex else {
            throw Self.badRequestSignature
        }
    }

    /// The encoded envelope and its signed request header, as `deliver` sends them.
    public func wire(_ envelope: NodeEnvelope) async throws -> NodeWireRequest {
        let body = try JSONEncoder().encode(envelope)
        let sentAt = Timestamp.format(clock.now())
        let digest = Hex.encode(keyring.crypto.sm3(body))
        let signed = try await keyring.signAsNode(
            NodeRequestSignature.signedBytes(from: nodeId, to: envelope.to, sentAt: sentAt, length: body.count, sm3Hex: digest))
        return NodeWireRequest(
            from: nodeId, body: body,
            signature: NodeRequestSignature(sentAt: sentAt, length: body.count, sm3Hex: digest, signature: signed.signature))
    }

    public static var badRequestSignature: DomainError {
        DomainError(
            .unauthenticated, code: "bad_request_signature",
            message: LocalizedText(
                zh: "请求头 X-GovShare-Signature 缺失、过期，或无法用登记的节点证书验证，或与请求体不符；请求体未读取",
                en:
                    "The X-GovShare-Signature header is missing, stale, does not verify with the registered node certificate or does not match the body; the body was not used"
            ))
    }

    /// Takes a message from a peer: from a registered active peer, signed by its node key, addressed here, sent within
    /// the allowed clock skew, next in the link's sequence. A refusal is audited once the signature verifies — then
    /// the peer sent it, whatever was wrong; before that anyone could have (peer ids are public), so malformed or
    /// badly signed messages are only refused, and the caller logs them: the audit chain is not a place to fill.
    public func receive(_ envelope: NodeEnvelope, origin: RequestOrigin) async throws -> InboundOutcome {
        let problems = envelope.problems()
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        guard let peer = try await repository.peer(id: envelope.from), peer.status == .active else { throw Self.unknownNode }
        try verifySignature(envelope, from: peer)
        let actor = Principal.system("node:\(peer.id)")
        do {
            guard envelope.to == nodeId else {
                throw DomainError.invalid(field: "to", rule: "this_node", zh: "消息不是发给本节点的", en: "The message is not addressed to this node")
            }
            return try await check(envelope, from: peer, actor: actor, origin: origin)
        } catch {
            let refusal = AuditRecord(
                actor: actor, action: "node.message.refuse", objectType: "node_message", objectId: envelope.id,
                outcome: "failure", after: AuditJSON.encode(["from": peer.id, "seq": String(envelope.seq), "kind": envelope.kind]),
                detail: (error as? DomainError)?.code ?? "apply_failed", origin: origin)
            if error is DomainError {
                _ = try await log.append(refusal)
            } else {
                _ = try? await log.append(refusal)  // a database failure while applying: recorded if it can be
            }
            throw error
        }
    }

    private func verifySignature(_ envelope: NodeEnvelope, from peer: PeerNode) throws {
        let crypto = keyring.crypto
        let now = clock.now()
        guard let certificate = try? crypto.parseCertificate(peer.certificateDER), certificate.notBefore <= now,
            now <= certificate.notAfter, let signature = Data(base64Encoded: envelope.signature),
            crypto.verify(signature, of: envelope.signedBytes, by: certificate.publicKey, id: SM2Parameters.defaultID)
        else {
            throw DomainError(
                .unauthenticated, code: "bad_signature",
                message: LocalizedText(zh: "消息签名无法用登记的节点证书验证", en: "The signature does not verify with the registered node certificate"))
        }
    }

    private func check(_ envelope: NodeEnvelope, from peer: PeerNode, actor: Principal, origin: RequestOrigin) async throws
        -> InboundOutcome
    {
        let crypto = keyring.crypto
        let now = clock.now()
        guard let sent = Timestamp.parse(envelope.sentAt), abs(sent.timeIntervalSince(now)) <= Double(clockSkewSeconds) else {
            throw DomainError.invalid(
                field: "sent_at", rule: "clock_skew", zh: "发送时间与本节点时钟相差超过 \(clockSkewSeconds) 秒",
                en: "sent_at differs from this node's clock by more than \(clockSkewSeconds) s")
        }
        guard NodeMessageKind(rawValue: envelope.kind) != nil else {
            throw DomainError.invalid(field: "kind", rule: "known", zh: "不支持的消息类型", en: "Unknown message kind")
        }
        let digest = Hex.encode(crypto.sm3(envelope.signedBytes))
        let record = InboundRecord(
            id: envelope.id, fromNode: peer.id, seq: envelope.seq, kind: envelope.kind, sm3: digest, receivedAt: Timestamp.format(now))
        if envelope.seq <= peer.lastReceivedSeq {
            if let earlier = try await repository.inbound(fromNode: peer.id, seq: envelope.seq), earlier.id == envelope.id {
                return .duplicate
            }
            throw DomainError.conflict(
                code: "replayed_message", zh: "序号 \(envelope.seq) 已用于另一条消息",
                en: "Sequence number \(envelope.seq) was used by another message")
        }
        let expected = peer.lastReceivedSeq + 1
        guard envelope.seq == expected else {
            throw DomainError.conflict(
                code: "out_of_order", zh: "消息顺序不符：应为序号 \(expected)", en: "Out of order: sequence number \(expected) is expected")
        }
        var changes = InboundChanges()
        switch NodeMessageKind(rawValue: envelope.kind) {
        case .catalogEntry: changes.copies = try catalogWrites(envelope.body, from: peer)
        case .auditCheckpoints: (changes.checkpoints, changes.rootCertificate) = try checkpoints(envelope.body, from: peer)
        case .linkCheck, .none: break
        }
        let accepted = try await repository.accept(
            record, changes: changes,
            audit: AuditRecord(
                actor: actor, action: "node.message.receive", objectType: "node_message", objectId: envelope.id,
                after: AuditJSON.encode([
                    "from": peer.id, "seq": String(envelope.seq), "kind": envelope.kind, "sm3": digest,
                    "entries": String(changes.copies.count),
                    "checkpoints": String(changes.checkpoints.count),
                ]),
                origin: origin))
        guard accepted else {
            // Another delivery of the same sequence number won the race: the retry is the duplicate.
            if let earlier = try await repository.inbound(fromNode: peer.id, seq: envelope.seq), earlier.id == envelope.id {
                return .duplicate
            }
            throw DomainError.conflict(code: "out_of_order", zh: "消息顺序不符", en: "Out of order")
        }
        return .accepted
    }

    /// The writes of a `catalog.entry` message. A city sub-node may send only entries it issued (home node itself,
    /// resource code carrying its region: ResourceCodeScheme); the parent forwards anyone's. An entry whose home is
    /// this node is never taken from a peer.
    func catalogWrites(_ body: String, from peer: PeerNode) throws -> [CatalogCopyWrite] {
        guard let batch = try? JSONDecoder().decode(CatalogCopyBatch.self, from: Data(body.utf8)),
            batch.entries.count <= CatalogCopyBatch.maximumEntries
        else {
            throw DomainError.invalid(field: "body", rule: "catalog_batch", zh: "目录消息格式不正确", en: "Not a catalog batch")
        }
        let now = Timestamp.format(clock.now())
        var writes: [CatalogCopyWrite] = []
        for copy in batch.entries where copy.homeNode != nodeId {
            let issuedBySender = copy.homeNode == peer.id && ResourceCodeScheme.issuingRegion(of: copy.code) == peer.regionCode
            guard peer.relation == .parent || issuedBySender else {
                throw DomainError.invalid(
                    field: "body", rule: "home_node", zh: "子节点只能报送本节点编制的目录（\(copy.code)）",
                    en: "A sub-node sends only entries it issued (\(copy.code))")
            }
            guard Identifier.isValid(copy.entryId), (1...64).contains(copy.code.count), (1...100_000).contains(copy.version),
                copy.homeNode.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil
            else {
                throw DomainError.invalid(field: "body", rule: "catalog_entry", zh: "目录副本字段不正确", en: "A catalog copy is malformed")
            }
            if copy.published {
                guard let content = copy.content, let provider = copy.provider, CreditCode.isValid(provider.code) else {
                    throw DomainError.invalid(
                        field: "body", rule: "catalog_entry", zh: "已发布的目录缺少内容或提供方", en: "A published copy lacks content or provider")
                }
                try CatalogRules.checkDraft(content)  // the same limits as an entry compiled here
                guard content.catalogKind == copy.kind else {
                    throw DomainError.invalid(
                        field: "body", rule: "catalog_entry", zh: "目录类型与内容不符", en: "The copy's kind differs from its content")
                }
                let published = copy.publishedAt ?? now
                let entry = CatalogEntry(
                    id: copy.entryId, code: copy.code, kind: copy.kind, providerId: provider.id, latestVersion: copy.version,
                    publishedVersion: copy.version, status: .published, nodeId: copy.homeNode, createdAt: copy.createdAt, updatedAt: now,
                    homeNode: copy.homeNode)
                let version = CatalogVersion(
                    entryId: copy.entryId, version: copy.version, status: .published, content: content, createdBy: "node:\(copy.homeNode)",
                    createdAt: published, publishedAt: published)
                var write = CatalogCopyWrite(
                    entry: entry, version: version,
                    document: CatalogDocument.make(entry: entry, version: version, provider: provider, publishedAt: published),
                    provider: provider)
                write.senderRegion = peer.relation == .child ? peer.regionCode : nil
                writes.append(write)
            } else {
                let entry = CatalogEntry(
                    id: copy.entryId, code: copy.code, kind: copy.kind, providerId: "", latestVersion: copy.version, publishedVersion: nil,
                    status: .withdrawn, nodeId: copy.homeNode, createdAt: copy.createdAt, updatedAt: now, homeNode: copy.homeNode)
                let version = CatalogVersion(
                    entryId: copy.entryId, version: copy.version, status: .withdrawn, content: CatalogContent(),
                    createdBy: "node:\(copy.homeNode)", createdAt: now)
                writes.append(CatalogCopyWrite(entry: entry, version: version, document: nil, provider: nil))
            }
        }
        return writes
    }

    /// The checkpoints of an `audit.checkpoints` message: only from a sub-node, each its own, signed by the node key
    /// registered for it; one that is not refuses the whole message.
    func checkpoints(_ body: String, from peer: PeerNode) throws -> ([AuditCheckpoint], Data?) {
        guard peer.relation == .child else {
            throw DomainError.invalid(field: "kind", rule: "sub_node", zh: "只有子节点报送审计检查点", en: "Only a sub-node sends audit checkpoints")
        }
        let file = try AuditCheckpointFile.parse(body)
        let crypto = keyring.crypto
        guard file.nodeId == peer.id, file.checkpoints.count <= 200, let certificate = try? crypto.parseCertificate(peer.certificateDER)
        else {
            throw DomainError.invalid(field: "body", rule: "checkpoints", zh: "检查点文件不属于该节点", en: "The checkpoint file is not the node's")
        }
        for c in file.checkpoints {
            guard c.nodeId == peer.id, c.certificateDER == peer.certificateDER,
                crypto.verify(c.signature, of: c.message, by: certificate.publicKey, id: SM2Parameters.defaultID)
            else {
                throw DomainError.invalid(
                    field: "body", rule: "checkpoint_signature", zh: "检查点 \(c.seq) 的签名无法用该节点证书验证",
                    en: "Checkpoint \(c.seq) does not verify with the node's certificate")
            }
        }
        let root = file.rootCertificatePEM.flatMap { PEM.decode($0, label: "CERTIFICATE") }
        return (file.checkpoints, root)
    }

    static let unknownNode = DomainError(
        .unauthenticated, code: "unknown_node",
        message: LocalizedText(zh: "发送节点未登记或已撤销", en: "The sending node is not registered or is revoked"))
}

import Foundation

/// A peer with what the operators watch: how many messages wait for it.
public struct PeerView: Sendable, Equatable {
    public let peer: PeerNode
    public let pending: Int
    /// The oldest undelivered message's age in seconds; nil when nothing waits.
    public let lagSeconds: Double?
    public init(peer: PeerNode, pending: Int, lagSeconds: Double?) {
        self.peer = peer; self.pending = pending; self.lagSeconds = lagSeconds
    }
}

/// What one delivery round did for one peer.
public struct DeliveryReport: Sendable, Equatable {
    public let peerId: String
    public let delivered: Int
    public let pending: Int
    public let error: String?
}

/// How the receiver took a message.
public enum InboundOutcome: String, Sendable {
    case accepted
    /// The last accepted message again (the sender's retry after a lost answer): nothing changes.
    case duplicate
}

/// Nodes and the messages between them (Art. 15; issue 18 parts 1 and 5; docs/nodes.md). The provincial node registers
/// its city sub-nodes, a city node its parent; only registered, active peers are heard. Every message is signed with
/// the sender's SM2 node key, checked against the certificate registered for it, numbered per link without gaps, and
/// queued in an outbox that is delivered in order and retried with backoff while the peer is unreachable.
public struct FederationService: Sendable {
    let repository: any FederationRepository
    let transport: any NodeTransport
    let keyring: PlatformKeyring
    let log: any AuditLog
    let clock: any WallClock
    let nodeId: String
    let nodeName: String
    let scheme: ResourceCodeScheme
    let clockSkewSeconds: Int

    public init(
        repository: any FederationRepository, transport: any NodeTransport, keyring: PlatformKeyring, log: any AuditLog,
        clock: any WallClock, nodeId: String, nodeName: String, regionCode: String, clockSkewSeconds: Int
    ) {
        self.repository = repository; self.transport = transport; self.keyring = keyring; self.log = log; self.clock = clock
        self.nodeId = nodeId; self.nodeName = nodeName; self.scheme = ResourceCodeScheme(regionCode: regionCode)
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// Longest wait between two delivery attempts to an unreachable peer.
    public static let maximumBackoffSeconds = 600.0

    /// This node, as its peers register it (public: the certificate and the ids are not secret).
    public func describeSelf() async throws -> NodeDescription {
        let certificate = try await keyring.nodeCertificate()
        return NodeDescription(
            id: nodeId, name: nodeName, regionCode: scheme.regionCode, isProvince: scheme.isProvince,
            certificateDER: certificate.der, certificateSubject: certificate.subject, certificateNotAfter: certificate.notAfter)
    }

    /// Whether `actor` may register and revoke peers, and check links (the portal shows the forms).
    public func mayManage(_ actor: Principal) -> Bool { Policy.manageNodes.allows(actor) }
    public func mayCheck(_ actor: Principal) -> Bool { Policy.checkNodeLinks.allows(actor) }
    public func mayExportCheckpoints(_ actor: Principal) -> Bool { Policy.readAudit.allows(actor) }

    public func peers(by actor: Principal) async throws -> [PeerView] {
        try Policy.readNodes.check(actor)
        let counts = try await repository.pendingCounts()
        var views: [PeerView] = []
        for peer in try await repository.peers() {
            let waiting = counts[peer.id] ?? 0
            var lag: Double?
            if waiting > 0, let oldest = try await repository.pending(peerId: peer.id, limit: 1).first,
                let created = Timestamp.parse(oldest.createdAt)
            {
                lag = max(0, clock.now().timeIntervalSince(created))
            }
            views.append(PeerView(peer: peer, pending: waiting, lagSeconds: lag))
        }
        return views
    }

    public func peer(_ id: String, by actor: Principal) async throws -> PeerView {
        try Policy.readNodes.check(actor)
        guard let view = try await peers(by: actor).first(where: { $0.peer.id == id }) else {
            throw DomainError.notFound("Node", zh: "节点")
        }
        return view
    }

    /// Registers a peer: on the provincial node a city sub-node (a region not yet taken by an active peer), on a city
    /// node its provincial parent (one).
    public func register(_ r: PeerRegistration, by actor: Principal, origin: RequestOrigin) async throws -> PeerNode {
        try Policy.manageNodes.check(actor)
        var v = Validator()
        if r.id.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) == nil {
            v.fail("id", "format", zh: "节点标识须为 2–63 位小写字母、数字或连字符", en: "A node id is 2-63 lower-case letters, digits or '-'")
        } else if r.id == nodeId {
            v.fail("id", "self", zh: "不能登记本节点自身", en: "This node cannot register itself")
        }
        v.require(r.name, field: "name", maxLength: 100)
        let existing = try await repository.peers().filter { $0.status == .active }
        if !ResourceCodeScheme.isValidRegion(r.regionCode) {
            v.fail("region_code", "format", zh: "区划代码须为 44 开头的六位数字", en: "The region code is six digits starting with 44")
        } else if scheme.isProvince {
            if r.regionCode == ResourceCodeScheme.province {
                v.fail("region_code", "city", zh: "省级节点只登记市级子节点", en: "The provincial node registers city sub-nodes only")
            } else if existing.contains(where: { $0.regionCode == r.regionCode }) {
                v.fail("region_code", "unique", zh: "该区划已有登记的子节点", en: "A sub-node of this region is already registered")
            }
        } else if r.regionCode != ResourceCodeScheme.province {
            v.fail("region_code", "parent", zh: "市级子节点只登记省级节点（440000）", en: "A city sub-node registers the provincial node (440000) only")
        } else if existing.contains(where: { $0.relation == .parent }) {
            v.fail("region_code", "one_parent", zh: "已登记上级节点", en: "A parent node is already registered")
        }
        if let problem = Self.urlProblem(r.baseURL) { v.fail("base_url", "url", zh: problem.zh, en: problem.en) }
        var certificate: CertificateInfo?
        if r.certificate.isEmpty || r.certificate.count > 16_384 {
            v.fail("certificate", "required", zh: "须提供节点证书（PEM）", en: "The node certificate (PEM) is required")
        } else if let parsed = try? keyring.crypto.parseCertificate(r.certificate) {
            let now = clock.now()
            if parsed.isCertificateAuthority {
                v.fail("certificate", "node_key", zh: "须为节点签名证书，而非根证书", en: "The node's signing certificate, not a root")
            } else if now < parsed.notBefore || now > parsed.notAfter {
                v.fail("certificate", "validity", zh: "证书不在有效期内", en: "The certificate is not within its validity")
            }
            certificate = parsed
        } else {
            v.fail("certificate", "sm2", zh: "不是有效的 SM2 证书", en: "Not a valid SM2 certificate")
        }
        guard v.problems.isEmpty, let certificate else { throw DomainError.validation(v.problems) }
        let now = Timestamp.format(clock.now())
        let peer = PeerNode(
            id: r.id, name: r.name.trimmingCharacters(in: .whitespaces), regionCode: r.regionCode,
            relation: scheme.isProvince ? .child : .parent, baseURL: Self.trimmedURL(r.baseURL), certificateDER: certificate.der,
            registeredBy: actor.name, registeredAt: now, nodeId: nodeId)
        try await repository.insertPeer(
            peer,
            audit: AuditRecord(
                actor: actor, action: "node.register", objectType: "node", objectId: peer.id,
                after: AuditJSON.encode([
                    "region_code": peer.regionCode, "relation": peer.relation.rawValue, "base_url": peer.baseURL,
                    "certificate_subject": certificate.subject, "certificate_serial": certificate.serialNumberHex,
                ]), origin: origin))
        return peer
    }

    /// Revokes a peer: its messages are refused from now on and nothing more is delivered to it.
    public func revoke(_ id: String, reason: String, by actor: Principal, origin: RequestOrigin) async throws -> PeerNode {
        try Policy.manageNodes.check(actor)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw DomainError.invalid(
                field: "reason", rule: "required", zh: "须说明撤销原因（500 字以内）", en: "Give the reason (at most 500 characters)")
        }
        guard var peer = try await repository.peer(id: id) else { throw DomainError.notFound("Node", zh: "节点") }
        guard peer.status == .active else {
            throw DomainError.conflict(code: "node_revoked", zh: "该节点已撤销", en: "The node is already revoked")
        }
        let now = Timestamp.format(clock.now())
        try await repository.revokePeer(
            id: id, at: now, reason: reason,
            audit: AuditRecord(
                actor: actor, action: "node.revoke", objectType: "node", objectId: id, after: AuditJSON.encode(["reason": reason]),
                origin: origin))
        peer.status = .revoked; peer.revokedAt = now; peer.revokedReason = reason
        return peer
    }

    /// Queues a link check to the peer and delivers what is waiting for it now.
    public func checkLink(_ id: String, by actor: Principal, origin: RequestOrigin) async throws -> DeliveryReport {
        try Policy.checkNodeLinks.check(actor)
        guard let peer = try await repository.peer(id: id) else { throw DomainError.notFound("Node", zh: "节点") }
        guard peer.status == .active else {
            throw DomainError.conflict(code: "node_revoked", zh: "该节点已撤销", en: "The node is revoked")
        }
        try await queueStreams(to: peer)
        let body = AuditJSON.encode(["requested_by": actor.name, "requested_at": Timestamp.format(clock.now())])
        _ = try await enqueue(.linkCheck, body: body, to: id, actor: actor, origin: origin)
        return try await deliver(to: peer, origin: origin)
    }

    /// Puts a message for `peerId` into the outbox (numbered, audited); delivery happens in `deliverDue`.
    public func enqueue(_ kind: NodeMessageKind, body: String, to peerId: String, actor: Principal, origin: RequestOrigin)
        async throws -> OutboxMessage
    {
        let now = clock.now()
        let id = Identifier.make(at: now)
        return try await repository.enqueue(
            peerId: peerId, id: id, kind: kind.rawValue, body: body, at: Timestamp.format(now),
            audit: AuditRecord(
                actor: actor, action: "node.message.queue", objectType: "node_message", objectId: id,
                after: AuditJSON.encode(["to": peerId, "kind": kind.rawValue]), origin: origin))
    }

    /// The scheduler's round: queues each active peer's catalog changes, then delivers what is due.
    public func synchronise(origin: RequestOrigin) async throws -> [DeliveryReport] {
        for peer in try await repository.peers() where peer.status == .active { try await queueStreams(to: peer) }
        return try await deliverDue(origin: origin)
    }

    /// Queues what the peer has not been sent yet: catalog changes, and a sub-node's audit checkpoints to its parent.
    func queueStreams(to peer: PeerNode) async throws {
        try await queueCatalogChanges(to: peer)
        if peer.relation == .parent { try await queueCheckpoints(to: peer) }
    }

    /// Queues this node's signed audit checkpoints made since the last sent to the parent (part 6), as checkpoint files
    /// of at most 200 with this node's root certificate: kept on the provincial node, they are what an auditor there
    /// exports and checks this node's audit chain against (`govshare audit verify --checkpoints`).
    @discardableResult
    public func queueCheckpoints(to peer: PeerNode) async throws -> Int {
        guard peer.status == .active, peer.relation == .parent else { return 0 }
        var position = try await repository.position(peerId: peer.id, stream: .auditCheckpoints) ?? 0
        var queued = 0
        for _ in 0..<20 {
            let checkpoints = try await repository.ownCheckpoints(after: position, limit: 200)
            guard let last = checkpoints.last else { break }
            let root = try await keyring.rootCertificate()
            let file = AuditCheckpointFile(
                nodeId: nodeId, rootCertificatePEM: PEM.encode(root.der, label: "CERTIFICATE"), checkpoints: checkpoints)
            let now = clock.now()
            try await repository.enqueue(
                .auditCheckpoints, stream: .auditCheckpoints, peerId: peer.id,
                bodies: [(id: Identifier.make(at: now), body: file.text)], position: last.seq, at: Timestamp.format(now), audit: nil)
            queued += checkpoints.count
            position = last.seq
        }
        return queued
    }

    /// A sub-node's audit checkpoints as received here, in the checkpoint file format (`govshare audit verify
    /// --checkpoints` on that node checks its chain against it); the export is recorded.
    public func peerCheckpoints(_ id: String, by actor: Principal, origin: RequestOrigin) async throws -> AuditCheckpointFile {
        try Policy.readAudit.check(actor)
        guard try await repository.peer(id: id) != nil else { throw DomainError.notFound("Node", zh: "节点") }
        let received = try await repository.receivedCheckpoints(fromNode: id)
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "node.checkpoints_export", objectType: "node", objectId: id,
                detail: "\(received.checkpoints.count) checkpoints through entry \(received.checkpoints.last?.seq ?? 0)", origin: origin))
        return AuditCheckpointFile(
            nodeId: id, rootCertificatePEM: received.root.map { PEM.encode($0, label: "CERTIFICATE") }, checkpoints: received.checkpoints)
    }

    /// Queues `catalog.entry` messages for the catalog changes logged since the peer's position: a city sends its own
    /// entries to its parent; the province sends its own to every city and forwards each city's shareable entries to
    /// the others. The first time, the position is 0: the whole log, so a new peer receives every published entry.
    /// Returns how many entries were queued.
    @discardableResult
    public func queueCatalogChanges(to peer: PeerNode) async throws -> Int {
        guard peer.status == .active else { return 0 }
        var position = try await repository.position(peerId: peer.id, stream: .catalog) ?? 0
        var queued = 0
        for _ in 0..<40 {  // at most 20,000 log rows per call; the next round goes on from there
            let changes = try await repository.catalogChanges(after: position, limit: 500)
            guard changes.position > position else { break }
            let eligible = changes.copies.filter { copy in
                copy.homeNode == nodeId || (scheme.isProvince && copy.isForwarded(to: peer.id))
            }
            let bodies = try Self.batches(eligible).map { (id: Identifier.make(at: clock.now()), body: $0) }
            let now = Timestamp.format(clock.now())
            try await repository.enqueue(
                .catalogEntry, stream: .catalog, peerId: peer.id, bodies: bodies, position: changes.position, at: now,
                audit: bodies.isEmpty
                    ? nil
                    : AuditRecord(
                        actor: .system("federation"), action: "node.catalog.queue", objectType: "node", objectId: peer.id,
                        after: AuditJSON.encode(["entries": String(eligible.count), "messages": String(bodies.count)]),
                        origin: RequestOrigin(requestId: Identifier.make(), clientAddress: "federation")))
            queued += eligible.count
            position = changes.position
        }
        return queued
    }

    /// Copies grouped into message bodies of at most `CatalogCopyBatch.maximumEntries` entries and about
    /// `targetBytes` of JSON each.
    static func batches(_ copies: [CatalogEntryCopy]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var bodies: [String] = []
        var batch: [CatalogEntryCopy] = []
        var bytes = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            bodies.append(String(decoding: try encoder.encode(CatalogCopyBatch(entries: batch)), as: UTF8.self))
            batch = []
            bytes = 0
        }
        for copy in copies {
            let size = try encoder.encode(copy).count
            if batch.count == CatalogCopyBatch.maximumEntries || (bytes + size > CatalogCopyBatch.targetBytes && !batch.isEmpty) {
                try flush()
            }
            batch.append(copy)
            bytes += size
        }
        try flush()
        return bodies
    }

    /// Delivers every active peer's waiting messages whose retry time has come (the scheduler's round).
    public func deliverDue(origin: RequestOrigin) async throws -> [DeliveryReport] {
        var reports: [DeliveryReport] = []
        let counts = try await repository.pendingCounts()
        for peer in try await repository.peers() where peer.status == .active && (counts[peer.id] ?? 0) > 0 {
            guard let first = try await repository.pending(peerId: peer.id, limit: 1).first,
                (Timestamp.parse(first.nextAttemptAt) ?? .distantPast) <= clock.now()
            else { continue }
            reports.append(try await deliver(to: peer, origin: origin))
        }
        return reports
    }

    /// Sends the peer's waiting messages in sequence order, stopping at the first that is not accepted (the next ones
    /// would be refused as out of order); a failure sets the next attempt after an exponential backoff.
    func deliver(to peer: PeerNode, origin: RequestOrigin) async throws -> DeliveryReport {
        var delivered = 0
        var failure: String?
        outer: while true {
            let batch = try await repository.pending(peerId: peer.id, limit: 100)
            if batch.isEmpty { break }
            for message in batch {
                let now = clock.now()
                let envelope = try await sign(message)
                var error: String?
                do {
                    let answer = try await transport.deliver(envelope, to: peer.baseURL)
                    if answer.status != 200 { error = "HTTP \(answer.status)" + (answer.code.map { " \($0)" } ?? "") }
                } catch {
                    failure = String(String(describing: error).prefix(300))
                }
                if let e = error ?? failure {
                    let wait = min(Self.maximumBackoffSeconds, 5 * pow(2, Double(min(message.attempts, 16))))
                    try await repository.markFailed(
                        message, at: Timestamp.format(now), error: e, nextAttemptAt: Timestamp.format(now.addingTimeInterval(wait)))
                    failure = e
                    break outer
                }
                try await repository.markDelivered(message, at: Timestamp.format(clock.now()))
                delivered += 1
            }
        }
        let left = try await repository.pendingCounts()[peer.id] ?? 0
        return DeliveryReport(peerId: peer.id, delivered: delivered, pending: left, error: failure)
    }

    func sign(_ message: OutboxMessage) async throws -> NodeEnvelope {
        var envelope = NodeEnvelope(
            id: message.id, from: nodeId, to: message.peerId, seq: message.seq, kind: message.kind,
            sentAt: Timestamp.format(clock.now()), body: message.body, signature: "")
        envelope.signature = try await keyring.signAsNode(envelope.signedBytes).signature.base64EncodedString()
        return envelope
    }

    /// Whether `sender` (the `X-GovShare-Node` header) is an active registered peer, asked before the body is read: an
    /// unknown sender cannot make this node read a megabyte.
    public func admit(sender: String) async throws {
        guard sender.utf8.count <= 63, let peer = try await repository.peer(id: sender), peer.status == .active else {
            throw Self.unknownNode
        }
    }

    /// Takes a message from a peer: addressed here, from a registered active peer, signed by its node key, sent within
    /// the allowed clock skew, next in the link's sequence. A refusal from a registered peer is audited; one from an
    /// unknown sender is not (anyone can send it, and the audit chain is not a place to fill), the caller logs it.
    public func receive(_ envelope: NodeEnvelope, origin: RequestOrigin) async throws -> InboundOutcome {
        let problems = envelope.problems()
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        guard envelope.to == nodeId else {
            throw DomainError.invalid(field: "to", rule: "this_node", zh: "消息不是发给本节点的", en: "The message is not addressed to this node")
        }
        guard let peer = try await repository.peer(id: envelope.from) else { throw Self.unknownNode }
        let actor = Principal.system("node:\(peer.id)")
        do {
            return try await check(envelope, from: peer, actor: actor, origin: origin)
        } catch let error as DomainError {
            _ = try await log.append(
                AuditRecord(
                    actor: actor, action: "node.message.refuse", objectType: "node_message", objectId: envelope.id,
                    outcome: "failure", after: AuditJSON.encode(["from": peer.id, "seq": String(envelope.seq), "kind": envelope.kind]),
                    detail: error.code, origin: origin))
            throw error
        }
    }

    private func check(_ envelope: NodeEnvelope, from peer: PeerNode, actor: Principal, origin: RequestOrigin) async throws
        -> InboundOutcome
    {
        guard peer.status == .active else { throw Self.unknownNode }
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
                guard let content = copy.content, let provider = copy.provider, (1...64).contains(provider.code.count) else {
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
                writes.append(
                    CatalogCopyWrite(
                        entry: entry, version: version,
                        document: CatalogDocument.make(entry: entry, version: version, provider: provider, publishedAt: published),
                        provider: provider))
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

    static func urlProblem(_ text: String) -> (zh: String, en: String)? {
        guard text.count <= 500, let url = URL(string: text.trimmingCharacters(in: .whitespaces)),
            ["http", "https"].contains(url.scheme?.lowercased() ?? ""), let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            return ("须为 http(s) 地址，不含查询参数或凭据", "An http(s) URL without query or credentials")
        }
        return nil
    }

    static func trimmedURL(_ text: String) -> String {
        var url = text.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

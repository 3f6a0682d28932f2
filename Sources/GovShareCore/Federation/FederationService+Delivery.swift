import Foundation

/// Sending: the outbox, the streams queued for each peer (catalog changes, a sub-node's audit checkpoints) and delivery
/// in sequence order with backoff (issue 18, parts 2, 5 and 6).
extension FederationService {
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
            let body = String(decoding: try encoder.encode(CatalogCopyBatch(entries: batch)), as: UTF8.self)
            // Refused here, named, rather than queued and refused by the peer, holding the link behind it.
            guard body.utf8.count <= NodeEnvelope.maximumBody else {
                throw DomainError.invalid(
                    field: "entry", rule: "message_size", zh: "目录 \(batch[0].code) 过大，无法作为节点消息发送（上限 8 MiB）",
                    en: "Entry \(batch[0].code) is too large for a node message (8 MiB at most)")
            }
            bodies.append(body)
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
                let request = try await wire(try await sign(message))
                let problem: String?
                do {
                    let answer = try await transport.deliver(request, to: peer.baseURL)
                    problem = answer.status == 200 ? nil : "HTTP \(answer.status)" + (answer.code.map { " \($0)" } ?? "")
                } catch {
                    problem = String(String(describing: error).prefix(300))  // the kind of failure, never the URL
                }
                if let problem {
                    let wait = min(Self.maximumBackoffSeconds, 5 * pow(2, Double(min(message.attempts, 16))))
                    try await repository.markFailed(
                        message, at: Timestamp.format(now), error: problem, nextAttemptAt: Timestamp.format(now.addingTimeInterval(wait)))
                    failure = problem
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
}

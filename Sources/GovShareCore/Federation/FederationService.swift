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

import Foundation
import GovShareCore
import HTTPTypes
import Hummingbird
import NIOCore

/// Peer nodes (Art. 15; issue 18; docs/nodes.md): this node's description (public: what a peer's administrator
/// registers), the registry, link checks, and the endpoint peers deliver signed messages to.
struct NodesController {
    let platform: Platform
    let intake = NodeIntake()
    var service: FederationService { platform.federation }

    static let senderHeader = HTTPField.Name("X-GovShare-Node")!
    static let signatureHeader = HTTPField.Name(NodeRequestSignature.headerName)!

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("nodes/self", use: describeSelf)
        group.get("nodes", use: list)
        group.post("nodes", use: create)
        group.get("nodes/{id}", use: node)
        group.post("nodes/{id}/revoke", use: revoke)
        group.post("nodes/{id}/check", use: check)
        group.get("nodes/{id}/checkpoints/export", use: checkpoints)
        group.post("federation/messages", use: receive)
    }

    @Sendable func describeSelf(request: Request, context: AppRequestContext) async throws -> JSONResponse<NodeSelfDTO> {
        JSONResponse(NodeSelfDTO(try await service.describeSelf()))
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<NodeListDTO> {
        JSONResponse(NodeListDTO(nodes: try await service.peers(by: try context.requirePrincipal()).map(PeerDTO.init)))
    }

    @Sendable func node(request: Request, context: AppRequestContext) async throws -> JSONResponse<PeerDTO> {
        JSONResponse(PeerDTO(try await service.peer(try context.parameters.require("id"), by: try context.requirePrincipal())))
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<PeerDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(NodeRegistrationRequest.self, from: request, context: context)
        let peer = try await service.register(b.registration, by: actor, origin: context.origin)
        return JSONResponse(PeerDTO(PeerView(peer: peer, pending: 0, lagSeconds: nil)), status: .created)
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> JSONResponse<PeerDTO> {
        let actor = try context.requirePrincipal()
        let b = try await JSONBody.decode(NodeRevocationRequest.self, from: request, context: context)
        let peer = try await service.revoke(try context.parameters.require("id"), reason: b.reason ?? "", by: actor, origin: context.origin)
        return JSONResponse(PeerDTO(PeerView(peer: peer, pending: 0, lagSeconds: nil)))
    }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> JSONResponse<DeliveryReportDTO> {
        let actor = try context.requirePrincipal()
        let report = try await service.checkLink(try context.parameters.require("id"), by: actor, origin: context.origin)
        return JSONResponse(DeliveryReportDTO(report))
    }

    /// A sub-node's audit checkpoints as received here: the checkpoint file that node's chain is verified against.
    @Sendable func checkpoints(request: Request, context: AppRequestContext) async throws -> Response {
        let file = try await service.peerCheckpoints(
            try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return AuditCheckpointsController.download(file)
    }

    /// A peer's signed message: the sender named in the header must be an active peer, and the request header it
    /// signed must verify, before the body is read; then at most the signed length is read and checked against the
    /// signed digest before it is decoded.
    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> JSONResponse<NodeReceiptDTO> {
        let sender = request.headers[Self.senderHeader] ?? ""
        let admitted = try await service.admit(sender: sender, signature: request.headers[Self.signatureHeader])
        try intake.reserve(sender)
        defer { intake.release(sender) }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: admitted.length).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw FederationService.badRequestSignature  // longer than the length it signed: not the body it signed
        }
        try service.checkBody(body, of: admitted)
        let envelope = try JSONBody.decode(NodeEnvelope.self, from: body)
        guard envelope.from == sender else {
            throw DomainError.invalid(field: "from", rule: "sender", zh: "发送节点与请求头不符", en: "from differs from the X-GovShare-Node header")
        }
        let outcome = try await service.receive(envelope, origin: context.origin)
        return JSONResponse(NodeReceiptDTO(id: envelope.id, seq: envelope.seq, outcome: outcome.rawValue))
    }
}

struct NodeRegistrationRequest: Decodable, Sendable {
    var id: String?
    var name: String?
    var regionCode: String?
    var baseURL: String?
    var certificatePEM: String?

    var registration: PeerRegistration {
        PeerRegistration(
            id: id ?? "", name: name ?? "", regionCode: regionCode ?? "", baseURL: baseURL ?? "",
            certificate: Data((certificatePEM ?? "").utf8))
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case regionCode = "region_code", baseURL = "base_url", certificatePEM = "certificate_pem"
    }
}

struct NodeRevocationRequest: Decodable, Sendable { var reason: String? }

struct NodeSelfDTO: Encodable, Sendable {
    let id: String
    let name: String
    let regionCode: String
    let isProvince: Bool
    let certificatePEM: String
    let certificateSubject: String
    let certificateNotAfter: String

    init(_ d: NodeDescription) {
        id = d.id; name = d.name; regionCode = d.regionCode; isProvince = d.isProvince
        certificatePEM = PEM.encode(d.certificateDER, label: "CERTIFICATE"); certificateSubject = d.certificateSubject
        certificateNotAfter = Timestamp.format(d.certificateNotAfter)
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case regionCode = "region_code", isProvince = "is_province", certificatePEM = "certificate_pem"
        case certificateSubject = "certificate_subject", certificateNotAfter = "certificate_not_after"
    }
}

struct PeerDTO: Encodable, Sendable {
    let id: String
    let name: String
    let regionCode: String
    let relation: String
    let baseURL: String
    let status: String
    let registeredBy: String
    let registeredAt: String
    let revokedAt: String?
    let revokedReason: String?
    let lastSentSeq: Int64
    let lastReceivedSeq: Int64
    let lastDeliveredAt: String?
    let lastReceivedAt: String?
    let lastError: String?
    let lastCheckpointSeq: Int64?
    let pending: Int
    let lagSeconds: Double?

    init(_ v: PeerView) {
        let p = v.peer
        id = p.id; name = p.name; regionCode = p.regionCode; relation = p.relation.rawValue; baseURL = p.baseURL
        status = p.status.rawValue; registeredBy = p.registeredBy; registeredAt = p.registeredAt; revokedAt = p.revokedAt
        revokedReason = p.revokedReason; lastSentSeq = p.lastSentSeq; lastReceivedSeq = p.lastReceivedSeq
        lastDeliveredAt = p.lastDeliveredAt; lastReceivedAt = p.lastReceivedAt; lastError = p.lastError; pending = v.pending
        lastCheckpointSeq = p.lastCheckpointSeq
        lagSeconds = v.lagSeconds.map { ($0 * 10).rounded() / 10 }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, relation, status, pending
        case regionCode = "region_code", baseURL = "base_url", registeredBy = "registered_by", registeredAt = "registered_at"
        case revokedAt = "revoked_at", revokedReason = "revoked_reason", lastSentSeq = "last_sent_seq"
        case lastReceivedSeq = "last_received_seq", lastDeliveredAt = "last_delivered_at", lastReceivedAt = "last_received_at"
        case lastError = "last_error", lagSeconds = "lag_seconds", lastCheckpointSeq = "last_checkpoint_seq"
    }
}

struct NodeListDTO: Encodable, Sendable { let nodes: [PeerDTO] }

struct DeliveryReportDTO: Encodable, Sendable {
    let node: String
    let delivered: Int
    let pending: Int
    let error: String?
    init(_ r: DeliveryReport) { node = r.peerId; delivered = r.delivered; pending = r.pending; error = r.error }
}

struct NodeReceiptDTO: Encodable, Sendable {
    let id: String
    let seq: Int64
    let outcome: String
}

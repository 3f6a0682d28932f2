import Foundation
import GovShareCore
import Hummingbird

/// 节点管理 (Art. 15; issue 18): this node's id, region and certificate (what a peer registers), the registered peers
/// with their link state (sequence numbers, messages waiting, lag, last error), and for administrators registration
/// and revocation, for operators a link check. The same rules as the API (`FederationService`).
struct PortalNodesController {
    let platform: Platform
    let pages: PageRenderer
    var service: FederationService { platform.federation }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("nodes", use: page)
        router.post("nodes", use: create)
        router.post("nodes/{id}/revoke", use: revoke)
        router.post("nodes/{id}/check", use: check)
        router.get("nodes/{id}/checkpoints.jsonl", use: checkpoints)
    }

    /// A sub-node's checkpoints received here, as a download (auditors).
    @Sendable func checkpoints(request: Request, context: AppRequestContext) async throws -> Response {
        let file = try await service.peerCheckpoints(
            try context.parameters.require("id"), by: try context.requirePrincipal(), origin: context.origin)
        return AuditCheckpointsController.download(file)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            _ = try await service.register(
                PeerRegistration(
                    id: form["id"] ?? "", name: form["name"] ?? "", regionCode: form["region_code"] ?? "", baseURL: form["base_url"] ?? "",
                    certificate: Data((form["certificate_pem"] ?? "").utf8)),
                by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/nodes"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func revoke(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        do {
            _ = try await service.revoke(
                try context.parameters.require("id"), reason: form["reason"] ?? "", by: actor, origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/nodes"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    @Sendable func check(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        _ = try await PortalForm.read(request, context: context)
        do {
            let report = try await service.checkLink(try context.parameters.require("id"), by: actor, origin: context.origin)
            let language = context.language
            let notice =
                report.error == nil
                ? LocalizedText(zh: "链路正常：已送达 \(report.delivered) 条", en: "Link up: \(report.delivered) delivered")
                : LocalizedText(
                    zh: "未送达（\(report.error ?? "")），\(report.pending) 条待重试",
                    en: "Not delivered (\(report.error ?? "")); \(report.pending) waiting")
            return try await render(context: context, notice: notice.text(language), failed: report.error != nil)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    func render(context: AppRequestContext, error: String? = nil, form: PortalForm? = nil, notice: String? = nil, failed: Bool = false)
        async throws -> Response
    {
        let actor = try context.requirePrincipal()
        let language = context.language
        let views = try await service.peers(by: actor)
        let me = try await service.describeSelf()
        let page = NodesPage(
            selfId: me.id, selfName: me.name, selfRegion: me.regionCode,
            selfLevel: (me.isProvince
                ? LocalizedText(zh: "省级节点", en: "Provincial node") : LocalizedText(zh: "市级子节点", en: "City sub-node")).text(language),
            selfCertificate: PEM.encode(me.certificateDER, label: "CERTIFICATE"), selfSubject: me.certificateSubject,
            peers: views.map { v in
                let p = v.peer
                return .init(
                    id: p.id, name: p.name, region: p.regionCode,
                    relation: (p.relation == .parent ? LocalizedText(zh: "上级", en: "Parent") : LocalizedText(zh: "下级", en: "Child"))
                        .text(language),
                    status: (p.status == .active ? LocalizedText(zh: "有效", en: "Active") : LocalizedText(zh: "已撤销", en: "Revoked"))
                        .text(language),
                    active: p.status == .active, baseURL: p.baseURL, sent: String(p.lastSentSeq), received: String(p.lastReceivedSeq),
                    pending: PortalFormat.number(v.pending), lag: v.lagSeconds.map { Self.duration($0, language) } ?? "—",
                    lastDelivered: p.lastDeliveredAt.map(PortalFormat.time) ?? "—",
                    lastReceived: p.lastReceivedAt.map(PortalFormat.time) ?? "—", lastError: p.lastError,
                    linkClass: p.status != .active ? "revoked" : p.lastError != nil ? "failing" : v.pending > 0 ? "lagging" : "up",
                    checkpoint: p.lastCheckpointSeq.map { "#\($0)" })
            },
            canManage: service.mayManage(actor), canCheck: service.mayCheck(actor),
            canExportCheckpoints: service.mayExportCheckpoints(actor), error: error, notice: notice, noticeFailed: failed,
            form: .init(
                id: form?["id"] ?? "", name: form?["name"] ?? "", regionCode: form?["region_code"] ?? "",
                baseURL: form?["base_url"] ?? "", certificatePem: form?["certificate_pem"] ?? ""))
        return pages.render(
            page, title: Strings.text("nav_nodes", language), context: context, path: "/nodes",
            status: error == nil ? .ok : .unprocessableContent)
    }

    static func duration(_ seconds: Double, _ language: Language) -> String {
        if seconds < 120 { return language == .en ? "\(Int(seconds)) s" : "\(Int(seconds)) 秒" }
        if seconds < 7_200 { return language == .en ? "\(Int(seconds / 60)) min" : "\(Int(seconds / 60)) 分钟" }
        return language == .en ? "\(Int(seconds / 3_600)) h" : "\(Int(seconds / 3_600)) 小时"
    }
}

/// `nodes.mustache`: this node, its peers and their link state, the forms.
struct NodesPage: PortalPage {
    static let template = PageTemplate.nodes
    var selfId, selfName, selfRegion, selfLevel, selfCertificate, selfSubject: String
    struct Peer: Encodable {
        var id, name, region, relation, status: String
        var active: Bool
        var baseURL, sent, received, pending, lag, lastDelivered, lastReceived: String
        var lastError: String?
        var linkClass: String
        /// The newest audit entry the peer's checkpoints received here attest.
        var checkpoint: String?

        enum CodingKeys: String, CodingKey {
            case id, name, region, relation, status, active, sent, received, pending, lag, lastDelivered, lastReceived, lastError
            case linkClass, checkpoint
            case baseURL = "baseUrl"
        }
    }
    var peers: [Peer]
    var canManage: Bool
    var canCheck: Bool
    var canExportCheckpoints: Bool
    var error: String?
    var notice: String?
    var noticeFailed: Bool
    struct Form: Encodable {
        var id, name, regionCode, baseURL, certificatePem: String
        enum CodingKeys: String, CodingKey {
            case id, name, regionCode, certificatePem
            case baseURL = "baseUrl"
        }
    }
    var form: Form
}

import Foundation
import GovShareCore
import Hummingbird

/// 法律法规依据: what may be cited as the basis of a refusal (Art. 16) or of a conditional / not-shared catalog element
/// (Art. 18), the proposals waiting for the provincial data authority, the form to propose one and the authority's
/// confirm / reject buttons. The same rules as the API (`LegalBasisService`).
struct PortalLegalInstrumentsController {
    let platform: Platform
    let pages: PageRenderer
    var service: LegalBasisService { platform.legalBasis }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("legal-instruments", use: page)
        router.post("legal-instruments", use: propose)
        router.post("legal-instruments/{id}/decide", use: decide)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    func render(context: AppRequestContext, error: String? = nil, form: [String: String] = [:]) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let overview = try await service.overview(for: actor)
        let canDecide = try await service.canDecide(actor)
        let names = Dictionary(uniqueKeysWithValues: try await platform.directory.departments(by: actor).map { ($0.id, $0.nameZh) })
        typealias Page = LegalInstrumentsPage
        func instrument(_ i: LegalInstrument, source: LocalizedText) -> Page.Instrument {
            .init(
                name: i.name, level: i.level.name.text(language), issuer: i.issuer, number: i.documentNumber ?? "—",
                source: source.text(language))
        }
        func proposal(_ p: LegalInstrumentProposal) -> Page.Proposal {
            .init(
                id: p.id, name: p.instrument.name, level: p.instrument.level.name.text(language), issuer: p.instrument.issuer,
                number: p.instrument.documentNumber ?? "—", reference: p.reference, status: p.status.name.text(language),
                proposer: names[p.departmentId].map { "\(p.proposedByName)（\($0)）" } ?? p.proposedByName, proposedAt: p.createdAt,
                decider: p.decidedByName ?? "—", decidedAt: p.decidedAt ?? "—", reason: p.decisionReason ?? "",
                canDecide: canDecide && p.proposedBy != actor.id)
        }
        let listed = overview.listed.map { instrument($0, source: LocalizedText(zh: "清单", en: "List")) }
        let confirmed = overview.proposals.filter { $0.status == .confirmed }
            .map { instrument($0.instrument, source: LocalizedText(zh: "经确认", en: "Confirmed")) }
        let page = Page(
            instruments: listed + confirmed,
            pending: overview.proposals.filter { $0.status == .pending }.map(proposal),
            decided: overview.proposals.filter { $0.status != .pending }.map(proposal),
            canPropose: Policy.proposeLegalInstruments.allows(actor), canDecide: canDecide,
            levels: InstrumentLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.name.text(language), selected: form["level"] == $0.rawValue)
            },
            formName: form["name"] ?? "", formIssuer: form["issuer"] ?? "", formNumber: form["document_number"] ?? "",
            formReference: form["reference"] ?? "", error: error)
        return pages.render(
            page, title: Strings.text("nav_legal_basis", language),
            context: context, path: "/legal-instruments", status: error == nil ? .ok : .unprocessableContent)
    }

    /// Runs a form action; a refused input (or a decision taken meanwhile) shows the page again with the message.
    func act(_ context: AppRequestContext, form: [String: String] = [:], _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return Response(status: .seeOther, headers: [.location: "/legal-instruments"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(context: context, error: error.pageMessage(context.language), form: form)
        }
    }

    @Sendable func propose(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let fields = ["name", "level", "issuer", "document_number", "reference"].reduce(into: [String: String]()) { $0[$1] = form[$1] }
        return try await act(context, form: fields) {
            _ = try await service.propose(
                .init(
                    name: form["name"], level: form["level"], issuer: form["issuer"],
                    documentNumber: form["document_number"], reference: form["reference"]),
                by: actor, origin: context.origin)
        }
    }

    @Sendable func decide(request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal()
        let form = try await PortalForm.read(request, context: context)
        let id = try context.parameters.require("id")
        return try await act(context) {
            switch form["action"] {
            case "confirm", "reject":
                _ = try await service.decide(
                    id: id, confirm: form["action"] == "confirm", reason: form["reason"], by: actor,
                    origin: context.origin)
            default: throw DomainError.invalid(field: "action", rule: "enum", zh: "请选择确认或驳回", en: "Choose confirm or reject")
            }
        }
    }
}

/// `legal_instruments.mustache`: what counts as a legal basis, the proposals pending and decided, the proposal form.
struct LegalInstrumentsPage: PortalPage {
    static let template = PageTemplate.legalInstruments
    struct Instrument: Encodable { var name, level, issuer, number, source: String }
    struct Proposal: Encodable {
        var id, name, level, issuer, number, reference, status, proposer, proposedAt, decider, decidedAt, reason: String
        var canDecide: Bool
    }
    struct Level: Encodable {
        var value, label: String
        var selected: Bool
    }
    var instruments: [Instrument]
    var pending, decided: [Proposal]
    var canPropose, canDecide: Bool
    var levels: [Level]
    var formName, formIssuer, formNumber, formReference: String
    var error: String?
}
